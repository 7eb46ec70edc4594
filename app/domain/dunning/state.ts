import { addDays, startOfDayUTC } from "../clock";
import type { DunningLevelSpec, InvoiceStatus, PauseReason } from "./types";

/**
 * The per-invoice dunning state machine (ARCHITECTURE §4). Pure: every
 * function returns a new state (or a typed failure) and mutates nothing.
 * The tick's SQL (services/dunning/tick.server.ts) performs `advanceDunning`
 * in bulk; the property test "the tick's SQL makes advanceDunning's choices"
 * (services/dunning/tick.server.test.ts) holds the two together on generated
 * states. Events go through `applyDunningEvent` (events.ts), built from the
 * primitives below; a change of due date, policy or amount goes through
 * `rescheduleDunning`.
 *
 * Invariant relied upon: on a live invoice, `nextActionAt` is null only when
 * no level is left after `level`. A pause does not touch `nextActionAt`: it
 * freezes the calendar's decision, and resuming honours it.
 */
export type DunningState = {
  status: InvoiceStatus;
  /** Position of the last level executed; -1 = none yet. */
  level: number;
  nextActionAt: Date | null;
  pauseReason: PauseReason | null;
  /** End of the pause; null = until lifted by an event. */
  pausedUntil: Date | null;
  stoppedAt: Date | null;
  lastActionAt: Date | null;
};

export type Levels = readonly DunningLevelSpec[];

export type DunningFailure<C extends string> = { ok: false; code: C; message: string };
export type DunningResult<C extends string> = { ok: true; state: DunningState } | DunningFailure<C>;

export const SETTLED: readonly InvoiceStatus[] = ["PAID", "CANCELLED", "WRITTEN_OFF"];

/** Paid, cancelled, written off or stopped: no level will ever run again (short of a chargeback). */
export function isOver(state: DunningState): boolean {
  return state.stoppedAt !== null || SETTLED.includes(state.status);
}

export function isPaused(state: DunningState, now: Date): boolean {
  return state.pauseReason !== null && (state.pausedUntil === null || state.pausedUntil > now);
}

/** The day a level falls for an invoice: due date + offset, at midnight UTC. */
export function levelDate(dueDate: Date, level: DunningLevelSpec): Date {
  return addDays(startOfDayUTC(dueDate), level.offsetDays);
}

/** Index of the latest level whose day has come, -1 if none. */
function latestDueIndex(dueDate: Date, levels: Levels, now: Date): number {
  const today = startOfDayUTC(now);
  return levels.reduce((latest, level, i) => (levelDate(dueDate, level) <= today ? i : latest), -1);
}

const ok = (state: DunningState) => ({ ok: true as const, state });
const fail = <C extends string>(code: C, message: string): DunningFailure<C> => ({ ok: false, code, message });
const overFailure = (state: DunningState) => fail("settled", `The invoice is ${state.status.toLowerCase()}: its dunning is over.`);

/**
 * A new invoice's state. One loaded late starts at the latest level whose day
 * has come — due today — without replaying the earlier ones: an invoice
 * imported at J+30 gets the penalties notice, not J-8's courtesy email.
 */
export function initialDunningState(dueDate: Date, levels: Levels, now: Date): DunningState {
  const base: DunningState = {
    status: "OPEN",
    level: -1,
    nextActionAt: null,
    pauseReason: null,
    pausedUntil: null,
    stoppedAt: null,
    lastActionAt: null,
  };
  const latest = latestDueIndex(dueDate, levels, now);
  const first = levels[0];
  if (latest === -1) return { ...base, nextActionAt: first ? levelDate(dueDate, first) : null };
  return { ...base, level: latest - 1, nextActionAt: startOfDayUTC(now) };
}

/** When the level after the state's one falls, never before today (a missed day is due now); null when none is left. */
export function scheduleNext(state: DunningState, dueDate: Date, levels: Levels, now: Date): Date | null {
  const next = levels[state.level + 1];
  if (!next) return null;
  const date = levelDate(dueDate, next);
  const today = startOfDayUTC(now);
  return date < today ? today : date;
}

/**
 * The level to execute now, or null (over, paused, or not yet time). It is
 * the latest level whose day has come — levels missed during a pause are not
 * replayed — or simply the next one when an event made it due early.
 */
export function dueAction(state: DunningState, dueDate: Date, levels: Levels, now: Date): DunningLevelSpec | null {
  if (isOver(state) || isPaused(state, now)) return null;
  if (!state.nextActionAt || state.nextActionAt > now) return null;
  const position = Math.max(state.level + 1, latestDueIndex(dueDate, levels, now));
  return levels[position] ?? null;
}

/**
 * Executes the due level (what the tick does per row): an expired pause is
 * cleared, and the following level is never scheduled before tomorrow, so the
 * calendar moves a debtor at most one step a day.
 *
 * The failures say what the tick does with the row: `paused` and `not_due`
 * leave it alone; `settled` (its time came but the invoice is over) and
 * `exhausted` (its time came but no level is left) clear `nextActionAt`, so
 * the row stops coming back.
 */
export function advanceDunning(
  state: DunningState,
  levels: Levels,
  dueDate: Date,
  now: Date,
): { ok: true; state: DunningState; executed: DunningLevelSpec } | DunningFailure<"settled" | "paused" | "not_due" | "exhausted"> {
  if (isPaused(state, now)) return fail("paused", `Dunning is paused (${state.pauseReason}).`);
  if (!state.nextActionAt || state.nextActionAt > now) return fail("not_due", "No level is due yet.");
  if (isOver(state)) return overFailure(state);
  const executed = dueAction(state, dueDate, levels, now);
  if (!executed) return fail("exhausted", "Every level of the policy has run.");
  const level = levels.indexOf(executed);
  const following = levels[level + 1];
  const tomorrow = addDays(startOfDayUTC(now), 1);
  const nextActionAt = following ? new Date(Math.max(levelDate(dueDate, following).getTime(), tomorrow.getTime())) : null;
  return {
    ok: true,
    executed,
    state: { ...state, level, nextActionAt, pauseReason: null, pausedUntil: null, lastActionAt: now },
  };
}

