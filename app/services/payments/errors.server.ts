import type { AmountCheck } from "~/domain/payments/allocation";

/** What the payment use-cases share: their error, the debtor's pay methods, which invoices are still open. */
export type PayMethod = "card" | "sepa_debit" | "gocardless";

export class PaymentError extends Error {
  constructor(
    public readonly code:
      | Exclude<AmountCheck, { ok: true }>["code"]
      | "invoice_unavailable"
      | "currency_mismatch"
      | "payment_pending"
      | "provider_unavailable"
      | "bad_attempt"
      | "received_in_future"
      | "duplicate"
      | "not_found",
    message = code,
  ) {
    super(message);
    this.name = "PaymentError";
  }
}

/** Invoices that can still take a payment. */
export const OPEN_INVOICE_STATUSES = ["OPEN", "PARTIALLY_PAID"] as const;
