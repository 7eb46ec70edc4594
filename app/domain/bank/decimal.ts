import { minorDigits } from "~/domain/money";

/**
 * Decimal text → integer minor units, by string arithmetic (never a float):
 * "1234.5" EUR → 123450, "-0,07" → -7, "1 234,56" with "," → 123456.
 * Returns null when the text is not a decimal number or carries non-zero
 * digits beyond the currency's minor unit.
 */
export function decimalToMinor(text: string, currency: string, decimalSeparator: "." | "," = "."): number | null {
  let s = text.trim().replace(/[\s\u00a0\u202f']/g, "");
  if (decimalSeparator === ",") s = s.replace(/\./g, "").replace(",", ".");
  const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(s);
  if (!match || (match[2] === "" && !match[3])) return null;
  const [, sign, whole, fraction = ""] = match;
  return digitsToMinor(sign === "-", whole || "0", fraction, minorDigits(currency));
}

/** Whole and fraction digit strings → minor units with `digits` decimals; null if precision would be lost. */
export function digitsToMinor(negative: boolean, whole: string, fraction: string, digits: number): number | null {
  const kept = fraction.slice(0, digits).padEnd(digits, "0");
  if (/[1-9]/.test(fraction.slice(digits))) return null;
  const value = Number(`${whole}${kept}`.replace(/^0+(?=\d)/, ""));
  if (!Number.isSafeInteger(value)) return null;
  return negative && value !== 0 ? -value : value;
}

/** A calendar date as UTC midnight; null when it does not exist (31/02). */
export function calendarDate(year: number, month: number, day: number): Date | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date;
}

/** "2024-03-05" or "2024-03-05T10:12:00+01:00" → the calendar date it names. */
export function isoCalendarDate(text: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(text.trim());
  return match ? calendarDate(Number(match[1]), Number(match[2]), Number(match[3])) : null;
}

/** Bytes → text: UTF-8 when valid (BOM dropped), else Windows-1252 (French bank exports are often Latin-1). */
export function decodeText(input: string | Uint8Array): string {
  if (typeof input === "string") return input.replace(/^\uFEFF/, "");
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(input);
  } catch {
    return new TextDecoder("windows-1252").decode(input);
  }
}
