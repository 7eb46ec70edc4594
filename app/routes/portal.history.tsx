import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { formatAmount, formatDate } from "~/components/money";
import { makeT } from "~/i18n";
import { useRootLocale } from "~/root";
import { getPortalHistory, HISTORY_LIMIT } from "~/services/portal/history.server";
import { db } from "~/utils/db.server";
import { requirePortalIdentity } from "~/utils/portal-session.server";
import { pageTitle } from "~/utils/page-title";
import { staticPage } from "~/utils/hydration";

/** Links and plain forms only: the phone downloads no JavaScript for it (decision 023). */
export const handle = staticPage;

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "history.title");

/** The debtor's history: its payments and its settled or cancelled invoices, with their PDFs. */
export async function loader({ request }: LoaderFunctionArgs) {
  const identity = await requirePortalIdentity(request);
  const history = await getPortalHistory(db, identity);
  return json(history, { headers: { "Cache-Control": "private, no-store" } });
}

export default function PortalHistory() {
  const { payments, invoices, limited } = useLoaderData<typeof loader>();
  const locale = useRootLocale();
  const t = makeT(locale);
  return (
    <div className="stack">
      <p>
        <Link to="/portal">← {t("payments.status.back")}</Link>
      </p>
      <h1>{t("history.title")}</h1>
      <p>{t("history.lead")}</p>
      <p>
        <a href="/portal/statement.pdf">{t("documents.download.statement")}</a>
      </p>
      {limited ? <p className="notice">{t("history.limited", { count: HISTORY_LIMIT })}</p> : null}

      <section aria-labelledby="history-payments" className="stack">
        <h2 id="history-payments">{t("history.payments")}</h2>
        {payments.length === 0 ? (
          <p className="muted">{t("history.noPayments")}</p>
        ) : (
          <table className="responsive">
            <caption className="muted" style={{ textAlign: "left" }}>
              {t("history.paymentsCaption")}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t("history.col.date")}</th>
                <th scope="col">{t("history.col.method")}</th>
                <th scope="col" className="num">
                  {t("history.col.amount")}
                </th>
                <th scope="col">{t("history.col.status")}</th>
                <th scope="col">{t("history.col.invoices")}</th>
              </tr>
            </thead>
            <tbody>
              {payments.map((p) => (
                <tr key={p.id}>
                  <td data-label={t("history.col.date")}>{formatDate(p.date, locale)}</td>
                  <td data-label={t("history.col.method")}>{t(`history.method.${p.method}`)}</td>
                  <td data-label={t("history.col.amount")} className="num">
                    {formatAmount(p.amount, p.currency, locale)}
                  </td>
                  <td data-label={t("history.col.status")}>
                    <span className={`status ${p.status === "SUCCEEDED" ? "paid" : p.status === "PROCESSING" ? "paused" : "late"}`}>
                      {t(`history.paymentStatus.${p.status}`)}
                    </span>
                  </td>
                  <td data-label={t("history.col.invoices")}>{p.invoices.map((i) => i.number).join(", ") || "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="history-invoices" className="stack">
        <h2 id="history-invoices">{t("history.invoices")}</h2>
        {invoices.length === 0 ? (
          <p className="muted">{t("history.noInvoices")}</p>
        ) : (
          <ul className="items">
            {invoices.map((i) => {
              const money = (m: number) => formatAmount(m, i.currency, locale);
              const titleId = `invoice-${i.id}`;
              return (
                <li key={i.id} className="card stack">
                  <div className="row">
                    <h3 id={titleId} className="item-title">
                      {t("history.invoice.title", { number: i.number })}
                    </h3>
                    <span className={`status ${i.status === "PAID" ? "paid" : "due"}`}>{t(`history.invoice.${i.status}`)}</span>
                  </div>
                  <dl>
                    <div className="pair">
                      <dt>{t("history.invoice.issued")}</dt>
                      <dd>{formatDate(i.issueDate, locale)}</dd>
                    </div>
                    <div className="pair">
                      <dt>{t("history.invoice.amount")}</dt>
                      <dd>{money(i.amount)}</dd>
                    </div>
                    {i.credited > 0 ? (
                      <div className="pair">
                        <dt>{t("history.invoice.credited")}</dt>
                        <dd>− {money(i.credited)}</dd>
                      </div>
                    ) : null}
                    {i.paidAt ? (
                      <div className="pair">
                        <dt>{t("history.invoice.paidOn")}</dt>
                        <dd>{formatDate(i.paidAt, locale)}</dd>
                      </div>
                    ) : null}
                  </dl>
                  {i.payments.length === 0 ? (
                    <p className="muted">{t("history.invoice.noPayment")}</p>
                  ) : (
                    <>
                      <p className="muted" id={`${titleId}-payments`}>
                        {t("history.invoice.payments")}
                      </p>
                      <ul aria-labelledby={`${titleId}-payments`}>
                        {i.payments.map((p) => (
                          <li key={p.id}>
                            {t("history.invoice.paymentLine", {
                              date: formatDate(p.date, locale),
                              method: t(`history.method.${p.method}`),
                              amount: money(p.amount),
                              status: t(`history.paymentStatus.${p.status}`),
                            })}
                          </li>
                        ))}
                      </ul>
                    </>
                  )}
                  <p>
                    <a href={`/portal/invoices/${i.id}/pdf`}>{t("history.invoice.pdf", { number: i.number })}</a>
                  </p>
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </div>
  );
}
