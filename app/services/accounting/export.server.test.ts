import { FEC_COLUMNS } from "~/domain/accounting/export";
import { makeCreditor, makeDebtor, makeInvoice } from "~/testing/factories";
import { useTestDatabase } from "~/testing/db";
import type { Db } from "~/utils/db.server";
import { exportPayments, parseRange } from "./export.server";

const database = useTestDatabase();

async function pay(
  db: Db,
  creditorId: string,
  debtorId: string,
  amount: number,
  at: string,
  allocations: { invoiceId: string; amount: number }[],
) {
  const payment = await db.payment.create({
    data: {
      creditorId,
      debtorId,
      provider: "TRANSFER",
      method: "transfer",
      idempotencyKey: crypto.randomUUID(),
      status: "SUCCEEDED",
      amount,
      succeededAt: new Date(at),
    },
  });
  for (const a of allocations) await db.paymentAllocation.create({ data: { creditorId, paymentId: payment.id, ...a } });
  return payment;
}

const cents = (s: string) => (s ? Math.round(Number(s.replace(",", ".")) * 100) : 0);

describe("accounting export", () => {
  it("FEC: the 18 columns, a bank journal (512 debit, 411 credit on the debtor's auxiliary account, lettered per invoice) that balances; CSV per allocation; only this creditor and this period", async () => {
    const db = database.get().prisma;
    const { creditor, policy } = await makeCreditor(db);
    const debtor = await makeDebtor(db, creditor.id, { name: "Boulangerie Martin" });
    const now = new Date("2026-03-01T00:00:00Z");
    const inv = (number: string, amount: number) =>
      makeInvoice(db, { creditorId: creditor.id, debtorId: debtor.id, policy }, { dueDate: now, now, amount, number });
    const a = await inv("F-100", 300_00);
    const b = await inv("F-101", 200_00);
    await db.invoice.update({
      where: { id: a.id },
      data: { status: "PAID", amountPaid: 300_00, paidAt: new Date("2026-03-10T09:00:00Z") },
    });
    // One transfer settles F-100 and part of F-101, with 10 € over (a customer credit, unlettered).
    await pay(db, creditor.id, debtor.id, 410_00, "2026-03-10T09:00:00Z", [
      { invoiceId: a.id, amount: 300_00 },
      { invoiceId: b.id, amount: 100_00 },
    ]);
    // Outside the period (in Paris time 1 April 00:30 is April): not exported.
    await pay(db, creditor.id, debtor.id, 50_00, "2026-03-31T22:30:00Z", [{ invoiceId: b.id, amount: 50_00 }]);
    // Another creditor's payment in the period: never exported.
    const other = await makeCreditor(db);
    const stranger = await makeDebtor(db, other.creditor.id, { name: "Autre client" });
    await pay(db, other.creditor.id, stranger.id, 999_00, "2026-03-15T09:00:00Z", []);

    const range = parseRange(new URLSearchParams({ from: "2026-03-01", to: "2026-03-31" }))!;
    const fec = await exportPayments(db, creditor.id, range, "fec");
    const [header, ...lines] = fec.replace(/\r\n$/, "").split("\r\n");
    expect(header!.split("\t")).toEqual([...FEC_COLUMNS]);
    expect(FEC_COLUMNS).toHaveLength(18);
    const rows = lines.map((l) => Object.fromEntries(l.split("\t").map((v, i) => [FEC_COLUMNS[i], v])) as Record<string, string>);
    expect(rows.every((r) => Object.keys(r).length === 18)).toBe(true);
    expect(rows.map((r) => [r.CompteNum, r.CompAuxNum, r.PieceRef, r.Debit, r.Credit, r.EcritureLet, r.DateLet])).toEqual([
      ["512000", "", expect.any(String), "410,00", "0,00", "", ""],
      ["411000", debtor.externalRef, "F-100", "0,00", "300,00", "F-100", "20260310"],
      ["411000", debtor.externalRef, "F-101", "0,00", "100,00", "F-101", ""],
      ["411000", debtor.externalRef, expect.any(String), "0,00", "10,00", "", ""],
    ]);
    expect(new Set(rows.map((r) => r.EcritureNum))).toEqual(new Set(["RL000001"]));
    expect(rows.every((r) => r.JournalCode === "BQ" && r.EcritureDate === "20260310" && r.ValidDate === "20260310")).toBe(true);
    expect(rows.filter((r) => r.CompteNum === "411000").every((r) => r.CompAuxLib === "Boulangerie Martin")).toBe(true);
    const sum = (k: "Debit" | "Credit") => rows.reduce((s, r) => s + cents(r[k]!), 0);
    expect(sum("Debit")).toBe(410_00);
    expect(sum("Credit")).toBe(sum("Debit"));
    expect(fec).not.toContain("999,00");

    const csv = await exportPayments(db, creditor.id, range, "csv");
    const csvLines = csv
      .replace(/^\uFEFF/, "")
      .trimEnd()
      .split("\r\n");
    expect(csvLines[0]).toBe(
      "payment_date;payment_reference;provider;method;debtor_ref;debtor_name;payment_amount;currency;invoice_number;allocated_amount;invoice_status;lettrage",
    );
    expect(csvLines.slice(1).map((l) => l.split(";").slice(8))).toEqual([
      ["F-100", "300,00", "PAID", "F-100"],
      ["F-101", "100,00", "OPEN", "F-101"],
      ["", "10,00", "", ""],
    ]);
    // April holds the late-evening payment of 31 March UTC.
    const april = await exportPayments(db, creditor.id, parseRange(new URLSearchParams({ from: "2026-04-01", to: "2026-04-30" }))!, "csv");
    expect(april).toContain("2026-04-01;");
    expect(parseRange(new URLSearchParams({ from: "2026-03-31", to: "2026-03-01" }))).toBeNull();
    expect(parseRange(new URLSearchParams({ from: "2026-02-30", to: "2026-03-01" }))).toBeNull();
  });
});
