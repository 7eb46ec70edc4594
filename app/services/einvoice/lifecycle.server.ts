import { addDays, type Clock } from "~/domain/clock";
import { isLifecycleCode, lifecycleEffect, lifecycleLabel, LIFECYCLE_STATUSES, type LifecycleCode } from "~/domain/einvoice/lifecycle";
import type { Db } from "~/utils/db.server";
import { inTransaction } from "~/utils/db.server";
import { openPlatformDispute } from "../disputes/open.server";
import { applyInvoiceEvent, type Actor } from "../dunning/invoice-events.server";
import { recordCommunication } from "../messaging/communications.server";
import { emitOutboundEvent } from "../webhooks/outbound.server";

/** 212 Encaissée is the seller's to emit (decision 011): relance writes it when a payment settles, never takes it in. */
export const CASHED_CODE = 212 satisfies LifecycleCode;

/** Codes a platform may report to us: every known status but the one we emit. */
export const INBOUND_LIFECYCLE_CODES = (Object.keys(LIFECYCLE_STATUSES).map(Number) as LifecycleCode[]).filter(
  (code) => code !== CASHED_CODE,
);

/** A safety end for "paiement transmis", as for a SEPA debit in flight: a lost confirmation cannot freeze dunning. */
const PAYMENT_SENT_PAUSE_DAYS = 14;

export type LifecycleErrorCode = "unknown_code" | "emitted_by_relance" | "invoice_not_found";

export class LifecycleError extends Error {
  constructor(
    readonly code: LifecycleErrorCode,
    message: string,
    readonly knownCodes: readonly number[] = INBOUND_LIFECYCLE_CODES,
  ) {
    super(message);
    this.name = "LifecycleError";
  }
}

export type ReportedStatus = {
  creditorId: string;
  invoiceNumber: string;
  code: number;
  /** When the platform says the status happened. */
  occurredAt: Date;
  reason?: string | null;
  source: "api" | "backoffice";
  actor: Actor;
  clock: Clock;
};

/**
 * Records a status reported by the creditor's plateforme agréée and applies
 * its effect on dunning through the one door (effects: `lifecycleEffect`,
 * decision 011): 207 / 210 open a dispute with the platform's reason, 208
 * pauses, 211 pauses like a payment in flight, 213 stops the reminders (a
 * manual pause only a person lifts) and asks for the invoice to be reissued;
 * the others are recorded. On a settled invoice the status is recorded only.
 */
export async function recordLifecycleStatus(db: Db, input: ReportedStatus) {
  if (!isLifecycleCode(input.code))
    throw new LifecycleError("unknown_code", `Unknown life-cycle status ${input.code}. Known: ${INBOUND_LIFECYCLE_CODES.join(", ")}.`);
  const code = input.code as LifecycleCode;
  if (code === CASHED_CODE)
    throw new LifecycleError("emitted_by_relance", "212 Encaissée is emitted by relance when a payment settles the invoice.");
  const now = input.clock.now();
  const reason = input.reason?.trim() ? input.reason.trim().slice(0, 2000) : null;
  return inTransaction(db, async (tx) => {
    const invoice = await tx.invoice.findUnique({
      where: { creditorId_number: { creditorId: input.creditorId, number: input.invoiceNumber } },
      select: { id: true, debtorId: true, number: true, status: true },
    });
    if (!invoice) throw new LifecycleError("invoice_not_found", `No invoice numbered ${input.invoiceNumber}.`);
    const label = lifecycleLabel(code, "fr");
    const event = await tx.invoiceLifecycleEvent.create({
      data: {
        creditorId: input.creditorId,
        invoiceId: invoice.id,
        code,
        label,
        direction: "IN",
        reason,
        occurredAt: input.occurredAt,
        source: input.source,
      },
    });
    const note = reason ? `${code} ${label} — ${reason}` : `${code} ${label}`;
    const live = invoice.status === "OPEN" || invoice.status === "PARTIALLY_PAID";
    const effect = lifecycleEffect(code);
    let disputeId: string | null = null;
    if (live) {
      const base = { creditorId: input.creditorId, invoiceId: invoice.id, actor: input.actor, now, note };
      switch (effect.kind) {
        case "open_dispute":
          disputeId = (
            await openPlatformDispute(tx, {
              creditorId: input.creditorId,
              invoiceId: invoice.id,
              message: reason ?? label,
              authorName: `Plateforme agréée (${code} ${label})`,
              actor: input.actor,
              now,
            })
          ).id;
          break;
        case "pause":
          await applyInvoiceEvent(tx, { ...base, event: { type: "MANUAL_PAUSE", note } });
          break;
        case "payment_pending":
          await applyInvoiceEvent(tx, { ...base, event: { type: "PAYMENT_PROCESSING", until: addDays(now, PAYMENT_SENT_PAUSE_DAYS) } });
          break;
        case "stop_and_task":
          await applyInvoiceEvent(tx, { ...base, event: { type: "MANUAL_PAUSE", note } });
          await tx.task.create({
            data: {
              creditorId: input.creditorId,
              debtorId: invoice.debtorId,
              invoiceId: invoice.id,
              kind: "REVIEW",
              dueAt: now,
              sourceKey: `lifecycle:${event.id}`,
              title: `Facture ${invoice.number} rejetée par la plateforme : la réémettre`,
              details: reason ?? "La plateforme agréée a rejeté la facture : elle n'a pas été transmise au client.",
            },
          });
          break;
        case "record":
          break;
      }
    }
    await recordCommunication(tx, {
      creditorId: input.creditorId,
      debtorId: invoice.debtorId,
      invoiceId: invoice.id,
      direction: "IN",
      channel: "SYSTEM",
      kind: "einvoice.lifecycle_in",
      subject: `${code} ${label}`,
      bodyText: reason,
      actorType: input.actor.type,
      actorId: input.actor.id ?? null,
      data: { code, lifecycleEventId: event.id, effect: live ? effect.kind : "record", ...(disputeId ? { disputeId } : {}) },
      occurredAt: now,
    });
    return { event, effect: live ? effect.kind : ("record" as const), disputeId };
  });
}

