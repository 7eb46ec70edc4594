import * as server from "./dictionaries.server";
import type { MessageKey } from "./fr";

export type Locale = "fr" | "en";
export type { MessageKey };
export const LOCALES: readonly Locale[] = ["fr", "en"];
export const DEFAULT_LOCALE: Locale = "fr";

// On the server, every word; in the browser (where dictionaries.server is empty) the words the
// page's scripts brought, installed by entry.client before hydration.
const dictionaries: Record<Locale, Partial<Record<MessageKey, string>>> = server.fr ? { fr: server.fr, en: server.en } : { fr: {}, en: {} };

/** Browser only: adds words to the dictionaries (entry.client, before hydrating). */
export function installWords(words: Partial<Record<Locale, Partial<Record<MessageKey, string>>>>) {
  for (const locale of LOCALES) Object.assign(dictionaries[locale], words[locale]);
}

export function isLocale(value: unknown): value is Locale {
  return value === "fr" || value === "en";
}

/** Translates a key, replacing `{name}` placeholders. */
export function translate(locale: Locale, key: MessageKey, vars?: Record<string, string | number>): string {
  const template = dictionaries[locale][key] ?? key;
  if (!vars) return template;
  // French elides "de" before a vowel: "les factures de {creditor}" → "les factures d'Atelier Durand".
  const elided =
    locale === "fr"
      ? template.replace(/(?<!\p{L})([Dd])e \{(\w+)\}/gu, (whole, d: string, name: string) =>
          ELIDES.test(String(vars[name] ?? "")) ? `${d}'{${name}}` : whole,
        )
      : template;
  return elided.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
}

const ELIDES = /^[AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŒÆaeiouyàâäéèêëîïôöùûüœæ]/;

export function makeT(locale: Locale) {
  return (key: MessageKey, vars?: Record<string, string | number>) => translate(locale, key, vars);
}

/** Picks the language: explicit choice (cookie), then the browser's Accept-Language, then French. */
export function negotiateLocale(cookieValue: string | null | undefined, acceptLanguage: string | null): Locale {
  if (isLocale(cookieValue)) return cookieValue;
  for (const part of (acceptLanguage ?? "").split(",")) {
    const tag = part.split(";")[0]?.trim().slice(0, 2).toLowerCase();
    if (isLocale(tag)) return tag;
  }
  return DEFAULT_LOCALE;
}
