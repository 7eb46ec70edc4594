/**
 * `npm run fault:pg-restart` — a separate worker process outlives a PostgreSQL restart.
 *
 * On a fresh database: starts `npm run worker` (graphile-worker) as its own
 * process, stores Stripe webhook events and wakes the worker, restarts the
 * PostgreSQL server in the middle of the work (`pg_ctlcluster 15 main restart`,
 * needs root), keeps storing events, and checks that the worker process is
 * still alive and that every event ends applied. Not part of `npm test`: it
 * restarts the shared server.
 * Last line: RESULT worker_alive=<yes|no> events=<n> applied=<n> new_after_restart=<n> new_applied=<n> leased=<n> resumed_after_s=<x> restarts=1
 */
import { execFileSync, spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";

const { values } = parseArgs({
  options: {
    before: { type: "string", default: "300" },
    after: { type: "string", default: "200" },
    cluster: { type: "string", default: "15 main" },
    "wait-leases": { type: "boolean", default: false },
  },
});
const waitLeases = values["wait-leases"];
const base =
  process.env.FAULT_DATABASE_URL ??
  (process.env.DATABASE_URL?.startsWith("postgres") ? process.env.DATABASE_URL : "postgresql://relance:relance@localhost:5432/relance");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A short-lived client per step: this script must survive the restart too. */
async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {});
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end().catch(() => {});
  }
}

async function untilUp(url: string, seconds: number) {
  for (let i = 0; i < seconds * 4; i++) {
    if (
      await query(url, "SELECT 1").then(
        () => true,
        () => false,
      )
    )
      return;
    await sleep(250);
  }
  throw new Error("PostgreSQL did not come back");
}

