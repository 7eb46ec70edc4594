// The "max" metadata: it tells a mobile from a fixed line (server-side only: keep it out of browser code).
import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";
import { wallClockIn } from "./clock";

/**
 * SMS reminders (decision 026): when they may go (the creditor's sending hours, on its clock), where
 * (a mobile number in E.164) and what they say (one GSM-7 segment when it fits). Pure functions.
 */

/** Sending hours: minutes after local midnight, [start, end), and ISO weekdays (1 = Monday … 7 = Sunday). */
export type SmsWindow = { start: number; end: number; days: number[] };

export const DEFAULT_SMS_WINDOW: SmsWindow = { start: 9 * 60, end: 19 * 60, days: [1, 2, 3, 4, 5, 6] };
/** Never at night: no window may open before 08:00 or close after 20:00 (the bounds the settings refuse past). */
export const SMS_EARLIEST = 8 * 60;
export const SMS_LATEST = 20 * 60;

export type SmsWindowError = "sms.errors.time" | "sms.errors.night" | "sms.errors.order" | "sms.errors.days";

/** Checks a window the creditor sets; the error names why it is refused (an i18n key). */
export function checkSmsWindow(window: SmsWindow): { ok: true } | { ok: false; field: "start" | "end" | "days"; error: SmsWindowError } {
  for (const field of ["start", "end"] as const) {
    const v = window[field];
    if (!Number.isInteger(v) || v < 0 || v > 24 * 60) return { ok: false, field, error: "sms.errors.time" };
  }
  if (window.start < SMS_EARLIEST) return { ok: false, field: "start", error: "sms.errors.night" };
  if (window.end > SMS_LATEST) return { ok: false, field: "end", error: "sms.errors.night" };
  if (window.end - window.start < 30) return { ok: false, field: "end", error: "sms.errors.order" };
  const days = new Set(window.days);
  if (days.size === 0 || [...days].some((d) => !Number.isInteger(d) || d < 1 || d > 7))
    return { ok: false, field: "days", error: "sms.errors.days" };
  return { ok: true };
}

/** "09:30" → 570; null when unreadable. */
export function parseClockTime(input: string): number | null {
  const m = /^(\d{1,2})[:hH](\d{2})?$/.exec(input.trim());
  if (!m) return null;
  const hours = Number(m[1]);
  const minutes = Number(m[2] ?? "0");
  if (hours > 24 || minutes > 59 || (hours === 24 && minutes > 0)) return null;
  return hours * 60 + minutes;
}

/** 570 → "09:30". */
export function formatClockTime(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

const isoWeekday = (wall: Date) => ((wall.getUTCDay() + 6) % 7) + 1;

/**
 * When an SMS may go, on the creditor's clock: `now` itself inside the window, else the next opening
 * (e.g. Saturday 21:30 in Paris with Sundays off → Monday 09:00 Paris). The local opening is turned
 * back into an instant through the zone's offset at that moment (daylight saving changes included).
 */
export function nextSmsOpening(timeZone: string, now: Date, window: SmsWindow): Date {
  const wall = wallClockIn(timeZone, now);
  const minute = wall.getUTCHours() * 60 + wall.getUTCMinutes();
  if (window.days.includes(isoWeekday(wall)) && minute >= window.start && minute < window.end) return now;
  const midnight = Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate());
  for (let offset = 0; offset <= 7; offset++) {
    const day = new Date(midnight + offset * 86_400_000);
    if (!window.days.includes(isoWeekday(day))) continue;
    if (offset === 0 && minute >= window.start) continue;
    return localToInstant(timeZone, new Date(day.getTime() + window.start * 60_000));
  }
  return now; // no allowed day at all (refused by checkSmsWindow): never hold for ever
}

/** The instant whose wall-clock reading in `timeZone` is `wall` (two passes settle a DST change). */
function localToInstant(timeZone: string, wall: Date): Date {
  let guess = new Date(wall.getTime() - (wallClockIn(timeZone, wall).getTime() - wall.getTime()));
  guess = new Date(guess.getTime() - (wallClockIn(timeZone, guess).getTime() - wall.getTime()));
  return guess;
}

/** A phone number as the provider wants it (E.164), read with the debtor's country as default region (FR when unknown). */
export function normalizePhone(input: string | null | undefined, country = "FR"): string | null {
  if (!input?.trim()) return null;
  const parsed = parsePhoneNumberFromString(input.trim(), (/^[A-Z]{2}$/.test(country) ? country : "FR") as CountryCode);
  return parsed?.isValid() ? parsed.number : null;
}

/** A number an SMS can reach: valid, and not a fixed line (mobile, or a type the metadata cannot tell). */
export function smsReachable(e164: string): boolean {
  const type = parsePhoneNumberFromString(e164)?.getType();
  return type === undefined || type === "MOBILE" || type === "FIXED_LINE_OR_MOBILE";
}

/*
 * GSM 03.38: the basic set counts one, the extension set two (escape + char). One segment is 160
 * septets; anything outside the set makes the whole message UCS-2 (70 a segment).
 */
const GSM_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXTENDED = "^{}\\[~]|€\f";

export function gsmLength(text: string): number | null {
  let n = 0;
  for (const ch of text) {
    if (GSM_BASIC.includes(ch)) n += 1;
    else if (GSM_EXTENDED.includes(ch)) n += 2;
    else return null;
  }
  return n;
}

const FOLD: Record<string, string> = {
  "\u00a0": " ",
  "\u202f": " ",
  "’": "'",
  "‘": "'",
  "“": '"',
  "”": '"',
  "–": "-",
  "—": "-",
  "…": "...",
  ç: "c",
  œ: "oe",
  Œ: "OE",
};

/** Folds what GSM-7 lacks into what it has (no-break spaces, curly quotes, ê → e): the text keeps its meaning. */
export function toGsm(text: string): string {
  let out = "";
  for (const ch of text) {
    if (GSM_BASIC.includes(ch) || GSM_EXTENDED.includes(ch)) out += ch;
    else if (FOLD[ch] !== undefined) out += FOLD[ch];
    else {
      const plain = ch.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
      out += [...plain].every((c) => GSM_BASIC.includes(c)) ? plain : "?";
    }
  }
  return out;
}

export const SMS_SEGMENT = 160;

/**
 * The first of the candidates (longest wording first) that fits one GSM-7 segment once folded; else the
 * shortest one, whole (the provider splits it). The link is never cut.
 */
export function fitSms(candidates: string[]): { body: string; length: number; segments: number } {
  const folded = candidates.map(toGsm);
  const fit = folded.find((c) => (gsmLength(c) ?? Infinity) <= SMS_SEGMENT) ?? folded[folded.length - 1]!;
  const length = gsmLength(fit) ?? fit.length;
  return { body: fit, length, segments: length <= SMS_SEGMENT ? 1 : Math.ceil(length / 153) };
}

/** The words a debtor sends to stop SMS (Twilio's own list and the French ones). */
export function isStopKeyword(body: string): boolean {
  return /^\s*(stop|stopall|arret|arrêt|unsubscribe|cancel|end|quit)\s*[.!]?\s*$/i.test(body);
}
