import { addDays } from "~/domain/clock";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { useTestDatabase } from "../../testing/db";
import { applyInvoiceEvent, DunningEventError } from "./invoice-events.server";
import { runDunningTick } from "./tick.server";
import { settleDuePromises } from "./promises.server";

const database = useTestDatabase();
const DUE = new Date("2026-03-31T00:00:00Z");

async function openInvoice() {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db);
  const debtor = await makeDebtor(db, creditor.id);
  const invoice = await makeInvoice(db, { creditorId: creditor.id, debtorId: debtor.id, policy }, { dueDate: DUE, now: addDays(DUE, -20) });
  return { db, creditor, debtor, invoice };
}

describe("applyInvoiceEvent", () => {
  it("pauses on a dispute, records the transition in the trace, and the tick skips the invoice", async () => {
    const { db, creditor, invoice } = await openInvoice();
    await applyInvoiceEvent(db, { creditorId: creditor.id, invoiceId: invoice.id, event: { type: "DISPUTE_OPENED" }, actor: { type: "DEBTOR", id: invoice.debtorId }, now: addDays(DUE, 2) });
    const state = await db.dunningState.findUniqueOrThrow({ where: { invoiceId: invoice.id } });
    expect(state.pauseReason).toBe("DISPUTE");
    const trace = await db.communication.findFirstOrThrow({ where: { creditorId: creditor.id, kind: "dunning.dispute_opened" } });
    expect(trace).toMatchObject({ actorType: "DEBTOR", direction: "IN", invoiceId: invoice.id });
    expect(trace.data).toMatchObject({ from: { pauseReason: null }, to: { pauseReason: "DISPUTE" } });
    expect((await runDunningTick(db, { now: addDays(DUE, 20), creditorId: creditor.id })).queued).toBe(0);
  });

  it("marks the invoice PAID when a payment covers the balance", async () => {
    const { db, creditor, invoice } = await openInvoice();
    await applyInvoiceEvent(db, { creditorId: creditor.id, invoiceId: invoice.id, event: { type: "PAYMENT_SUCCEEDED", balanceAfter: 0, amountPaidAfter: invoice.amount }, actor: { type: "PROVIDER" }, now: addDays(DUE, 3) });
    expect((await db.invoice.findUniqueOrThrow({ where: { id: invoice.id } })).status).toBe("PAID");
  });

  it("refuses another creditor's invoice as not found", async () => {
    const { db, invoice } = await openInvoice();
    const other = await makeCreditor(db);
    await expect(
      applyInvoiceEvent(db, { creditorId: other.creditor.id, invoiceId: invoice.id, event: { type: "DISPUTE_OPENED" }, actor: { type: "STAFF" }, now: DUE }),
    ).rejects.toMatchObject({ code: "not_found" });
    expect((await db.dunningState.findUniqueOrThrow({ where: { invoiceId: invoice.id } })).pauseReason).toBeNull();
  });

  it("a manual pause needs a reason", async () => {
    const { db, creditor, invoice } = await openInvoice();
    await expect(
      applyInvoiceEvent(db, { creditorId: creditor.id, invoiceId: invoice.id, event: { type: "MANUAL_PAUSE", note: "" }, actor: { type: "STAFF" }, now: DUE }),
    ).rejects.toBeInstanceOf(DunningEventError);
  });
});

describe("promises to pay", () => {
  it("a broken promise makes the next level due now; a kept one does not", async () => {
    const { db, creditor, debtor, invoice } = await openInvoice();
    const promisedAt = addDays(DUE, 10);
    await db.promiseToPay.create({ data: { creditorId: creditor.id, debtorId: debtor.id, invoiceId: invoice.id, promisedAt, amount: invoice.amount } });
    await applyInvoiceEvent(db, { creditorId: creditor.id, invoiceId: invoice.id, event: { type: "PROMISE_MADE", until: addDays(promisedAt, 3) }, actor: { type: "DEBTOR" }, now: addDays(DUE, 2) });

    expect(await settleDuePromises(db, addDays(DUE, 12), { creditorId: creditor.id })).toEqual({ kept: 0, broken: 0 });
    expect(await settleDuePromises(db, addDays(DUE, 14), { creditorId: creditor.id })).toEqual({ kept: 0, broken: 1 });
    expect((await db.promiseToPay.findFirstOrThrow({ where: { invoiceId: invoice.id } })).status).toBe("BROKEN");
    const tick = await runDunningTick(db, { now: addDays(DUE, 14), creditorId: creditor.id });
    expect(tick.queued).toBe(1);
    const row = await db.outboxMessage.findFirstOrThrow({ where: { creditorId: creditor.id } });
    expect(row.templateKey).toBe("first_reminder");
  });
});
