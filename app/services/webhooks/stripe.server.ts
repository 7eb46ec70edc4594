import { z } from "zod";
import type { PaymentStatus } from "~/domain/payments/state";
import type { Db } from "~/utils/db.server";
import { logger } from "~/utils/logger.server";
import { recordCommunication } from "../messaging/communications.server";
import { applyPaymentStatus } from "../payments/status.server";
import { parseWebhookPayload, type WebhookOutcome } from "./shared.server";

/** A Stripe id, or the expanded object carrying it. */
const StripeRef = z.union([z.string(), z.object({ id: z.string() }).loose()]).nullish();

/** The fields of a Stripe event's object that we read; the rest passes through unchecked. */
const StripeObject = z
  .object({
    id: z.string().optional(),
    metadata: z.record(z.string(), z.string()).nullish(),
    client_reference_id: z.string().nullish(),
    payment_intent: StripeRef,
    payment_status: z.string().nullish(),
    refunded: z.boolean().optional(),
    reason: z.string().nullish(),
    last_payment_error: z.object({ message: z.string().nullish(), code: z.string().nullish() }).loose().nullish(),
  })
  .loose();
const StripeEvent = z.object({ id: z.string(), type: z.string(), data: z.object({ object: StripeObject }).loose() }).loose();
type StripeObject = z.infer<typeof StripeObject>;

const HANDLED = new Set([
  "checkout.session.completed",
  "checkout.session.async_payment_succeeded",
  "checkout.session.async_payment_failed",
  "checkout.session.expired",
  "payment_intent.payment_failed",
  "charge.refunded",
  "charge.dispute.created",
]);

const refId = (ref: StripeObject["payment_intent"]) => (typeof ref === "string" ? ref : (ref?.id ?? null));

/** Our payment named by a Stripe object: its metadata (what we set), else the PaymentIntent we recorded. */
async function stripePayment(tx: Db, object: StripeObject) {
  const id = object.metadata?.payment_id ?? object.client_reference_id;
  if (id) return tx.payment.findUnique({ where: { id }, select: { id: true } });
  const intent = refId(object.payment_intent);
  if (intent) return tx.payment.findUnique({ where: { providerPaymentRef: intent }, select: { id: true } });
  return null;
}

/**
 * Stripe events → payment moves. The state machine is forward-only, so events
 * arriving twice or out of order (a success before its "processing") land right.
 * Only the events we act on are checked: a malformed one fails with the field named.
 */
export async function handleStripeEvent(tx: Db, payload: unknown, now: Date): Promise<WebhookOutcome> {
  const type = (payload as { type?: unknown } | null)?.type;
  if (typeof type !== "string" || !HANDLED.has(type)) return "ignored";
  const event = parseWebhookPayload(StripeEvent, payload);
  const object = event.data.object;
  let to: PaymentStatus;
  let reason: string | null = null;
  switch (event.type) {
    case "checkout.session.completed":
      to = object.payment_status === "paid" || object.payment_status === "no_payment_required" ? "SUCCEEDED" : "PROCESSING";
      break;
    case "checkout.session.async_payment_succeeded":
      to = "SUCCEEDED";
      break;
    case "checkout.session.async_payment_failed":
      to = "FAILED";
      reason = "SEPA debit failed";
      break;
    case "checkout.session.expired":
      to = "CANCELED";
      break;
    case "payment_intent.payment_failed": {
      // Inside Checkout the debtor may try another card: trace the attempt, keep the payment open.
      const payment = await stripePayment(tx, object);
      if (!payment) return "ignored";
      const full = await tx.payment.findUniqueOrThrow({ where: { id: payment.id }, select: { creditorId: true, debtorId: true } });
      const error = object.last_payment_error;
      await recordCommunication(tx, {
        ...full,
        direction: "IN",
        channel: "PAYMENT",
        kind: "payment.attempt_failed",
        actorType: "PROVIDER",
        data: { paymentId: payment.id, code: error?.code ?? null, message: error?.message ?? null },
        occurredAt: now,
      });
      return "processed";
    }
    case "charge.refunded":
      if (object.refunded !== true) return "ignored"; // partial refunds are the creditor's bookkeeping
      to = "REFUNDED";
      break;
    case "charge.dispute.created":
      to = "CHARGED_BACK";
      reason = object.reason ?? "card dispute";
      break;
    default:
      return "ignored";
  }
  const payment = await stripePayment(tx, object);
  if (!payment) {
    logger.info({ type: event.type, eventId: event.id }, "stripe event for no payment of ours");
    return "ignored";
  }
  await applyPaymentStatus(tx, payment.id, to, { now, providerPaymentRef: refId(object.payment_intent), failureReason: reason });
  return "processed";
}
