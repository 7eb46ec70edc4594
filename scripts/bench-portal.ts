/**
 * `npm run bench:portal` — the debtor portal home under load, on PostgreSQL.
 *
 * Builds nothing (run `npm run build` first, `npm test` does), starts the
 * production server on a fresh database, gives one debtor 50 open invoices,
 * opens a portal session through a magic link, then drives with autocannon:
 * the portal home at 50 connections for 20 s (throughput) and at 10
 * connections for 20 s (latency), the pay page and one invoice's page the
 * same way, then the bare /ping route of the same server.
 * --phone: also the JavaScript each page loads and an emulated phone's LCP and
 * load time (scripts/bench-portal-phone.ts, headless Chromium).
 * Last line: RESULT list_rps=<x> list_p99_ms=<x> bare_rps=<x> ratio=<x> js_kb=<x> lcp_ms=<x> load_ms=<x>
 * (the last three read "-" without --phone).
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
  options: {
    seconds: { type: "string", default: "20" },
    port: { type: "string", default: "3210" },
    profile: { type: "string" },
    phone: { type: "boolean", default: false },
  },
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
const firstInvoice = await db.invoice.findFirstOrThrow({ where: { debtorId: debtor.id, number: "F-BENCH-000" }, select: { id: true } });
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
const pages = { home: "/portal", pay: "/portal/pay", invoice: `/portal/invoices/${firstInvoice.id}` };
for (const [page, path, expected] of [
  ["home", pages.home, "F-BENCH-049"],
  ["pay", pages.pay, "F-BENCH-049"],
  ["invoice", pages.invoice, "F-BENCH-000"],
] as const) {
  const check = await fetch(`http://localhost:${PORT}${path}`, { headers: { ...browser, cookie } });
  const html = await check.text();
  if (check.status !== 200 || !html.includes(expected)) throw new Error(`portal ${page} did not render (status ${check.status})`);
}

async function load(path: string, connections: number, headers: Record<string, string> = {}) {
  // A shared machine can be slow: a request counts as an error only after 30 s (autocannon's default is 10).
  const result = await autocannon({ url: `http://localhost:${PORT}${path}`, connections, duration: SECONDS, headers, timeout: 30 });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${path}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result;
}
/** Throughput at 50 connections, latency at 10. */
async function measure(path: string, headers: Record<string, string>) {
  const at50 = await load(path, 50, headers);
  const at10 = await load(path, 10, headers);
  return { rps: at50.requests.average, p99At50: at50.latency.p99, p50: at10.latency.p50, p99: at10.latency.p99 };
}
const line = (name: string, m: Awaited<ReturnType<typeof measure>>, bareRps: number) =>
  `  ${name}: ${m.rps.toFixed(0)} req/s at 50 connections (p99 ${m.p99At50} ms, ${(m.rps / bareRps).toFixed(2)}x bare); ` +
  `10 connections p50 ${m.p50} ms, p99 ${m.p99} ms`;

console.log(`bench:portal — portal pages, one debtor with 50 open invoices, production build on PostgreSQL, ${SECONDS} s per run`);
await load(pages.home, 10, { cookie }); // warm-up
const home = await measure(pages.home, { cookie });
const pay = await measure(pages.pay, { cookie });
const invoice = await measure(pages.invoice, { cookie });
// Where the time goes: the home's loaders alone (Remix data request, no React render).
const data = await load("/portal?_data=routes%2Fportal._index", 50, { cookie });
const bare = await load("/ping", 50);
const bareRps = bare.requests.average;
console.log(line("portal home (50 invoices)", home, bareRps));
console.log(line("pay page", pay, bareRps));
console.log(line("invoice page", invoice, bareRps));
console.log(`  portal home loader data only, 50 connections: ${data.requests.average.toFixed(0)} req/s`);
console.log(`  bare resource route, 50 connections: ${bareRps.toFixed(0)} req/s`);

// The browser side (headless Chromium, emulated phone): loaded only when asked.
let phoneFields = "js_kb=- lcp_ms=- load_ms=-";
if (values.phone) {
  const { benchPortalPhone, describePhoneReport, phoneResultFields } = await import("./bench-portal-phone");
  const report = await benchPortalPhone(`http://localhost:${PORT}`, cookie);
  for (const l of describePhoneReport(report)) console.log(l);
  phoneFields = phoneResultFields(report);
}
console.log(
  `PAGES pay_rps=${pay.rps.toFixed(0)} pay_p99_ms=${pay.p99} pay_ratio=${(pay.rps / bareRps).toFixed(2)} ` +
    `invoice_rps=${invoice.rps.toFixed(0)} invoice_p99_ms=${invoice.p99} invoice_ratio=${(invoice.rps / bareRps).toFixed(2)}`,
);
console.log(
  `RESULT list_rps=${home.rps.toFixed(0)} list_p99_ms=${home.p99} bare_rps=${bareRps.toFixed(0)} ratio=${(home.rps / bareRps).toFixed(2)} ` +
    phoneFields,
);
stop();
await new Promise((r) => setTimeout(r, 3000));
process.exit(0);
