import { Link } from "@remix-run/react";
import { LanguageSwitcher } from "~/components/language-switcher";
import { makeT } from "~/i18n";
import { useRootLocale } from "~/root";

export default function Index() {
  const locale = useRootLocale();
  const t = makeT(locale);
  return (
    <>
      <header className="topbar">
        <div className="page">
          <Link to="/" className="brand">
            <span className="brand-dot" aria-hidden="true" />
            {t("app.name")}
          </Link>
          <span className="spacer" />
          <LanguageSwitcher locale={locale} />
        </div>
      </header>
      <main id="main" className="page narrow stack">
        <h1>{t("home.title")}</h1>
        <p>{t("home.lead")}</p>
        <p className="notice">{t("home.portal")}</p>
        <p>
          <Link className="button secondary" to="/login">
            {t("home.staff")}
          </Link>
        </p>
      </main>
    </>
  );
}
