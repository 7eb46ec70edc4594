import { isLocale, translate, type Locale, type MessageKey } from "~/i18n";

/** What a route's `meta` receives of the matched routes (their ids and loader data). */
type Match = { id: string; data: unknown };

const creditorOf = (matches: Match[], layout: string): { legalName?: string; brandName?: string | null } | undefined =>
  (matches.find((m) => m.id === layout)?.data as { creditor?: { legalName?: string; brandName?: string | null } } | undefined)?.creditor;

const localeOf = (matches: Match[]): Locale => {
  const locale = (matches.find((m) => m.id === "root")?.data as { locale?: unknown } | undefined)?.locale;
  return isLocale(locale) ? locale : "fr";
};

/**
 * The document title of a page (WCAG 2.4.2): the page first, then whose space
 * it is — "Vos factures — Atelier Durand" in the portal, "Factures — Atelier
 * Durand SAS" in the back-office. The creditor comes from the layout's loader
 * (portal: the brand name the debtor knows; back-office: the legal name), the
 * language from the root's.
 */
export function pageTitle(matches: Match[], key: MessageKey, vars?: Record<string, string | number>) {
  const locale = localeOf(matches);
  const portal = creditorOf(matches, "routes/portal");
  const backOffice = creditorOf(matches, "routes/app");
  const owner = portal ? (portal.brandName ?? portal.legalName) : backOffice?.legalName;
  const page = translate(locale, key, vars);
  return [{ title: owner ? `${page} — ${owner}` : `${page} — ${translate(locale, "app.name")}` }];
}
