import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { TimelineHead } from "~/components/timeline-head";
import { Link, useLoaderData } from "@remix-run/react";
import { formatAmount, formatDate } from "~/components/money";
import { formatDiscountRate } from "~/domain/payments/discount";
import { makeT } from "~/i18n";
import { eventLabel, levelLabel, pauseReasonLabel, stageLabel } from "~/i18n/labels";
import { useRootLocale } from "~/root";
import { useCreditorTimeZone } from "./app";
import { invoiceFile } from "~/services/backoffice/invoice-file.server";
import { db } from "~/utils/db.server";
import { pageTitle } from "~/utils/page-title";
import { requireStaff } from "~/utils/staff-session.server";

/** One invoice in the back-office: amounts, where dunning stands, payments applied, and its own timeline. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const file = await invoiceFile(db, staff.creditorId, params.invoiceId ?? "");
  // Another creditor's invoice and a missing one look the same.
  if (!file) throw new Response("Not found", { status: 404 });
  return json(file);
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, "title.bo.invoice", { number: data?.invoice.number ?? "" });

export default function InvoicePage() {
  const { invoice, stage, dunning, allocations, timeline } = useLoaderData<typeof loader>();
  const locale = useRootLocale();
  const timeZone = useCreditorTimeZone();
  const t = makeT(locale);
  const money = (minor: number, currency = invoice.currency) => formatAmount(minor, currency, locale);
  const live = ["OPEN", "PARTIALLY_PAID"].includes(invoice.status);
  return (
    <div className="stack invoice-page">
      <p>
        <Link to="/app/invoices">← {t("boInvoice.back")}</Link>
      </p>
      <h1>{t("title.bo.invoice", { number: invoice.number })}</h1>
      <dl className="card invoice-facts">
        <div className="pair">
          <dt>{t("boInvoice.debtor")}</dt>
          <dd>
            <Link to={`/app/debtors/${invoice.debtor.id}`}>{invoice.debtor.name}</Link> ({invoice.debtor.externalRef})
          </dd>
        </div>
        <div className="pair">
          <dt>{t("boInvoice.issueDate")}</dt>
          <dd>{formatDate(invoice.issueDate, locale)}</dd>
        </div>
        <div className="pair">
          <dt>{t("boInvoice.dueDate")}</dt>
          <dd>{formatDate(invoice.dueDate, locale)}</dd>
        </div>
        <div className="pair">
          <dt>{t("boInvoice.amount")}</dt>
          <dd>{money(invoice.amount)}</dd>
        </div>
        <div className="pair">
          <dt>{t("boInvoice.paid")}</dt>
          <dd>{money(invoice.amountPaid)}</dd>
        </div>
        {invoice.amountCredited > 0 ? (
          <div className="pair">
            <dt>{t("boInvoice.credited")}</dt>
            <dd>{money(invoice.amountCredited)}</dd>
          </div>
        ) : null}
        <div className="pair">
          <dt>{t("boInvoice.balance")}</dt>
          <dd>
            <strong>{money(invoice.balance)}</strong>
          </dd>
        </div>
        {invoice.discountRateBps && invoice.discountUntil ? (
          <div className="pair">
            <dt>{t("discount.invoice.applied")}</dt>
            <dd>
              {invoice.discountAmount && invoice.discountAppliedAt
                ? t("discount.applied", {
                    rate: formatDiscountRate(invoice.discountRateBps, locale),
                    date: formatDate(invoice.discountAppliedAt, locale),
                    amount: money(invoice.discountAmount),
                  })
                : t("discount.mention.offered", {
                    rate: formatDiscountRate(invoice.discountRateBps, locale),
                    date: formatDate(invoice.discountUntil, locale),
                  })}
            </dd>
          </div>
        ) : null}
        <div className="pair">
          <dt>{t("boInvoice.status")}</dt>
          <dd>{t(`bo.invoiceStatus.${invoice.status}`)}</dd>
        </div>
      </dl>

      <section aria-labelledby="dunning-title" className="card">
        <h2 id="dunning-title" className="h-small">
          {t("boInvoice.stage")}
        </h2>
        <p data-testid="dunning-state">
          <strong>{stageLabel(locale, stage)}</strong>
          {live && dunning?.pauseReason ? (
            <>
              {" — "}
              {dunning.pausedUntil
                ? t("boInvoice.pausedUntil", {
                    reason: pauseReasonLabel(locale, dunning.pauseReason),
                    date: formatDate(dunning.pausedUntil, locale),
                  })
                : t("boInvoice.paused", { reason: pauseReasonLabel(locale, dunning.pauseReason) })}
            </>
          ) : null}
        </p>
        {live && dunning && !dunning.pauseReason ? (
          <p>
            {dunning.nextActionAt && dunning.nextTemplate
              ? t("boInvoice.next", {
                  level: t("bo.level.n", { n: dunning.level + 2, name: levelLabel(locale, dunning.nextTemplate) }),
                  date: formatDate(dunning.nextActionAt, locale),
                })
              : t("boInvoice.notStarted")}
          </p>
        ) : null}
      </section>

      <section aria-labelledby="payments-title">
        <h2 id="payments-title">{t("boInvoice.payments")}</h2>
        {allocations.length === 0 ? (
          <p className="muted">{t("boInvoice.noPayments")}</p>
        ) : (
          <ul className="plain-list">
            {allocations.map((a) => (
              <li key={a.id}>
                {t("boInvoice.allocation", {
                  amount: money(a.amount, a.payment.currency),
                  date: formatDate(a.payment.succeededAt ?? a.payment.createdAt, locale),
                  method: t(`bo.paymentProvider.${a.payment.provider}`),
                  status: t(`bo.paymentStatus.${a.payment.status}`),
                })}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t("boInvoice.timeline")}</h2>
        <p className="muted">{t("boInvoice.timelineLead")}</p>
        {timeline.length === 0 ? <p className="muted">{t("bo.none")}</p> : null}
        <ol className="timeline" data-testid="invoice-timeline">
          {timeline.map((c) => (
            <li key={c.id} className={`tl-${c.direction.toLowerCase()}`}>
              <TimelineHead entry={c} locale={locale} timeZone={timeZone} />
              <p className="tl-subject">
                <strong>{eventLabel(locale, c.kind)}</strong>
                {c.subject ? <> — {c.subject}</> : null}
              </p>
              {c.bodyText ? (
                <details>
                  <summary>{t("bo.viewDetails")}</summary>
                  {c.recipient ? <p className="muted">{t("bo.to", { recipient: c.recipient })}</p> : null}
                  <pre className="tl-body">{c.bodyText}</pre>
                </details>
              ) : null}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
