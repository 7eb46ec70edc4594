import type { Locale } from "~/i18n";

/** Minor units → localized currency text ("1 234,56 €" in French). */
export function formatAmount(minor: number, currency: string, locale: Locale) {
  const digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return new Intl.NumberFormat(locale === "fr" ? "fr-FR" : "en-GB", { style: "currency", currency }).format(minor / 10 ** digits);
}

export function formatDate(isoDate: string, locale: Locale) {
  return new Intl.DateTimeFormat(locale === "fr" ? "fr-FR" : "en-GB", { dateStyle: "medium", timeZone: "UTC" }).format(new Date(isoDate));
}

export function Money({ minor, currency, locale }: { minor: number; currency: string; locale: Locale }) {
  return <span className="money">{formatAmount(minor, currency, locale)}</span>;
}
