import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { addDays, fixedClock, startOfDayUTC } from "~/domain/clock";
import { buildSchedule } from "~/domain/installments/plan";
import { paymentReference } from "~/domain/payments/receipt";
import { startMockServer } from "../../providers/mocks/index";
import { readEmails } from "../../providers/mocks/utils";
import { useTestDatabase } from "../../testing/db";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { openDispute } from "../disputes/open.server";
import { applyPaymentStatus } from "../payments/status.server";
import { proposePlan } from "../plans/plans.server";
import { sendPendingOutbox } from "./outbox.server";

/** The debtor's acknowledgements leave through the outbox: queued with the change, emailed by the sender after the commit. */
const database = useTestDatabase();
const NOW = new Date();
const TODAY = startOfDayUTC(NOW);
const clock = fixedClock(NOW);
let stop: () => void;

beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-acks-"));
  stop = startMockServer({ stripe: false, gocardless: false, resend: true });
});
afterAll(() => stop());

async function debtorWithInvoice(locale: "fr" | "en" = "fr") {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db, {
    legalName: "Atelier Test SAS",
    vatNumber: "FR44732829320",
    rcsCity: "Lyon",
    addressLine1: "12 rue des Tanneurs",
    postalCode: "69002",
    contactPhone: "+33 4 72 00 00 00",
    planMaxInstallments: 3,
  });
  const debtor = await makeDebtor(db, creditor.id, { locale });
  const invoice = await makeInvoice(
    db,
    { creditorId: creditor.id, debtorId: debtor.id, policy },
    { dueDate: addDays(TODAY, -10), now: addDays(TODAY, -40), amount: 900_00 },
  );
  const identity = { creditorId: creditor.id, debtorId: debtor.id, sessionId: "s" };
  return { db, creditor, debtor, invoice, identity };
}

describe("acknowledgements through the outbox", () => {
  it("opening a dispute queues its acknowledgement; the sender emails it with what happens next and the creditor's identity", async () => {
    const { db, creditor, debtor, invoice, identity } = await debtorWithInvoice();
    const dispute = await db.$transaction((tx) =>
      openDispute(
        tx,
        identity,
        { invoiceId: invoice.id, reason: "AMOUNT_WRONG", message: "Le montant ne correspond pas.", files: [] },
        NOW,
      ),
    );
    const row = await db.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: `notice:dispute:${dispute.id}:received` } });
    expect(row).toMatchObject({
      creditorId: creditor.id,
      debtorId: debtor.id,
      invoiceId: invoice.id,
      templateKey: "notice:dispute_received",
    });

    await sendPendingOutbox(db, { clock });
    const [email] = readEmails({ to: debtor.email! });
    expect(email!.subject).toBe(`Facture ${invoice.number}\u00a0: votre contestation est enregistrée — Atelier Test SAS`);
    expect(email!.text).toContain("Le montant ne correspond pas.");
    expect(email!.text).toContain(`relances de la facture ${invoice.number} sont suspendues`);
    expect(email!.text).toContain("RCS Lyon · 12 rue des Tanneurs, 69002 Lyon · TVA FR44732829320");
    expect(email!.html).toContain('href="tel:+33472000000"');
    expect(await db.communication.count({ where: { creditorId: creditor.id, kind: "notice.dispute_received" } })).toBe(1);
  });

  it("a proposal left for review queues its acknowledgement with the schedule's dates; one accepted at once does not", async () => {
    const { db, creditor, debtor, invoice, identity } = await debtorWithInvoice("en");
    const firstDate = addDays(TODAY, 10);
    // Six installments where the creditor allows three: it waits for staff.
    const { planId, status } = await proposePlan(
      db,
      identity,
      { invoiceIds: [invoice.id], schedule: buildSchedule({ total: 900_00, count: 6, firstDate }) },
      clock,
    );
    expect(status).toBe("PROPOSED");
    const row = await db.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: `notice:plan:${planId}:proposed` } });
    expect(row.templateKey).toBe("notice:plan_proposed");

    await sendPendingOutbox(db, { clock });
    const [email] = readEmails({ to: debtor.email! });
    expect(email!.subject).toBe("We have received your installment plan proposal — Atelier Test SAS");
    const first = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).format(firstDate);
    expect(email!.text).toContain(`the first installment of €150.00 will be due on ${first}`);

    const other = await debtorWithInvoice();
    const accepted = await proposePlan(
      other.db,
      other.identity,
      { invoiceIds: [other.invoice.id], schedule: buildSchedule({ total: 900_00, count: 3, firstDate }) },
      clock,
    );
    expect(accepted.status).toBe("ACTIVE");
    expect(await db.outboxMessage.count({ where: { creditorId: other.creditor.id, templateKey: "notice:plan_proposed" } })).toBe(0);
    expect(await db.outboxMessage.count({ where: { creditorId: creditor.id, templateKey: "notice:plan_proposed" } })).toBe(1);
  });

  it("the payment receipt gives our reference, not the provider's, the method, and carries the receipt PDF", async () => {
    const { db, debtor, invoice, identity } = await debtorWithInvoice();
    const payment = await db.payment.create({
      data: {
        creditorId: identity.creditorId,
        debtorId: debtor.id,
        provider: "STRIPE",
        method: "card",
        providerRef: `cs_test_${invoice.id}`,
        idempotencyKey: `test:${invoice.id}`,
        status: "PROCESSING",
        amount: 900_00,
        allocations: { create: { creditorId: identity.creditorId, invoiceId: invoice.id, amount: 900_00 } },
      },
    });
    await db.$transaction((tx) => applyPaymentStatus(tx, payment.id, "SUCCEEDED", { now: NOW, providerPaymentRef: "pi_3QxY2Z7a8b9c" }));
    await sendPendingOutbox(db, { clock });
    const [email] = readEmails({ to: debtor.email! });
    const reference = paymentReference(payment.id);
    expect(email!.text).toMatch(new RegExp(`Référence\\s+${reference}`));
    expect(email!.text).not.toContain("pi_3QxY2Z7a8b9c");
    expect(email!.text).toMatch(/Moyen de paiement\s+Carte bancaire/);
    expect(email!.text).toContain("Le reçu de paiement (PDF) est joint à ce message");
    const [attachment] = email!.attachments ?? [];
    expect(attachment!.filename).toBe(`recu-${reference}.pdf`);
    expect(Buffer.from(attachment!.content, "base64").subarray(0, 5).toString()).toBe("%PDF-");
  });
});
