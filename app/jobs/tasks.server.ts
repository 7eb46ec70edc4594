import type { Clock } from "~/domain/clock";
import { runQueuedImports } from "~/services/intake/import-jobs.server";
import { runQueuedBankImports } from "~/services/bank/imports.server";
import { syncAllBankConnections } from "~/services/bank/feed.server";
import { runDunningTick } from "~/services/dunning/tick.server";
import { defaultMissedPlans } from "~/services/plans/plans.server";
import { settleDuePromises } from "~/services/dunning/promises.server";
import { processWebhookEvents } from "~/services/webhooks/inbox.server";
import { sendDueWebhooks } from "~/services/webhooks/outbound.server";
import { sendPendingOutbox } from "~/services/messaging/outbox.server";
import { runPrescriptionWatch } from "~/services/legal/prescription.server";
import { recordEcbRateOfSemester } from "~/services/legal/rates.server";
import { fetchMainRefinancingRate } from "~/providers/ecb.server";
import { runSolvencyWatch } from "~/services/solvency/watch.server";
import { processReceivedInboundEmails } from "~/services/inbound/process.server";
import { pollAllMailboxes } from "~/services/inbound/mailbox.server";
import type { Db, PrismaClient } from "~/utils/db.server";
import { logger } from "~/utils/logger.server";

/**
 * Worker task bodies: plain functions over a db and a clock, run by
 * graphile-worker on PostgreSQL and by in-process timers on embedded PGlite.
 */
export async function dunningTickTask(db: Db, clock: Clock) {
  const promises = await settleDuePromises(db, clock.now());
  if (promises.broken + promises.kept > 0) logger.info(promises, "promises to pay settled");
  const plans = await defaultMissedPlans(db, clock.now());
  if (plans.defaulted > 0) logger.info(plans, "plans defaulted");
  const result = await runDunningTick(db, { now: clock.now() });
  if (result.queued > 0) logger.info(result, "dunning tick");
  return result;
}

export async function outboxSendTask(db: Db, clock: Clock) {
  let total = 0;
  // Drain: each call claims a bounded number of groups.
  for (;;) {
    const report = await sendPendingOutbox(db, { clock, limit: 200 });
    total += report.groups;
    if (report.groups > 0) logger.info(report, "outbox sent");
    if (report.groups < 200) break;
  }
  return total;
}

/** Events claimed per pass: one pass holds its events' claims, not the whole backlog. */
export const WEBHOOK_BATCH = 100;

/**
 * Drains the inbox like the outbox sender: bounded passes until one comes back
 * short, yielding to the event loop between passes (the web requests and other
 * jobs of this process get their turn). Failed events are not taken again in
 * the same run: a claim pushes their next attempt out.
 */
export async function webhookProcessTask(db: Db, clock: Clock, opts: { concurrency?: number; batch?: number } = {}) {
  const batch = opts.batch ?? WEBHOOK_BATCH;
  const total = { claimed: 0, processed: 0, passes: 0 };
  for (;;) {
    const result = await processWebhookEvents(db, clock.now(), batch, opts);
    total.claimed += result.claimed;
    total.processed += result.processed;
    total.passes++;
    if (result.claimed < batch) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (total.claimed > 0) logger.info(total, "webhook events processed");
  return total;
}

/** Outbound webhooks to the creditors' own systems (decision 021): bounded passes until one comes back short. */
export async function webhookSendTask(db: Db, clock: Clock) {
  const total = { claimed: 0, succeeded: 0, failed: 0 };
  for (;;) {
    const r = await sendDueWebhooks(db, { now: clock.now(), limit: 50 });
    total.claimed += r.claimed;
    total.succeeded += r.succeeded;
    total.failed += r.failed;
    if (r.claimed < 50) break;
  }
  if (total.claimed > 0) logger.info(total, "outbound webhooks sent");
  return total;
}

/** Debtors' emails received (Resend Inbound, raw MIME, IMAP, dev mailbox): read, routed, understood; retried on error. */
export async function inboundProcessTask(db: Db, clock: Clock) {
  let total = 0;
  for (;;) {
    const report = await processReceivedInboundEmails(db, clock, { limit: 50 });
    const done = report.processed + report.unrouted + report.failed + report.retried;
    total += done;
    if (done > 0) logger.info(report, "inbound emails processed");
    if (done < 50 || report.retried === done) break;
  }
  return total;
}

/** Every minute: unseen messages of the creditors' shared mailboxes (IMAP), received then moved to their processed folder. */
export async function mailboxPollTask(db: Db, clock: Clock) {
  const report = await pollAllMailboxes(db, clock);
  if (report.received > 0) logger.info(report, "mailboxes polled");
  return report;
}

/** CSV imports waiting in ImportJob (QUEUED), oldest first; each batch is its own transaction. */
export async function importProcessTask(db: PrismaClient, clock: Clock) {
  const done = await runQueuedImports(db, { now: () => clock.now() });
  // Large bank statements uploaded in the back office wait in the same queue.
  const statements = await runQueuedBankImports(db, { now: () => clock.now() });
  if (done + statements > 0) logger.info({ jobs: done, statements }, "imports processed");
  return done + statements;
}

/** Daily: booked transactions of every linked bank account (open-banking feed), matched like an uploaded statement. */
export async function bankSyncTask(db: PrismaClient, clock: Clock) {
  return syncAllBankConnections(db, clock.now());
}

/** Daily: prescription warnings (90/30 days) and the hand-off task before a claim is time-barred. */
export async function prescriptionWatchTask(db: PrismaClient, clock: Clock) {
  return runPrescriptionWatch(db, { now: clock.now() });
}

/** Daily: the semester's ECB MRO rate from the ECB Data Portal, when online and not yet known. */
export async function ecbRateTask(db: PrismaClient, clock: Clock, fetchRate = fetchMainRefinancingRate) {
  return recordEcbRateOfSemester(db, { now: clock.now(), fetchRate });
}

/** Daily: company status and collective proceedings of business debtors with open invoices (registry + BODACC, decision 024). */
export async function solvencyWatchTask(db: PrismaClient, clock: Clock) {
  return runSolvencyWatch(db, { now: clock.now(), pauseMs: 150 });
}
