import { Form, useLocation } from "@remix-run/react";
import { makeT, type Locale } from "~/i18n";

/** A plain form per language: no JavaScript needed. */
export function LanguageSwitcher({ locale }: { locale: Locale }) {
  const location = useLocation();
  const t = makeT(locale);
  const other: Locale = locale === "fr" ? "en" : "fr";
  return (
    <Form method="post" action="/language" reloadDocument>
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      <input type="hidden" name="lang" value={other} />
      <button type="submit" className="link" aria-label={`${t("nav.language")}: ${other === "fr" ? "Français" : "English"}`} lang={other}>
        {other === "fr" ? "Français" : "English"}
      </button>
    </Form>
  );
}
