import { FRENCH_TIME_ZONE, formatMomentIn } from "~/domain/clock";
import type { Locale } from "~/i18n";

// Intl formatters are costly to build (a 50-row table built ~300 of them per
// render, a third of the portal's CPU): build each one once and reuse it.
const amountFormatters = new Map<string, { format: Intl.NumberFormat; digits: number }>();
const dateFormatters = new Map<Locale, Intl.DateTimeFormat>();

function amountFormatter(currency: string, locale: Locale) {
  const key = `${locale}:${currency}`;
  let entry = amountFormatters.get(key);
  if (!entry) {
    const format = new Intl.NumberFormat(locale === "fr" ? "fr-FR" : "en-GB", { style: "currency", currency });
    entry = { format, digits: format.resolvedOptions().maximumFractionDigits ?? 2 };
    amountFormatters.set(key, entry);
  }
  return entry;
}

/** Minor units → localized currency text ("1 234,56 €" in French). Display only: amounts stay integers everywhere else. */
export function formatAmount(minor: number, currency: string, locale: Locale) {
  const { format, digits } = amountFormatter(currency, locale);
  return format.format(minor / 10 ** digits);
}

/**
 * A moment (sent at, signed in at…) on the creditor's clock — the French one
 * where no creditor is known — e.g. "29 nov. 2026, 03:05".
 */
export function formatDateTime(iso: string | Date, locale: Locale, timeZone: string = FRENCH_TIME_ZONE) {
  const { text, parts } = formatMomentIn(new Date(iso), { locale, timeZone });
  return locale === "fr" ? ordinalFirst(parts) : text;
}

export function formatDate(isoDate: string | Date, locale: Locale) {
  let format = dateFormatters.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale === "fr" ? "fr-FR" : "en-GB", { dateStyle: "medium", timeZone: "UTC" });
    dateFormatters.set(locale, format);
  }
  return withOrdinalFirst(format, new Date(isoDate), locale);
}

/** French writes the first of the month as an ordinal: "1er mars 2026", never "1 mars 2026". */
function withOrdinalFirst(format: Intl.DateTimeFormat, date: Date, locale: Locale) {
  if (locale !== "fr") return format.format(date);
  return ordinalFirst(format.formatToParts(date));
}

function ordinalFirst(parts: Intl.DateTimeFormatPart[]) {
  // Only when the month is spelled out: "01/03/2026" stays in figures.
  const spelled = parts.some((part) => part.type === "month" && !/^\d+$/.test(part.value));
  return parts.map((part) => (spelled && part.type === "day" && Number(part.value) === 1 ? "1er" : part.value)).join("");
}

export function Money({ minor, currency, locale }: { minor: number; currency: string; locale: Locale }) {
  return <span className="money">{formatAmount(minor, currency, locale)}</span>;
}
