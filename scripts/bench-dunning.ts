/**
 * `npm run bench:dunning -- --invoices 1000000 [--due-pct 5] [--debtors 10000]`
 *
 * On PostgreSQL (BENCH_DATABASE_URL, else DATABASE_URL, else the local
 * relance role): seeds N open invoices across the debtors into a fresh
 * database, then
 *   - runs the real dunning tick once over them (~due-pct % due), timed;
 *   - runs the physical floor on a fresh copy of the same rows: one UPDATE of
 *     the due rows' dunning state + one INSERT … SELECT of one outbox row each,
 *     in one transaction, hand-written;
 *   - repeats both with a tenth of the rows due, to show the cost follows the
 *     due rows, not the table.
 * Last line: RESULT invoices=<n> due=<n> actions=<n> tick_s=<x> floor_s=<x> ratio=<x>
 */
import { parseArgs } from "node:util";
import pg from "pg";
import { runDunningTick } from "~/services/dunning/tick.server";
import { ensureDefaultPolicy } from "~/services/dunning/policies.server";
import { openPostgres } from "~/utils/db.server";

const { values } = parseArgs({
  options: {
    invoices: { type: "string", default: "1000000" },
    debtors: { type: "string", default: "10000" },
    "due-pct": { type: "string", default: "5" },
    /** Rows per tick transaction; defaults to what the worker runs (runDunningTick's default). */
    batch: { type: "string" },
  },
});
const N = Number(values.invoices);
const DEBTORS = Math.min(Number(values.debtors), N);
const DUE_PCT = Number(values["due-pct"]);
const baseUrl =
  process.env.BENCH_DATABASE_URL ??
  (process.env.DATABASE_URL?.startsWith("postgres") ? process.env.DATABASE_URL : "postgresql://relance:relance@localhost:5432/relance");

const NOW = new Date("2026-06-15T08:00:00Z");

async function freshDatabase(name: string) {
  const admin = new URL(baseUrl);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await client.query(`CREATE DATABASE "${name}"`);
  await client.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

async function scenario(duePct: number) {
  const url = await freshDatabase("relance_bench");
  const database = await openPostgres(url, { migrate: true, max: 4 });
  const { prisma } = database;
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    const creditor = await prisma.creditor.create({ data: { slug: "bench", legalName: "Bench SAS", dunningEnabled: true } });
    const policy = await ensureDefaultPolicy(prisma, creditor.id);
    const dueEvery = Math.round(100 / duePct);
    let t = process.hrtime.bigint();
    await pool.query(
      `INSERT INTO "Debtor" (id, "creditorId", "externalRef", kind, name, email, "transferReference", "updatedAt")
       SELECT 'deb' || g, $1, 'D' || g, 'BUSINESS', 'Debtor ' || g, 'd' || g || '@example.test', 'RF00D' || g, now()
       FROM generate_series(0, $2 - 1) g`,
      [creditor.id, DEBTORS],
    );
    // Level 1 executed (J-3); the next one (J+1) is due for one invoice in `dueEvery`.
    await pool.query(
      `INSERT INTO "Invoice" (id, "creditorId", "debtorId", number, "issueDate", "dueDate", amount, currency, status, "updatedAt")
       SELECT 'inv' || g, $1, 'deb' || (g % $2), 'F-' || g,
              CASE WHEN g % $3 = 0 THEN date '2026-05-14' - 30 ELSE date '2026-07-01' - 30 END,
              CASE WHEN g % $3 = 0 THEN date '2026-06-14' ELSE date '2026-07-01' + (g % 60) END,
              10000 + (g % 5000) * 100, 'EUR', 'OPEN', now()
       FROM generate_series(0, $4 - 1) g`,
      [creditor.id, DEBTORS, dueEvery, N],
    );
    await pool.query(
      `INSERT INTO "DunningState" ("invoiceId", "creditorId", "policyId", level, "nextActionAt", "updatedAt")
       SELECT i.id, i."creditorId", $1, 1, (i."dueDate" + 1)::timestamp, now() FROM "Invoice" i WHERE i."creditorId" = $2`,
      [policy.id, creditor.id],
    );
    await pool.query(`VACUUM ANALYZE`);
    console.log(`  seeded ${N.toLocaleString("en")} invoices / ${DEBTORS.toLocaleString("en")} debtors in ${seconds(t).toFixed(1)} s`);

    // A fresh copy of the same rows for the floor, with the same indexes.
    await pool.query(`CREATE TABLE floor_state (LIKE "DunningState" INCLUDING ALL)`);
    await pool.query(`INSERT INTO floor_state SELECT * FROM "DunningState"`);
    await pool.query(`CREATE TABLE floor_outbox (LIKE "OutboxMessage" INCLUDING ALL)`);
    await pool.query(`VACUUM ANALYZE floor_state`);

    t = process.hrtime.bigint();
    const tick = await runDunningTick(prisma, { now: NOW, batchSize: values.batch ? Number(values.batch) : undefined });
    const tickS = seconds(t);

    const client = await pool.connect();
    t = process.hrtime.bigint();
    await client.query("BEGIN");
    await client.query(
      `UPDATE floor_state SET level = level + 1, "lastActionAt" = $1, "nextActionAt" = $1::timestamp + interval '14 days'
       WHERE "nextActionAt" <= $1 AND "stoppedAt" IS NULL AND "pauseReason" IS NULL`,
      [NOW.toISOString().replace("Z", "")],
    );
    const floor = await client.query(
      `INSERT INTO floor_outbox (id, "creditorId", "debtorId", "invoiceId", "idempotencyKey", "groupKey", channel, "templateKey", status, "availableAt")
       SELECT gen_random_uuid()::text, s."creditorId", i."debtorId", s."invoiceId", 'invoice:' || s."invoiceId" || ':level:' || s.level,
              'debtor:' || i."debtorId", 'EMAIL', 'first_reminder', 'PENDING', $1
       FROM floor_state s JOIN "Invoice" i ON i.id = s."invoiceId" WHERE s."lastActionAt" = $1`,
      [NOW.toISOString().replace("Z", "")],
    );
    await client.query("COMMIT");
    const floorS = seconds(t);
    client.release();

    const ratio = tickS / floorS;
    console.log(
      `  due ${duePct}%: scanned ${tick.scanned.toLocaleString("en")}, actions ${tick.queued.toLocaleString("en")} in ${tick.batches} batches — ` +
        `tick ${tickS.toFixed(2)} s (${Math.round(tick.scanned / tickS).toLocaleString("en")} invoices/s), ` +
        `floor ${floorS.toFixed(2)} s (${floor.rowCount} rows), ratio ${ratio.toFixed(2)}`,
    );
    return { due: tick.scanned, actions: tick.queued, tickS, floorS, ratio };
  } finally {
    await pool.end();
    await database.close();
  }
}

console.log(`bench:dunning on ${new URL(baseUrl).host} — ${N.toLocaleString("en")} open invoices`);
const low = await scenario(DUE_PCT / 10);
const main = await scenario(DUE_PCT);
console.log(`  cost follows the due rows: ${DUE_PCT / 10}% due took ${(low.tickS / main.tickS).toFixed(2)}× the time of ${DUE_PCT}% due`);
console.log(
  `RESULT invoices=${N} due=${main.due} actions=${main.actions} tick_s=${main.tickS.toFixed(3)} floor_s=${main.floorS.toFixed(3)} ratio=${main.ratio.toFixed(2)}`,
);
