import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { LateChargesSummary } from "~/components/late-charges";
import { formatAmount, formatDate } from "~/components/money";
import { makeT, type MessageKey } from "~/i18n";
import { useRootLocale } from "~/root";
import { getPortalHome } from "~/services/portal/home.server";
import { db } from "~/utils/db.server";
import { requirePortalIdentity } from "~/utils/portal-session.server";

export const meta: MetaFunction = () => [{ title: "relance" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const identity = await requirePortalIdentity(request);
  const [home, plans] = await Promise.all([
    getPortalHome(db, identity, new Date()),
    db.installmentPlan.findMany({
      where: { creditorId: identity.creditorId, debtorId: identity.debtorId, status: { in: ["PROPOSED", "COUNTERED", "ACTIVE", "DEFAULTED"] } },
      orderBy: { createdAt: "desc" },
      select: { id: true, status: true, totalAmount: true, currency: true, createdAt: true },
    }),
  ]);
  return json({ ...home, plans }, { headers: { "Cache-Control": "private, no-store" } });
}

export default function PortalHome() {
  const { debtor, invoices, totals, lateCharges, plans } = useLoaderData<typeof loader>();
  const locale = useRootLocale();
  const t = makeT(locale);
  const creditorName = debtor.creditor.brandName ?? debtor.creditor.legalName;
  // Column names, repeated on every row for the stacked mobile layout: translated once.
  const label = {
    number: t("invoice.number"), dueDate: t("invoice.dueDate"), amount: t("invoice.amount"),
    paid: t("invoice.paid"), balance: t("invoice.balance"), status: t("invoice.status"), pay: t("payments.cta"),
  };
  return (
    <div className="stack">
      <h1>{t("portal.owedTo", { creditor: creditorName })}</h1>
      <p className="muted">{debtor.name}</p>
      <section className="card row" aria-label={t("portal.summary")}>
        <div>
          <div className="muted">{t("portal.totalDue")}</div>
          <div className="total">{formatAmount(totals.totalDue, totals.currency, locale)}</div>
        </div>
        <div>
          <div className="muted">{t("portal.overdue")}</div>
          <div className="total">{formatAmount(totals.overdue, totals.currency, locale)}</div>
        </div>
      </section>
      {lateCharges.interest + lateCharges.indemnity > 0 ? (
        <LateChargesSummary lateCharges={lateCharges} currency={totals.currency} locale={locale} />
      ) : null}
      {invoices.length > 0 ? (
        <p className="row">
          <Link className="button" to="/portal/pay">{t("payments.cta")}</Link>
          {invoices.some((i) => i.status === "late" || i.status === "due") ? (
            <Link className="button secondary" to="/portal/plan">{t("plan.cta")}</Link>
          ) : null}
        </p>
      ) : null}
      {plans.length > 0 ? (
        <section aria-labelledby="plans">
          <h2 id="plans">{t("payments.plan.title")}</h2>
          <ul>
            {plans.map((p) => (
              <li key={p.id}>
                <Link to={`/portal/plans/${p.id}`}>
                  {formatDate(p.createdAt, locale)} — {formatAmount(p.totalAmount, p.currency, locale)}
                </Link>{" "}
                <span className="status paused">{t(`payments.plan.state.${p.status}` as MessageKey)}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <h2>{t("portal.openInvoices")}</h2>
      {invoices.length === 0 ? (
        <p className="success">{t("portal.nothingDue")}</p>
      ) : (
        <table className="responsive">
          <caption className="muted" style={{ textAlign: "left" }}>{t("portal.openInvoicesCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{label.number}</th>
              <th scope="col">{label.dueDate}</th>
              <th scope="col" className="num">{label.amount}</th>
              <th scope="col" className="num">{label.paid}</th>
              <th scope="col" className="num">{label.balance}</th>
              <th scope="col">{label.status}</th>
              <th scope="col">{label.pay}</th>
            </tr>
          </thead>
          <tbody>
            {invoices.map((i) => (
              <tr key={i.id}>
                <td data-label={label.number}>
                  <Link to={`/portal/invoices/${i.id}`}>{i.number}</Link>
                </td>
                <td data-label={label.dueDate}>{formatDate(i.dueDate, locale)}</td>
                <td data-label={label.amount} className="num">{formatAmount(i.amount, i.currency, locale)}</td>
                <td data-label={label.paid} className="num">{formatAmount(i.paid, i.currency, locale)}</td>
                <td data-label={label.balance} className="num"><strong>{formatAmount(i.balance, i.currency, locale)}</strong></td>
                <td data-label={label.status}>
                  <span className={`status ${i.status === "late" ? "late" : i.status === "due" ? "due" : "paused"}`}>
                    {t(`status.${i.status}` as MessageKey, { days: i.daysLate })}
                  </span>
                </td>
                <td data-label={label.pay}>
                  {i.balance > 0 ? (
                    // One tap: the pay page opens with this invoice alone selected (a plain GET form, no script needed).
                    <Form method="get" action="/portal/pay">
                      <input type="hidden" name="invoice" value={i.id} />
                      <button type="submit" className="small" aria-label={t("portal.payInvoiceLabel", { amount: formatAmount(i.balance, i.currency, locale), number: i.number })}>
                        {t("portal.payInvoice", { amount: formatAmount(i.balance, i.currency, locale) })}
                      </button>
                    </Form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="row">
        <Link to="/portal/history">{t("history.cta")}</Link>
        <a href="/portal/statement.pdf">{t("documents.download.statement")}</a>
      </p>
      <p className="muted">
        {t("portal.questions")}{" "}
        {debtor.creditor.contactEmail ? <a href={`mailto:${debtor.creditor.contactEmail}`}>{debtor.creditor.contactEmail}</a> : null}
        {debtor.creditor.contactPhone ? ` · ${debtor.creditor.contactPhone}` : null}
      </p>
    </div>
  );
}
