import { addDays, fixedClock, startOfDayUTC } from "~/domain/clock";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { useTestDatabase } from "../../testing/db";
import { recordManualPayment } from "./manual.server";

const database = useTestDatabase();
const NOW = new Date();
const DUE = startOfDayUTC(addDays(NOW, -20));
const clock = fixedClock(NOW);

async function debtorWithInvoices(amounts: number[]) {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db, { iban: "FR7630006000011234567890189" });
  const debtor = await makeDebtor(db, creditor.id);
  const invoices = [];
  for (const [n, amount] of amounts.entries()) {
    invoices.push(
      await makeInvoice(
        db,
        { creditorId: creditor.id, debtorId: debtor.id, policy },
        { dueDate: addDays(DUE, n), amount, now: addDays(DUE, -30) },
      ),
    );
  }
  return { db, creditor, debtor, invoices };
}

describe("recording a payment made elsewhere", () => {
  it("a bank transfer recorded by staff pays oldest first and is scoped to the staff's creditor", async () => {
    const { db, creditor, debtor, invoices } = await debtorWithInvoices([100_00, 50_00]);
    const intruder = await makeCreditor(db);
    await expect(
      recordManualPayment(
        db,
        { creditorId: intruder.creditor.id, userId: "x" },
        { debtorId: debtor.id, amount: 100_00, invoiceIds: [invoices[0]!.id], receivedAt: NOW, reference: "VIR-1" },
        clock,
      ),
    ).rejects.toMatchObject({ code: "not_found" });
    await recordManualPayment(
      db,
      { creditorId: creditor.id, userId: "staff-1" },
      { debtorId: debtor.id, amount: 120_00, invoiceIds: [invoices[0]!.id, invoices[1]!.id], receivedAt: NOW, reference: "VIR-2" },
      clock,
    );
    const rows = await db.invoice.findMany({ where: { id: { in: invoices.map((i) => i.id) } }, orderBy: { dueDate: "asc" } });
    expect(rows.map((r) => [r.status, r.amountPaid])).toEqual([
      ["PAID", 100_00],
      ["PARTIALLY_PAID", 20_00],
    ]);
  });

  it("a recorded transfer says where the money went and what is left over; a future date, a second recording and a paid invoice are refused", async () => {
    const { db, creditor, debtor, invoices } = await debtorWithInvoices([100_00, 50_00]);
    const staff = { creditorId: creditor.id, userId: "staff-1" };
    const input = {
      debtorId: debtor.id,
      amount: 180_00,
      invoiceIds: [],
      receivedAt: addDays(NOW, -2),
      reference: "VIR ACME 12",
      note: "relevé du 12",
    };
    await expect(recordManualPayment(db, staff, { ...input, receivedAt: addDays(NOW, 2) }, clock)).rejects.toMatchObject({
      code: "received_in_future",
    });
    await expect(recordManualPayment(db, staff, { ...input, amount: 0 }, clock)).rejects.toMatchObject({ code: "amount_invalid" });

    const result = await recordManualPayment(db, staff, input, clock);
    expect(result).toMatchObject({
      amount: 180_00,
      currency: "EUR",
      unallocated: 30_00,
      allocations: [
        { invoiceId: invoices[0]!.id, amount: 100_00, balanceAfter: 0 },
        { invoiceId: invoices[1]!.id, amount: 50_00, balanceAfter: 0 },
      ],
    });
    const payment = await db.payment.findUniqueOrThrow({ where: { id: result.id } });
    expect(payment.succeededAt).toEqual(input.receivedAt);
    expect(await db.task.count({ where: { creditorId: creditor.id, kind: "REVIEW", sourceKey: `overpayment:${result.id}` } })).toBe(1);
    const trace = await db.communication.findFirstOrThrow({ where: { creditorId: creditor.id, kind: "payment.transfer_recorded" } });
    expect(trace).toMatchObject({ actorType: "STAFF", actorId: "staff-1", bodyText: "relevé du 12" });
    expect(trace.data).toMatchObject({ paymentId: result.id, reference: "VIR ACME 12", unallocated: 30_00 });

    await expect(recordManualPayment(db, staff, input, clock)).rejects.toMatchObject({ code: "duplicate" });
    await expect(
      recordManualPayment(db, staff, { ...input, reference: "VIR ACME 13", invoiceIds: [invoices[0]!.id] }, clock),
    ).rejects.toMatchObject({ code: "invoice_unavailable" });
    expect(await db.payment.count({ where: { creditorId: creditor.id } })).toBe(1);
  });
});
