/**
 * An injectable clock: domain code never reads the system time itself, so
 * every date rule is testable with a fixed instant. `systemClock` is the only
 * place the real time enters.
 */
export type Clock = { now(): Date };

/** The French clock: moments shown to people (back-office, dossier) and "today" for money received in France. */
export const FRENCH_TIME_ZONE = "Europe/Paris";

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(date: Date | string): Clock {
  const at = new Date(date);
  if (Number.isNaN(at.getTime())) throw new RangeError(`Not a date: ${String(date)}`);
  // A fresh copy each call: a caller mutating the Date cannot move the clock.
  return { now: () => new Date(at) };
}

/*
 * Calendar arithmetic is done in UTC: due dates are stored as UTC midnights,
 * and UTC has no daylight-saving shifts, so a day is always 24 hours and J+n
 * lands on the same clock time n calendar days later.
 */
const DAY_MS = 86_400_000;

/** Midnight UTC of the given instant's calendar day. */
export function startOfDayUTC(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

/** The same instant `days` calendar days later (earlier when negative). */
export function addDays(date: Date, days: number): Date {
  if (!Number.isInteger(days)) throw new RangeError(`days must be a whole number, got ${days}`);
  return new Date(date.getTime() + days * DAY_MS);
}

/** Whole calendar days from `from` to `to` (UTC), whatever the times of day; negative when `to` is earlier. */
export function daysBetween(from: Date, to: Date): number {
  return Math.round((startOfDayUTC(to).getTime() - startOfDayUTC(from).getTime()) / DAY_MS);
}

/** `YYYY-MM-DD` of the UTC calendar day. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
