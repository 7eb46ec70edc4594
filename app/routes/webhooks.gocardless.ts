import type { ActionFunctionArgs } from "@remix-run/node";
import { verifyGoCardlessWebhook } from "~/providers/gocardless.server";
import { wakeJob } from "~/jobs/queue.server";
import { storeWebhookEvent } from "~/services/webhooks.server";
import { db } from "~/utils/db.server";
import { logger } from "~/utils/logger.server";

/**
 * GoCardless webhooks: Webhook-Signature (HMAC-SHA256) checked on the raw body;
 * GoCardless expects 498 for an invalid signature. Each event of the batch is
 * stored once (provider + event id) and applied by the worker.
 */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return new Response("Method not allowed", { status: 405 });
  const raw = await request.text();
  const check = verifyGoCardlessWebhook(raw, request.headers.get("webhook-signature"));
  if (!check.ok) {
    logger.warn({ reason: check.reason }, "gocardless webhook refused");
    return Response.json({ error: check.reason === "signature" ? "invalid_signature" : "invalid_payload" }, { status: check.reason === "signature" ? 498 : 400 });
  }
  let stored = 0;
  for (const event of check.events) {
    const ref = event.links.payment ?? event.links.billing_request;
    const owner = ref ? await db.payment.findFirst({ where: { OR: [{ providerPaymentRef: ref }, { providerRef: ref }] }, select: { creditorId: true } }) : null;
    const { duplicate } = await storeWebhookEvent(db, { provider: "GOCARDLESS", eventId: event.id, type: `${event.resource_type}.${event.action}`, payload: event as never, creditorId: owner?.creditorId ?? null });
    if (!duplicate) stored++;
  }
  if (stored > 0) await wakeJob("webhook_process");
  return Response.json({ received: check.events.length, stored });
}
