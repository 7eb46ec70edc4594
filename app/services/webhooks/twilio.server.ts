import { isStopKeyword } from "~/domain/sms";
import { signSmsWebhook, verifySmsWebhook } from "~/providers/sms.server";
import { wakeJob } from "~/services/wake.server";
import type { Db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";
import { recordCommunication } from "../messaging/communications.server";
import { storeWebhookEvent } from "./inbox.server";
import type { WebhookOutcome } from "./shared.server";

/**
 * Twilio's webhooks for SMS (decision 026): delivery reports (StatusCallback, named per message with
 * `?c=<trace row id>`) and replies to our number (a STOP). Twilio posts form fields and signs the full
 * URL plus the sorted fields (X-Twilio-Signature); the event is stored once in the webhook inbox and
 * applied by the worker like every provider's.
 */
type Delivery = "QUEUED" | "SENT" | "DELIVERED" | "FAILED";

const STATUS: Record<string, Delivery> = {
  accepted: "QUEUED",
  scheduled: "QUEUED",
  queued: "QUEUED",
  sending: "QUEUED",
  sent: "SENT",
  delivered: "DELIVERED",
  read: "DELIVERED",
  undelivered: "FAILED",
  failed: "FAILED",
  canceled: "FAILED",
};
/** Forward only: a late "sent" never hides "delivered", nor a late "delivered" a failure. */
const RANK: Record<string, number> = { QUEUED: 0, SENT: 1, DELIVERED: 2, FAILED: 3, BOUNCED: 3, COMPLAINED: 4 };
const below = (status: Delivery) => Object.keys(RANK).filter((s) => RANK[s]! < RANK[status]!) as Delivery[];

export type TwilioPayload = {
  id: string;
  event: "status" | "inbound";
  communicationId: string | null;
  status: string | null;
  errorCode: string | null;
  from: string | null;
  to: string | null;
  body: string | null;
};

export type SmsWebhookReply = { status: number; body: string; contentType: string };

/** The URL Twilio called, as configured there: our public address (APP_URL) with the request's path and query. */
export function publicUrlOf(requestUrl: string): string {
  const url = new URL(requestUrl);
  return `${getEnv().APP_URL}${url.pathname}${url.search}`;
}

export async function receiveSmsWebhook(
  db: Db,
  input: { url: string; raw: string; contentType: string | null; signature: string | null },
): Promise<SmsWebhookReply> {
  if (!(input.contentType ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded"))
    return { status: 415, body: "unsupported_media_type", contentType: "text/plain" };
  const params = Object.fromEntries(new URLSearchParams(input.raw));
  if (!verifySmsWebhook(input.url, params, input.signature)) {
    logger.warn({ url: input.url }, "twilio webhook refused: bad signature");
    return { status: 403, body: "invalid_signature", contentType: "text/plain" };
  }
  const sid = params.MessageSid ?? params.SmsSid;
  if (!sid) return { status: 400, body: "invalid_payload", contentType: "text/plain" };
  const communicationId = new URL(input.url).searchParams.get("c");
  const payload: TwilioPayload = {
    id: sid,
    event: params.MessageStatus ? "status" : "inbound",
    communicationId,
    status: params.MessageStatus ?? null,
    errorCode: params.ErrorCode ?? null,
    from: params.From ?? null,
    to: params.To ?? null,
    body: params.MessageStatus ? null : (params.Body ?? "").slice(0, 1600),
  };
  const creditorId = await creditorOf(db, payload);
  const { duplicate } = await storeWebhookEvent(db, {
    provider: "TWILIO",
    eventId: `${sid}:${payload.status ?? "inbound"}`,
    type: payload.event === "status" ? `message.${payload.status}` : "message.inbound",
    payload,
    creditorId,
  });
  if (!duplicate) void wakeJob("webhook_process");
  // An empty TwiML answer: Twilio sends no automatic reply of its own.
  return { status: 200, body: '<?xml version="1.0" encoding="UTF-8"?><Response></Response>', contentType: "text/xml" };
}

/** The creditor that sent the SMS this event is about (the last one sent to that number, for a reply). */
async function creditorOf(db: Db, p: TwilioPayload): Promise<string | null> {
  const row = await smsOf(db, p);
  return row?.creditorId ?? null;
}

async function smsOf(db: Db, p: TwilioPayload) {
  if (p.event === "status") {
    if (p.communicationId) {
      const byId = await db.communication.findFirst({ where: { id: p.communicationId, channel: "SMS" } });
      if (byId) return byId;
    }
    return db.communication.findFirst({ where: { providerMessageId: p.id, channel: "SMS" } });
  }
  if (!p.from) return null;
  return db.communication.findFirst({ where: { channel: "SMS", kind: "dunning.sms", recipient: p.from }, orderBy: { occurredAt: "desc" } });
}

/** The worker's side: the delivery status into the trace row, or the debtor's STOP. */
export async function handleTwilioEvent(db: Db, payload: unknown, now: Date): Promise<WebhookOutcome> {
  const p = payload as TwilioPayload;
  const sms = await smsOf(db, p);
  if (!sms) return "ignored";
  if (p.event === "inbound") {
    if (!p.body || !isStopKeyword(p.body)) return "ignored";
    const stopped = await db.debtor.updateMany({
      where: { id: sms.debtorId, creditorId: sms.creditorId, smsOptOutAt: null },
      data: { smsOptOutAt: now },
    });
    if (stopped.count === 0) return "ignored";
    await recordCommunication(db, {
      creditorId: sms.creditorId,
      debtorId: sms.debtorId,
      direction: "IN",
      channel: "SMS",
      kind: "sms.opted_out",
      bodyText: p.body,
      recipient: p.to,
      providerMessageId: p.id,
      actorType: "DEBTOR",
      actorId: sms.debtorId,
      occurredAt: now,
    });
    return "processed";
  }
  const status = STATUS[p.status ?? ""];
  if (!status) return "ignored";
  // A crash between Twilio's answer and our write left the row without its message id: the callback names it.
  if (!sms.providerMessageId && !(await db.communication.findUnique({ where: { providerMessageId: p.id }, select: { id: true } })))
    await db.communication.updateMany({ where: { id: sms.id, providerMessageId: null }, data: { providerMessageId: p.id } });
  // Conditional: of two reports applied at once, only a step forward lands.
  const moved = await db.communication.updateMany({
    where: { id: sms.id, creditorId: sms.creditorId, deliveryStatus: { in: below(status) } },
    data: { deliveryStatus: status },
  });
  if (moved.count === 0) return "ignored";
  if (status === "FAILED") {
    if (p.errorCode === "21610")
      await db.debtor.updateMany({
        where: { id: sms.debtorId, creditorId: sms.creditorId, smsOptOutAt: null },
        data: { smsOptOutAt: now },
      });
    const debtor = await db.debtor.findFirstOrThrow({ where: { id: sms.debtorId, creditorId: sms.creditorId }, select: { name: true } });
    const sourceKey = `sms-undelivered:${sms.id}`;
    if (!(await db.task.findUnique({ where: { sourceKey }, select: { id: true } }))) {
      const title = `SMS non distribué — vérifier le mobile de ${debtor.name}`;
      const details = `Le SMS envoyé au ${sms.recipient ?? "?"} n'a pas été distribué (Twilio : ${p.status}${p.errorCode ? `, erreur ${p.errorCode}` : ""}).`;
      await db.task.create({
        data: {
          creditorId: sms.creditorId,
          debtorId: sms.debtorId,
          invoiceId: sms.invoiceId,
          kind: "FIND_CONTACT",
          dueAt: now,
          sourceKey,
          title,
          details,
        },
      });
      await recordCommunication(db, {
        creditorId: sms.creditorId,
        debtorId: sms.debtorId,
        invoiceId: sms.invoiceId,
        direction: "IN",
        channel: "SYSTEM",
        kind: "sms.undelivered",
        subject: title,
        bodyText: details,
        actorType: "PROVIDER",
        occurredAt: now,
      });
    }
  }
  return "processed";
}

/** Posts a signed Twilio event the way Twilio would, straight into receiveSmsWebhook (the dev SMS page). */
export async function simulateSmsWebhook(db: Db, url: string, params: Record<string, string>) {
  const raw = new URLSearchParams(params).toString();
  return receiveSmsWebhook(db, { url, raw, contentType: "application/x-www-form-urlencoded", signature: signSmsWebhook(url, params) });
}