/**
 * The payment door's hook (applyPaymentStatus → settle): a payment allocated
 * to an invoice is declared "212 Encaissée" with the amount cashed and its
 * date — the whole balance or, for a partial payment, the part paid. Once per
 * payment and invoice (unique key), so a second delivery of the same webhook
 * emits nothing. Call inside the settling transaction.
 */
export async function recordCashed(
  tx: Db,
  input: { creditorId: string; invoiceId: string; paymentId: string; amount: number; currency: string; settled: boolean; now: Date },
) {
  const dedupeKey = `212:payment:${input.paymentId}:invoice:${input.invoiceId}`;
  const written = await tx.invoiceLifecycleEvent.createMany({
    data: [
      {
        creditorId: input.creditorId,
        invoiceId: input.invoiceId,
        code: CASHED_CODE,
        label: lifecycleLabel(CASHED_CODE, "fr"),
        direction: "OUT",
        occurredAt: input.now,
        source: "payment",
        dedupeKey,
        data: {
          amount: input.amount,
          currency: input.currency,
          date: input.now.toISOString().slice(0, 10),
          paymentId: input.paymentId,
          partial: !input.settled,
        },
      },
    ],
    skipDuplicates: true,
  });
  if (written.count !== 1) return false;
  // For the creditor's PA connector: the status to send to the platform, queued in this transaction (sent after commit).
  const invoice = await tx.invoice.findUniqueOrThrow({ where: { id: input.invoiceId }, select: { number: true } });
  await emitOutboundEvent(tx, {
    creditorId: input.creditorId,
    type: "lifecycle.encaissee",
    occurredAt: input.now,
    data: {
      invoiceNumber: invoice.number,
      code: CASHED_CODE,
      label: lifecycleLabel(CASHED_CODE, "fr"),
      amount: input.amount,
      currency: input.currency,
      date: input.now.toISOString().slice(0, 10),
      paymentId: input.paymentId,
      partial: !input.settled,
    },
  });
  return true;
}

/** An invoice's life-cycle statuses, oldest first, for its page. */
export async function invoiceLifecycle(db: Db, creditorId: string, invoiceId: string) {
  return db.invoiceLifecycleEvent.findMany({
    where: { creditorId, invoiceId },
    orderBy: [{ occurredAt: "asc" }, { createdAt: "asc" }],
    select: { id: true, code: true, label: true, direction: true, reason: true, occurredAt: true, source: true, data: true },
  });
}
