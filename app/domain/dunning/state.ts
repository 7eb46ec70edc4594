import { addDays, startOfDayUTC, todayIn, wallClockIn } from "../clock";
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
 *
 * Time zones (decision 012): `nextActionAt` and `pausedUntil` are calendar
 * days (UTC midnights) read on the creditor's clock. Each function takes the
 * real instant `now` and the creditor's `timeZone` (UTC when omitted): "today"
 * is the creditor's local date, a stored schedule is compared with the local
 * clock reading, and the instants written (`stoppedAt`, `lastActionAt`) stay
 * real. "Due now" is written as today, so it is due on every clock.
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

/** "Today" and the local clock reading of a creditor at `now`. */
export function creditorClock(now: Date, timeZone = "UTC"): { today: Date; local: Date } {
  if (timeZone === "UTC") return { today: startOfDayUTC(now), local: now };
  return { today: todayIn(timeZone, now), local: wallClockIn(timeZone, now) };
}

export function isPaused(state: DunningState, now: Date, timeZone?: string): boolean {
  return state.pauseReason !== null && (state.pausedUntil === null || state.pausedUntil > creditorClock(now, timeZone).local);
}

/** The day a level falls for an invoice: due date + offset, at midnight UTC. */
export function levelDate(dueDate: Date, level: DunningLevelSpec): Date {
  return addDays(startOfDayUTC(dueDate), level.offsetDays);
}

/** Index of the latest level whose day has come, -1 if none. */
function latestDueIndex(dueDate: Date, levels: Levels, now: Date, timeZone?: string): number {
  const { today } = creditorClock(now, timeZone);
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
export function initialDunningState(dueDate: Date, levels: Levels, now: Date, timeZone?: string): DunningState {
  const base: DunningState = {
    status: "OPEN",
    level: -1,
    nextActionAt: null,
    pauseReason: null,
    pausedUntil: null,
    stoppedAt: null,
    lastActionAt: null,
  };
  const latest = latestDueIndex(dueDate, levels, now, timeZone);
  const first = levels[0];
  if (latest === -1) return { ...base, nextActionAt: first ? levelDate(dueDate, first) : null };
  return { ...base, level: latest - 1, nextActionAt: creditorClock(now, timeZone).today };
}

/** When the level after the state's one falls, never before today (a missed day is due now); null when none is left. */
export function scheduleNext(state: DunningState, dueDate: Date, levels: Levels, now: Date, timeZone?: string): Date | null {
  const next = levels[state.level + 1];
  if (!next) return null;
  const date = levelDate(dueDate, next);
  const { today } = creditorClock(now, timeZone);
  return date < today ? today : date;
}

/**
 * The level to execute now, or null (over, paused, or not yet time). It is
 * the latest level whose day has come — levels missed during a pause are not
 * replayed — or simply the next one when an event made it due early.
 */
export function dueAction(state: DunningState, dueDate: Date, levels: Levels, now: Date, timeZone?: string): DunningLevelSpec | null {
  if (isOver(state) || isPaused(state, now, timeZone)) return null;
  if (!state.nextActionAt || state.nextActionAt > creditorClock(now, timeZone).local) return null;
  const position = Math.max(state.level + 1, latestDueIndex(dueDate, levels, now, timeZone));
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
  timeZone?: string,
): { ok: true; state: DunningState; executed: DunningLevelSpec } | DunningFailure<"settled" | "paused" | "not_due" | "exhausted"> {
  const clock = creditorClock(now, timeZone);
  if (isPaused(state, now, timeZone)) return fail("paused", `Dunning is paused (${state.pauseReason}).`);
  if (!state.nextActionAt || state.nextActionAt > clock.local) return fail("not_due", "No level is due yet.");
  if (isOver(state)) return overFailure(state);
  const executed = dueAction(state, dueDate, levels, now, timeZone);
  if (!executed) return fail("exhausted", "Every level of the policy has run.");
  const level = levels.indexOf(executed);
  const following = levels[level + 1];
  const tomorrow = addDays(clock.today, 1);
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
  opts: { fromLevels?: Levels; timeZone?: string } = {},
): DunningState {
  if (isOver(state)) return state;
  const carried = opts.fromLevels ? carryLevel(state.level, opts.fromLevels, levels) : state.level;
  const level = Math.min(carried, levels.length - 1);
  const base: DunningState = { ...state, level };
  const calendar = scheduleNext(base, dueDate, levels, now, opts.timeZone);
  const { local } = creditorClock(now, opts.timeZone);
  if (calendar && calendar <= local && state.nextActionAt && state.nextActionAt <= local) return base;
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
 * ranks above the debtor's own requests because a staff decision is taken with the whole file in view;
 * a mediation and, above all, collective proceedings outrank it.
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
  // A mediator holds the case: only its end (or the law) lifts it.
  MEDIATION: 7,
  // Collective proceedings: the law forbids individual collection (C. com. L622-21); nothing outranks it.
  INSOLVENCY: 8,
};

/** Pauses dunning; `until` null = until an event lifts it. A weaker pause than the one holding changes nothing. */
export function pauseDunning(
  state: DunningState,
  reason: PauseReason,
  until: Date | null,
  now: Date,
  timeZone?: string,
): DunningResult<"settled" | "invalid"> {
  if (isOver(state)) return overFailure(state);
  if (until && until <= creditorClock(now, timeZone).local) return fail("invalid", "A pause must end in the future.");
  const held = state.pauseReason;
  if (held && isPaused(state, now, timeZone) && PAUSE_STRENGTH[held] > PAUSE_STRENGTH[reason]) return ok(state);
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
  opts: { reason?: PauseReason; advance?: boolean; timeZone?: string } = {},
): DunningResult<"settled"> {
  if (isOver(state)) return overFailure(state);
  const lifts = state.pauseReason !== null && (opts.reason === undefined || opts.reason === state.pauseReason);
  let next: DunningState = lifts ? { ...state, pauseReason: null, pausedUntil: null } : state;
  const { today } = creditorClock(now, opts.timeZone);
  if (lifts && next.nextActionAt && next.nextActionAt < today) next = { ...next, nextActionAt: today };
  return opts.advance ? dueNow(next, now, opts.timeZone) : ok(next);
}

/** Makes the next level due immediately — today on the creditor's calendar (nothing to do when no level is left). */
export function dueNow(state: DunningState, now: Date, timeZone?: string): DunningResult<"settled"> {
  if (isOver(state)) return overFailure(state);
  const clock = creditorClock(now, timeZone);
  if (!state.nextActionAt || state.nextActionAt <= clock.local) return ok(state);
  return ok({ ...state, nextActionAt: clock.today });
}

/** Ends dunning with a settled status. Stopping again with the same status is a no-op (events arrive twice). */
export function stopDunning(state: DunningState, status: InvoiceStatus, now: Date): DunningResult<"settled" | "invalid"> {
  if (!SETTLED.includes(status)) return fail("invalid", `Dunning stops on a settled status, not ${status}.`);
  if (isOver(state)) return state.status === status ? ok(state) : overFailure(state);
  return ok({ ...state, status, stoppedAt: now, nextActionAt: null, pauseReason: null, pausedUntil: null });
}

/** A paid invoice whose payment was reversed: live again, next level due now. */
export function reopenDunning(
  state: DunningState,
  status: "OPEN" | "PARTIALLY_PAID",
  levels: Levels,
  now: Date,
  timeZone?: string,
): DunningState {
  return {
    ...state,
    status,
    stoppedAt: null,
    pauseReason: null,
    pausedUntil: null,
    nextActionAt: levels[state.level + 1] ? creditorClock(now, timeZone).today : null,
  };
}
