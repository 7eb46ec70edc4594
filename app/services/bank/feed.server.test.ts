import { addDays, isoDay, startOfDayUTC } from "~/domain/clock";
import { startMockServer } from "~/providers/mocks";
import { bankDataStore } from "~/providers/mocks/gocardless-bank-data";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { useTestDatabase } from "../../testing/db";
import { completeBankConnection, startBankConnection, syncBankConnection } from "./feed.server";

const database = useTestDatabase();
const NOW = new Date();
let stop: () => void;
beforeAll(() => {
  stop = startMockServer({ stripe: false, gocardless: false, resend: false, gocardlessBank: true, ecb: false });
});
afterAll(() => stop());

describe("open-banking feed (GoCardless Bank Account Data)", () => {
  it("links an account through the requisition, then a sync applies a transfer carrying the RF reference, and a second sync adds nothing", async () => {
    const db = database.get().prisma;
    const { creditor, policy } = await makeCreditor(db);
    const debtor = await makeDebtor(db, creditor.id);
    const due = startOfDayUTC(addDays(NOW, -20));
    const invoice = await makeInvoice(
      db,
      { creditorId: creditor.id, debtorId: debtor.id, policy },
      { dueDate: due, amount: 240_00, now: addDays(due, -30) },
    );

    const started = await startBankConnection(db, {
      creditorId: creditor.id,
      institutionId: "BNP_PARIBAS_BNPAFRPP",
      callbackUrl: "http://localhost/app/bank/callback",
      locale: "fr",
    });
    const ref = new URL(started!.link).searchParams.get("ref")!;
    const connection = await db.bankConnection.findUniqueOrThrow({ where: { id: ref } });
    const requisition = bankDataStore().requisitions.get(connection.requisitionId)!;
    // The bank links one account on consent (see the mock); give it a booked credit first.
    requisition.status = "LN";
    requisition.accounts = [crypto.randomUUID()];
    bankDataStore().transactions.set(requisition.accounts[0]!, [
      {
        transactionId: "2026112401234567",
        bookingDate: isoDay(addDays(NOW, -1)),
        valueDate: isoDay(addDays(NOW, -1)),
        transactionAmount: { amount: "240.00", currency: "EUR" },
        debtorName: "SARL PETIT",
        debtorAccount: { iban: "FR7630004000031234567890143" },
        remittanceInformationUnstructured: `VIR SEPA ${debtor.transferReference}`,
        bankTransactionCode: "PMNT-RCDT-ESCT",
      },
      {
        transactionId: "2026112401234568",
        bookingDate: isoDay(addDays(NOW, -1)),
        transactionAmount: { amount: "-12.50", currency: "EUR" },
        creditorName: "BNP PARIBAS",
        remittanceInformationUnstructured: "FRAIS TENUE DE COMPTE",
      },
    ]);
    expect(await completeBankConnection(db, { creditorId: creditor.id, reference: ref, now: NOW })).toEqual({ linked: true });
    expect((await db.invoice.findUniqueOrThrow({ where: { id: invoice.id } })).status).toBe("PAID");
    expect(
      (await db.bankTransaction.findMany({ where: { creditorId: creditor.id }, orderBy: { amount: "asc" } })).map((t) => t.status),
    ).toEqual(["IGNORED", "APPLIED"]);
    expect(await syncBankConnection(db, ref, NOW)).toMatchObject({ transactions: 2, new: 0 });
    const other = await makeCreditor(db);
    expect(await completeBankConnection(db, { creditorId: other.creditor.id, reference: ref, now: NOW })).toBeNull();
  });
});
