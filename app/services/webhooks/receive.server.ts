import { wakeJob } from "~/services/wake.server";
import { verifyResendWebhook } from "~/providers/email.server";
import { verifyGoCardlessWebhook } from "~/providers/gocardless.server";
import { verifyStripeWebhook } from "~/providers/stripe.server";
import type { Db } from "~/utils/db.server";
import { logger } from "~/utils/logger.server";
import { storeWebhookEvent } from "./inbox.server";
import { subjectOf } from "./shared.server";

export const WEBHOOK_PROVIDERS = ["stripe", "gocardless", "resend"] as const;
export type WebhookSource = (typeof WEBHOOK_PROVIDERS)[number];
/** Why a delivery was refused: the body of every 4xx answer. */
export type WebhookRefusal =
  { error: "invalid_signature" | "invalid_payload" } | { error: "unsupported_media_type"; expected: "application/json" };
export type WebhookReply = { status: number; body: WebhookRefusal | Record<string, unknown> };
type HeaderGetter = { get(name: string): string | null };

/**
 * The webhook inbox's front door, shared by the Remix routes and the plain
 * Express endpoint (server.ts) that serves them in production: signature
 * checked on the raw body, each event stored once (provider + event id),
 * the worker woken, answered at once. A body that is not JSON (415), a bad
 * signature or a malformed envelope (400) is refused and logged.
 */
export async function receiveWebhook(db: Db, source: WebhookSource, raw: string, headers: HeaderGetter): Promise<WebhookReply> {
  // All three providers post JSON; anything else is refused before the signature is even read.
  if (!isJson(headers.get("content-type"))) return unsupported(source, headers.get("content-type"));
  const reply = await (source === "stripe"
    ? stripe(db, raw, headers)
    : source === "gocardless"
      ? gocardless(db, raw, headers)
      : resend(db, raw, headers));
  if (reply.stored > 0) void wakeJob("webhook_process"); // answered without waiting for the queue
  return reply;
}

async function stripe(db: Db, raw: string, headers: HeaderGetter) {
  const check = verifyStripeWebhook(raw, headers.get("stripe-signature"));
  if (!check.ok) return refused("stripe", check.reason, 400);
  const { event } = check;
  const { duplicate } = await storeWebhookEvent(db, {
    provider: "STRIPE",
    eventId: event.id,
    type: event.type,
    payload: event as never,
    paymentRef: subjectOf("STRIPE", event) || null,
  });
  return { status: 200, body: { received: true, duplicate }, stored: duplicate ? 0 : 1 };
}

async function gocardless(db: Db, raw: string, headers: HeaderGetter) {
  const check = verifyGoCardlessWebhook(raw, headers.get("webhook-signature"));
  // GoCardless expects 498 for an invalid signature.
  if (!check.ok) return refused("gocardless", check.reason, check.reason === "signature" ? 498 : 400);
  let stored = 0;
  for (const event of check.events) {
    const { duplicate } = await storeWebhookEvent(db, {
      provider: "GOCARDLESS",
      eventId: event.id,
      type: `${event.resource_type}.${event.action}`,
      payload: event as never,
      paymentRef: subjectOf("GOCARDLESS", event) || null,
    });
    if (!duplicate) stored++;
  }
  return { status: 200, body: { received: check.events.length, stored }, stored };
}

async function resend(db: Db, raw: string, headers: HeaderGetter) {
  const check = verifyResendWebhook(raw, headers);
  if (!check.ok) return refused("resend", check.reason, 400, { svixId: headers.get("svix-id") });
  const { duplicate } = await storeWebhookEvent(db, {
    provider: "RESEND",
    eventId: check.eventId,
    type: check.event.type,
    payload: check.event as never,
  });
  return { status: 200, body: { received: true, duplicate }, stored: duplicate ? 0 : 1 };
}

function refused(source: WebhookSource, reason: "signature" | "payload", status: number, extra: Record<string, unknown> = {}) {
  logger.warn({ reason, ...extra }, `${source} webhook refused`);
  const body: WebhookRefusal = { error: reason === "signature" ? "invalid_signature" : "invalid_payload" };
  return { status, body, stored: 0 };
}

/** application/json, with or without parameters (charset); also the structured `+json` types. */
function isJson(contentType: string | null): boolean {
  const type = contentType?.split(";")[0]?.trim().toLowerCase() ?? "";
  return type === "application/json" || /^application\/[\w.+-]+\+json$/.test(type);
}

function unsupported(source: WebhookSource, contentType: string | null): WebhookReply {
  logger.warn({ contentType }, `${source} webhook refused: not JSON`);
  const body: WebhookRefusal = { error: "unsupported_media_type", expected: "application/json" };
  return { status: 415, body };
}
