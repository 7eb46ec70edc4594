import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { addDays, fixedClock, isoDay, startOfDayUTC, todayIn } from "~/domain/clock";
import { signStripePayload } from "~/providers/stripe.server";
import { action as stripeWebhook } from "~/routes/webhooks.stripe";
import { isPostgresUrl } from "~/utils/db.server";
import { startMockServer } from "../../providers/mocks/index";
import { stripeSandboxAct, stripeSessions } from "../../providers/mocks/stripe";
import { processWebhookEvents } from "../webhooks/inbox.server";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { useTestDatabase } from "../../testing/db";
import { portalInvoicePdf } from "../documents/documents.server";
import { buildPaymentReceipt } from "../documents/receipts.server";
import { recordManualPayment } from "./manual.server";
import { startPayment } from "./start.server";
import { applyPaymentStatus } from "./status.server";

const database = useTestDatabase();
const NOW = new Date();
const TODAY = todayIn("Europe/Paris", NOW);
const clock = fixedClock(NOW);

let stopMocks: () => void;
beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-discount-"));
  stopMocks = startMockServer({ stripe: true, gocardless: false, resend: true });
});
afterAll(() => stopMocks());

async function deliverStripe(event: object) {
  const body = JSON.stringify(event);
  return stripeWebhook({
    request: new Request("http://localhost/webhooks/stripe", {
      method: "POST",
      body,
      headers: { "stripe-signature": signStripePayload(body, new Date()), "content-type": "application/json" },
    }),
    params: {},
    context: {},
  });
}

async function pdfText(bytes: Uint8Array): Promise<string> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ("str" in item ? item.str : "")).join(" "));
  }
  await pdf.destroy();
  return pages.join("\n").replace(/\s+/g, " ");
}

/** A creditor offering 2 % within 8 days of issue, and one 1 234,56 € invoice issued `issuedDaysAgo` days ago (due 30 days after issue). */
async function setup(issuedDaysAgo: number) {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db, { earlyDiscountRateBps: 200, earlyDiscountDays: 8 });
  const debtor = await makeDebtor(db, creditor.id, { name: "Atelier Rivière" });
  const due = startOfDayUTC(addDays(TODAY, 30 - issuedDaysAgo));
  const invoice = await makeInvoice(
    db,
    { creditorId: creditor.id, debtorId: debtor.id, policy },
    { dueDate: due, amount: 1_234_56, now: addDays(due, -30), number: "F-2026-0501" },
  );
  return { db, creditor, debtor, invoice, staff: { creditorId: creditor.id, userId: "staff-1" } };
}

