import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { formatAmount } from "~/components/money";
import { makeT } from "~/i18n";
import { useRootLocale } from "~/root";
import { listDebtors } from "~/services/backoffice/debtors.server";
import { db } from "~/utils/db.server";
import { requireStaff } from "~/utils/staff-session.server";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "nav.debtors");

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const url = new URL(request.url);
  const q = url.searchParams.get("q")?.trim() ?? "";
  const page = Math.max(1, Number(url.searchParams.get("page")) || 1);
  return json({ q, ...(await listDebtors(db, staff.creditorId, { q, page })) });
}

export default function Debtors() {
  const { q, debtors, total, page, pages } = useLoaderData<typeof loader>();
  const locale = useRootLocale();
  const t = makeT(locale);
  const pageLink = (p: number) => `?${new URLSearchParams({ ...(q ? { q } : {}), page: String(p) })}`;
  return (
    <div className="stack">
      <h1>{t("nav.debtors")}</h1>
      <Form method="get" role="search" className="row">
        <label htmlFor="q">{t("bo.debtors.search")}</label>
        <input id="q" name="q" type="search" defaultValue={q} className="grow" />
        <button type="submit" className="secondary">
          {t("bo.search")}
        </button>
      </Form>
      <table className="responsive">
        <caption>{t("bo.debtors.caption", { total })}</caption>
        <thead>
          <tr>
            <th scope="col">{t("bo.debtor")}</th>
            <th scope="col">{t("bo.externalRef")}</th>
            <th scope="col">{t("bo.email")}</th>
            <th scope="col">{t("bo.segment")}</th>
            <th scope="col" className="num">
              {t("bo.openBalance")}
            </th>
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
