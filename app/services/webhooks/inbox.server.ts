import type { Prisma } from "~/generated/prisma/client";
import { wakeJob } from "~/services/wake.server";
import type { Db } from "~/utils/db.server";
import { logger } from "~/utils/logger.server";
import { recordAudit } from "../accounts/audit.server";
import { handleGoCardlessEvent } from "./gocardless.server";
import { handleResendEvent } from "./resend.server";
import { MalformedWebhookError, subjectOf, type WebhookHandler, type WebhookProvider as Provider } from "./shared.server";
import { handleStripeEvent } from "./stripe.server";
import { handleTwilioEvent } from "./twilio.server";

/**
 * The webhook inbox (verify → store → answer fast → process later). Storing is
 * idempotent on (provider, event id): a redelivered event is a no-op.
 */
export async function storeWebhookEvent(
  db: Db,
  input: {
    provider: Provider;
    eventId: string;
    type: string;
    payload: Prisma.InputJsonValue;
    creditorId?: string | null;
    /** What the event is about (subjectOf): when it names one of our payments, that payment's creditor owns the event. */
    paymentRef?: string | null;
  },
): Promise<{ duplicate: boolean }> {
  // One statement: the owning creditor is looked up inside the INSERT (webhooks come in bursts).
  const rows = await db.$queryRawUnsafe<{ id: string }[]>(
    `INSERT INTO "WebhookEvent" (id, provider, "eventId", type, payload, "creditorId", status, attempts, "nextAttemptAt", "receivedAt")
     VALUES (gen_random_uuid()::text, $1::"WebhookProvider", $2, $3, $4::jsonb,
             COALESCE($5, (SELECT p."creditorId" FROM "Payment" p WHERE $6::text IS NOT NULL AND (p.id = $6 OR p."providerPaymentRef" = $6 OR p."providerRef" = $6) LIMIT 1)),
             'RECEIVED', 0, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')
     ON CONFLICT (provider, "eventId") DO NOTHING RETURNING id`,
    input.provider,
    input.eventId,
    input.type,
    JSON.stringify(input.payload),
    input.creditorId ?? null,
    input.paymentRef ?? null,
  );
  return { duplicate: rows.length === 0 };
}

const HANDLERS: Partial<Record<Provider, WebhookHandler>> = {
  RESEND: handleResendEvent,
  STRIPE: handleStripeEvent,
  GOCARDLESS: handleGoCardlessEvent,
  TWILIO: handleTwilioEvent,
};

const MAX_ATTEMPTS = 8;

/**
 * Staff ask for a failed event to be applied again now (after fixing what made
 * it fail: a missing invoice, a provider outage). Scoped to the staff's
 * creditor; gives it one more attempt even when its retries were used up;
 * recorded in the audit trail. False when there is no such failed event.
 */
export async function retryFailedWebhook(
  db: Db,
  creditorId: string,
  webhookEventId: string,
  actorUserId: string,
  now: Date,
): Promise<boolean> {
  const event = await db.webhookEvent.findFirst({
    where: { id: webhookEventId, creditorId, status: "FAILED" },
    select: { id: true, attempts: true, type: true },
  });
  if (!event) return false;
  const reopened = await db.webhookEvent.updateMany({
    where: { id: event.id, creditorId, status: "FAILED" },
    data: { nextAttemptAt: now, attempts: Math.min(event.attempts, MAX_ATTEMPTS - 1) },
  });
  // Applied meanwhile by the worker's own retry: nothing left to do.
  if (reopened.count === 0) return false;
  await recordAudit(db, {
    creditorId,
    actorUserId,
    action: "webhook.retried",
    targetType: "WebhookEvent",
    targetId: event.id,
    meta: { type: event.type, attempts: event.attempts },
    at: now,
  });
  void wakeJob("webhook_process");
  return true;
}

function laneOf(subject: string, lanes: number): number {
  let hash = 0;
  for (let i = 0; i < subject.length; i++) hash = (hash * 31 + subject.charCodeAt(i)) >>> 0;
  return hash % lanes;
}

/**
 * Processes stored events, oldest first; failures retry with backoff, then stay
 * FAILED for staff. `concurrency` > 1 applies several events at once (PostgreSQL:
 * each in its own transaction), in lanes by subject so that two events about
 * one payment are never applied at the same time; across processes the payment
 * and debtor row locks and unique keys keep them apart. PGlite has one connection: keep 1.
 */
export async function processWebhookEvents(db: Db, now: Date, limit = 100, opts: { concurrency?: number } = {}) {
  const claimed = await db.$queryRawUnsafe<{ id: string; provider: Provider; payload: unknown; attempts: number }[]>(
    `UPDATE "WebhookEvent" w SET attempts = w.attempts + 1, "nextAttemptAt" = ($1::timestamptz AT TIME ZONE 'UTC') + interval '5 minutes'
     FROM (SELECT id FROM "WebhookEvent" WHERE status IN ('RECEIVED', 'FAILED') AND attempts < $3 AND "nextAttemptAt" <= ($1::timestamptz AT TIME ZONE 'UTC')
           ORDER BY "receivedAt" LIMIT $2 FOR UPDATE SKIP LOCKED) due
     WHERE w.id = due.id RETURNING w.id, w.provider, w.payload, w.attempts, w."receivedAt"`,
    now.toISOString(),
    limit,
    MAX_ATTEMPTS,
  );
  // RETURNING does not keep the subquery's order.
  const queue = [...(claimed as ((typeof claimed)[number] & { receivedAt: Date })[])].sort((a, b) => +a.receivedAt - +b.receivedAt);
  let processed = 0;
  const apply = async (event: (typeof queue)[number]) => {
    const handler = HANDLERS[event.provider];
    try {
      const outcome = handler ? await db.$transaction((tx) => handler(tx, event.payload, now)) : "ignored";
      await db.webhookEvent.update({
        where: { id: event.id },
        data: { status: outcome === "processed" ? "PROCESSED" : "IGNORED", processedAt: now, lastError: null },
      });
      processed++;
    } catch (error) {
      logger.error({ err: error, webhookEventId: event.id }, "webhook processing failed");
      const backoffMinutes = 2 ** Math.min(event.attempts, 10);
      // A malformed payload stays malformed: no automatic retries (staff can still ask for one).
      const malformed = error instanceof MalformedWebhookError;
      await db.webhookEvent.update({
        where: { id: event.id },
        data: {
          status: "FAILED",
          lastError: (error as Error).message.slice(0, 2000),
          nextAttemptAt: new Date(now.getTime() + backoffMinutes * 60_000),
          ...(malformed ? { attempts: MAX_ATTEMPTS } : {}),
        },
      });
    }
  };
  // Events about the same thing (one payment, one billing request, one email) share a lane and
  // keep their arrival order; different things are applied side by side.
  const laneCount = Math.max(1, Math.min(opts.concurrency ?? 1, queue.length));
  const lanes: (typeof queue)[] = Array.from({ length: laneCount }, () => []);
  for (const event of queue) lanes[laneOf(subjectOf(event.provider, event.payload), laneCount)]!.push(event);
  await Promise.all(
    lanes.map(async (lane) => {
      for (const event of lane) await apply(event);
    }),
  );
  // Receipts and failure notices were queued by the payments' transactions: send them now, not at the next pass.
  if (processed > 0) void wakeJob("outbox_send");
  return { claimed: claimed.length, processed };
}