const admin = new URL(base);
admin.pathname = "/postgres";
const name = "relance_fault_pg_restart";
await query(admin.toString(), `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
await query(admin.toString(), `CREATE DATABASE "${name}"`);
const dbUrl = new URL(base);
dbUrl.pathname = `/${name}`;
const url = dbUrl.toString();

const env = {
  ...process.env,
  NODE_ENV: "production",
  DATABASE_URL: url,
  APP_URL: "http://localhost:3299",
  DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "relance-fault-pg-")),
  SESSION_SECRET: "fault-session-secret-9f8e7d6c5b4a39281706f5e4d3c2b1a0",
  PORTAL_TOKEN_SECRET: "fault-portal-secret-0a1b2c3d4e5f60718293a4b5c6d7e8f9",
  STRIPE_WEBHOOK_SECRET: `whsec_${crypto.randomBytes(24).toString("hex")}`,
  // Real-looking keys: no in-process mocks (the events used here never call a provider).
  STRIPE_SECRET_KEY: "sk_test_fault_never_called",
  GOCARDLESS_ACCESS_TOKEN: "sandbox_fault_never_called",
  GOCARDLESS_WEBHOOK_SECRET: "fault-gocardless-webhook-secret",
  RESEND_API_KEY: "re_fault_never_called",
  RESEND_WEBHOOK_SECRET: "whsec_ZmF1bHQtcmVzZW5kLXNlY3JldA==",
  SEED_DEMO: "false",
  LOG_LEVEL: "info",
};
Object.assign(process.env, env);
const { openPostgres } = await import("~/utils/db.server");
await (await openPostgres(url, { migrate: true, max: 2 })).close();

const log = path.join(env.DATA_DIR, "worker.log");
const out = fs.openSync(log, "a");
const worker = spawn("npx", ["tsx", "app/jobs/worker.server.ts"], {
  env: env as NodeJS.ProcessEnv,
  stdio: ["ignore", out, out],
  detached: true,
});
let exit: { code: number | null; signal: string | null } | null = null;
worker.on("exit", (code, signal) => (exit = { code, signal }));
const stopWorker = () => {
  try {
    process.kill(-worker.pid!, "SIGTERM");
  } catch {
    // already gone
  }
};
process.on("exit", stopWorker);

let stored = 0;
/** Stores n ignorable Stripe events (a failure about an unknown payment: looked up, then ignored) and wakes the worker. */
async function load(n: number) {
  const ids = Array.from({ length: n }, () => `evt_fault_${++stored}`);
  await query(
    url,
    `INSERT INTO "WebhookEvent" (id, provider, "eventId", type, payload, status, attempts, "nextAttemptAt", "receivedAt")
     SELECT gen_random_uuid()::text, 'STRIPE', e, 'payment_intent.payment_failed',
            jsonb_build_object('id', e, 'object', 'event', 'type', 'payment_intent.payment_failed', 'data', jsonb_build_object('object', jsonb_build_object('id', 'pi_' || e, 'object', 'payment_intent', 'metadata', '{}'::jsonb))),
            'RECEIVED', 0, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
     FROM unnest($1::text[]) e`,
    [ids],
  );
  await query(url, `SELECT graphile_worker.add_job('webhook_process', '{}'::json, job_key := 'webhook_process')`);
}
const applied = async () =>
  Number((await query<{ n: string }>(url, `SELECT count(*) AS n FROM "WebhookEvent" WHERE status IN ('PROCESSED', 'IGNORED')`))[0]?.n ?? 0);

// 1. The worker is up (its queue schema exists) and working.
for (let i = 0; i < 240 && !exit; i++) {
  const ready = await query(url, `SELECT 1 FROM pg_namespace WHERE nspname = 'graphile_worker'`).then(
    (r) => r.length > 0,
    () => false,
  );
  if (ready) break;
  await sleep(250);
}
if (exit) throw new Error(`worker exited before starting (${JSON.stringify(exit)}); see ${log}`);
await load(Number(values.before));
for (let i = 0; i < 240 && (await applied()) === 0; i++) await sleep(250);
console.log(`fault:pg-restart — worker pid ${worker.pid}, ${stored} events stored, ${await applied()} applied before the restart`);

// 2. Restart PostgreSQL under load, and keep storing events meanwhile.
await load(Number(values.before));
const storedAtRestart = stored;
const [version, cluster] = values.cluster.split(" ");
const restartedAt = Date.now();
execFileSync("pg_ctlcluster", [version!, cluster!, "restart", "-m", "fast"], { stdio: "inherit" });
await untilUp(url, 60);
console.log(
  `  PostgreSQL restarted in ${((Date.now() - restartedAt) / 1000).toFixed(1)} s; worker ${exit ? `EXITED ${JSON.stringify(exit)}` : "alive"}`,
);
await load(Number(values.after));

// 3. Work resumes: the events stored after the restart are all applied, and the worker process
// is still there. Events the worker had claimed when the server went down come back when
// their claim lapses (5 minutes): counted as "leased", waited for with --wait-leases.
const postRestart = async () =>
  Number(
    (
      await query<{ n: string }>(
        url,
        `SELECT count(*) AS n FROM "WebhookEvent" WHERE substring("eventId" from 11)::int > $1 AND status IN ('PROCESSED', 'IGNORED')`,
        [storedAtRestart],
      )
    )[0]?.n ?? 0,
  );
const expected = () => (waitLeases ? stored : stored - storedAtRestart);
let done = 0;
for (let i = 0; i < (waitLeases ? 1600 : 480) && !exit; i++) {
  done = await (waitLeases ? applied() : postRestart()).catch(() => done);
  if (done === expected()) break;
  await sleep(250);
}
const resumedAfter = (Date.now() - restartedAt) / 1000;
const total = await applied();
const leased = Number(
  (await query<{ n: string }>(url, `SELECT count(*) AS n FROM "WebhookEvent" WHERE status = 'RECEIVED' AND attempts > 0`))[0]?.n ?? 0,
);
const alive = !exit && worker.exitCode === null;
console.log(
  `  after the restart: ${done}/${expected()} ${waitLeases ? "events" : "new events"} applied in ${resumedAfter.toFixed(1)} s; ${total}/${stored} applied in all, ${leased} leased by the outage; worker ${alive ? "alive" : `exited ${JSON.stringify(exit)}`} (log: ${log})`,
);
console.log(
  `RESULT worker_alive=${alive ? "yes" : "no"} events=${stored} applied=${total} new_after_restart=${stored - storedAtRestart} new_applied=${await postRestart()} leased=${leased} resumed_after_s=${resumedAfter.toFixed(1)} restarts=1`,
);
const ok = alive && done === expected();
stopWorker();
process.exit(ok ? 0 : 1);
