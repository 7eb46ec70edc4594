import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { formatAmount } from "~/components/money";
import { SortHeader } from "~/components/sort-header";
import { makeT } from "~/i18n";
import { useRootLocale } from "~/root";
import { DEFAULT_DEBTOR_SORT, RISK_SEGMENTS } from "~/domain/lists";
import { listDebtors, parseDebtorFilters } from "~/services/backoffice/debtors.server";
import { debtorsOverLimit } from "~/services/backoffice/credit-policy.server";
import { db } from "~/utils/db.server";
import { requireStaff } from "~/utils/staff-session.server";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "nav.debtors");

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const url = new URL(request.url);
  const { defaultCurrency } = await db.creditor.findUniqueOrThrow({ where: { id: staff.creditorId }, select: { defaultCurrency: true } });
  const filters = parseDebtorFilters(url.searchParams, defaultCurrency);
  const list = await listDebtors(db, staff.creditorId, filters, new Date());
  const overLimit = await debtorsOverLimit(
    db,
    staff.creditorId,
    list.debtors.map((d) => d.id),
  );
  return json({
    filters,
    // What was typed in the amount fields, shown back as typed.
    typed: { min: url.searchParams.get("min") ?? "", max: url.searchParams.get("max") ?? "" },
    ...list,
    // Credit policy (decision 025): the debtors of this page over their credit limit.
    overLimit: [...overLimit],
  });
}

export default function Debtors() {
  const { filters, typed, currency, debtors, total, page, pages, overLimit } = useLoaderData<typeof loader>();
  const locale = useRootLocale();
  const t = makeT(locale);
  const location = useLocation();
  const order = filters.order ?? DEFAULT_DEBTOR_SORT;
  const sorted = { asc: t("list.sortedAsc"), desc: t("list.sortedDesc") };
  const pageLink = (p: number) => {
    const params = new URLSearchParams(location.search);
    params.set("page", String(p));
    return `?${params}`;
  };
  const exportParams = new URLSearchParams(location.search);
  exportParams.delete("page");
  return (
    <div className="stack">
      <h1>{t("nav.debtors")}</h1>
      <Form method="get" role="search" className="card filters" aria-labelledby="filters-title">
        <h2 id="filters-title" className="h-small">
          {t("bo.filters")}
        </h2>
        <div className="filter-grid">
          <div className="field">
            <label htmlFor="q">{t("bo.debtors.search")}</label>
            <input id="q" name="q" type="search" defaultValue={filters.q ?? ""} />
          </div>
          <div className="field">
            <label htmlFor="f-segment">{t("list.segment")}</label>
            <select id="f-segment" name="segment" defaultValue={filters.segment ?? ""}>
              <option value="">{t("bo.all")}</option>
              {RISK_SEGMENTS.map((s) => (
                <option key={s} value={s}>
                  {t(`bo.segment.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-min">{t("list.balanceMin", { currency })}</label>
            <input id="f-min" name="min" inputMode="decimal" defaultValue={typed.min} aria-describedby="f-balance-hint" />
          </div>
          <div className="field">
            <label htmlFor="f-max">{t("list.balanceMax", { currency })}</label>
            <input id="f-max" name="max" inputMode="decimal" defaultValue={typed.max} aria-describedby="f-balance-hint" />
          </div>
          <div className="field">
            <label className="choice">
              <input type="checkbox" name="overdue" value="1" defaultChecked={filters.overdue} /> {t("list.overdueOnly")}
            </label>
          </div>
        </div>
        <p className="muted" id="f-balance-hint">
          {t("list.balanceHint", { currency })}
        </p>
        {order.sort !== DEFAULT_DEBTOR_SORT.sort || order.dir !== DEFAULT_DEBTOR_SORT.dir ? (
          <>
            <input type="hidden" name="sort" value={order.sort} />
            <input type="hidden" name="dir" value={order.dir} />
          </>
        ) : null}
        <div className="row">
          <button type="submit" className="secondary">
            {t("bo.search")}
          </button>
          <a href={`/app/debtors.csv?${exportParams}`} download className="button secondary" aria-describedby="export-hint">
            {t("list.exportCsv")}
          </a>
          <span className="muted" id="export-hint">
            {t("list.exportHint")}
          </span>
        </div>
      </Form>
      <table className="responsive">
        <caption>{t("bo.debtors.caption", { total })}</caption>
        <thead>
          <tr>
            <SortHeader column="name" label={t("bo.debtor")} order={order} sortedLabel={sorted} />
            <SortHeader column="externalRef" label={t("bo.externalRef")} order={order} sortedLabel={sorted} />
            <th scope="col">{t("bo.email")}</th>
            <SortHeader column="segment" label={t("bo.segment")} order={order} sortedLabel={sorted} />
            <SortHeader column="balance" label={t("bo.openBalance")} order={order} sortedLabel={sorted} className="num" />
          </tr>
        </thead>
        <tbody>
          {debtors.length === 0 ? (
            <tr>
              <td colSpan={5}>{t("bo.debtors.none")}</td>
            </tr>
          ) : null}
          {debtors.map((d) => (
            <tr key={d.id}>
              <td data-label={t("bo.debtor")}>
                <Link to={`/app/debtors/${d.id}`}>{d.name}</Link>
                {d.insolvencies.length > 0 ? <span className="status late"> {t("solvency.insolvencyFlag")}</span> : null}
                {d.solvency?.status === "CEASED" ? <span className="status late"> {t("solvency.ceasedFlag")}</span> : null}
                {overLimit.includes(d.id) ? <span className="status late"> {t("credit.overLimitBadge")}</span> : null}
              </td>
              <td data-label={t("bo.externalRef")}>{d.externalRef}</td>
              <td data-label={t("bo.email")}>{d.email ?? <span className="muted">{t("bo.missing")}</span>}</td>
              <td data-label={t("bo.segment")}>{t(`bo.segment.${d.riskSegmentManual ?? d.riskSegment}`)}</td>
              <td data-label={t("bo.openBalance")} className="num">
                {d.balances.length === 0 ? "—" : d.balances.map((b) => formatAmount(b.amount, b.currency, locale)).join(" + ")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <nav aria-label={t("bo.pagination")} className="row">
        {page > 1 ? (
          <Link to={pageLink(page - 1)} rel="prev">
            {t("bo.prev")}
          </Link>
        ) : null}
        <span className="muted">{t("bo.pageOf", { page, pages })}</span>
        {page < pages ? (
          <Link to={pageLink(page + 1)} rel="next">
            {t("bo.next")}
          </Link>
        ) : null}
      </nav>
    </div>
  );
}
