/**
 * Payment lifecycle (ARCHITECTURE §3, issue "Payments"):
 *
 *   CREATED → REQUIRES_ACTION → PROCESSING → SUCCEEDED | FAILED | CANCELED
 *   SUCCEEDED → REFUNDED | CHARGED_BACK
 *
 * Forward only. Providers deliver events late, twice, or out of order (a
 * "succeeded" before its "processing"); a step that would move a payment back,
 * or sideways between two outcomes, is absorbed as a no-op instead of an error,
 * so a webhook job never fails for it and the first outcome stands.
 */
export const PAYMENT_STATUSES = [
  "CREATED",
  "REQUIRES_ACTION",
  "PROCESSING",
  "SUCCEEDED",
  "FAILED",
  "CANCELED",
  "REFUNDED",
  "CHARGED_BACK",
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

const RANK: Record<PaymentStatus, number> = {
  CREATED: 0,
  REQUIRES_ACTION: 1,
  PROCESSING: 2,
  SUCCEEDED: 3,
  FAILED: 3,
  CANCELED: 3,
  REFUNDED: 4,
  CHARGED_BACK: 4,
};

export type PaymentTransition =
  | { changed: true; from: PaymentStatus; to: PaymentStatus; effect: PaymentEffect }
  | { changed: false; from: PaymentStatus; reason: "duplicate" | "stale" | "not_allowed" };

/** What the move means for the invoices the payment is allocated to. */
export type PaymentEffect =
  /** Nothing to book yet (the debtor is on the provider's page, or the debit is under way). */
  | "none"
  /** Money is on its way: pause dunning (PAYMENT_PROCESSING). */
  | "pending"
  /** Money received: book the allocations, stop or lower dunning. */
  | "settled"
  /** Never arrived: lift the processing pause (dunning resumes one level up). */
  | "failed"
  /** Booked money taken back: unbook the allocations, reopen the balance. */
  | "reversed";

export function transitionPayment(from: PaymentStatus, to: PaymentStatus): PaymentTransition {
  if (from === to) return { changed: false, from, reason: "duplicate" };
  if (RANK[to] < RANK[from]) return { changed: false, from, reason: "stale" };
  // Reversals exist only for money that arrived.
  if ((to === "REFUNDED" || to === "CHARGED_BACK") && from !== "SUCCEEDED") return { changed: false, from, reason: "not_allowed" };
  // Two outcomes of the same rank (e.g. FAILED after SUCCEEDED): the first one stands.
  if (RANK[to] === RANK[from]) return { changed: false, from, reason: "not_allowed" };
  return { changed: true, from, to, effect: effectOf(from, to) };
}

function effectOf(from: PaymentStatus, to: PaymentStatus): PaymentEffect {
  switch (to) {
    case "PROCESSING":
      return "pending";
    case "SUCCEEDED":
      return "settled";
    case "FAILED":
    case "CANCELED":
      // Only a payment that paused dunning has something to lift.
      return from === "PROCESSING" ? "failed" : "none";
    case "REFUNDED":
    case "CHARGED_BACK":
      return "reversed";
    default:
      return "none";
  }
}
