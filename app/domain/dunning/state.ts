import { addDays, startOfDayUTC } from "../clock";
import type { DunningLevelSpec, InvoiceStatus, PauseReason } from "./types";

/**
 * The per-invoice dunning state machine (ARCHITECTURE §4). Pure: every
 * function returns a new state. The tick's SQL performs `advanceDunning` in
 * bulk; the services call `applyDunningEvent` for everything else.
 */
export type DunningState = {
  status: InvoiceStatus;
  /** Position of the last level executed; -1 = none yet. */
  level: number;
  nextActionAt: Date | null;
  pauseReason: PauseReason | null;
  pausedUntil: Date | null;
  stoppedAt: Date | null;
  lastActionAt: Date | null;
};

type Levels = readonly DunningLevelSpec[];

export const SETTLED: readonly InvoiceStatus[] = ["PAID", "CANCELLED", "WRITTEN_OFF"];

const levelDate = (dueDate: Date, level: DunningLevelSpec) => addDays(startOfDayUTC(dueDate), level.offsetDays);

/**
 * A new invoice's state. One loaded late starts at the latest level whose date
 * has come (executed today), without replaying the earlier ones.
 */
export function initialDunningState(dueDate: Date, levels: Levels, now: Date): DunningState {
  const today = startOfDayUTC(now);
  let latestDue = -1;
  levels.forEach((l, i) => {
    if (levelDate(dueDate, l) <= today) latestDue = i;
  });
  const base: DunningState = {
    status: "OPEN", level: -1, nextActionAt: null, pauseReason: null, pausedUntil: null, stoppedAt: null, lastActionAt: null,
  };
  if (levels.length === 0) return base;
  if (latestDue === -1) return { ...base, nextActionAt: levelDate(dueDate, levels[0]!) };
  return { ...base, level: latestDue - 1, nextActionAt: today };
}

/** When the level after `level` falls, never before today (a missed date is due now). */
export function scheduleNext(level: number, dueDate: Date, levels: Levels, now: Date): Date | null {
  const next = levels[level + 1];
  if (!next) return null;
  const date = levelDate(dueDate, next);
  const today = startOfDayUTC(now);
  return date < today ? today : date;
}

export function isPaused(state: DunningState, now: Date): boolean {
  return state.pauseReason !== null && (state.pausedUntil === null || state.pausedUntil > now);
}

/**
 * The level to execute now, or null: the latest level whose date has come
 * (older ones missed during a pause are not replayed), or the next one when an
 * event made it due early. The tick's SQL makes the same choice.
 */
export function dueAction(state: DunningState, levels: Levels, now: Date, dueDate: Date): DunningLevelSpec | null {
  if (state.stoppedAt || SETTLED.includes(state.status)) return null;
  if (isPaused(state, now)) return null;
  if (!state.nextActionAt || state.nextActionAt > now) return null;
  const today = startOfDayUTC(now);
  let position = state.level + 1;
  levels.forEach((l, i) => {
    if (i > position && levelDate(dueDate, l) <= today) position = i;
  });
  return levels[position] ?? null;
}

/**
 * Executes the due level (what the tick does per row): an expired pause is
 * cleared, and the following level is never scheduled before tomorrow, so a
 * debtor gets at most one step a day.
 */
export function advanceDunning(state: DunningState, levels: Levels, dueDate: Date, now: Date): { state: DunningState; executed: DunningLevelSpec } | null {
  const executed = dueAction(state, levels, now, dueDate);
  if (!executed) return null;
  const level = levels.indexOf(executed);
  const following = levels[level + 1];
  const tomorrow = addDays(startOfDayUTC(now), 1);
  const nextActionAt = following
    ? new Date(Math.max(levelDate(dueDate, following).getTime(), tomorrow.getTime()))
    : null;
  return {
    executed,
    state: { ...state, level, nextActionAt, pauseReason: null, pausedUntil: null, lastActionAt: now },
  };
}

/** How strongly a pause holds: a new pause never replaces a stronger one. */
const PAUSE_STRENGTH: Record<PauseReason, number> = {
  PROMISE: 1,
  PAYMENT_PROCESSING: 2,
  PLAN_REVIEW: 3,
  PLAN_ACTIVE: 4,
  DISPUTE: 5,
  MANUAL: 6,
};

export type DunningEvent =
  | { type: "PAYMENT_SUCCEEDED"; balanceAfter: number; amountPaidAfter: number }
  | { type: "PAYMENT_PROCESSING" }
  | { type: "PAYMENT_FAILED" | "PAYMENT_CHARGED_BACK"; balanceAfter: number; amountPaidAfter: number }
  | { type: "PLAN_PROPOSED" }
  | { type: "PLAN_REJECTED" }
  | { type: "PLAN_ACTIVATED" }
  | { type: "PLAN_DEFAULTED" }
  | { type: "PLAN_COMPLETED" }
  | { type: "DISPUTE_OPENED" }
  | { type: "DISPUTE_RESOLVED_CREDIT"; balanceAfter: number; amountPaidAfter: number }
  | { type: "DISPUTE_RESOLVED_REJECTED" }
  | { type: "DISPUTE_WITHDRAWN" }
  | { type: "PROMISE_MADE"; until: Date }
  | { type: "PROMISE_KEPT" }
  | { type: "PROMISE_BROKEN" }
  | { type: "MANUAL_PAUSE"; note: string; until?: Date | null }
  | { type: "MANUAL_RESUME"; note: string }
  | { type: "INVOICE_CANCELLED" | "INVOICE_WRITTEN_OFF" };

export type EventContext = { dueDate: Date; levels: Levels; now: Date };

