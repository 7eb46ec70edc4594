import { invoiceBalance } from "~/domain/money";
import { paymentMethodKind, paymentReference } from "~/domain/payments/receipt";
import type { Locale } from "~/i18n";
import { buildReceiptDocument } from "~/pdf/receipt";
import type { Db } from "~/utils/db.server";
import { discountsOfPayment } from "../payments/discount.server";
import { loadParties } from "./documents.server";

/** "recu-PAY-7K3M-Q9XA.pdf": the file is named after our reference. */
export function receiptFileName(reference: string) {
  return `recu-${reference}.pdf`;
}

/**
 * The receipt PDF of one succeeded payment of this debtor, rebuilt from live
 * data like the statement; null for a payment that is not this debtor's, or
 * not (yet) succeeded — no receipt for money that has not arrived.
 */
export async function buildPaymentReceipt(db: Db, owner: { creditorId: string; debtorId: string }, paymentId: string, locale: Locale) {
  const payment = await db.payment.findFirst({
    where: { id: paymentId, creditorId: owner.creditorId, debtorId: owner.debtorId, status: "SUCCEEDED" },
    select: {
      id: true,
      provider: true,
      method: true,
      amount: true,
      currency: true,
      succeededAt: true,
      createdAt: true,
      allocations: {
        where: { creditorId: owner.creditorId },
        orderBy: { invoice: { dueDate: "asc" } },
        select: { amount: true, invoice: { select: { number: true, amount: true, amountPaid: true, amountCredited: true } } },
      },
    },
  });
  if (!payment) return null;
  const { creditor, debtor } = await loadParties(db, owner.creditorId, owner.debtorId);
  const reference = paymentReference(payment.id);
  const discounts = await discountsOfPayment(db, owner.creditorId, payment.id);
  const pdf = await buildReceiptDocument(
    {
      reference,
      paidAt: payment.succeededAt ?? payment.createdAt,
      creditor,
      debtor,
      amount: payment.amount,
      currency: payment.currency,
      method: paymentMethodKind(payment.provider, payment.method),
      invoices: payment.allocations.map((a) => ({ number: a.invoice.number, amount: a.amount, balanceAfter: invoiceBalance(a.invoice) })),
      discounts: discounts.map((d) => ({ number: d.number, amount: d.discountAmount ?? 0, rateBps: d.discountRateBps ?? 0 })),
    },
    locale,
  );
  return { pdf, reference };
}
