/** An injectable clock: domain code never reads the system time itself. */
export type Clock = { now(): Date };

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(date: Date | string): Clock {
  const at = new Date(date);
  return { now: () => new Date(at) };
}

const DAY_MS = 86_400_000;

/** Midnight UTC of the given instant's calendar day. */
export function startOfDayUTC(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

/** Whole calendar days from `from` to `to` (UTC), negative when `to` is earlier. */
export function daysBetween(from: Date, to: Date): number {
  return Math.round((startOfDayUTC(to).getTime() - startOfDayUTC(from).getTime()) / DAY_MS);
}

/** `YYYY-MM-DD` of the UTC calendar day. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
