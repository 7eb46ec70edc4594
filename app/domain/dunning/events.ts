import { addDays, startOfDayUTC } from "../clock";
import {
  isOver,
  pauseDunning,
  reopenDunning,
  resumeDunning,
  stopDunning,
  type DunningResult,
  type DunningState,
  type Levels,
} from "./state";
import type { InvoiceStatus, PauseReason } from "./types";

/**
 * What happens to an invoice (ARCHITECTURE §4). Balances travel with the
 * event: the payment / dispute service computes them from its allocations,
 * and the reducer trusts the balance rather than the event's name (a
 * "success" that leaves a balance is a partial payment).
 */
export type DunningEvent =
  | {
      type: "PAYMENT_SUCCEEDED" | "PAYMENT_PARTIAL" | "PAYMENT_FAILED" | "PAYMENT_CHARGED_BACK";
      balanceAfter: number;
      amountPaidAfter: number;
    }
  /** `until`: a safety end, so a lost "succeeded/failed" webhook cannot freeze dunning for ever. */
  | { type: "PAYMENT_PROCESSING"; until?: Date | null }
  | { type: "PLAN_PROPOSED" | "PLAN_REJECTED" | "PLAN_CANCELLED" | "PLAN_ACTIVATED" | "PLAN_DEFAULTED" | "PLAN_COMPLETED" }
  | { type: "DISPUTE_OPENED" | "DISPUTE_RESOLVED_REJECTED" | "DISPUTE_WITHDRAWN" }
  | { type: "DISPUTE_RESOLVED_CREDIT"; balanceAfter: number; amountPaidAfter: number }
  /** `until` = promised date + the creditor's grace days: see promisePauseUntil. */
  | { type: "PROMISE_MADE"; until: Date }
  | { type: "PROMISE_KEPT" | "PROMISE_BROKEN" }
  | { type: "MANUAL_PAUSE"; note: string; until?: Date | null }
  | { type: "MANUAL_RESUME"; note: string }
  /** A debtor's email reply waits for staff: the weakest pause, until `until` (see awaitingAnswerUntil) or handled. */
  | { type: "REPLY_RECEIVED"; until: Date }
  | { type: "REPLY_HANDLED" }
  /** Collective proceedings opened (BODACC): individual collection stops (L622-21); closed: the watch saw them end. */
  | { type: "INSOLVENCY_OPENED" | "INSOLVENCY_CLOSED" }
  /** The case handed to mediation, and the mediation over (agreement or not). */
  | { type: "MEDIATION_STARTED" | "MEDIATION_ENDED" }
  | { type: "INVOICE_CANCELLED" | "INVOICE_WRITTEN_OFF" };

export type DunningEventType = DunningEvent["type"];

/** `timeZone`: the creditor's (decision 012), for "today" and for reading stored schedules; UTC when omitted. */
export type EventContext = { dueDate: Date; levels: Levels; now: Date; timeZone?: string };

/** The audit-trail summary of one event: machine-readable, written by the services. */
export type Transition = {
  event: DunningEventType;
  from: { status: InvoiceStatus; level: number; pauseReason: PauseReason | null };
  to: { status: InvoiceStatus; level: number; pauseReason: PauseReason | null; nextActionAt: Date | null };
  /** False when the event changed nothing (a duplicate, or a pause it does not name). */
  changed: boolean;
};

export type EventErrorCode = "settled" | "note_required" | "invalid";

export type EventResult = { ok: true; state: DunningState; transition: Transition } | { ok: false; code: EventErrorCode; message: string };

/**
 * End of a promise's pause: the whole last grace day included, so a promise
 * for the 10th with 3 grace days holds until the 14th at 00:00 UTC.
 */
export function promisePauseUntil(promisedFor: Date, graceDays: number): Date {
  return addDays(startOfDayUTC(promisedFor), graceDays + 1);
}

