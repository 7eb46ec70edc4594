import type { ActionFunctionArgs } from "@remix-run/node";
import { verifyResendWebhook } from "~/providers/email.server";
import { wakeJob } from "~/jobs/queue.server";
import { storeWebhookEvent } from "~/services/webhooks.server";
import { db } from "~/utils/db.server";
import { logger } from "~/utils/logger.server";

/** Resend delivery events: verified on the raw body, stored, processed by the worker. */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return new Response("Method not allowed", { status: 405 });
  const raw = await request.text();
  const check = verifyResendWebhook(raw, request.headers);
  if (!check.ok) {
    logger.warn({ reason: check.reason, svixId: request.headers.get("svix-id") }, "resend webhook refused");
    return Response.json({ error: check.reason === "signature" ? "invalid_signature" : "invalid_payload" }, { status: 400 });
  }
  const { duplicate } = await storeWebhookEvent(db, {
    provider: "RESEND",
    eventId: check.eventId,
    type: check.event.type,
    payload: check.event as never,
  });
  if (!duplicate) await wakeJob("webhook_process");
  return Response.json({ received: true, duplicate });
}
