import { en } from "../i18n/en";
import { fr, type EmailDictionary } from "../i18n/fr";

export type EmailLocale = "fr" | "en";

export function dict(locale: EmailLocale): EmailDictionary {
  return locale === "en" ? en : fr;
}

export function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? `{${k}}`));
}

export function amount(minor: number, currency: string, locale: EmailLocale): string {
  const digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  // Narrow no-break spaces confuse some mail clients: use plain no-break spaces.
  return new Intl.NumberFormat(dict(locale).locale, { style: "currency", currency })
    .format(minor / 10 ** digits)
    .replace(/\u202f/g, "\u00a0");
}

export function date(value: Date, locale: EmailLocale): string {
  return new Intl.DateTimeFormat(dict(locale).locale, { day: "2-digit", month: "2-digit", year: "numeric", timeZone: "UTC" }).format(value);
}