/**
 * Requests from people are refused on a settled invoice; facts reported by
 * providers and watchers (a late webhook, a duplicate) are absorbed without
 * change, so out-of-order delivery never fails a job.
 */
const REQUESTS: ReadonlySet<DunningEventType> = new Set<DunningEventType>([
  "PLAN_PROPOSED",
  "DISPUTE_OPENED",
  "PROMISE_MADE",
  "MANUAL_PAUSE",
  "MANUAL_RESUME",
]);

/** One reducer for every row of the feedback table (ARCHITECTURE §4). */
export function applyDunningEvent(state: DunningState, event: DunningEvent, ctx: EventContext): EventResult {
  const result = reduce(state, event, ctx);
  if (!result.ok) return result;
  return { ok: true, state: result.state, transition: describeTransition(state, result.state, event.type) };
}

export function describeTransition(before: DunningState, after: DunningState, event: DunningEventType): Transition {
  const changed = (Object.keys(before) as (keyof DunningState)[]).some((key) => {
    const a = before[key];
    const b = after[key];
    return a instanceof Date && b instanceof Date ? a.getTime() !== b.getTime() : a !== b;
  });
  return {
    event,
    from: { status: before.status, level: before.level, pauseReason: before.pauseReason },
    to: { status: after.status, level: after.level, pauseReason: after.pauseReason, nextActionAt: after.nextActionAt },
    changed,
  };
}

type Reduced = DunningResult<EventErrorCode>;

const unpaidStatus = (amountPaidAfter: number): "OPEN" | "PARTIALLY_PAID" => (amountPaidAfter > 0 ? "PARTIALLY_PAID" : "OPEN");