export type Transition = {
  event: DunningEvent["type"];
  from: { status: InvoiceStatus; level: number; pauseReason: PauseReason | null };
  to: { status: InvoiceStatus; level: number; pauseReason: PauseReason | null; nextActionAt: Date | null };
};

export type EventResult =
  | { ok: true; state: DunningState; transition: Transition }
  | { ok: false; code: "settled" | "note_required" | "invalid"; message: string };

/** One reducer for every row of the feedback table (ARCHITECTURE §4). */
export function applyDunningEvent(state: DunningState, event: DunningEvent, ctx: EventContext): EventResult {
  const next = reduce(state, event, ctx);
  if ("code" in next) return { ok: false, ...next };
  return {
    ok: true,
    state: next,
    transition: {
      event: event.type,
      from: { status: state.status, level: state.level, pauseReason: state.pauseReason },
      to: { status: next.status, level: next.level, pauseReason: next.pauseReason, nextActionAt: next.nextActionAt },
    },
  };
}

type ReduceError = { code: "settled" | "note_required" | "invalid"; message: string };

function reduce(s: DunningState, e: DunningEvent, { dueDate, levels, now }: EventContext): DunningState | ReduceError {
  const settled = SETTLED.includes(s.status);
  const reopening = e.type === "PAYMENT_FAILED" || e.type === "PAYMENT_CHARGED_BACK";
  if (settled && !reopening) return { code: "settled", message: `The invoice is ${s.status.toLowerCase()}: its dunning is over.` };

  const stop = (status: InvoiceStatus): DunningState => ({ ...s, status, stoppedAt: now, nextActionAt: null, pauseReason: null, pausedUntil: null });
  const pause = (reason: PauseReason, until: Date | null = null): DunningState =>
    s.pauseReason && PAUSE_STRENGTH[s.pauseReason] > PAUSE_STRENGTH[reason] && isPaused(s, now)
      ? s
      : { ...s, pauseReason: reason, pausedUntil: until };
  /** Lifts the named pause only; another, stronger reason keeps holding. */
  const lift = (reason: PauseReason, base: DunningState = s): DunningState =>
    base.pauseReason === reason ? { ...base, pauseReason: null, pausedUntil: null } : base;
  const resume = (base: DunningState): DunningState => ({ ...base, nextActionAt: scheduleNext(base.level, dueDate, levels, now) });
  const dueNow = (base: DunningState): DunningState => ({
    ...base,
    nextActionAt: levels[base.level + 1] ? now : null,
  });
  const openStatus = (amountPaidAfter: number): InvoiceStatus => (amountPaidAfter > 0 ? "PARTIALLY_PAID" : "OPEN");

  switch (e.type) {
    case "PAYMENT_SUCCEEDED":
      if (e.balanceAfter <= 0) return stop("PAID");
      // A partial payment: the balance is lower, the escalation keeps its level.
      return resume(lift("PAYMENT_PROCESSING", { ...s, status: openStatus(e.amountPaidAfter) }));
    case "PAYMENT_PROCESSING":
      return pause("PAYMENT_PROCESSING");
    case "PAYMENT_FAILED":
    case "PAYMENT_CHARGED_BACK": {
      if (e.balanceAfter <= 0) return s;
      const reopened: DunningState = { ...lift("PAYMENT_PROCESSING"), status: openStatus(e.amountPaidAfter), stoppedAt: null };
      return reopened.pauseReason ? resume(reopened) : dueNow(reopened);
    }
    case "PLAN_PROPOSED":
      return pause("PLAN_REVIEW");
    case "PLAN_REJECTED":
      return resume(lift("PLAN_REVIEW"));
    case "PLAN_ACTIVATED":
      return pause("PLAN_ACTIVE");
    case "PLAN_DEFAULTED": {
      // A broken plan escalates harder than a broken promise: one level is skipped.
      if (s.pauseReason !== "PLAN_ACTIVE" && s.pauseReason !== "PLAN_REVIEW") return s;
      const skipped = Math.min(s.level + 1, levels.length - 2);
      return dueNow({ ...s, pauseReason: null, pausedUntil: null, level: Math.max(s.level, skipped) });
    }
    case "PLAN_COMPLETED":
      return stop("PAID");
    case "DISPUTE_OPENED":
      return pause("DISPUTE");
    case "DISPUTE_RESOLVED_CREDIT":
      if (e.balanceAfter <= 0) return stop(e.amountPaidAfter > 0 ? "PAID" : "CANCELLED");
      return resume(lift("DISPUTE"));
    case "DISPUTE_RESOLVED_REJECTED":
    case "DISPUTE_WITHDRAWN":
      return resume(lift("DISPUTE"));
    case "PROMISE_MADE":
      if (e.until <= now) return { code: "invalid", message: "A promise must end in the future." };
      return pause("PROMISE", e.until);
    case "PROMISE_KEPT":
      return resume(lift("PROMISE"));
    case "PROMISE_BROKEN":
      return s.pauseReason === "PROMISE" ? dueNow(lift("PROMISE")) : s.pauseReason ? s : dueNow(s);
    case "MANUAL_PAUSE":
      if (!e.note.trim()) return { code: "note_required", message: "Say why dunning is paused." };
      return { ...s, pauseReason: "MANUAL", pausedUntil: e.until ?? null };
    case "MANUAL_RESUME":
      if (!e.note.trim()) return { code: "note_required", message: "Say why dunning resumes." };
      return resume({ ...s, pauseReason: null, pausedUntil: null });
    case "INVOICE_CANCELLED":
      return stop("CANCELLED");
    case "INVOICE_WRITTEN_OFF":
      return stop("WRITTEN_OFF");
  }
}
