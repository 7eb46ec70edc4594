import crypto from "node:crypto";
import { Webhook } from "standardwebhooks";
import { renderStaffEmail } from "../../../emails/index";
import {
  checkEndpointUrl,
  eventTypesForTrace,
  MAX_ATTEMPTS,
  OUTBOUND_EVENT_TYPES,
  retryDelayMs,
  truncate,
  type OutboundEventType,
} from "~/domain/webhooks/outbound";
import type { Prisma } from "~/generated/prisma/client";
import { sendEmail } from "~/providers/email.server";
import { wakeJob } from "~/services/wake.server";
import type { Db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";

export { OUTBOUND_EVENT_TYPES, checkEndpointUrl, type OutboundEventType };

/**
 * Outbound webhooks (decision 021): the creditor's own systems receive
 * relance's events, signed per the Standard Webhooks specification
 * (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<HMAC-SHA256>`).
 * An event is written as one delivery row per subscribed endpoint inside the
 * transaction of the change, so nothing is sent for a change that rolled back;
 * the worker sends after commit and retries 30 s, 2 min, 10 min, 1 h, 6 h.
 */
export type OutboundEvent = { creditorId: string; type: OutboundEventType; data: Record<string, unknown>; occurredAt?: Date };

const newEventId = () => `msg_${crypto.randomBytes(16).toString("base64url")}`;
export const newEndpointSecret = () => `whsec_${crypto.randomBytes(24).toString("base64")}`;

/**
 * Queues one delivery per enabled endpoint of the creditor subscribed to the
 * event, inside the caller's transaction (pass `tx`): nothing is sent unless
 * the change commits. Returns the number of deliveries queued.
 */
export async function emitOutboundEvent(db: Db, event: OutboundEvent): Promise<number> {
  const endpoints = await db.webhookEndpoint.findMany({
    where: { creditorId: event.creditorId, enabled: true, events: { has: event.type } },
    select: { id: true },
  });
  if (endpoints.length === 0) return 0;
  const eventId = newEventId();
  const occurredAt = event.occurredAt ?? new Date();
  const payload = { type: event.type, timestamp: occurredAt.toISOString(), data: event.data } as Prisma.InputJsonValue;
  await db.webhookDelivery.createMany({
    data: endpoints.map((e) => ({
      endpointId: e.id,
      creditorId: event.creditorId,
      eventType: event.type,
      eventId,
      payload,
      nextAttemptAt: occurredAt,
    })),
  });
  wakeSoon();
  return endpoints.length;
}

/**
 * The caller's transaction commits after this returns: wake the sender a
 * moment later (a wake-up during the transaction would find nothing). The
 * scheduled pass picks up anything this misses.
 */
function wakeSoon() {
  setTimeout(() => void wakeJob("webhook_send"), 300).unref();
}

type TraceRow = {
  creditorId: string;
  debtorId: string;
  invoiceId?: string | null;
  kind: string;
  data?: unknown;
  occurredAt: Date;
  id?: string;
};

/** Called by recordCommunication: the trace entries that are outbound events (eventTypesForTrace) are emitted. */
export async function emitForTrace(db: Db, row: TraceRow) {
  const types = eventTypesForTrace(row.kind, row.data);
  if (types.length === 0) return;
  const subscribed = await db.webhookEndpoint.count({
    where: { creditorId: row.creditorId, enabled: true, events: { hasSome: types } },
  });
  if (subscribed === 0) return;
  const [debtor, invoice] = await Promise.all([
    db.debtor.findFirst({ where: { id: row.debtorId, creditorId: row.creditorId }, select: { externalRef: true, name: true } }),
    row.invoiceId
      ? db.invoice.findFirst({
          where: { id: row.invoiceId, creditorId: row.creditorId },
          select: { number: true, amount: true, amountPaid: true, amountCredited: true, currency: true, status: true },
        })
      : null,
  ]);
  for (const type of types) {
    await emitOutboundEvent(db, {
      creditorId: row.creditorId,
      type,
      occurredAt: row.occurredAt,
      data: {
        debtorExternalRef: debtor?.externalRef ?? null,
        debtorName: debtor?.name ?? null,
        invoiceNumber: invoice?.number ?? null,
        ...(invoice
          ? {
              invoice: {
                number: invoice.number,
                amount: invoice.amount,
                amountPaid: invoice.amountPaid,
                balance: invoice.amount - invoice.amountPaid - invoice.amountCredited,
                currency: invoice.currency,
                status: invoice.status,
              },
            }
          : {}),
        trace: { id: row.id ?? null, kind: row.kind, data: row.data ?? null },
      },
    });
  }
}

// ---------------------------------------------------------------- sending

/** Claims due deliveries (SKIP LOCKED, with a 2-minute lease against a crashed sender) of enabled endpoints. */
const CLAIM_SQL = `
UPDATE "WebhookDelivery" d
SET attempts = d.attempts + 1, "lockedUntil" = ($1::timestamptz AT TIME ZONE 'UTC') + interval '2 minutes'
FROM (
  SELECT w.id FROM "WebhookDelivery" w
  JOIN "WebhookEndpoint" e ON e.id = w."endpointId" AND e.enabled
  WHERE w.status IN ('PENDING', 'FAILED')
    AND w."nextAttemptAt" <= ($1::timestamptz AT TIME ZONE 'UTC')
    AND (w."lockedUntil" IS NULL OR w."lockedUntil" < ($1::timestamptz AT TIME ZONE 'UTC'))
  ORDER BY w."nextAttemptAt", w.id
  LIMIT $2
  FOR UPDATE OF w SKIP LOCKED
) due
WHERE d.id = due.id
RETURNING d.id, d."endpointId", d."creditorId", d."eventId", d."eventType", d.payload, d.attempts`;

type Claimed = {
  id: string;
  endpointId: string;
  creditorId: string;
  eventId: string;
  eventType: string;
  payload: unknown;
  attempts: number;
};

export type SendOptions = {
  now: Date;
  limit?: number;
  /** The HTTP client (tests); global fetch by default. */
  fetch?: typeof fetch;
  timeoutMs?: number;
};

/** One pass of the sender. Returns how many were claimed, delivered and failed. */
export async function sendDueWebhooks(db: Db, opts: SendOptions) {
  const claimed = await db.$queryRawUnsafe<Claimed[]>(CLAIM_SQL, opts.now.toISOString(), opts.limit ?? 50);
  const report = { claimed: claimed.length, succeeded: 0, failed: 0 };
  for (const delivery of claimed) {
    const ok = await deliver(db, delivery, opts);
    if (ok) report.succeeded++;
    else report.failed++;
  }
  return report;
}

async function deliver(db: Db, d: Claimed, opts: SendOptions): Promise<boolean> {
  const endpoint = await db.webhookEndpoint.findUniqueOrThrow({ where: { id: d.endpointId } });
  const body = JSON.stringify(d.payload);
  // The signature's timestamp is the wall clock of the send: receivers reject stale ones (5 minutes).
  const sentAt = new Date();
  const signature = new Webhook(endpoint.secret).sign(d.eventId, sentAt, body);
  let status: number | null = null;
  let responseBody: string | null = null;
  let error: string | null = null;
  try {
    const res = await (opts.fetch ?? fetch)(endpoint.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "relance-webhooks/1",
        "webhook-id": d.eventId,
        "webhook-timestamp": String(Math.floor(sentAt.getTime() / 1000)),
        "webhook-signature": signature,
      },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
    });
    status = res.status;
    responseBody = truncate(await res.text().catch(() => ""));
    if (status < 200 || status >= 300) error = `HTTP ${status}`;
  } catch (e) {
    error = (e as Error).name === "TimeoutError" ? "timeout" : truncate((e as Error).message || String(e), 500);
  }
  if (error === null) {
    await db.webhookDelivery.update({
      where: { id: d.id },
      data: { status: "SUCCEEDED", responseStatus: status, responseBody, lastError: null, deliveredAt: opts.now, lockedUntil: null },
    });
    await db.webhookEndpoint.update({ where: { id: endpoint.id }, data: { failureCount: 0 } });
    return true;
  }
  const delay = retryDelayMs(d.attempts);
  const gaveUp = delay === null || d.attempts >= MAX_ATTEMPTS;
  await db.webhookDelivery.update({
    where: { id: d.id },
    data: {
      status: gaveUp ? "GAVE_UP" : "FAILED",
      responseStatus: status,
      responseBody,
      lastError: error,
      lockedUntil: null,
      ...(gaveUp ? {} : { nextAttemptAt: new Date(opts.now.getTime() + delay) }),
    },
  });
  const updated = await db.webhookEndpoint.update({
    where: { id: endpoint.id },
    data: { failureCount: { increment: 1 } },
    select: { failureCount: true },
  });
  // Disabled when a delivery used its whole schedule (~7 h) and nothing succeeded meanwhile.
  if (gaveUp && updated.failureCount >= MAX_ATTEMPTS && endpoint.enabled) {
    const disabled = await db.webhookEndpoint.updateMany({
      where: { id: endpoint.id, enabled: true },
      data: { enabled: false, disabledAt: opts.now },
    });
    if (disabled.count === 1) await notifyOwners(db, endpoint.creditorId, endpoint.url, updated.failureCount, error, opts.now);
  }
  return false;
}

