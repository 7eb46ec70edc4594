import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, NavLink, Outlet, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { FRENCH_TIME_ZONE } from "~/domain/clock";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { LanguageSwitcher } from "~/components/language-switcher";
import { makeT, type MessageKey } from "~/i18n";
import { useRootLocale } from "~/root";
import { inboxCounts } from "~/services/backoffice/inbox.server";
import { missingRates } from "~/services/legal/rates.server";
import { db } from "~/utils/db.server";
import { requireStaff } from "~/utils/staff-session.server";

/** The creditor's face: navigation with what needs attention. */
export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const now = new Date();
  const [creditor, counts, rates] = await Promise.all([
    db.creditor.findUniqueOrThrow({ where: { id: staff.creditorId }, select: { legalName: true, dunningEnabled: true, timeZone: true } }),
    inboxCounts(db, staff.creditorId, now),
    missingRates(db, staff.creditorId, now),
  ]);
  return json({ staff: { name: staff.name, role: staff.role }, creditor, counts, missingRates: rates });
}

/** The staff's creditor's time zone, for the moments back-office pages show (decision 012). */
export function useCreditorTimeZone(): string {
  return useRouteLoaderData<typeof loader>("routes/app")?.creditor.timeZone ?? FRENCH_TIME_ZONE;
}

export default function BackOffice() {
  const { staff, creditor, counts, missingRates } = useLoaderData<typeof loader>();
  const locale = useRootLocale();
  const t = makeT(locale);
  return (
    <>
      <header className="topbar">
        <div className="page wide">
          <NavLink to="/app" className="brand" end>
            <span className="brand-dot" aria-hidden="true" />
            {creditor.legalName}
          </NavLink>
          <nav aria-label={t("staff.title")}>
            <ul className="nav">
              <li>
                <NavLink to="/app" end>
                  {t("nav.inbox")}{" "}
                  {counts.total > 0 ? (
                    <span className="badge" aria-label={t("nav.pending", { count: counts.total })}>
                      {counts.total}
                    </span>
                  ) : null}
                </NavLink>
              </li>
              <li>
                <NavLink to="/app/debtors">{t("nav.debtors")}</NavLink>
              </li>
              <li>
                <NavLink to="/app/invoices">{t("nav.invoices")}</NavLink>
              </li>
              <li>
                <NavLink to="/app/kpis">{t("nav.kpis")}</NavLink>
              </li>
              <li>
                <NavLink to="/app/import">{t("bo.nav.import")}</NavLink>
              </li>
              <li>
                <NavLink to="/app/policies">{t("policies.nav")}</NavLink>
              </li>
              <li>
                <NavLink to="/app/rates">{t("bo.rates.nav")}</NavLink>
              </li>
              <li>
                <NavLink to="/app/accounting">{t("export.title")}</NavLink>
              </li>
              <li>
                <NavLink to="/app/settings">{t("nav.settings")}</NavLink>
              </li>
              <li>
                <NavLink to="/app/team">{t("accounts.nav.team")}</NavLink>
              </li>
              {staff.role === "OWNER" ? (
                <li>
                  <NavLink to="/app/webhooks">{t("webhooks.nav")}</NavLink>
                </li>
              ) : null}
              {staff.role === "OWNER" ? (
                <li>
                  <NavLink to="/app/setup">{t("onboarding.golive.nav")}</NavLink>
                </li>
              ) : null}
            </ul>
          </nav>
          <span className="spacer" />
          <NavLink to="/app/account">
            <span className="visually-hidden">{t("accounts.nav.account")} — </span>
            {staff.name}
          </NavLink>
          <LanguageSwitcher locale={locale} />
          <Form method="post" action="/logout">
            <button type="submit" className="link">
              {t("nav.logout")}
            </button>
          </Form>
        </div>
      </header>
      <main id="main" className="page wide">
        {!creditor.dunningEnabled ? (
          // Until the owner switches dunning on (go-live checklist), the engine sends nothing to the debtors.
          <p className="notice" data-testid="dunning-off">
            {t("onboarding.golive.banner")}{" "}
            {staff.role === "OWNER" ? (
              <Link to="/app/setup">{t("onboarding.golive.bannerLink")}</Link>
            ) : (
              t("onboarding.golive.bannerAskOwner")
            )}
          </p>
        ) : null}
        {missingRates.tables.length > 0 ? (
          // Until the semester's rates are recorded, every penalty and legal-interest figure is an estimate.
          <p className="notice" data-testid="rates-missing">
            {t("bo.rates.missing", {
              semester: missingRates.semester,
              tables: missingRates.tables.map((table) => t(`bo.rates.table.${table}` as MessageKey)).join(", "),
            })}{" "}
            <Link to="/app/rates">{t("bo.rates.missingLink")}</Link>
          </p>
        ) : null}
        <Outlet />
      </main>
    </>
  );
}

/** A missing debtor, invoice or page, or a failure, in the staff member's language with a way back to the inbox. */
export function ErrorBoundary() {
  return <GeneralErrorBoundary home={{ to: "/app", label: "error.backofficeHome" }} />;
}
