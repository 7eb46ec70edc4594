#!/usr/bin/env bash
# Starts the built app for Playwright on a fresh database: a new PGlite folder,
# or a new PostgreSQL database beside DATABASE_URL's.
set -euo pipefail
cd "$(dirname "$0")/.."
export DATA_DIR="tests/.tmp/e2e-${E2E_PORT:-3100}"
rm -rf "$DATA_DIR" && mkdir -p "$DATA_DIR"
# No APP_URL: the app derives it from PORT, so a return URL that ignores PORT fails the suite.
unset APP_URL
export PORT="${E2E_PORT:-3100}" NODE_ENV=development MOCKS=true LOG_LEVEL=warn WORKER_SEND_MS=700 AUTH_RATE_LIMIT=600
if [[ "${DATABASE_URL:-}" == postgres* ]]; then
  export DATABASE_URL="$(node scripts/fresh-database.mjs "$DATABASE_URL" relance_e2e)"
else
  export DATABASE_URL="file:$DATA_DIR/pglite"
fi
exec npx tsx server.ts
