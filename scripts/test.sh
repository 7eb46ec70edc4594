#!/usr/bin/env bash
# The one test command (`npm test`): lint (layers + format), typecheck, unit + integration tests, browser tests.
# Uses embedded PGlite unless DATABASE_URL names a PostgreSQL database.
set -euo pipefail
cd "$(dirname "$0")/.."

db="embedded PGlite"
[[ "${DATABASE_URL:-}" == postgres* ]] && db="PostgreSQL (${DATABASE_URL%%\?*})"
echo "== relance tests on $db"

echo "== lint (ESLint: layer rules, hooks, accessibility; Prettier: format)"
npm run --silent lint

echo "== typecheck"
npx tsc --noEmit

echo "== unit and integration tests (vitest)"
npx vitest run

echo "== browser tests (Playwright + Debian Chromium)"
bash scripts/ensure-chromium.sh
npx remix build >/dev/null
# One project per run: each starts its own server on a fresh demo database, so the
# JavaScript and no-JavaScript journeys do not see each other's changes.
npx playwright test --project=mobile
npx playwright test --project=no-js
