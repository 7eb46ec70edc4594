import { addDays } from "~/domain/clock";
import { useTestDatabase } from "../../testing/db";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { applyInvoiceEvent } from "./invoice-events.server";
import { rescheduleInvoice, rescheduleInvoices } from "./reschedule.server";
import { runDunningTick } from "./tick.server";

const database = useTestDatabase();
const DUE = new Date("2026-03-31T00:00:00Z");
const STAFF = { type: "STAFF" as const, id: "user-1" };

async function setup() {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db);
  const debtor = await makeDebtor(db, creditor.id);
  const ctx = { creditorId: creditor.id, debtorId: debtor.id, policy };
  return { db, creditor, policy, debtor, ctx };
}

const stateOf = (db: ReturnType<typeof database.get>["prisma"], invoiceId: string) =>
  db.dunningState.findUniqueOrThrow({ where: { invoiceId } });
const traces = (db: ReturnType<typeof database.get>["prisma"], invoiceId: string) =>
  db.communication.findMany({ where: { invoiceId, kind: "dunning.rescheduled" } });

describe("rescheduleInvoice", () => {
  it("a due date moved 30 days later moves J-8 with it, and traces the change once", async () => {
    const { db, creditor, ctx } = await setup();
    const now = addDays(DUE, -20);
    const invoice = await makeInvoice(db, ctx, { dueDate: DUE, now });
    await db.invoice.update({ where: { id: invoice.id }, data: { dueDate: addDays(DUE, 30) } });
    const result = await rescheduleInvoice(db, { creditorId: creditor.id, invoiceId: invoice.id, now, actor: STAFF, reason: "due_date" });
    expect(result).toMatchObject({ changed: true, level: -1, nextActionAt: addDays(DUE, 22) });
    expect((await stateOf(db, invoice.id)).nextActionAt).toEqual(addDays(DUE, 22));
    const [trace, ...more] = await traces(db, invoice.id);
    expect(more).toHaveLength(0);
    expect(trace).toMatchObject({ actorType: "STAFF", actorId: "user-1", creditorId: creditor.id });
    expect(trace!.data).toMatchObject({
      reason: "due_date",
      from: { level: -1, nextActionAt: addDays(DUE, -8).toISOString() },
      to: { level: -1, nextActionAt: addDays(DUE, 22).toISOString() },
    });
    // Nothing changed the second time: no trace row.
    expect(
      await rescheduleInvoice(db, { creditorId: creditor.id, invoiceId: invoice.id, now, actor: STAFF, reason: "due_date" }),
    ).toMatchObject({ changed: false });
    expect(await traces(db, invoice.id)).toHaveLength(1);
    // The old J-8 passes quietly; the new one runs.
    expect((await runDunningTick(db, { now: addDays(DUE, -8), creditorId: creditor.id })).queued).toBe(0);
    expect((await runDunningTick(db, { now: addDays(DUE, 22), creditorId: creditor.id })).queued).toBe(1);
  });

  it("a due date moved into the past makes the next level due today, and the tick runs the latest one whose day came", async () => {
    const { db, creditor, ctx } = await setup();
    const invoice = await makeInvoice(db, ctx, { dueDate: DUE, now: addDays(DUE, -20) });
    await runDunningTick(db, { now: addDays(DUE, -3), creditorId: creditor.id }); // J-8 skipped as late: the J-3 call runs
    const now = addDays(DUE, -2);
    await db.invoice.update({ where: { id: invoice.id }, data: { dueDate: addDays(DUE, -22) } }); // now J+20 of the new date
    await rescheduleInvoice(db, { creditorId: creditor.id, invoiceId: invoice.id, now, actor: STAFF, reason: "due_date" });
    expect(await stateOf(db, invoice.id)).toMatchObject({ level: 1, nextActionAt: addDays(DUE, -2) });
    await runDunningTick(db, { now, creditorId: creditor.id });
    const sent = await db.outboxMessage.findMany({ where: { invoiceId: invoice.id }, orderBy: { levelPosition: "asc" } });
    expect(sent.map((m) => m.templateKey)).toEqual(["call_before_due", "call_overdue"]);
  });

  it("keeps a pause holding (it resumes on the new date) and leaves a settled invoice alone", async () => {
    const { db, creditor, ctx } = await setup();
    const now = addDays(DUE, -20);
    const paused = await makeInvoice(db, ctx, { dueDate: DUE, now });
    await applyInvoiceEvent(db, { creditorId: creditor.id, invoiceId: paused.id, event: { type: "DISPUTE_OPENED" }, actor: STAFF, now });
    await db.invoice.update({ where: { id: paused.id }, data: { dueDate: addDays(DUE, 10) } });
    await rescheduleInvoice(db, { creditorId: creditor.id, invoiceId: paused.id, now, actor: STAFF, reason: "due_date" });
    expect(await stateOf(db, paused.id)).toMatchObject({ pauseReason: "DISPUTE", nextActionAt: addDays(DUE, 2) });

    const paid = await makeInvoice(db, ctx, { dueDate: DUE, now });
    await applyInvoiceEvent(db, {
      creditorId: creditor.id,
      invoiceId: paid.id,
      event: { type: "PAYMENT_SUCCEEDED", balanceAfter: 0, amountPaidAfter: paid.amount },
      actor: STAFF,
      now,
    });
    await db.invoice.update({ where: { id: paid.id }, data: { dueDate: addDays(DUE, 10) } });
    expect(
      await rescheduleInvoice(db, { creditorId: creditor.id, invoiceId: paid.id, now, actor: STAFF, reason: "due_date" }),
    ).toMatchObject({ changed: false, nextActionAt: null });
    expect(await traces(db, paid.id)).toHaveLength(0);
  });

  it("moves invoices onto another policy, carrying the level by day", async () => {
    const { db, creditor, ctx } = await setup();
    const short = await db.dunningPolicy.create({
      data: {
        creditorId: creditor.id,
        name: "Court",
        levels: {
          create: [
            { creditorId: creditor.id, position: 0, offsetDays: 0, channel: "EMAIL", templateKey: "first_reminder", tone: "STANDARD" },
            { creditorId: creditor.id, position: 1, offsetDays: 20, channel: "EMAIL", templateKey: "second_reminder", tone: "FIRM" },
          ],
        },
      },
    });
    const invoice = await makeInvoice(db, ctx, { dueDate: DUE, now: addDays(DUE, -20) });
    await runDunningTick(db, { now: addDays(DUE, 1), creditorId: creditor.id }); // J+1 reminder: level 2 of the default calendar
    const [moved] = await rescheduleInvoices(db, {
      creditorId: creditor.id,
      invoiceIds: [invoice.id],
      now: addDays(DUE, 2),
      actor: STAFF,
      reason: "policy",
      policyId: short.id,
    });
    expect(moved).toMatchObject({ changed: true, level: 0, nextActionAt: addDays(DUE, 20) });
    expect(await stateOf(db, invoice.id)).toMatchObject({ policyId: short.id, level: 0 });
    expect((await traces(db, invoice.id))[0]!.data).toMatchObject({ reason: "policy", to: { policyId: short.id, level: 0 } });
  });

  it("never touches another creditor's invoice", async () => {
    const a = await setup();
    const b = await setup();
    const invoice = await makeInvoice(b.db, b.ctx, { dueDate: DUE, now: addDays(DUE, -20) });
    await b.db.invoice.update({ where: { id: invoice.id }, data: { dueDate: addDays(DUE, 30) } });
    expect(
      await rescheduleInvoice(a.db, { creditorId: a.creditor.id, invoiceId: invoice.id, now: DUE, actor: STAFF, reason: "due_date" }),
    ).toBeNull();
    expect((await stateOf(b.db, invoice.id)).nextActionAt).toEqual(addDays(DUE, -8));
  });
});