async function notifyOwners(db: Db, creditorId: string, url: string, failures: number, lastError: string, now: Date) {
  const creditor = await db.creditor.findUniqueOrThrow({
    where: { id: creditorId },
    select: {
      legalName: true,
      brandName: true,
      users: { where: { role: "OWNER" }, select: { id: true, email: true, name: true, locale: true } },
    },
  });
  for (const owner of creditor.users) {
    try {
      const rendered = await renderStaffEmail("webhook_disabled", {
        locale: owner.locale,
        name: owner.name,
        creditorName: creditor.brandName ?? creditor.legalName,
        endpointUrl: url,
        failures,
        lastError,
        actionUrl: `${getEnv().APP_URL}/app/webhooks`,
      });
      const sent = await sendEmail({
        to: owner.email,
        ...rendered,
        idempotencyKey: `webhook-disabled:${owner.id}:${url}:${now.getTime()}`,
        tags: { kind: "webhook_disabled" },
      });
      if (!sent.ok) logger.warn({ creditorId, message: sent.message }, "webhook disabled email failed");
    } catch (error) {
      logger.warn({ err: error, creditorId }, "webhook disabled email failed");
    }
  }
}

// ---------------------------------------------------------------- management (OWNER)

export type EndpointInput = { url: string; description?: string | null; events: OutboundEventType[] };

