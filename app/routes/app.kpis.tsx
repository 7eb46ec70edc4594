import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BarChart, LineChart } from "~/components/charts";
import { formatAmount, formatDate } from "~/components/money";
import { minorDigits } from "~/domain/money";
import { makeT, type MessageKey } from "~/i18n";
import { useRootLocale } from "~/root";
import { creditorKpis } from "~/services/backoffice/kpis.server";
import { db } from "~/utils/db.server";
import { requireStaff } from "~/utils/staff-session.server";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "nav.kpis");

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  return json(await creditorKpis(db, staff.creditorId, new Date()));
}

/**
 * Graduations and bar labels: "12,4 k€" / "€12.4k" (the data table keeps the exact amount). Written by hand
 * rather than with Intl's compact notation, whose output differs between Node's and the browser's ICU.
 */
function compactAmount(minor: number, currency: string, locale: "fr" | "en") {
  const major = minor / 10 ** minorDigits(currency);
  const [scaled, suffix] =
    major >= 1e6 ? [major / 1e6, locale === "fr" ? " M" : "m"] : major >= 1e3 ? [major / 1e3, locale === "fr" ? " k" : "k"] : [major, ""];
  const tag = locale === "fr" ? "fr-FR" : "en-GB";
  const number = new Intl.NumberFormat(tag, { maximumFractionDigits: 1 }).format(scaled);
  const symbol =
    new Intl.NumberFormat(tag, { style: "currency", currency }).formatToParts(0).find((p) => p.type === "currency")?.value ?? currency;
  return locale === "fr" ? `${number}${suffix || " "}${symbol}` : `${symbol}${number}${suffix}`;
}

