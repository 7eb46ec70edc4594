import { formatDiscountRate } from "../app/domain/payments/discount";
import { translate } from "../app/i18n";
import { InvoiceTable } from "./_components/tables";
import { dict, formatAmount, formatDate, withCreditor } from "./_components/format";
import { LateChargesDetails } from "./_components/late-charges";
import { Layout, Note, P } from "./_components/layout";
import { sampleBase, sampleInvoices } from "./_components/preview-data";
import { WordingParagraphs, wordingSubject, wordingValues } from "./_components/wording";
import type { DunningEmailProps } from "./types";

export type ReminderKey = "courtesy_reminder" | "first_reminder" | "second_reminder" | "penalties_notice";
export type DunningReminderProps = DunningEmailProps & { templateKey: ReminderKey };

/**
 * The four reminders of the calendar (J-8, J+1, J+15, J+30): one structure,
 * wording by level and tone. The penalties notice cites L441-10 and the €40
 * indemnity to business debtors only; a consumer gets a firm reminder.
 * A creditor's own wording replaces the subject and the intro, nothing else.
 */
export default function DunningReminder(props: DunningReminderProps) {
  const t = dict(props.locale);
  const copy = t.reminders;
  const many = props.invoices.length > 1;
  const business = props.debtor.kind === "BUSINESS";
  const penalties = props.templateKey === "penalties_notice";
  return (
    <Layout
      locale={props.locale}
      creditor={props.creditor}
      title={copy.title[props.templateKey]}
      preview={copy.preview(formatAmount(props.totalDue, props.currency, props.locale), props.invoices.length)}
      salutation={t.layout.greeting(props.debtor.name)}
      portalUrl={props.portalUrl}
      ctaLabel={t.cta.pay}
      closing={
        <>
          <P>{copy.closing[props.tone]}</P>
          {props.templateKey === "courtesy_reminder" ? null : <Note>{copy.alreadyPaid}</Note>}
        </>
      }
    >
      {props.wording ? (
        <WordingParagraphs wording={props.wording} values={wordingValues(props, claimedTotal(props))} />
      ) : (
        <P>{copy.intro[props.templateKey][props.tone]({ many })}</P>
      )}
      <InvoiceTable invoices={props.invoices} totalDue={props.totalDue} currency={props.currency} locale={props.locale} />
      {props.templateKey === "courtesy_reminder"
        ? (props.discounts ?? []).map((d) => (
            <P key={d.number} strong>
              {props.discounts!.length > 1 ? `${d.number} — ` : ""}
              {translate(props.locale, "discount.offer.line", {
                date: formatDate(new Date(d.until), props.locale),
                rate: formatDiscountRate(d.rateBps, props.locale),
                amount: formatAmount(d.toPay, d.currency, props.locale),
              })}
            </P>
          ))
        : null}
      {penalties && business ? <P>{copy.businessPenalties}</P> : null}
      {/* The charges the portal and the letters claim for this day, and their total: one amount everywhere. */}
      {props.lateCharges && props.templateKey !== "courtesy_reminder" ? (
        <>
          {business ? (
            <LateChargesDetails lateCharges={props.lateCharges} currency={props.currency} locale={props.locale} />
          ) : (
            // A consumer owes statutory interest from the formal notice, never the commercial rate nor the €40.
            <P>
              {translate(props.locale, "claim.interest.CONSUMER")} :{" "}
              {formatAmount(props.lateCharges.interest, props.currency, props.locale)}
            </P>
          )}
          {props.lateCharges.total !== undefined ? (
            <P strong>
              {translate(props.locale, "claim.total")} : {formatAmount(props.lateCharges.total, props.currency, props.locale)}
            </P>
          ) : null}
        </>
      ) : null}
      {penalties && !business ? <P strong>{copy.consumerWarning}</P> : null}
      {props.nextStep ? (
        <P>
          {translate(props.locale, `nextStep.${props.nextStep.channel}`, {
            date: formatDate(new Date(props.nextStep.date), props.locale),
            creditor: props.creditor.brandName ?? props.creditor.legalName,
          })}
        </P>
      ) : null}
      <P>{copy.portalOptions}</P>
    </Layout>
  );
}

/** The amount the reminder states as the total: the claim's total when its line is shown, else the balances. */
function claimedTotal(props: DunningReminderProps): number {
  const shown = props.lateCharges && props.templateKey !== "courtesy_reminder" ? props.lateCharges.total : undefined;
  return shown ?? props.totalDue;
}

export function reminderSubject(props: DunningReminderProps): string {
  if (props.wording) return wordingSubject(props.wording, props, wordingValues(props, claimedTotal(props)));
  const s = dict(props.locale).reminders.subject[props.templateKey];
  const first = props.invoices[0];
  const subject =
    props.invoices.length === 1 && first ? s.one(first.number, formatDate(first.dueDate, props.locale)) : s.many(props.invoices.length);
  return withCreditor(subject, props.creditor);
}

DunningReminder.PreviewProps = {
  ...sampleBase,
  templateKey: "penalties_notice",
  tone: "STANDARD",
  invoices: sampleInvoices,
  totalDue: 433_456,
  currency: "EUR",
  lateCharges: { interest: 4_512, indemnity: 8_000, total: 433_456 + 4_512 + 8_000 },
} satisfies DunningReminderProps;