export async function createEndpoint(db: Db, creditorId: string, input: EndpointInput) {
  return db.webhookEndpoint.create({
    data: {
      creditorId,
      url: input.url.trim(),
      description: input.description?.trim() || null,
      events: [...new Set(input.events)],
      secret: newEndpointSecret(),
    },
  });
}

export async function updateEndpointEvents(db: Db, creditorId: string, endpointId: string, events: OutboundEventType[]) {
  const r = await db.webhookEndpoint.updateMany({ where: { id: endpointId, creditorId }, data: { events: [...new Set(events)] } });
  return r.count === 1;
}

/** Enabling again starts a new failure count; the deliveries still due go out at the next pass. */
export async function setEndpointEnabled(db: Db, creditorId: string, endpointId: string, enabled: boolean, now: Date) {
  const r = await db.webhookEndpoint.updateMany({
    where: { id: endpointId, creditorId },
    data: enabled ? { enabled: true, disabledAt: null, failureCount: 0 } : { enabled: false, disabledAt: now },
  });
  if (enabled && r.count === 1) wakeSoon();
  return r.count === 1;
}

export async function deleteEndpoint(db: Db, creditorId: string, endpointId: string) {
  const r = await db.webhookEndpoint.deleteMany({ where: { id: endpointId, creditorId } });
  return r.count === 1;
}

/** Sends a delivery again now (same webhook-id: a receiver that already has it can ignore it), with a fresh schedule. */
export async function replayDelivery(db: Db, creditorId: string, deliveryId: string, now: Date) {
  const r = await db.webhookDelivery.updateMany({
    where: { id: deliveryId, creditorId },
    data: { status: "PENDING", attempts: 0, nextAttemptAt: now, lockedUntil: null },
  });
  if (r.count === 1) wakeSoon();
  return r.count === 1;
}

export async function listEndpoints(db: Db, creditorId: string) {
  return db.webhookEndpoint.findMany({ where: { creditorId }, orderBy: { createdAt: "asc" } });
}

export async function endpointDeliveries(db: Db, creditorId: string, endpointId: string, take = 50) {
  return db.webhookDelivery.findMany({
    where: { creditorId, endpointId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
  });
}
