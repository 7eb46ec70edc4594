/**
 * `npm run bench:webhooks -- --events 20000` — the Stripe webhook inbox under load, on PostgreSQL.
 *
 * Starts the production server (worker off) on a fresh database holding N
 * payments awaiting confirmation, posts one signed `checkout.session.completed`
 * per payment plus 10 % duplicates with autocannon (50 connections), then runs
 * the worker's processing loop in this process until the inbox is empty.
 * Prints accepted events/s, processed events/s, and checks that every unique
 * event was applied exactly once (payments succeeded = unique events, one
 * "payment.succeeded" trace row each, no invoice paid twice).
 * Last line: RESULT sent=<n> unique=<n> accepted_per_s=<x> drain_s=<x> processed_per_s=<x> left=<n> double_applied=<n>
 */
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import pg from "pg";

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "20000" },
    port: { type: "string", default: "3220" },
    connections: { type: "string", default: "50" },
  },
});
const UNIQUE = Number(values.events);
const PORT = Number(values.port);
const base =
  process.env.BENCH_DATABASE_URL ??
  (process.env.DATABASE_URL?.startsWith("postgres") ? process.env.DATABASE_URL : "postgresql://relance:relance@localhost:5432/relance");
const WEBHOOK_SECRET = `whsec_${crypto.randomBytes(24).toString("hex")}`;

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

const url = await freshDatabase("relance_bench_webhooks");
const env = {
  ...process.env,
  NODE_ENV: "production",
  DATABASE_URL: url,
  PORT: String(PORT),
  APP_URL: `http://localhost:${PORT}`,
  DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "relance-bench-webhooks-")),
  SESSION_SECRET: "bench-session-secret-9f8e7d6c5b4a39281706f5e4d3c2b1a0",
  PORTAL_TOKEN_SECRET: "bench-portal-secret-0a1b2c3d4e5f60718293a4b5c6d7e8f9",
  STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
  // Keys that look real: the server runs as in production, without the in-process HTTP mocks
  // (these pages and webhooks never call a provider; the benchmark must not pay for interception).
  STRIPE_SECRET_KEY: "sk_test_bench_never_called",
  GOCARDLESS_ACCESS_TOKEN: "sandbox_bench_never_called",
  GOCARDLESS_WEBHOOK_SECRET: "bench-gocardless-webhook-secret",
  RESEND_API_KEY: "re_bench_never_called",
  RESEND_WEBHOOK_SECRET: "whsec_YmVuY2gtcmVzZW5kLXNlY3JldA==",
  SEED_DEMO: "false",
  WORKER: "off",
  LOG_LEVEL: "error",
};
Object.assign(process.env, env);

// The app's modules read the environment when first used: import them after setting it.
const { openPostgres, setDatabase } = await import("~/utils/db.server");
const { webhookProcessTask } = await import("~/jobs/tasks.server");
const { WEBHOOK_LANES } = await import("~/jobs/worker.server");
const { systemClock } = await import("~/domain/clock");
const { ensureDefaultPolicy } = await import("~/services/dunning/policies.server");
const { startMockServer } = await import("../app/providers/mocks/index");
const { signStripePayload } = await import("~/providers/stripe.server");

const database = await openPostgres(url, { migrate: true, max: 8 });
setDatabase(database);
const db = database.prisma;

// Data, set-based: one creditor, N debtors with one open invoice and one payment awaiting Stripe each.
const creditor = await db.creditor.create({ data: { slug: "bench", legalName: "Bench SAS", contactEmail: "ar@bench.test" } });
const policy = await ensureDefaultPolicy(db, creditor.id);
const due = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
await db.$executeRawUnsafe(
  `INSERT INTO "Debtor" (id, "creditorId", "externalRef", kind, name, email, "transferReference", "updatedAt")
   SELECT 'd' || g, $1, 'B-' || g, 'BUSINESS', 'Client ' || g, 'client' || g || '@bench.test', 'RF00B' || g, now() FROM generate_series(1, $2) g`,
  creditor.id,
  UNIQUE,
);
await db.$executeRawUnsafe(
  `INSERT INTO "Invoice" (id, "creditorId", "debtorId", number, "issueDate", "dueDate", amount, currency, status, "updatedAt")
   SELECT 'i' || g, $1, 'd' || g, 'F-' || g, $3::date - 30, $3::date, 10000 + g, 'EUR', 'OPEN', now() FROM generate_series(1, $2) g`,
  creditor.id,
  UNIQUE,
  due,
);
await db.$executeRawUnsafe(
  `INSERT INTO "DunningState" ("invoiceId", "creditorId", "policyId", level, "nextActionAt", "updatedAt")
   SELECT 'i' || g, $1, $3, -1, $4::date - 8, now() FROM generate_series(1, $2) g`,
  creditor.id,
  UNIQUE,
  policy.id,
  due,
);
await db.$executeRawUnsafe(
  `INSERT INTO "Payment" (id, "creditorId", "debtorId", provider, method, "providerRef", "providerPaymentRef", "idempotencyKey", status, amount, currency, "updatedAt")
   SELECT 'p' || g, $1, 'd' || g, 'STRIPE', 'card', 'cs_bench_' || g, 'pi_bench_' || g, 'bench:' || g, 'REQUIRES_ACTION', 10000 + g, 'EUR', now() FROM generate_series(1, $2) g`,
  creditor.id,
  UNIQUE,
);
await db.$executeRawUnsafe(
  `INSERT INTO "PaymentAllocation" (id, "creditorId", "paymentId", "invoiceId", amount)
   SELECT 'a' || g, $1, 'p' || g, 'i' || g, 10000 + g FROM generate_series(1, $2) g`,
  creditor.id,
  UNIQUE,
);

