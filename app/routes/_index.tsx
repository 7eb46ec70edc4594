import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { LanguageSwitcher } from "~/components/language-switcher";
import { makeT } from "~/i18n";
import { useRootLocale } from "~/root";
import { needsSetup } from "~/services/onboarding/setup.server";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";

export async function loader() {
  return json({ setup: await needsSetup(db), signup: getEnv().SIGNUP === "open" });
}

export default function Index() {
  const { setup, signup } = useLoaderData<typeof loader>();
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
        {setup ? (
          <section className="notice" aria-labelledby="setup-title">
            <h2 id="setup-title">{t("onboarding.home.setupTitle")}</h2>
            <p>{t("onboarding.home.setupLead")}</p>
          </section>
        ) : (
          <p className="notice">{t("home.portal")}</p>
        )}
        <p className="row">
          <Link className="button secondary" to="/login">
            {t("home.staff")}
          </Link>
          {signup ? (
            <Link className="button secondary" to="/signup">
              {t("onboarding.home.signup")}
            </Link>
          ) : null}
        </p>
      </main>
    </>
  );
}
