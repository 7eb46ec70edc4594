import { addDays, startOfDayUTC } from "~/domain/clock";
import type { DunningEvent } from "~/domain/dunning";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { useTestDatabase } from "../../testing/db";
import { applyInvoiceEvent } from "../dunning/invoice-events.server";

const database = useTestDatabase();
const NOW = new Date("2026-04-02T10:00:00Z");

async function withCallTask() {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db);
  const debtor = await makeDebtor(db, creditor.id);
  const invoice = await makeInvoice(
    db,
    { creditorId: creditor.id, debtorId: debtor.id, policy },
    { dueDate: addDays(startOfDayUTC(NOW), -20), now: NOW },
  );
  const other = await makeInvoice(
    db,
    { creditorId: creditor.id, debtorId: debtor.id, policy },
    { dueDate: addDays(startOfDayUTC(NOW), -20), now: NOW },
  );
  const task = (invoiceId: string, kind: "CALL" | "LETTER") =>
    db.task.create({
      data: { creditorId: creditor.id, debtorId: debtor.id, invoiceId, kind, title: `Appeler le client (${kind})`, dueAt: NOW },
    });
  const call = await task(invoice.id, "CALL");
  const letter = await task(invoice.id, "LETTER");
  const otherCall = await task(other.id, "CALL");
  const apply = (event: DunningEvent) =>
    db.$transaction((tx) =>
      applyInvoiceEvent(tx, { creditorId: creditor.id, invoiceId: invoice.id, event, actor: { type: "SYSTEM" }, now: NOW }),
    );
  const status = async (id: string) => (await db.task.findUniqueOrThrow({ where: { id } })).status;
  const closedTrace = () => db.communication.findMany({ where: { creditorId: creditor.id, kind: "task.closed" } });
  return { db, call, letter, otherCall, apply, status, closedTrace };
}

describe("a call task closes itself when its question is settled", () => {
  it.each<[string, DunningEvent]>([
    ["the debtor pays", { type: "PAYMENT_SUCCEEDED", balanceAfter: 0, amountPaidAfter: 100_00 }],
    ["the debtor opens a dispute", { type: "DISPUTE_OPENED" }],
    ["a payment plan starts", { type: "PLAN_ACTIVATED" }],
  ])("when %s: the invoice's open call is closed, with the reason in the trace", async (_, event) => {
    const { call, letter, otherCall, apply, status, closedTrace } = await withCallTask();
    await apply(event);
    expect(await status(call.id)).toBe("CANCELLED");
    // Only call tasks of this invoice: the letter and the other invoice's call stay open.
    expect(await status(letter.id)).toBe("OPEN");
    expect(await status(otherCall.id)).toBe("OPEN");
    const trace = await closedTrace();
    expect(trace).toHaveLength(1);
    expect(trace[0]).toMatchObject({
      invoiceId: call.invoiceId,
      subject: call.title,
      actorType: "SYSTEM",
      data: { taskId: call.id, event: event.type },
    });
  });

  it("a failed payment or a manual pause leaves the call open, and a task closed once is traced once", async () => {
    const { db, call, apply, status, closedTrace } = await withCallTask();
    await apply({ type: "PAYMENT_FAILED", balanceAfter: 100_00, amountPaidAfter: 0 });
    await apply({ type: "MANUAL_PAUSE", note: "Client en congés" });
    expect(await status(call.id)).toBe("OPEN");
    await apply({ type: "DISPUTE_OPENED" });
    await apply({ type: "DISPUTE_OPENED" });
    expect(await status(call.id)).toBe("CANCELLED");
    expect(await closedTrace()).toHaveLength(1);
    expect((await db.task.findUniqueOrThrow({ where: { id: call.id } })).completedAt).toEqual(NOW);
  });
});
