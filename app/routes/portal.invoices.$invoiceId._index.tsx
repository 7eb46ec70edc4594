import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { formatAmount, formatDate } from "~/components/money";
import { daysBetween, todayIn } from "~/domain/clock";
import { makeT, type MessageKey } from "~/i18n";
import { useRootLocale } from "~/root";
import { getPortalFrame, getPortalInvoice, portalStatus } from "~/services/portal/home.server";
import { holdingPromise } from "~/services/portal/promises.server";
import { db } from "~/utils/db.server";
import { requirePortalIdentity } from "~/utils/portal-session.server";
import { pageTitle } from "~/utils/page-title";
import { invoiceBalance } from "~/domain/money";
import { staticPage } from "~/utils/hydration";
import { DiscountOffer } from "~/components/discount-offer";
import { debtorDiscountOffers, describeAppliedDiscount, describeDiscountOffers } from "~/services/payments/discount.server";
import { getLocale } from "~/utils/locale.server";

/** Links and plain forms only: the phone downloads no JavaScript for it (decision 023). */
export const handle = staticPage;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const identity = await requirePortalIdentity(request);
  // Side by side; the frame (the creditor's clock) is the layout's read of this request.
  const [invoice, frame, promise, offers, locale] = await Promise.all([
    getPortalInvoice(db, identity, params.invoiceId ?? ""),
    getPortalFrame(db, identity, context),
    holdingPromise(db, identity, params.invoiceId ?? ""),
    debtorDiscountOffers(db, identity, new Date()),
    getLocale(request),
  ]);
  // Someone else's invoice and a missing one look the same.
  if (!invoice) throw new Response("Not found", { status: 404 });
  // Late and days late on the creditor's calendar (decision 012).
  const today = todayIn(frame.creditor.timeZone, new Date());
  const openDispute = invoice.disputes.find((d) => d.status === "OPEN");
  return json(
    {
      invoice: {
        id: invoice.id,
        number: invoice.number,
        issueDate: invoice.issueDate.toISOString(),
        dueDate: invoice.dueDate.toISOString(),
        amount: invoice.amount,
        paid: invoice.amountPaid,
        credited: invoice.amountCredited,
        balance: invoiceBalance(invoice),
        currency: invoice.currency,
        description: invoice.description,
        daysLate: Math.max(0, daysBetween(invoice.dueDate, today)),
        status: portalStatus(invoice, invoice.dunningState?.pauseReason, today),
        open: invoice.status === "OPEN" || invoice.status === "PARTIALLY_PAID",
        pausedUntil: invoice.dunningState?.pausedUntil?.toISOString() ?? null,
      },
      payments: invoice.allocations
        .filter((a) => a.payment.status === "SUCCEEDED")
        .map((a) => ({ amount: a.amount, at: (a.payment.succeededAt ?? a.payment.createdAt).toISOString(), provider: a.payment.provider })),
      dispute: openDispute ? { createdAt: openDispute.createdAt.toISOString(), reason: openDispute.reason } : null,
      promise: promise ? { date: promise.promisedAt.toISOString().slice(0, 10), amount: promise.amount, currency: promise.currency } : null,
      // The early-payment discount still open on this invoice (decision 028), in the debtor's words.
      // …and the one booked when the debtor paid in time (the credit is part of "paid").
      discountApplied: describeAppliedDiscount(invoice, locale, frame.creditor.timeZone),
      discount: describeDiscountOffers(
        offers.filter((o) => o.invoiceId === invoice.id),
        locale,
      ),
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, "title.portal.invoice", { number: data?.invoice.number ?? "" });

export default function PortalInvoice() {
  const { invoice, payments, dispute, promise, discount, discountApplied } = useLoaderData<typeof loader>();
  const sent = useSearchParams()[0].get("sent");
  const locale = useRootLocale();
  const t = makeT(locale);
  const money = (m: number) => formatAmount(m, invoice.currency, locale);
  return (
    <div className="stack">
      <p>
        <Link to="/portal">← {t("portal.back")}</Link>
      </p>
      <h1>
        {t("invoice.number")} {invoice.number}
      </h1>
      <p>
        <span className={`status ${invoice.status === "late" ? "late" : invoice.status === "due" ? "due" : "paused"}`}>
          {t(`status.${invoice.status}` as MessageKey, { days: invoice.daysLate })}
        </span>
      </p>
      <dl className="card">
        <div className="pair">
          <dt>{t("invoice.issueDate")}</dt>
          <dd>{formatDate(invoice.issueDate, locale)}</dd>
        </div>
        <div className="pair">
          <dt>{t("invoice.dueDate")}</dt>
          <dd>{formatDate(invoice.dueDate, locale)}</dd>
        </div>
        <div className="pair">
          <dt>{t("invoice.amount")}</dt>
          <dd>{money(invoice.amount)}</dd>
        </div>
        <div className="pair">
          <dt>{t("invoice.paid")}</dt>
          <dd>{money(invoice.paid + invoice.credited)}</dd>
        </div>
        {discountApplied ? (
          <div className="pair">
            <dt>{discountApplied.label}</dt>
            <dd>{discountApplied.text}</dd>
          </div>
        ) : null}
        <div className="pair">
          <dt>
            <strong>{t("invoice.balance")}</strong>
          </dt>
          <dd>
            <strong>{money(invoice.balance)}</strong>
          </dd>
        </div>
      </dl>
      <DiscountOffer offer={discount} />
      <p>
        <a href={`/portal/invoices/${invoice.id}/pdf`}>{t("documents.download.invoice")}</a>
      </p>
      {invoice.description ? <p className="muted">{invoice.description}</p> : null}
      {sent === "dispute" || (sent === "promise" && !promise) ? (
        <p className="success" role="status">
          {t(sent === "dispute" ? "dispute.sent" : "promise.saved")}
        </p>
      ) : null}
      {dispute ? <p className="notice">{t("dispute.pending", { date: formatDate(dispute.createdAt, locale) })}</p> : null}
      {promise ? (
        // The promise repeats its date and amount, and is not offered again while it holds.
        <p className={sent === "promise" ? "success" : "notice"} role={sent === "promise" ? "status" : undefined}>
          {t(sent === "promise" ? "promise.confirmed" : "promise.holding", {
            amount: formatAmount(promise.amount, promise.currency, locale),
            date: formatDate(promise.date, locale),
          })}
        </p>
      ) : invoice.status === "promise" && invoice.pausedUntil ? (
        <p className="notice">{t("promise.pending")}</p>
      ) : null}
      {invoice.open && !dispute ? (
        <section aria-labelledby="actions" className="stack">
          <h2 id="actions">{t("portal.whatToDo")}</h2>
          <div className="row">
            <Link className="button" to={`/portal/pay?invoice=${invoice.id}`}>
              {t("payments.cta")}
            </Link>
            {promise ? null : (
              <Link className="button secondary" to="promise">
                {t("promise.cta")}
              </Link>
            )}
            <Link className="button secondary" to="dispute">
              {t("dispute.cta")}
            </Link>
          </div>
        </section>
      ) : null}
      {payments.length > 0 ? (
        <section aria-labelledby="payments">
          <h2 id="payments">{t("portal.payments")}</h2>
          <ul>
            {payments.map((p, i) => (
              <li key={i}>
                {formatDate(p.at, locale)} — {money(p.amount)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