function reduce(s: DunningState, e: DunningEvent, { levels, now, timeZone }: EventContext): Reduced {
  if (isOver(s)) return settledCase(s, e, levels, now, timeZone);
  const same: Reduced = { ok: true, state: s };

  switch (e.type) {
    case "PAYMENT_SUCCEEDED":
    case "PAYMENT_PARTIAL":
      if (e.balanceAfter <= 0) return stopDunning(s, "PAID", now);
      // Balance lowered: the escalation keeps its level and its calendar.
      return resumeDunning({ ...s, status: unpaidStatus(e.amountPaidAfter) }, now, { reason: "PAYMENT_PROCESSING", timeZone });
    case "PAYMENT_PROCESSING":
      return pauseDunning(s, "PAYMENT_PROCESSING", e.until ?? null, now, timeZone);
    case "PAYMENT_FAILED":
    case "PAYMENT_CHARGED_BACK":
      if (e.balanceAfter <= 0) return same; // other payments still cover the invoice
      return resumeDunning({ ...s, status: unpaidStatus(e.amountPaidAfter) }, now, {
        reason: "PAYMENT_PROCESSING",
        advance: true,
        timeZone,
      });

    case "PLAN_PROPOSED":
      return pauseDunning(s, "PLAN_REVIEW", null, now, timeZone);
    case "PLAN_REJECTED":
      return resumeDunning(s, now, { reason: "PLAN_REVIEW", timeZone });
    case "PLAN_CANCELLED":
      return resumeDunning(s, now, { reason: s.pauseReason === "PLAN_ACTIVE" ? "PLAN_ACTIVE" : "PLAN_REVIEW", timeZone });
    case "PLAN_ACTIVATED":
      // Installment reminders replace dunning for as long as the plan runs.
      return pauseDunning(s, "PLAN_ACTIVE", null, now, timeZone);
    case "PLAN_DEFAULTED":
      // "Resumes one level up": the level after the last one run is due now. No
      // level is skipped — that could skip the mise en demeure before a hand-off.
      return resumeDunning(s, now, { reason: s.pauseReason === "PLAN_REVIEW" ? "PLAN_REVIEW" : "PLAN_ACTIVE", advance: true, timeZone });
    case "PLAN_COMPLETED":
      return stopDunning(s, "PAID", now);

    case "DISPUTE_OPENED":
      return pauseDunning(s, "DISPUTE", null, now, timeZone);
    case "DISPUTE_RESOLVED_CREDIT":
      // Nothing left: settled by the credit note — PAID if money came in, else CANCELLED.
      if (e.balanceAfter <= 0) return stopDunning(s, e.amountPaidAfter > 0 ? "PAID" : "CANCELLED", now);
      return resumeDunning({ ...s, status: unpaidStatus(e.amountPaidAfter) }, now, { reason: "DISPUTE", timeZone });
    case "DISPUTE_RESOLVED_REJECTED":
    case "DISPUTE_WITHDRAWN":
      return resumeDunning(s, now, { reason: "DISPUTE", timeZone });

    case "PROMISE_MADE":
      return pauseDunning(s, "PROMISE", e.until, now, timeZone);
    case "PROMISE_KEPT":
      return resumeDunning(s, now, { reason: "PROMISE", timeZone });
    case "PROMISE_BROKEN":
      // Only while the promise's pause is in place: once it expired, the tick
      // has already escalated, and escalating again would skip a step.
      return s.pauseReason === "PROMISE" ? resumeDunning(s, now, { reason: "PROMISE", advance: true, timeZone }) : same;

    case "MANUAL_PAUSE":
      if (!e.note.trim()) return { ok: false, code: "note_required", message: "Say why dunning is paused." };
      return pauseDunning(s, "MANUAL", e.until ?? null, now, timeZone);
    case "MANUAL_RESUME":
      // Staff may lift any pause (e.g. a payment stuck in processing); the note goes into the trace.
      if (!e.note.trim()) return { ok: false, code: "note_required", message: "Say why dunning resumes." };
      // …except the law's: while collective proceedings run, no individual collection (C. com. L622-21).
      if (s.pauseReason === "INSOLVENCY")
        return { ok: false, code: "invalid", message: "Collective proceedings are open: individual collection is forbidden." };
      return resumeDunning(s, now, { timeZone });

    case "REPLY_RECEIVED":
      return pauseDunning(s, "AWAITING_ANSWER", e.until, now, timeZone);
    case "REPLY_HANDLED":
      return resumeDunning(s, now, { reason: "AWAITING_ANSWER", timeZone });

    case "INSOLVENCY_OPENED":
      return pauseDunning(s, "INSOLVENCY", null, now, timeZone);
    case "INSOLVENCY_CLOSED":
      return resumeDunning(s, now, { reason: "INSOLVENCY", timeZone });

    case "MEDIATION_STARTED":
      return pauseDunning(s, "MEDIATION", null, now, timeZone);
    case "MEDIATION_ENDED":
      return resumeDunning(s, now, { reason: "MEDIATION", timeZone });

    case "INVOICE_CANCELLED":
      return stopDunning(s, "CANCELLED", now);
    case "INVOICE_WRITTEN_OFF":
      return stopDunning(s, "WRITTEN_OFF", now);
  }
}

/** Events on a paid, cancelled or written-off invoice. */
function settledCase(s: DunningState, e: DunningEvent, levels: Levels, now: Date, timeZone?: string): Reduced {
  if (REQUESTS.has(e.type))
    return { ok: false, code: "settled", message: `The invoice is ${s.status.toLowerCase()}: its dunning is over.` };
  switch (e.type) {
    case "PAYMENT_FAILED":
    case "PAYMENT_CHARGED_BACK":
      // Only money can un-pay an invoice; a cancellation or write-off is the creditor's decision and stands.
      if (s.status !== "PAID" || e.balanceAfter <= 0) return { ok: true, state: s };
      return { ok: true, state: reopenDunning(s, unpaidStatus(e.amountPaidAfter), levels, now, timeZone) };
    case "INVOICE_CANCELLED":
      return stopDunning(s, "CANCELLED", now);
    case "INVOICE_WRITTEN_OFF":
      return stopDunning(s, "WRITTEN_OFF", now);
    default:
      return { ok: true, state: s };
  }
}
