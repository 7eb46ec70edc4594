import type { ActionFunctionArgs } from "@remix-run/node";
import { addDays, isoDay, startOfDayUTC } from "~/domain/clock";
import { createApiKey } from "~/services/api/keys.server";
import { confirmBankMatch, undoBankMatch } from "~/services/bank/apply.server";
import { bankInbox } from "~/services/bank/inbox.server";
import { camt053 } from "~/services/bank/test-support";
import { makeCreditor, makeDebtor, makeInvoice } from "../testing/factories";
import { useTestDatabase } from "../testing/db";
import { buildOpenApiDocument } from "~/services/api/openapi.server";
import * as route from "./api.v1.bank-statements";

const database = useTestDatabase();
const NOW = new Date();
const YESTERDAY = isoDay(addDays(NOW, -1));
const DUE = startOfDayUTC(addDays(NOW, -20));
let seq = 0;

function post(key: string, body: string, opts: { type?: string; idem?: string; query?: string } = {}) {
  const request = new Request(`http://localhost/api/v1/bank-statements${opts.query ?? ""}`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${key}`,
      "content-type": opts.type ?? "application/xml",
      "idempotency-key": opts.idem ?? `idem-${++seq}`,
    },
    body,
  });
  return route.action({ request, params: {}, context: {} } as ActionFunctionArgs);
}

async function tenant(invoiceAmounts: number[] = [120_00]) {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db);
  const { key } = await createApiKey(db, creditor.id, "ERP");
  const user = await db.user.create({
    data: { creditorId: creditor.id, email: `${creditor.slug}@staff.test`, name: "Claire", role: "AGENT" },
  });
  const debtor = await makeDebtor(db, creditor.id, { name: "Boulangerie Martin" });
  const invoices = [];
  for (const [n, amount] of invoiceAmounts.entries()) {
    invoices.push(
      await makeInvoice(
        db,
        { creditorId: creditor.id, debtorId: debtor.id, policy },
        { dueDate: addDays(DUE, n), amount, now: addDays(DUE, -30) },
      ),
    );
  }
  return { db, creditor, policy, key, debtor, invoices, user };
}

describe("POST /api/v1/bank-statements", () => {
  it("imports a camt.053: counts every entry, applies an exact RF reference (invoice paid, dunning stopped, trace written), ignores the debit; the same file again adds nothing", async () => {
    const { db, creditor, key, debtor, invoices } = await tenant([120_00]);
    const file = camt053(
      [
        {
          ref: "E1",
          amount: 120_00,
          payer: "BOULANGERIE MARTIN",
          iban: "FR7612345000010000000000123",
          rf: debtor.transferReference,
          date: YESTERDAY,
        },
        { ref: "E2", amount: 35_99, credit: false, payer: "ORANGE SA", text: "PRLV ORANGE", date: YESTERDAY },
      ],
      { statementDate: YESTERDAY },
    );
    const res = await post(key, file);
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({ transactions: 2, new: 2, applied: 1, suggested: 0, unmatched: 0, ignored: 1 });
    // The answer is the one the OpenAPI document describes, field for field.
    expect(Object.keys(body).sort()).toEqual(
      Object.keys(buildOpenApiDocument("http://localhost").components.schemas.StatementImported.properties).sort(),
    );
    const invoice = await db.invoice.findUniqueOrThrow({ where: { id: invoices[0]!.id }, include: { dunningState: true } });
    expect(invoice.status).toBe("PAID");
    expect(invoice.dunningState?.stoppedAt).not.toBeNull();
    const payment = await db.payment.findFirstOrThrow({ where: { creditorId: creditor.id } });
    expect(payment).toMatchObject({ provider: "TRANSFER", status: "SUCCEEDED", amount: 120_00 });
    const trace = await db.communication.findFirstOrThrow({ where: { creditorId: creditor.id, kind: "payment.bank_transfer_matched" } });
    expect(trace.bodyText).toBe(`Virement reçu le ${YESTERDAY}, relevé du ${YESTERDAY}`);
    expect(await db.outboxMessage.count({ where: { creditorId: creditor.id, idempotencyKey: `notice:receipt:${payment.id}` } })).toBe(1);
    const rows = await db.bankTransaction.findMany({ where: { creditorId: creditor.id }, orderBy: { amount: "asc" } });
    expect(rows.map((r) => [r.amount, r.status, r.paymentId])).toEqual([
      [-35_99, "IGNORED", null],
      [120_00, "APPLIED", payment.id],
    ]);

    const again = await post(key, file);
    expect(await again.json()).toMatchObject({ transactions: 2, new: 0, applied: 0 });
    const overlapping = await post(
      key,
      camt053([
        { ref: "E2", amount: 35_99, credit: false, date: YESTERDAY },
        { ref: "E3", amount: 5_00, credit: false, text: "FRAIS", date: YESTERDAY },
      ]),
    );
    expect(await overlapping.json()).toMatchObject({ transactions: 2, new: 1, ignored: 1 });
    expect(await db.bankTransaction.count({ where: { creditorId: creditor.id } })).toBe(3);
    expect(await db.payment.count({ where: { creditorId: creditor.id } })).toBe(1);
  });

  it("a lump transfer with the debtor's reference settles two invoices at once", async () => {
    const { db, key, debtor, invoices } = await tenant([120_00, 80_00]);
    const res = await post(
      key,
      camt053([{ ref: "L1", amount: 200_00, payer: "BOULANGERIE MARTIN", rf: debtor.transferReference, date: YESTERDAY }]),
    );
    expect(await res.json()).toMatchObject({ new: 1, applied: 1 });
    const rows = await db.invoice.findMany({ where: { id: { in: invoices.map((i) => i.id) } } });
    expect(rows.map((r) => r.status)).toEqual(["PAID", "PAID"]);
  });

  it("an ambiguous transfer waits in the inbox with its suggestions; confirming applies it and learns the payer, undoing brings the balance back", async () => {
    const { db, creditor, policy, key, invoices, user } = await tenant([150_00]);
    const other = await makeDebtor(db, creditor.id, { name: "Garage Dupont" });
    const otherInvoice = await makeInvoice(
      db,
      { creditorId: creditor.id, debtorId: other.id, policy },
      { dueDate: DUE, amount: 150_00, now: addDays(DUE, -30) },
    );
    const res = await post(
      key,
      camt053([
        {
          ref: "A1",
          amount: 150_00,
          payer: "M ET MME LEROY",
          iban: "FR7699999000010000000000999",
          text: "VIREMENT FACTURE",
          date: YESTERDAY,
        },
      ]),
    );
    expect(await res.json()).toMatchObject({ new: 1, applied: 0, suggested: 1 });

    const inbox = await bankInbox(db, creditor.id);
    expect(inbox).toHaveLength(1);
    const entry = inbox[0]!;
    expect(entry.suggestions.map((s) => s.debtorId).sort()).toEqual([invoices[0]!.debtorId, other.id].sort());

    const pick = entry.suggestions.findIndex((s) => s.debtorId === other.id);
    await db.$transaction((tx) =>
      confirmBankMatch(tx, { creditorId: creditor.id, transactionId: entry.id, userId: user.id, now: NOW, suggestion: pick }),
    );
    expect((await db.invoice.findUniqueOrThrow({ where: { id: otherInvoice.id } })).status).toBe("PAID");
    expect((await db.invoice.findUniqueOrThrow({ where: { id: invoices[0]!.id } })).status).toBe("OPEN");
    const learned = await db.payerIdentity.findMany({ where: { creditorId: creditor.id, debtorId: other.id }, orderBy: { kind: "asc" } });
    expect(learned.map((l) => [l.kind, l.value])).toEqual([
      ["IBAN", "FR7699999000010000000000999"],
      ["NAME", "M ET MME LEROY"],
    ]);
    expect(await bankInbox(db, creditor.id)).toHaveLength(0);

    await db.$transaction((tx) => undoBankMatch(tx, { creditorId: creditor.id, transactionId: entry.id, userId: user.id, now: NOW }));
    const reopened = await db.invoice.findUniqueOrThrow({ where: { id: otherInvoice.id }, include: { dunningState: true } });
    expect([reopened.status, reopened.amountPaid]).toEqual(["OPEN", 0]);
    expect(reopened.dunningState?.stoppedAt).toBeNull();
    expect(await db.auditEvent.count({ where: { creditorId: creditor.id, action: "bank.match_undone" } })).toBe(1);
    expect(
      await db.outboxMessage.count({
        where: { creditorId: creditor.id, templateKey: "notice:payment_failed", status: { not: "CANCELLED" } },
      }),
    ).toBe(0);
    expect((await bankInbox(db, creditor.id)).map((e) => e.id)).toEqual([entry.id]);

    // Learned: the same payer's next transfer goes to that debtor.
    const next = await post(
      key,
      camt053([
        { ref: "A2", amount: 150_00, payer: "M ET MME LEROY", iban: "FR7699999000010000000000999", text: "VIREMENT", date: YESTERDAY },
      ]),
    );
    const nextBody = await next.json();
    const stored = await db.bankTransaction.findFirstOrThrow({ where: { creditorId: creditor.id, key: { contains: "A2" } } });
    expect(nextBody.applied + nextBody.suggested).toBe(1);
    expect((stored.suggestions as { debtorId: string }[])[0]?.debtorId).toBe(other.id);
  });

  it.each([
    ["RvslInd", { reversal: true }],
    ["RRTN", { subFamily: "RRTN" }],
  ] as const)(
    "a transfer returned by the bank (%s) reverses the payment it paid: the invoice is open again and dunning resumes",
    async (_label, marker) => {
      const { db, creditor, key, debtor, invoices } = await tenant([120_00]);
      const IBAN = "FR7612345000010000000000123";
      await post(
        key,
        camt053([{ ref: "P1", amount: 120_00, payer: "BOULANGERIE MARTIN", iban: IBAN, rf: debtor.transferReference, date: YESTERDAY }]),
      );
      const paid = await db.invoice.findUniqueOrThrow({ where: { id: invoices[0]!.id }, include: { dunningState: true } });
      expect([paid.status, paid.dunningState?.stoppedAt]).toEqual(["PAID", expect.any(Date)]);

      const returned = await post(
        key,
        camt053([
          {
            ref: "R1",
            amount: 120_00,
            credit: false,
            payer: "BOULANGERIE MARTIN",
            iban: IBAN,
            text: "RETOUR VIREMENT MOTIF AC04",
            date: isoDay(NOW),
            ...marker,
          },
        ]),
      );
      expect(returned.status).toBe(201);
      const invoice = await db.invoice.findUniqueOrThrow({ where: { id: invoices[0]!.id }, include: { dunningState: true } });
      expect([invoice.status, invoice.amountPaid]).toEqual(["OPEN", 0]);
      expect(invoice.dunningState?.stoppedAt).toBeNull();
      const payment = await db.payment.findFirstOrThrow({ where: { creditorId: creditor.id } });
      expect(payment.status).toBe("CHARGED_BACK");
      const rows = await db.bankTransaction.findMany({ where: { creditorId: creditor.id }, orderBy: { amount: "asc" } });
      expect(rows.map((r) => [r.amount, r.reversal, r.status, r.paymentId])).toEqual([
        [-120_00, true, "APPLIED", payment.id],
        [120_00, false, "APPLIED", payment.id],
      ]);
      // The same return again is not a second reversal.
      await post(
        key,
        camt053([
          {
            ref: "R1",
            amount: 120_00,
            credit: false,
            payer: "BOULANGERIE MARTIN",
            iban: IBAN,
            text: "RETOUR VIREMENT MOTIF AC04",
            date: isoDay(NOW),
            ...marker,
          },
        ]),
      );
      expect(await db.bankTransaction.count({ where: { creditorId: creditor.id } })).toBe(2);
    },
  );

  it("a file that cannot be read is refused with 422 naming the element, and nothing is stored", async () => {
    const { db, creditor, key } = await tenant();
    const broken = camt053([{ ref: "B1", amount: 10_00, date: YESTERDAY }]).replace("<CdtDbtInd>CRDT</CdtDbtInd>", "");
    const res = await post(key, broken);
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.error.code).toBe("statement_unreadable");
    expect(body.error.details.where).toMatch(/Ntry/);
    expect(await db.bankStatementImport.count({ where: { creditorId: creditor.id } })).toBe(0);
    expect(await db.bankTransaction.count({ where: { creditorId: creditor.id } })).toBe(0);
    const csv = await post(key, "date;libelle;montant\n01/03/2026;VIR;10,00\n", { type: "text/csv" });
    expect(csv.status).toBe(422);
    expect((await csv.json()).error.code).toBe("csv_mapping_missing");
  });

  it("replays the answer for the same Idempotency-Key and file, and needs an API key", async () => {
    const { key, debtor } = await tenant();
    const file = camt053([{ ref: "I1", amount: 120_00, rf: debtor.transferReference, date: YESTERDAY }]);
    const first = await post(key, file, { idem: "same-key" });
    const second = await post(key, file, { idem: "same-key" });
    expect(second.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await second.json()).toEqual(await first.json());
    expect((await post(key, file + " ", { idem: "same-key" })).status).toBe(422);
    expect((await post("rl_bad", file)).status).toBe(401);
  });

  it("never suggests another creditor's invoices, and another creditor's transaction is not found", async () => {
    const a = await tenant([99_00]);
    const b = await tenant([99_00]);
    const res = await post(a.key, camt053([{ ref: "X1", amount: 99_00, payer: "INCONNU", text: "PAIEMENT", date: YESTERDAY }]));
    expect(res.status).toBe(201);
    const entry = await a.db.bankTransaction.findFirstOrThrow({ where: { creditorId: a.creditor.id } });
    const suggested = (entry.suggestions as { debtorId: string }[]).map((s) => s.debtorId);
    expect(suggested).not.toContain(b.debtor.id);
    await expect(
      a.db.$transaction((tx) =>
        confirmBankMatch(tx, {
          creditorId: b.creditor.id,
          transactionId: entry.id,
          userId: "staff-b",
          now: NOW,
          parts: [{ debtorId: b.debtor.id, invoices: [{ invoiceId: b.invoices[0]!.id, amount: null }] }],
        }),
      ),
    ).rejects.toMatchObject({ code: "not_found" });
    expect((await a.db.invoice.findUniqueOrThrow({ where: { id: b.invoices[0]!.id } })).status).toBe("OPEN");
  });
});