/**
 * The schedule after a change of due date, policy or amount: the level kept
 * (no level is replayed), the next one put on its new day — today when that
 * day has passed, and the tick then runs the latest level whose day has come,
 * as for an invoice loaded late. An action already due stays as it is when
 * its new day has come too (an event's "due now" is not pushed back to
 * midnight). The pause is untouched: it keeps holding and resuming honours the
 * new date. `fromLevels`: the policy the state was on, when it changes.
 */
export function rescheduleDunning(
  state: DunningState,
  dueDate: Date,
  levels: Levels,
  now: Date,
  opts: { fromLevels?: Levels } = {},
): DunningState {
  if (isOver(state)) return state;
  const carried = opts.fromLevels ? carryLevel(state.level, opts.fromLevels, levels) : state.level;
  const level = Math.min(carried, levels.length - 1);
  const base: DunningState = { ...state, level };
  const calendar = scheduleNext(base, dueDate, levels, now);
  if (calendar && calendar <= now && state.nextActionAt && state.nextActionAt <= now) return base;
  return { ...base, nextActionAt: calendar };
}

/**
 * The level reached, on another policy: the new policy's levels falling on or
 * before the day of the step already taken count as done (they are not
 * replayed); the later ones follow in order, none skipped.
 */
export function carryLevel(level: number, from: Levels, to: Levels): number {
  const taken = from[Math.min(level, from.length - 1)];
  if (level < 0 || !taken) return -1;
  return to.reduce((carried, l, i) => (l.offsetDays <= taken.offsetDays ? i : carried), -1);
}

/**
 * How strongly a pause holds. The state has one pause slot, so a new pause
 * never replaces a stronger one still holding (it is dropped), and events lift
 * only the pause they name: a failed payment does not end a dispute. MANUAL
 * ranks first because a staff decision is taken with the whole file in view.
 */
export const PAUSE_STRENGTH: Readonly<Record<PauseReason, number>> = {
  // An unread reply only holds the chase until someone reads it: any other pause outranks it.
  AWAITING_ANSWER: 0,
  PROMISE: 1,
  PAYMENT_PROCESSING: 2,
  PLAN_REVIEW: 3,
  PLAN_ACTIVE: 4,
  DISPUTE: 5,
  MANUAL: 6,
};

/** Pauses dunning; `until` null = until an event lifts it. A weaker pause than the one holding changes nothing. */
export function pauseDunning(
  state: DunningState,
  reason: PauseReason,
  until: Date | null,
  now: Date,
): DunningResult<"settled" | "invalid"> {
  if (isOver(state)) return overFailure(state);
  if (until && until <= now) return fail("invalid", "A pause must end in the future.");
  const held = state.pauseReason;
  if (held && isPaused(state, now) && PAUSE_STRENGTH[held] > PAUSE_STRENGTH[reason]) return ok(state);
  return ok({ ...state, pauseReason: reason, pausedUntil: until });
}

/**
 * Lifts the pause — only if it is `reason`, when given — keeping the level.
 * The scheduled next action stands; one whose day passed during the pause
 * becomes due today. `advance` makes the next level due now (even when
 * another pause keeps holding: it then runs as soon as that one lifts).
 */
export function resumeDunning(
  state: DunningState,
  now: Date,
  opts: { reason?: PauseReason; advance?: boolean } = {},
): DunningResult<"settled"> {
  if (isOver(state)) return overFailure(state);
  const lifts = state.pauseReason !== null && (opts.reason === undefined || opts.reason === state.pauseReason);
  let next: DunningState = lifts ? { ...state, pauseReason: null, pausedUntil: null } : state;
  const today = startOfDayUTC(now);
  if (lifts && next.nextActionAt && next.nextActionAt < today) next = { ...next, nextActionAt: today };
  return opts.advance ? dueNow(next, now) : ok(next);
}

/** Makes the next level due immediately (nothing to do when no level is left). */
export function dueNow(state: DunningState, now: Date): DunningResult<"settled"> {
  if (isOver(state)) return overFailure(state);
  if (!state.nextActionAt || state.nextActionAt <= now) return ok(state);
  return ok({ ...state, nextActionAt: now });
}

/** Ends dunning with a settled status. Stopping again with the same status is a no-op (events arrive twice). */
export function stopDunning(state: DunningState, status: InvoiceStatus, now: Date): DunningResult<"settled" | "invalid"> {
  if (!SETTLED.includes(status)) return fail("invalid", `Dunning stops on a settled status, not ${status}.`);
  if (isOver(state)) return state.status === status ? ok(state) : overFailure(state);
  return ok({ ...state, status, stoppedAt: now, nextActionAt: null, pauseReason: null, pausedUntil: null });
}

/** A paid invoice whose payment was reversed: live again, next level due now. */
export function reopenDunning(state: DunningState, status: "OPEN" | "PARTIALLY_PAID", levels: Levels, now: Date): DunningState {
  return {
    ...state,
    status,
    stoppedAt: null,
    pauseReason: null,
    pausedUntil: null,
    nextActionAt: levels[state.level + 1] ? now : null,
  };
}
