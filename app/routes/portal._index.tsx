import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { DiscountOffer } from "~/components/discount-offer";
import { formatAmount, formatDate } from "~/components/money";
import { makeT, type MessageKey } from "~/i18n";
import { useRootLocale } from "~/root";
import { portalDiscountOffer } from "~/services/payments/discount.server";
import { getPortalHome } from "~/services/portal/home.server";
import { db } from "~/utils/db.server";
import { getLocale } from "~/utils/locale.server";
import { requirePortalIdentity } from "~/utils/portal-session.server";
import { pageTitle } from "~/utils/page-title";
import { staticPage } from "~/utils/hydration";

/** Links and plain forms only: the phone downloads no JavaScript for it (decision 023). */
export const handle = staticPage;

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "title.portal.home");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const identity = await requirePortalIdentity(request);
  const [home, discount] = await Promise.all([
    getPortalHome(db, identity, new Date(), context),
    getLocale(request).then((locale) => portalDiscountOffer(db, identity, new Date(), locale)),
  ]);
  return json({ ...home, discount, attempt: crypto.randomUUID() }, { headers: { "Cache-Control": "private, no-store" } });
}

export default function PortalHome() {
  const { debtor, invoices, totals, claim, lateCharges, nextStep, plans, attempt, discount } = useLoaderData<typeof loader>();
  const locale = useRootLocale();
  const t = makeT(locale);
  const creditorName = debtor.creditor.brandName ?? debtor.creditor.legalName;
  // Column names, repeated on every row for the stacked mobile layout: translated once.
  const label = {
    number: t("invoice.number"),
    dueDate: t("invoice.dueDate"),
    amount: t("invoice.amount"),
    paid: t("invoice.paid"),
    balance: t("invoice.balance"),
    status: t("invoice.status"),
    pay: t("payments.cta"),
  };
  return (
    <div className="stack">
      <h1>{t("portal.owedTo", { creditor: creditorName })}</h1>
      <p className="muted">{debtor.name}</p>
      <section className="card" aria-labelledby="claim">
        <h2 id="claim" style={{ marginTop: 0 }}>
          {t("claim.title")}
        </h2>
        <div className="total">{formatAmount(claim.total, totals.currency, locale)}</div>
        {claim.interest + claim.indemnity > 0 ? (
          <>
            <table className="breakdown">
              <tbody>
                <tr>
                  <th scope="row">{t("claim.principal")}</th>
                  <td className="num">{formatAmount(claim.principal, totals.currency, locale)}</td>
                </tr>
                <tr>
                  <th scope="row">
                    {t(`claim.interest.${debtor.kind}` as MessageKey)}
                    {lateCharges.estimated ? <span className="muted"> ({t("documents.interest.estimatedInline")})</span> : null}
                  </th>
                  <td className="num">{formatAmount(claim.interest, totals.currency, locale)}</td>
                </tr>
                {claim.indemnity > 0 ? (
                  <tr>
                    <th scope="row">{t("claim.indemnity", { count: lateCharges.invoices })}</th>
                    <td className="num">{formatAmount(claim.indemnity, "EUR", locale)}</td>
                  </tr>
                ) : null}
                <tr>
                  <th scope="row">{t("claim.total")}</th>
                  <td className="num">
                    <strong>{formatAmount(claim.total, totals.currency, locale)}</strong>
                  </td>
                </tr>
              </tbody>
            </table>
            <p className="muted">{t(`claim.note.${debtor.kind}` as MessageKey)}</p>
          </>
        ) : null}
        {totals.overdue > 0 ? <p>{t("claim.overdue", { amount: formatAmount(totals.overdue, totals.currency, locale) })}</p> : null}
        {totals.planned > 0 ? <p>{t("claim.planned", { amount: formatAmount(totals.planned, totals.currency, locale) })}</p> : null}
        {nextStep ? (
          <p role="note">
            {t(`nextStep.${nextStep.channel}` as MessageKey, { date: formatDate(nextStep.date, locale), creditor: creditorName })}
          </p>
        ) : null}
      </section>
      <DiscountOffer offer={discount} />
      {invoices.length > 0 ? (
        <p className="row">
          <Link className="button" to="/portal/pay">
            {t("payments.cta")}
          </Link>
          {invoices.some((i) => i.status === "late" || i.status === "due") ? (
            <Link className="button secondary" to="/portal/plan">
              {t("plan.cta")}
            </Link>
          ) : null}
        </p>
      ) : null}
      {plans.length > 0 ? (
        <section aria-labelledby="plans">
          <h2 id="plans">{t("payments.plan.title")}</h2>
          <ul>
            {plans.map((p) => (
              <li key={p.id}>
                {p.next ? (
                  <>
                    <strong>{t("plan.next.title")}</strong> :{" "}
                    <Link to={`/portal/plans/${p.id}`}>
                      {t("plan.next.line", {
                        amount: formatAmount(p.next.amount, p.currency, locale),
                        date: formatDate(p.next.dueDate, locale),
                      })}
                    </Link>{" "}
                    {p.next.autoDebit ? (
                      <span className="muted">{t("plan.next.autoDebit", { date: formatDate(p.next.dueDate, locale) })}</span>
                    ) : p.next.processing ? (
                      <span className="status paused">{t("status.payment_pending")}</span>
                    ) : (
                      // The same form as the plan page's pay button: one tap to the card payment of this installment.
                      <Form method="post" action={`/portal/plans/${p.id}`} style={{ display: "inline" }}>
                        <input type="hidden" name="intent" value="pay" />
                        <input type="hidden" name="method" value="card" />
                        <input type="hidden" name="installmentId" value={p.next.id} />
                        <input type="hidden" name="attempt" value={attempt} />
                        <button type="submit" className="small">
                          {t("plan.next.pay")}
                        </button>
                      </Form>
                    )}
                    <br />
                    <span className="muted">
                      {t("plan.next.remaining", { count: p.remaining.count, amount: formatAmount(p.remaining.amount, p.currency, locale) })}
                    </span>
                  </>
                ) : (
                  <>
                    <Link to={`/portal/plans/${p.id}`}>
                      {formatDate(p.createdAt, locale)} — {formatAmount(p.totalAmount, p.currency, locale)}
                    </Link>{" "}
                    <span className="status paused">{t(`payments.plan.state.${p.status}` as MessageKey)}</span>
                  </>
                )}
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
          <caption className="muted" style={{ textAlign: "left" }}>
            {t("portal.openInvoicesCaption")}
          </caption>
          <thead>
            <tr>
              <th scope="col">{label.number}</th>
              <th scope="col">{label.dueDate}</th>
              <th scope="col" className="num">
                {label.amount}
              </th>
              <th scope="col" className="num">
                {label.paid}
              </th>
              <th scope="col" className="num">
                {label.balance}
              </th>
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
                <td data-label={label.amount} className="num">
                  {formatAmount(i.amount, i.currency, locale)}
                </td>
                <td data-label={label.paid} className="num">
                  {formatAmount(i.paid, i.currency, locale)}
                </td>
                <td data-label={label.balance} className="num">
                  <strong>{formatAmount(i.balance, i.currency, locale)}</strong>
                </td>
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
                      <button
                        type="submit"
                        className="small"
                        aria-label={t("portal.payInvoiceLabel", { amount: formatAmount(i.balance, i.currency, locale), number: i.number })}
                      >
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