export default function Kpis() {
  const k = useLoaderData<typeof loader>();
  const locale = useRootLocale();
  const t = makeT(locale);
  const money = (minor: number) => formatAmount(minor, k.currency, locale);
  const short = (minor: number) => compactAmount(minor, k.currency, locale);
  const axis = (x: string) => ({ x, y: t("chart.axis.amount", { currency: k.currency }), tick: short });
  const pct = (value: number | null) => (value === null ? "—" : `${value.toLocaleString(locale === "fr" ? "fr-FR" : "en-GB")} %`);
  const dsoMethod = t("bo.kpi.dsoMethod", { days: k.dso.window });
  const shortDate = (iso: string) =>
    new Intl.DateTimeFormat(locale === "fr" ? "fr-FR" : "en-GB", { day: "2-digit", month: "2-digit", timeZone: "UTC" }).format(
      new Date(iso),
    );

  return (
    <div className="stack kpis">
      <h1>{t("nav.kpis")}</h1>
      <p className="muted">{t("bo.kpi.asOf", { date: formatDate(k.asOf, locale), currency: k.currency })}</p>

      <div className="kpi-cards">
        <div className="card kpi">
          <h2 className="kpi-name">{t("bo.kpi.openBalance")}</h2>
          <p className="kpi-value">{money(k.openBalance)}</p>
          <p className="muted">{t("bo.kpi.overdue", { amount: money(k.overdueBalance) })}</p>
        </div>
        <div className="card kpi">
          <h2 className="kpi-name">
            <abbr title={dsoMethod}>DSO</abbr>
          </h2>
          <p className="kpi-value">
            {k.dso.days === null ? "—" : t("bo.kpi.days", { days: k.dso.days.toLocaleString(locale === "fr" ? "fr-FR" : "en-GB") })}
          </p>
          <p className="muted" id="dso-method">
            {dsoMethod}
          </p>
        </div>
        <div className="card kpi">
          <h2 className="kpi-name">
            <abbr title={t("bo.kpi.ceiMethod")}>CEI</abbr>
          </h2>
          <p className="kpi-value">
            {pct(k.cei30)} <span className="muted kpi-sub">{t("bo.kpi.last30")}</span>
          </p>
          <p className="kpi-value">
            {pct(k.cei90)} <span className="muted kpi-sub">{t("bo.kpi.last90")}</span>
          </p>
          <p className="muted">{t("bo.kpi.ceiMethod")}</p>
        </div>
        <div className="card kpi">
          <h2 className="kpi-name">{t("bo.kpi.plans")}</h2>
          <p>{t("bo.kpi.plansActive", { count: k.plans.active })}</p>
          <p>{t("bo.kpi.plansDefaulted", { count: k.plans.defaulted })}</p>
          <p className="muted">{t("bo.kpi.plansProposed", { count: k.plans.proposed })}</p>
        </div>
        <div className="card kpi">
          <h2 className="kpi-name">{t("bo.kpi.disputes")}</h2>
          <p>{t("bo.kpi.disputesOpen", { count: k.disputes.open })}</p>
          <p>
            {k.disputes.medianDaysToResolve === null
              ? t("bo.kpi.disputesNoMedian")
              : t("bo.kpi.disputesMedian", {
                  days: k.disputes.medianDaysToResolve.toLocaleString(locale === "fr" ? "fr-FR" : "en-GB"),
                  count: k.disputes.resolved,
                })}
          </p>
        </div>
      </div>

      <div className="charts">
        <section aria-labelledby="aging-title">
          <h2 id="aging-title">{t("bo.kpi.aging")}</h2>
          <BarChart
            title={t("bo.kpi.agingChart")}
            description={k.aging.map((b) => `${t(`bo.bucket.${b.bucket}`)} : ${money(b.amount)}`).join(" ; ")}
            data={k.aging.map((b) => ({
              label: t(`bo.bucket.${b.bucket}`),
              value: b.amount,
              display: money(b.amount),
              short: short(b.amount),
            }))}
            columns={[t("bo.overdue"), t("invoice.balance")]}
            tableLabel={t("bo.kpi.showData")}
            axis={axis(t("chart.axis.bucket"))}
          />
          <p>
            {k.aging.map((b, i) => (
              <span key={b.bucket}>
                {i > 0 ? " · " : null}
                <Link to={`/app/invoices?bucket=${b.bucket}`}>
                  {t(`bo.bucket.${b.bucket}`)} ({b.count})
                </Link>
              </span>
            ))}
          </p>
        </section>

        <section aria-labelledby="cash-title">
          <h2 id="cash-title">{t("bo.kpi.cash")}</h2>
          <LineChart
            title={t("bo.kpi.cashChart")}
            description={t("bo.kpi.cashDesc", { total: money(k.cashWeekly.reduce((s, w) => s + w.amount, 0)) })}
            data={k.cashWeekly.map((w) => ({ label: shortDate(w.week), value: w.amount, display: money(w.amount) }))}
            columns={[t("bo.kpi.weekOf"), t("bo.kpi.collected")]}
            tableLabel={t("bo.kpi.showData")}
            axis={axis(t("chart.axis.week"))}
          />
        </section>
      </div>

      <section aria-labelledby="levels-title">
        <h2 id="levels-title">{t("bo.kpi.levels")}</h2>
        <table className="responsive">
          <caption>{t("bo.kpi.levelsCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("bo.dunningLevel")}</th>
              <th scope="col" className="num">
                {t("bo.kpi.invoices")}
              </th>
              <th scope="col" className="num">
                {t("bo.kpi.paused")}
              </th>
              <th scope="col" className="num">
                {t("invoice.balance")}
              </th>
            </tr>
          </thead>
          <tbody>
            {k.levels.length === 0 ? (
              <tr>
                <td colSpan={4}>{t("bo.none")}</td>
              </tr>
            ) : null}
            {k.levels.map((l) => (
              <tr key={l.level}>
                <th scope="row" data-label={t("bo.dunningLevel")}>
                  <Link to={`/app/invoices?level=${l.level}`}>
                    {l.level < 0
                      ? t("bo.level.none")
                      : t("bo.level.n", { n: l.level + 1, name: t(`bo.template.${l.templateKey ?? "other"}` as MessageKey) })}
                  </Link>
                </th>
                <td data-label={t("bo.kpi.invoices")} className="num">
                  {l.count}
                </td>
                <td data-label={t("bo.kpi.paused")} className="num">
                  {l.paused}
                </td>
                <td data-label={t("invoice.balance")} className="num">
                  {money(l.amount)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