describe("early-payment discount through the payment door", () => {
  it("freezes the creditor's offer on the invoice when it is issued; a later change of setting leaves it alone", async () => {
    const { db, creditor, invoice } = await setup(4);
    expect(isoDay(invoice.discountUntil!)).toBe(isoDay(addDays(invoice.issueDate, 8)));
    expect(invoice.discountRateBps).toBe(200);
    await db.creditor.update({ where: { id: creditor.id }, data: { earlyDiscountRateBps: 500 } });
    expect((await db.invoice.findUniqueOrThrow({ where: { id: invoice.id } })).discountRateBps).toBe(200);
  });

  it("a transfer of 1 209,87 € on day 5 settles 1 234,56 € in full: a 24,69 € credit, PAID, in the trace and on the receipt", async () => {
    const { db, creditor, debtor, invoice, staff } = await setup(4);
    const result = await recordManualPayment(
      db,
      staff,
      { debtorId: debtor.id, amount: 1_209_87, invoiceIds: [invoice.id], receivedAt: NOW, reference: "VIR ESCOMPTE" },
      clock,
    );
    expect(result).toMatchObject({ unallocated: 0, allocations: [{ invoiceId: invoice.id, amount: 1_209_87, balanceAfter: 0 }] });
    const row = await db.invoice.findUniqueOrThrow({ where: { id: invoice.id } });
    expect(row).toMatchObject({
      status: "PAID",
      amountPaid: 1_209_87,
      amountCredited: 24_69,
      discountAmount: 24_69,
      discountPaymentId: result.id,
    });
    const trace = await db.communication.findMany({ where: { creditorId: creditor.id, kind: "payment.discount_applied" } });
    expect(trace).toHaveLength(1);
    expect(trace[0]).toMatchObject({ invoiceId: invoice.id, channel: "PAYMENT" });
    expect(trace[0]!.data).toMatchObject({ paymentId: result.id, discount: 24_69, rateBps: 200, balanceBefore: 1_234_56 });
    // The invoice door moved it: dunning stopped.
    expect((await db.dunningState.findUniqueOrThrow({ where: { invoiceId: invoice.id } })).stoppedAt).not.toBeNull();

    const receipt = await buildPaymentReceipt(db, { creditorId: creditor.id, debtorId: debtor.id }, result.id, "fr");
    const text = await pdfText(receipt!.pdf);
    expect(text).toContain("Escompte pour paiement anticipé");
    expect(text).toContain("Facture F-2026-0501 : escompte de 2 %");
    expect(text).toMatch(/24,69\s€/);
    expect(text).toMatch(/1\s209,87\s€/);
  });

  it("a card payment from the portal in the window: the server charges 1 209,87 € (never the form's figure), the webhook settles in full", async () => {
    const { db, creditor, debtor, invoice } = await setup(4);
    const identity = { creditorId: creditor.id, debtorId: debtor.id, sessionId: "test" };
    // The full amount typed into the form is more than what is owed with the discount: refused.
    await expect(
      startPayment(db, identity, { invoiceIds: [invoice.id], amount: 1_234_56, method: "card", attempt: crypto.randomUUID() }, clock),
    ).rejects.toMatchObject({ code: "amount_too_high" });
    const started = await startPayment(
      db,
      identity,
      { invoiceIds: [invoice.id], amount: null, method: "card", attempt: crypto.randomUUID() },
      clock,
    );
    const session = [...stripeSessions().values()].find((s) => s.metadata.payment_id === started.paymentId)!;
    expect(session.amount_total).toBe(1_209_87);
    const { events } = stripeSandboxAct(started.url.split("/").at(-1)!, "pay");
    expect((await deliverStripe(events[0]!)).status).toBe(200);
    await processWebhookEvents(db, new Date());
    expect(await db.invoice.findUniqueOrThrow({ where: { id: invoice.id } })).toMatchObject({
      status: "PAID",
      amountPaid: 1_209_87,
      amountCredited: 24_69,
      discountPaymentId: started.paymentId,
    });
    expect(await db.communication.count({ where: { creditorId: creditor.id, kind: "payment.discount_applied" } })).toBe(1);
  });

  it("the invoice copy states the L441-9 escompte terms, or that there are none", async () => {
    const { db, creditor, debtor, invoice } = await setup(4);
    const until = new Intl.DateTimeFormat("fr-FR", { timeZone: "UTC" }).format(invoice.discountUntil!);
    const copy = await portalInvoicePdf(
      db,
      { creditorId: creditor.id, debtorId: debtor.id, sessionId: "t" } as never,
      invoice.id,
      NOW,
      "fr",
    );
    expect(await pdfText(copy!.pdf)).toContain(`Escompte pour paiement anticipé : 2 % si règlement au plus tard le ${until}.`);
    const plain = await setup(4);
    await plain.db.invoice.update({ where: { id: plain.invoice.id }, data: { discountRateBps: null, discountUntil: null } });
    const none = await portalInvoicePdf(
      plain.db,
      { creditorId: plain.creditor.id, debtorId: plain.debtor.id, sessionId: "t" } as never,
      plain.invoice.id,
      NOW,
      "fr",
    );
    expect(await pdfText(none!.pdf)).toContain("Pas d'escompte pour paiement anticipé.");
  });

  it("the discounted amount paid after the window is an ordinary part payment: PARTIALLY_PAID, no discount", async () => {
    const { db, creditor, debtor, invoice, staff } = await setup(12);
    await recordManualPayment(
      db,
      staff,
      { debtorId: debtor.id, amount: 1_209_87, invoiceIds: [invoice.id], receivedAt: NOW, reference: "VIR TARDIF" },
      clock,
    );
    const row = await db.invoice.findUniqueOrThrow({ where: { id: invoice.id } });
    expect(row).toMatchObject({ status: "PARTIALLY_PAID", amountPaid: 1_209_87, amountCredited: 0, discountAmount: null });
    expect(await db.communication.count({ where: { creditorId: creditor.id, kind: "payment.discount_applied" } })).toBe(0);
  });

  it("a transfer dated inside the window but recorded later still earns it; one cent short does not", async () => {
    const { db, debtor, invoice, staff } = await setup(12);
    // Received on day 7 (issued 12 days ago), recorded today.
    await recordManualPayment(
      db,
      staff,
      { debtorId: debtor.id, amount: 1_209_86, invoiceIds: [invoice.id], receivedAt: addDays(NOW, -5), reference: "VIR COURT" },
      clock,
    );
    expect(await db.invoice.findUniqueOrThrow({ where: { id: invoice.id } })).toMatchObject({
      status: "PARTIALLY_PAID",
      amountCredited: 0,
    });
    const other = await setup(12);
    await recordManualPayment(
      other.db,
      other.staff,
      { debtorId: other.debtor.id, amount: 1_209_87, invoiceIds: [other.invoice.id], receivedAt: addDays(NOW, -5), reference: "VIR J7" },
      clock,
    );
    expect(await other.db.invoice.findUniqueOrThrow({ where: { id: other.invoice.id } })).toMatchObject({
      status: "PAID",
      amountCredited: 24_69,
    });
  });
});

