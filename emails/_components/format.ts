import { en } from "../i18n/en";
import { fr, type EmailDictionary } from "../i18n/fr";
import type { EmailCreditor, EmailLocale } from "../types";

export function dict(locale: EmailLocale): EmailDictionary {
  return locale === "en" ? en : fr;
}

const moneyFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<EmailLocale, Intl.DateTimeFormat>();

/** 123456 EUR → "1 234,56 €" (fr) / "€1,234.56" (en). Minor units follow the currency (JPY has none). */
export function formatAmount(minor: number, currency: string, locale: EmailLocale): string {
  const key = `${locale}:${currency}`;
  let format = moneyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(dict(locale).intlLocale, { style: "currency", currency });
    moneyFormats.set(key, format);
  }
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  // Some mail clients show the narrow no-break space (U+202F) as a box: use U+00A0.
  return format.format(minor / 10 ** digits).replace(/\u202f/g, "\u00a0");
}

/** Calendar dates are stored at midnight UTC: read them in UTC, whatever the server's zone. */
export function formatDate(value: Date, locale: EmailLocale): string {
  let format = dateFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(dict(locale).intlLocale, { ...dict(locale).dateFormat, timeZone: "UTC" });
    dateFormats.set(locale, format);
  }
  if (locale !== "fr") return format.format(value);
  // French writes the first of the month as an ordinal: "1er mars 2026" (but "01/03/2026" in figures).
  const parts = format.formatToParts(value);
  const spelled = parts.some((part) => part.type === "month" && !/^\d+$/.test(part.value));
  return parts.map((part) => (spelled && part.type === "day" && Number(part.value) === 1 ? "1er" : part.value)).join("");
}

export function creditorName(creditor: EmailCreditor): string {
  return creditor.brandName?.trim() || creditor.legalName;
}

/** "Subject — Creditor": every subject names who is writing. */
export function withCreditor(subject: string, creditor: EmailCreditor): string {
  return `${subject} — ${creditorName(creditor)}`;
}

export function addDays(date: Date, days: number): Date {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  d.setUTCDate(d.getUTCDate() + days);
  return d;
}
