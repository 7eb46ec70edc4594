import { addDays } from "~/domain/clock";
import { useTestDatabase } from "../../testing/db";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { runDunningTick } from "./tick.server";

const database = useTestDatabase();
const DUE = new Date("2026-03-31T00:00:00Z");

async function setup() {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db);
  const debtor = await makeDebtor(db, creditor.id);
  return { db, creditor, policy, debtor, ctx: { creditorId: creditor.id, debtorId: debtor.id, policy } };
}

describe("dunning tick", () => {
  it("walks the default French calendar J-8 … J+60, one outbox row per level", async () => {
    const { db, creditor, ctx } = await setup();
    const invoice = await makeInvoice(db, ctx, { dueDate: DUE, now: addDays(DUE, -20) });
    const executed: string[] = [];
    for (let day = -10; day <= 62; day++) {
      const now = addDays(DUE, day);
      const result = await runDunningTick(db, { now, creditorId: creditor.id });
      if (result.queued > 0) {
        const rows = await db.outboxMessage.findMany({ where: { creditorId: creditor.id, createdAt: now } });
        executed.push(...rows.map((r) => `J${day >= 0 ? "+" : ""}${day}:${r.channel}:${r.templateKey}`));
      }
    }
    expect(executed).toEqual([
      "J-8:EMAIL:courtesy_reminder",
      "J-3:CALL_TASK:call_before_due",
      "J+1:EMAIL:first_reminder",
      "J+15:EMAIL:second_reminder",
      "J+16:CALL_TASK:call_overdue",
      "J+30:EMAIL:penalties_notice",
      "J+45:LETTER:formal_notice",
      "J+60:HANDOFF:litigation_handoff",
    ]);
    const keys = await db.outboxMessage.findMany({ where: { invoiceId: invoice.id }, select: { idempotencyKey: true } });
    expect(keys.map((k) => k.idempotencyKey).sort()).toEqual(
      [0, 1, 2, 3, 4, 5, 6, 7].map((n) => `invoice:${invoice.id}:level:${n}`).sort(),
    );
    const state = await db.dunningState.findUniqueOrThrow({ where: { invoiceId: invoice.id } });
    expect(state.level).toBe(7);
    expect(state.nextActionAt).toBeNull();
  });

  it("running the same tick twice creates nothing the second time", async () => {
    const { db, creditor, ctx } = await setup();
    await makeInvoice(db, ctx, { dueDate: DUE, now: addDays(DUE, -20) });
    const now = addDays(DUE, 1);
    const first = await runDunningTick(db, { now, creditorId: creditor.id });
    const second = await runDunningTick(db, { now, creditorId: creditor.id });
    expect(first.queued).toBe(1);
    expect(second).toMatchObject({ scanned: 0, queued: 0 });
  });

  it("groups one debtor's invoices due the same day under one group key", async () => {
    const { db, creditor, ctx } = await setup();
    await makeInvoice(db, ctx, { dueDate: DUE, now: addDays(DUE, -20) });
    await makeInvoice(db, ctx, { dueDate: DUE, now: addDays(DUE, -20) });
    const other = await makeDebtor(db, creditor.id);
    await makeInvoice(db, { ...ctx, debtorId: other.id }, { dueDate: DUE, now: addDays(DUE, -20) });
    await runDunningTick(db, { now: addDays(DUE, 1), creditorId: creditor.id });
    const rows = await db.outboxMessage.findMany({ where: { creditorId: creditor.id } });
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((r) => r.groupKey)).size).toBe(2);
  });

  it("skips paused invoices until the pause ends, and settled invoices for good", async () => {
    const { db, creditor, ctx } = await setup();
    const paused = await makeInvoice(db, ctx, { dueDate: DUE, now: addDays(DUE, -20) });
    const paid = await makeInvoice(db, ctx, { dueDate: DUE, now: addDays(DUE, -20) });
    await db.dunningState.update({ where: { invoiceId: paused.id }, data: { pauseReason: "PROMISE", pausedUntil: addDays(DUE, 10) } });
    await db.invoice.update({ where: { id: paid.id }, data: { status: "PAID", amountPaid: paid.amount } });

    const early = await runDunningTick(db, { now: addDays(DUE, 1), creditorId: creditor.id });
    expect(early.queued).toBe(0);
    expect(early.settled).toBe(1);
    const later = await runDunningTick(db, { now: addDays(DUE, 10), creditorId: creditor.id });
    expect(later.queued).toBe(1);
    const state = await db.dunningState.findUniqueOrThrow({ where: { invoiceId: paused.id } });
    expect(state.pauseReason).toBeNull();
    // J+1 executed late on J+10; J+15 stays on its date.
    expect(state.nextActionAt?.toISOString()).toBe(addDays(DUE, 15).toISOString());
  });

  it("never touches another creditor's invoices when scoped", async () => {
    const a = await setup();
    const b = await setup();
    await makeInvoice(a.db, a.ctx, { dueDate: DUE, now: addDays(DUE, -20) });
    const bInvoice = await makeInvoice(b.db, b.ctx, { dueDate: DUE, now: addDays(DUE, -20) });
    await runDunningTick(a.db, { now: addDays(DUE, 1), creditorId: a.creditor.id });
    expect(await b.db.outboxMessage.count({ where: { creditorId: b.creditor.id } })).toBe(0);
    const state = await b.db.dunningState.findUniqueOrThrow({ where: { invoiceId: bInvoice.id } });
    expect(state.level).toBe(-1);
  });

  it("processes large sets in bounded batches", async () => {
    const { db, creditor, ctx } = await setup();
    for (let i = 0; i < 7; i++) await makeInvoice(db, ctx, { dueDate: DUE, now: addDays(DUE, -20) });
    const result = await runDunningTick(db, { now: addDays(DUE, 1), creditorId: creditor.id, batchSize: 3 });
    expect(result.batches).toBe(3);
    expect(result.queued).toBe(7);
  });
});

describe("dunning tick under concurrency", () => {
  it("two ticks running at once never queue the same reminder twice", async () => {
    const { db, creditor, ctx } = await setup();
    const n = 120;
    for (let i = 0; i < n; i++) await makeInvoice(db, ctx, { dueDate: DUE, now: addDays(DUE, -20) });
    const now = addDays(DUE, -8);
    const [a, b] = await Promise.all([
      runDunningTick(db, { now, creditorId: creditor.id, batchSize: 10 }),
      runDunningTick(db, { now, creditorId: creditor.id, batchSize: 10 }),
    ]);
    expect(a.queued + b.queued).toBe(n);
    expect(a.advanced + b.advanced).toBe(n);
    expect(await db.outboxMessage.count({ where: { creditorId: creditor.id } })).toBe(n);
    const levels = await db.dunningState.groupBy({ by: ["level"], where: { creditorId: creditor.id }, _count: true });
    expect(levels).toEqual([{ level: 0, _count: n }]);
  });
});
