/**
 * `npm run bench:portal` — the debtor portal home under load, on PostgreSQL.
 *
 * Builds nothing (run `npm run build` first, `npm test` does), starts the
 * production server on a fresh database, gives one debtor 50 open invoices,
 * opens a portal session through a magic link, then drives with autocannon:
 * the portal home at 50 connections for 20 s (throughput) and at 10
 * connections for 20 s (latency), then the bare /ping route of the same server.
 * Last line: RESULT list_rps=<x> list_p99_ms=<x> bare_rps=<x> ratio=<x>
 */
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import pg from "pg";
import { addDays, systemClock } from "~/domain/clock";
import { toCreditorReference } from "~/domain/payments/reference";
import { issuePortalLink } from "~/services/portal/links.server";
import { createInvoice } from "~/services/intake/invoices.server";
import { ensureDefaultPolicy } from "~/services/dunning/policies.server";
import { openPostgres, setDatabase } from "~/utils/db.server";

const { values } = parseArgs({
  options: { seconds: { type: "string", default: "20" }, port: { type: "string", default: "3210" }, profile: { type: "string" } },
});
const SECONDS = Number(values.seconds);
const PORT = Number(values.port);
const base =
  process.env.BENCH_DATABASE_URL ??
  (process.env.DATABASE_URL?.startsWith("postgres") ? process.env.DATABASE_URL : "postgresql://relance:relance@localhost:5432/relance");

async function freshDatabase(name: string) {
  const admin = new URL(base);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await client.query(`CREATE DATABASE "${name}"`);
  await client.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

const url = await freshDatabase("relance_bench_portal");
const env = {
  ...process.env,
  NODE_ENV: "production",
  DATABASE_URL: url,
  PORT: String(PORT),
  APP_URL: `http://localhost:${PORT}`,
  SESSION_SECRET: process.env.SESSION_SECRET ?? "bench-session-secret-9f8e7d6c5b4a39281706f5e4d3c2b1a0",
  PORTAL_TOKEN_SECRET: process.env.PORTAL_TOKEN_SECRET ?? "bench-portal-secret-0a1b2c3d4e5f60718293a4b5c6d7e8f9",
  // Keys that look real: the server runs as in production, without the in-process HTTP mocks
  // (these pages and webhooks never call a provider; the benchmark must not pay for interception).
  STRIPE_SECRET_KEY: "sk_test_bench_never_called",
  STRIPE_WEBHOOK_SECRET: "whsec_bench_portal_never_called",
  GOCARDLESS_ACCESS_TOKEN: "sandbox_bench_never_called",
  GOCARDLESS_WEBHOOK_SECRET: "bench-gocardless-webhook-secret",
  RESEND_API_KEY: "re_bench_never_called",
  RESEND_WEBHOOK_SECRET: "whsec_YmVuY2gtcmVzZW5kLXNlY3JldA==",
  SEED_DEMO: "false",
  WORKER: "off",
  LOG_LEVEL: "warn",
};
Object.assign(process.env, env);

// Data: one creditor, one debtor with 50 open invoices.
const database = await openPostgres(url, { migrate: true, max: 2 });
setDatabase(database);
const db = database.prisma;
const creditor = await db.creditor.create({ data: { slug: "bench", legalName: "Bench SAS", contactEmail: "ar@bench.test" } });
const policy = await ensureDefaultPolicy(db, creditor.id);
const debtor = await db.debtor.create({
  data: {
    creditorId: creditor.id,
    externalRef: "B-1",
    kind: "BUSINESS",
    name: "Client Bench SARL",
    email: "client@bench.test",
    transferReference: toCreditorReference("B1"),
  },
});
const today = new Date();
for (let i = 0; i < 50; i++) {
  const dueDate = addDays(today, 20 - i * 3);
  await createInvoice(db, {
    creditorId: creditor.id,
    debtorId: debtor.id,
    policy,
    number: `F-BENCH-${String(i).padStart(3, "0")}`,
    issueDate: addDays(dueDate, -30),
    dueDate,
    amount: 10_000 + i * 1_234,
    currency: "EUR",
    now: today,
  });
}
const link = await issuePortalLink(db, debtor, { clock: systemClock });
await database.close();

// Its own process group, so stopping it also stops the node process npx starts.
// --profile <dir>: the server writes a V8 CPU profile there when it stops.
const server = values.profile
  ? spawn(process.execPath, ["--cpu-prof", `--cpu-prof-dir=${values.profile}`, "--import", "tsx", "server.ts"], {
      env: env as NodeJS.ProcessEnv,
      stdio: "inherit",
      detached: true,
    })
  : spawn("npx", ["tsx", "server.ts"], { env: env as NodeJS.ProcessEnv, stdio: "inherit", detached: true });
const stop = () => {
  try {
    process.kill(-server.pid!, "SIGINT");
  } catch {
    // already gone
  }
};
process.on("exit", stop);
for (let i = 0; i < 120; i++) {
  const ok = await fetch(`http://localhost:${PORT}/ping`)
    .then((r) => r.ok)
    .catch(() => false);
  if (ok) break;
  await new Promise((r) => setTimeout(r, 500));
}

// The portal session opens only for a person's browser (scanners and bots leave no trace): look like one.
const browser = { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36" };
const landing = await fetch(link.url.replace(env.APP_URL, `http://localhost:${PORT}`), { redirect: "manual", headers: browser });
const cookie = landing.headers
  .getSetCookie()
  .map((c) => c.split(";")[0])
  .join("; ");
const check = await fetch(`http://localhost:${PORT}/portal`, { headers: { ...browser, cookie } });
const html = await check.text();
if (check.status !== 200 || !html.includes("F-BENCH-049"))
  throw new Error(`portal home did not render the 50 invoices (status ${check.status})`);

async function load(path: string, connections: number, headers: Record<string, string> = {}) {
  const result = await autocannon({ url: `http://localhost:${PORT}${path}`, connections, duration: SECONDS, headers });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${path}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result;
}

console.log(`bench:portal — portal home with 50 invoices, production build on PostgreSQL, ${SECONDS} s per run`);
const warm = await load("/portal", 10, { cookie });
void warm;
const list50 = await load("/portal", 50, { cookie });
console.log(`  portal home, 50 connections: ${list50.requests.average.toFixed(0)} req/s (p99 ${list50.latency.p99} ms)`);
const list10 = await load("/portal", 10, { cookie });
console.log(
  `  portal home, 10 connections: ${list10.requests.average.toFixed(0)} req/s, p50 ${list10.latency.p50} ms, p99 ${list10.latency.p99} ms`,
);
// Where the time goes: the same page's loaders alone (Remix data requests, no React render).
const data = await load("/portal?_data=routes%2Fportal._index", 50, { cookie });
console.log(`  portal home loader data only, 50 connections: ${data.requests.average.toFixed(0)} req/s`);
const bare = await load("/ping", 50);
console.log(`  bare resource route, 50 connections: ${bare.requests.average.toFixed(0)} req/s`);
const ratio = list50.requests.average / bare.requests.average;
console.log(
  `RESULT list_rps=${list50.requests.average.toFixed(0)} list_p99_ms=${list10.latency.p99} bare_rps=${bare.requests.average.toFixed(0)} ratio=${ratio.toFixed(2)}`,
);
stop();
await new Promise((r) => setTimeout(r, 3000));
process.exit(0);
