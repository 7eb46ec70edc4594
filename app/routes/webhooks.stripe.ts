import type { ActionFunctionArgs } from "@remix-run/node";
import { verifyStripeWebhook } from "~/providers/stripe.server";
import { wakeJob } from "~/jobs/queue.server";
import { storeWebhookEvent } from "~/services/webhooks.server";
import { db } from "~/utils/db.server";
import { logger } from "~/utils/logger.server";

/** Stripe events: Stripe-Signature checked on the raw body, stored once, answered at once; the worker applies them. */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return new Response("Method not allowed", { status: 405 });
  const raw = await request.text();
  const check = verifyStripeWebhook(raw, request.headers.get("stripe-signature"));
  if (!check.ok) {
    logger.warn({ reason: check.reason }, "stripe webhook refused");
    return Response.json({ error: check.reason === "signature" ? "invalid_signature" : "invalid_payload" }, { status: 400 });
  }
  const { event } = check;
  const object = (event.data?.object ?? {}) as { metadata?: Record<string, string> | null };
  const paymentId = object.metadata?.payment_id;
  const owner = paymentId ? await db.payment.findUnique({ where: { id: paymentId }, select: { creditorId: true } }) : null;
  const { duplicate } = await storeWebhookEvent(db, { provider: "STRIPE", eventId: event.id, type: event.type, payload: event as never, creditorId: owner?.creditorId ?? null });
  if (!duplicate) await wakeJob("webhook_process");
  return Response.json({ received: true, duplicate });
}