describe.skipIf(!isPostgresUrl(process.env.DATABASE_URL))("the discount under concurrent payments (PostgreSQL)", () => {
  it("two discounted payments landing at once book the discount once; the second is an overpayment", async () => {
    const { db, creditor, debtor, invoice, staff } = await setup(4);
    const pay = (reference: string) =>
      recordManualPayment(db, staff, { debtorId: debtor.id, amount: 1_209_87, invoiceIds: [], receivedAt: NOW, reference }, clock);
    const results = await Promise.allSettled([pay("VIR A"), pay("VIR B"), pay("VIR C")]);
    expect(results.map((r) => (r.status === "rejected" ? String(r.reason) : r.status))).toEqual(["fulfilled", "fulfilled", "fulfilled"]);
    const row = await db.invoice.findUniqueOrThrow({ where: { id: invoice.id } });
    expect(row).toMatchObject({ status: "PAID", amountPaid: 1_209_87, amountCredited: 24_69 });
    expect(await db.communication.count({ where: { creditorId: creditor.id, kind: "payment.discount_applied" } })).toBe(1);
    expect(await db.task.count({ where: { creditorId: creditor.id, kind: "REVIEW", sourceKey: { startsWith: "overpayment:" } } })).toBe(2);
  });

  it("two card payments started in the window and notified at once (webhooks in parallel) book the discount once", async () => {
    const { db, creditor, debtor, invoice } = await setup(4);
    const payments = [];
    for (const n of [1, 2]) {
      payments.push(
        await db.payment.create({
          data: {
            creditorId: creditor.id,
            debtorId: debtor.id,
            provider: "STRIPE",
            method: "card",
            amount: 1_209_87,
            currency: "EUR",
            idempotencyKey: `race-${invoice.id}-${n}`,
            status: "PROCESSING",
            allocations: { create: [{ creditorId: creditor.id, invoiceId: invoice.id, amount: 1_209_87 }] },
          },
        }),
      );
    }
    await Promise.all(
      payments.map((p) => db.$transaction((tx) => applyPaymentStatus(tx, p.id, "SUCCEEDED", { now: NOW }), { timeout: 30_000 })),
    );
    const row = await db.invoice.findUniqueOrThrow({ where: { id: invoice.id } });
    expect(row).toMatchObject({ status: "PAID", amountPaid: 1_209_87, amountCredited: 24_69, discountAmount: 24_69 });
    expect(payments.map((p) => p.id)).toContain(row.discountPaymentId);
    expect(await db.communication.count({ where: { creditorId: creditor.id, kind: "payment.discount_applied" } })).toBe(1);
  });
});
