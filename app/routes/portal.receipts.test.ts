import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { addDays, startOfDayUTC } from "~/domain/clock";
import { paymentReference } from "~/domain/payments/receipt";
import { openPortalSession } from "~/utils/portal-session.server";
import { makeCreditor, makeDebtor, makeInvoice } from "../testing/factories";
import { useTestDatabase } from "../testing/db";
import { loader as invoicePdf } from "./portal.invoices.$invoiceId.pdf";
import { loader as receiptPdf } from "./portal.payments.$paymentId.receipt[.pdf]";

/** The portal's PDFs through a real session cookie: the receipt of one's own payment, the invoice named after its number. */
const database = useTestDatabase();
const TODAY = startOfDayUTC(new Date());

beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-portal-pdfs-"));
});

async function debtorWithPayment(status: "SUCCEEDED" | "PROCESSING" = "SUCCEEDED") {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db);
  const debtor = await makeDebtor(db, creditor.id);
  const invoice = await makeInvoice(
    db,
    { creditorId: creditor.id, debtorId: debtor.id, policy },
    { dueDate: addDays(TODAY, -10), now: addDays(TODAY, -40), amount: 640_00, number: `F-2026-${debtor.id.slice(-6)}` },
  );
  const payment = await db.payment.create({
    data: {
      creditorId: creditor.id,
      debtorId: debtor.id,
      provider: "STRIPE",
      method: "card",
      idempotencyKey: `test:${invoice.id}`,
      providerPaymentRef: `pi_${invoice.id}`,
      status,
      succeededAt: status === "SUCCEEDED" ? TODAY : null,
      amount: 640_00,
      allocations: { create: { creditorId: creditor.id, invoiceId: invoice.id, amount: 640_00 } },
    },
  });
  const cookie = (
    await openPortalSession({ creditorId: creditor.id, debtorId: debtor.id, accessLinkId: "test" }, new Request("http://localhost/p/x"))
  ).split(";")[0]!;
  return { db, creditor, debtor, invoice, payment, cookie };
}

const get = (url: string, cookie: string) => new Request(`http://localhost${url}`, { headers: { Cookie: cookie } });
const status = async (run: () => Promise<Response>) => {
  try {
    return (await run()).status;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
};

describe("portal receipt PDF", () => {
  it("the debtor downloads the receipt of its own succeeded payment, named after our reference", async () => {
    const { payment, cookie } = await debtorWithPayment();
    const response = await receiptPdf({
      request: get(`/portal/payments/${payment.id}/receipt.pdf`, cookie),
      params: { paymentId: payment.id },
      context: {},
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    expect(response.headers.get("Content-Disposition")).toContain(`filename="recu-${paymentReference(payment.id)}.pdf"`);
    expect(
      Buffer.from(await response.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");
  });

  it("another debtor's payment, and a payment not yet succeeded, are not found", async () => {
    const mine = await debtorWithPayment();
    const theirs = await debtorWithPayment();
    const pending = await debtorWithPayment("PROCESSING");
    const ask = (paymentId: string, cookie: string) => () =>
      receiptPdf({ request: get(`/portal/payments/${paymentId}/receipt.pdf`, cookie), params: { paymentId }, context: {} });
    expect(await status(ask(theirs.payment.id, mine.cookie))).toBe(404);
    expect(await status(ask(pending.payment.id, pending.cookie))).toBe(404);
    expect(await status(ask(mine.payment.id, mine.cookie))).toBe(200);
  });
});

describe("portal invoice PDF", () => {
  it("is named after the invoice number", async () => {
    const { invoice, cookie } = await debtorWithPayment();
    const response = await invoicePdf({
      request: get(`/portal/invoices/${invoice.id}/pdf`, cookie),
      params: { invoiceId: invoice.id },
      context: {},
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Disposition")).toBe(
      `inline; filename="facture-${invoice.number}.pdf"; filename*=UTF-8''facture-${invoice.number}.pdf`,
    );
  });

  it("is the creditor's original when one was loaded, never a file outside the creditor's folder", async () => {
    const { db, creditor, invoice, cookie } = await debtorWithPayment();
    const original = Buffer.from("%PDF-1.7\n% the creditor's own invoice\n");
    fs.mkdirSync(path.join(process.env.DATA_DIR!, "invoices", creditor.id), { recursive: true });
    fs.writeFileSync(path.join(process.env.DATA_DIR!, "invoices", creditor.id, "F-original.pdf"), original);
    await db.invoice.update({ where: { id: invoice.id }, data: { pdfPath: `${creditor.id}/F-original.pdf` } });
    const fetchPdf = async () =>
      Buffer.from(
        await (
          await invoicePdf({ request: get(`/portal/invoices/${invoice.id}/pdf`, cookie), params: { invoiceId: invoice.id }, context: {} })
        ).arrayBuffer(),
      );
    expect((await fetchPdf()).equals(original)).toBe(true);

    // A path leaving the creditor's folder is never served.
    await db.invoice.update({ where: { id: invoice.id }, data: { pdfPath: `../${creditor.id}-other/F.pdf` } });
    const copy = await fetchPdf();
    expect(copy.equals(original)).toBe(false);
    expect(copy.subarray(0, 5).toString()).toBe("%PDF-");
  });
});
