import { addDays } from "~/domain/clock";
import { isPostgresUrl, openPostgres, type Database, type Db } from "~/utils/db.server";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { useTestDatabase } from "../../testing/db";
import { applyInvoiceEvent } from "./invoice-events.server";
import { runDunningTick } from "./tick.server";

/**
 * The tick under real concurrency (decision 003, issue 17): transactions on
 * their own PostgreSQL connections, interleaved on purpose —
 * one is held open at the moment that matters while the other runs. PGlite
 * serialises everything, so these only run against PostgreSQL.
 */
const database = useTestDatabase();
const DUE = new Date("2026-03-31T00:00:00Z");
/** J-8: the courtesy reminder (level 0) is due for every invoice. */
const NOW = addDays(DUE, -8);
let wide: Database;
afterAll(async () => {
  await wide?.close();
});

async function widePool(db: Db) {
  if (wide) return wide;
  const [row] = await db.$queryRawUnsafe<{ name: string }[]>("SELECT current_database() AS name");
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${row!.name}`;
  wide = await openPostgres(url.toString(), { max: 6 });
  return wide;
}

async function dueInvoices(n: number) {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db);
  const debtor = await makeDebtor(db, creditor.id);
  const invoices = [];
  for (let i = 0; i < n; i++)
    invoices.push(
      await makeInvoice(db, { creditorId: creditor.id, debtorId: debtor.id, policy }, { dueDate: DUE, now: addDays(DUE, -20) }),
    );
  return { db, creditor, invoices, pool: await widePool(db) };
}

/** A transaction that runs `work`, then stays open (holding its locks) until `release` is called. */
function heldOpen<T>(pool: Database, work: (tx: Db) => Promise<T>) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let ready!: (value: T) => void;
  const done = new Promise<T>((resolve) => (ready = resolve));
  const committed = pool.prisma.$transaction(
    async (tx) => {
      const value = await work(tx);
      ready(value);
      await gate;
      return value;
    },
    { maxWait: 30_000, timeout: 60_000 },
  );
  return { done, release, committed };
}

/** Resolves once some backend of this database waits for a lock (the other side is blocked where we want it). */
async function someoneWaitsForALock(db: Db, until: Promise<unknown>) {
  let finished = false;
  void until.finally(() => (finished = true));
  for (let i = 0; i < 400 && !finished; i++) {
    const [row] = await db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (Number(row!.n) > 0) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return false;
}

const within = <T>(ms: number, p: Promise<T>) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms))]);

describe.skipIf(!isPostgresUrl(process.env.DATABASE_URL))("dunning tick under real concurrency (PostgreSQL)", () => {
  it("a second tick does not wait for a first tick's open batch, and together they queue every invoice exactly once", async () => {
    const { db, creditor, invoices, pool } = await dueInvoices(60);
    const opts = { now: NOW, creditorId: creditor.id, batchSize: 10 };
    // Tick A has run one batch and not committed: its rows and its partition are held.
    const a = heldOpen(pool, (tx) => runDunningTick(tx, { ...opts, maxBatches: 1 }));
    const first = await a.done;
    expect(first.queued).toBe(10);
    // Tick B, on another connection, finishes while A is still open: it takes the other partition.
    const second = await within(10_000, runDunningTick(pool.prisma, opts));
    expect(second.queued).toBeGreaterThan(0);
    expect(first.queued + second.queued).toBeLessThanOrEqual(invoices.length);
    a.release();
    await a.committed;
    // What neither took (the rest of A's partition) is left for the next tick.
    const third = await runDunningTick(db, opts);
    expect(first.queued + second.queued + third.queued).toBe(invoices.length);

    const perInvoice = await db.outboxMessage.groupBy({ by: ["invoiceId"], where: { creditorId: creditor.id }, _count: true });
    expect(perInvoice).toHaveLength(invoices.length);
    expect(perInvoice.every((r) => r._count === 1)).toBe(true);
    const levels = await db.dunningState.groupBy({ by: ["level"], where: { creditorId: creditor.id }, _count: true });
    expect(levels).toEqual([{ level: 0, _count: invoices.length }]);
  });

  it("two ticks released together on separate connections queue each invoice once", async () => {
    const { db, creditor, invoices, pool } = await dueInvoices(80);
    const opts = { now: NOW, creditorId: creditor.id, batchSize: 7 };
    const [a, b] = await Promise.all([runDunningTick(pool.prisma, opts), runDunningTick(db, opts)]);
    expect(a.queued + b.queued).toBe(invoices.length);
    expect(a.advanced + b.advanced).toBe(invoices.length);
    expect(await db.outboxMessage.count({ where: { creditorId: creditor.id } })).toBe(invoices.length);
  });

  it("a pause committed while the tick is running is never overwritten, and that invoice gets no reminder", async () => {
    const { db, creditor, invoices, pool } = await dueInvoices(12);
    const target = invoices[5]!;
    // Staff pauses the invoice through the door; the transaction stays open, holding the row.
    const pause = heldOpen(pool, (tx) =>
      applyInvoiceEvent(tx, {
        creditorId: creditor.id,
        invoiceId: target.id,
        event: { type: "MANUAL_PAUSE", note: "Le client a appelé" },
        actor: { type: "STAFF" },
        now: NOW,
      }),
    );
    expect((await pause.done).pauseReason).toBe("MANUAL");
    // The tick reads the row as due (the pause is not committed yet) and reaches it.
    const tick = runDunningTick(db, { now: NOW, creditorId: creditor.id });
    await someoneWaitsForALock(db, tick);
    pause.release();
    await pause.committed;
    const result = await tick;

    expect(result.queued).toBe(invoices.length - 1);
    const state = await db.dunningState.findUniqueOrThrow({ where: { invoiceId: target.id } });
    expect(state).toMatchObject({ pauseReason: "MANUAL", level: -1, lastActionAt: null });
    expect(await db.outboxMessage.count({ where: { invoiceId: target.id } })).toBe(0);
    expect(await db.outboxMessage.count({ where: { creditorId: creditor.id } })).toBe(invoices.length - 1);
  });

  it("a pause arriving while the tick's batch is open waits for it and applies on top of the advanced state", async () => {
    const { db, creditor, invoices, pool } = await dueInvoices(6);
    const target = invoices[2]!;
    const tick = heldOpen(pool, (tx) => runDunningTick(tx, { now: NOW, creditorId: creditor.id }));
    expect((await tick.done).queued).toBe(invoices.length);
    const pause = pool.prisma.$transaction((tx) =>
      applyInvoiceEvent(tx, {
        creditorId: creditor.id,
        invoiceId: target.id,
        event: { type: "MANUAL_PAUSE", note: "Litige signalé" },
        actor: { type: "STAFF" },
        now: NOW,
      }),
    );
    expect(await someoneWaitsForALock(db, pause)).toBe(true);
    tick.release();
    await tick.committed;
    await pause;

    const state = await db.dunningState.findUniqueOrThrow({ where: { invoiceId: target.id } });
    expect(state).toMatchObject({ pauseReason: "MANUAL", level: 0 });
    expect(await db.outboxMessage.count({ where: { invoiceId: target.id } })).toBe(1);
  });
});
