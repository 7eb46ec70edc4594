/**
 * An injectable clock: domain code never reads the system time itself, so
 * every date rule is testable with a fixed instant. `systemClock` is the only
 * place the real time enters.
 */
export type Clock = { now(): Date };

/** The French clock: the default creditor time zone, and the clock of pages that know no creditor. */
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

/*
 * Creditor time zones (decision 012). A calendar day is still stored as the
 * UTC midnight of that date; what the zone decides is WHICH date it is now:
 * at 2026-01-15T02:00Z it is already the 15th in Paris but still the 14th in
 * Guadeloupe. "Today" for a creditor is `todayIn(zone, now)`, and an instant
 * compared with stored day labels is `wallClockIn(zone, now)` — the local
 * clock reading written as if it were UTC.
 */
const zoneParts = new Map<string, Intl.DateTimeFormat>();

function partsIn(timeZone: string, at: Date) {
  let format = zoneParts.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    zoneParts.set(timeZone, format);
  }
  const parts = format.formatToParts(at);
  const value = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return {
    year: value("year"),
    month: value("month"),
    day: value("day"),
    hour: value("hour"),
    minute: value("minute"),
    second: value("second"),
  };
}

/** UTC midnight of the calendar date it is at `now` in `timeZone` (the convention of due dates). */
export function todayIn(timeZone: string, now: Date): Date {
  const p = partsIn(timeZone, now);
  return new Date(Date.UTC(p.year, p.month - 1, p.day));
}

/** The local clock reading at `now` in `timeZone`, written as a UTC instant: compares with stored day labels. */
export function wallClockIn(timeZone: string, now: Date): Date {
  const p = partsIn(timeZone, now);
  return new Date(Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second, now.getUTCMilliseconds()));
}

/** The instant it is noon on calendar day `day` (a UTC midnight label) in `timeZone`: safely inside that local day. */
export function middayIn(timeZone: string, day: Date): Date {
  const guess = new Date(startOfDayUTC(day).getTime() + 12 * 3_600_000);
  return new Date(guess.getTime() - (wallClockIn(timeZone, guess).getTime() - guess.getTime()));
}

/** An IANA zone name this runtime knows (Intl.supportedValuesOf), e.g. "America/Guadeloupe". */
export function isValidTimeZone(timeZone: string): boolean {
  return supportedTimeZones().has(timeZone);
}

let knownZones: Set<string> | null = null;
function supportedTimeZones(): Set<string> {
  // "UTC" is valid everywhere but not always listed.
  knownZones ??= new Set([...Intl.supportedValuesOf("timeZone"), "UTC"]);
  return knownZones;
}

/** The zones of French creditors first (metropolitan France and the overseas departments and territories), then the rest. */
export const COMMON_TIME_ZONES = [
  "Europe/Paris",
  "America/Guadeloupe",
  "America/Martinique",
  "Indian/Reunion",
  "America/Cayenne",
  "Indian/Mayotte",
  "America/Miquelon",
  "Pacific/Noumea",
  "Pacific/Tahiti",
  "Pacific/Wallis",
  "Europe/Brussels",
  "Europe/Luxembourg",
  "Europe/Zurich",
  "Europe/London",
  "UTC",
] as const;

/** Every zone for the select: the common ones first, then all the others alphabetically. */
export function timeZoneChoices(): string[] {
  const common = new Set<string>(COMMON_TIME_ZONES);
  return [...COMMON_TIME_ZONES, ...[...supportedTimeZones()].filter((z) => !common.has(z)).sort()];
}

const momentFormatters = new Map<string, Intl.DateTimeFormat>();

/** A moment (sent at, paid at…) on a creditor's clock: "29 nov. 2026, 03:05" (medium) or "29/11/2026 03:05" (short). */
export function formatMomentIn(
  at: Date,
  opts: { locale: "fr" | "en"; timeZone: string; style?: "medium" | "short" },
): { text: string; parts: Intl.DateTimeFormatPart[] } {
  const style = opts.style ?? "medium";
  const key = `${opts.locale}:${opts.timeZone}:${style}`;
  let format = momentFormatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(opts.locale === "fr" ? "fr-FR" : "en-GB", {
      dateStyle: style,
      timeStyle: "short",
      timeZone: opts.timeZone,
    });
    momentFormatters.set(key, format);
  }
  return { text: format.format(at), parts: format.formatToParts(at) };
}