describe("callers", () => {
  it("assigning a policy moves the debtor's open invoices onto it (level carried by day), not the paid ones", async () => {
    const { db, creditor, policy, debtor, ctx } = await setup();
    const { assignPolicy } = await import("../backoffice/debtors.server");
    const late = await db.dunningPolicy.create({
      data: {
        creditorId: creditor.id,
        name: "Tardif",
        levels: {
          create: [
            { creditorId: creditor.id, position: 0, offsetDays: 10, channel: "EMAIL", templateKey: "first_reminder", tone: "STANDARD" },
          ],
        },
      },
    });
    const now = addDays(DUE, -20);
    const open = await makeInvoice(db, ctx, { dueDate: DUE, now });
    const paid = await makeInvoice(db, ctx, { dueDate: DUE, now });
    await applyInvoiceEvent(db, {
      creditorId: creditor.id,
      invoiceId: paid.id,
      event: { type: "PAYMENT_SUCCEEDED", balanceAfter: 0, amountPaidAfter: paid.amount },
      actor: STAFF,
      now,
    });
    await assignPolicy(db, creditor.id, debtor.id, late.id, { userId: "user-1" }, now);
    expect(await stateOf(db, open.id)).toMatchObject({ policyId: late.id, level: -1, nextActionAt: addDays(DUE, 10) });
    expect((await stateOf(db, paid.id)).policyId).toBe(policy.id);
    // Back to the default: J-8 again.
    await assignPolicy(db, creditor.id, debtor.id, null, { userId: "user-1" }, now);
    expect(await stateOf(db, open.id)).toMatchObject({ policyId: policy.id, nextActionAt: addDays(DUE, -8) });
    expect(await traces(db, open.id)).toHaveLength(2);
  });
});