// Events: one per payment, and 10 % of them delivered a second time (Stripe retries), shuffled.
const unique = Array.from({ length: UNIQUE }, (_, n) => {
  const g = n + 1;
  return JSON.stringify({
    id: `evt_bench_${g}`,
    object: "event",
    type: "checkout.session.completed",
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    data: {
      object: {
        id: `cs_bench_${g}`,
        object: "checkout.session",
        payment_status: "paid",
        status: "complete",
        amount_total: 10000 + g,
        currency: "eur",
        payment_intent: `pi_bench_${g}`,
        metadata: { payment_id: `p${g}` },
      },
    },
  });
});
const bodies = [...unique, ...unique.filter((_, n) => n % 10 === 0)];
for (let i = bodies.length - 1; i > 0; i--) {
  const j = Math.floor(Math.random() * (i + 1));
  [bodies[i], bodies[j]] = [bodies[j]!, bodies[i]!];
}

// Its own process group, so stopping it also stops the node process npx starts.
const server = spawn("npx", ["tsx", "server.ts"], {
  env: env as NodeJS.ProcessEnv,
  stdio: ["ignore", "ignore", "inherit"],
  detached: true,
});
const stop = () => {
  try {
    process.kill(-server.pid!, "SIGTERM");
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

console.log(
  `bench:webhooks — ${UNIQUE} payments, ${bodies.length} signed Stripe events (${bodies.length - UNIQUE} duplicates), ${values.connections} connections`,
);
let next = 0;
const started = Date.now();
const result = await autocannon({
  url: `http://localhost:${PORT}/webhooks/stripe`,
  connections: Number(values.connections),
  amount: bodies.length,
  requests: [
    {
      method: "POST",
      setupRequest: (request) => {
        const body = bodies[next++ % bodies.length]!;
        const signature = signStripePayload(body);
        return { ...request, body, headers: { "content-type": "application/json", "stripe-signature": signature } };
      },
    },
  ],
});
const acceptSeconds = (Date.now() - started) / 1000;
stop();
if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx answers, ${result.errors} errors`);
const accepted = bodies.length / acceptSeconds;
const stored = await db.webhookEvent.count();
console.log(
  `  accepted: ${bodies.length} requests in ${acceptSeconds.toFixed(2)} s = ${accepted.toFixed(0)} events/s (p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms); stored ${stored} unique`,
);

// Drain time as production sees it: one call of the worker's webhook task, with the worker's
// lanes, and no loop here (receipts go to the mocked email provider).
const stopMocks = startMockServer({ stripe: true, gocardless: true, resend: true });
const t0 = Date.now();
const run = await webhookProcessTask(db, systemClock, { concurrency: WEBHOOK_LANES });
const processSeconds = (Date.now() - t0) / 1000;
stopMocks();
const processed = await db.webhookEvent.count({ where: { status: "PROCESSED" } });
const left = await db.webhookEvent.count({ where: { status: "RECEIVED" } });
console.log(
  `  processed: ${processed} events in ${processSeconds.toFixed(2)} s (${run.passes} passes of one task call) = ${(processed / processSeconds).toFixed(0)} events/s; left RECEIVED ${left}`,
);

const succeeded = await db.payment.count({ where: { status: "SUCCEEDED" } });
const traces = await db.communication.count({ where: { kind: "payment.succeeded" } });
const over =
  (await db.$queryRawUnsafe<{ over: number }[]>(`SELECT count(*)::int AS over FROM "Invoice" WHERE "amountPaid" > amount`))[0]?.over ?? 0;
const doubleApplied = Math.max(0, traces - UNIQUE) + over + Math.abs(succeeded - UNIQUE);
const drained = left === 0;
console.log(`  check: payments succeeded ${succeeded}/${UNIQUE}, trace rows ${traces}, invoices over-paid ${over}`);
console.log(
  `RESULT sent=${bodies.length} unique=${UNIQUE} accepted_per_s=${accepted.toFixed(0)} drain_s=${processSeconds.toFixed(2)} processed_per_s=${(processed / processSeconds).toFixed(0)} left=${left} double_applied=${doubleApplied}`,
);
await database.close();
process.exit(doubleApplied === 0 && drained ? 0 : 1);
