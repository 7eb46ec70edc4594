import { addDays, dict, formatAmount, formatDate, withCreditor } from "./_components/format";
import { LateChargesDetails } from "./_components/late-charges";
import { Layout, Note, P } from "./_components/layout";
import { sampleBase, sampleInvoices } from "./_components/preview-data";
import { InvoiceTable } from "./_components/tables";
import { WordingParagraphs, wordingSubject, wordingValues } from "./_components/wording";
import type { DunningEmailProps } from "./types";

/** Days given to pay when the sender sets no deadline. */
export const FORMAL_NOTICE_DEFAULT_DAYS = 8;

export type FormalNoticeProps = DunningEmailProps;

/**
 * "Mise en demeure de payer" (J+45): a formal letter with a deadline and the
 * consequence (injonction de payer). Business debtors read the L441-10
 * penalties and the €40 indemnity; consumers the legal-rate interest that
 * the notice itself starts (C. civ. 1231-6, 1344-1), never the indemnity.
 * A creditor's own wording replaces the subject and the intro; the object,
 * the demand, the legal mentions and the consequence stay.
 */
export default function FormalNotice(props: FormalNoticeProps) {
  const t = dict(props.locale);
  const copy = t.formalNotice;
  const business = props.debtor.kind === "BUSINESS";
  const total = formatAmount(props.totalDue, props.currency, props.locale);
  const deadline = formatDate(formalNoticeDeadline(props), props.locale);
  return (
    <Layout
      locale={props.locale}
      creditor={props.creditor}
      title={copy.title}
      preview={copy.preview(total, deadline)}
      salutation={null}
      portalUrl={props.portalUrl}
      ctaLabel={t.cta.pay}
      closing={<P>{copy.closing}</P>}
      signature={copy.signature(props.creditor.legalName)}
    >
      <Note>{copy.recipient(props.debtor.name)}</Note>
      <P strong>{copy.object(props.invoices.map((i) => i.number))}</P>
      <P>{copy.salutation}</P>
      {props.wording ? (
        <WordingParagraphs wording={props.wording} values={wordingValues(props, props.totalDue)} />
      ) : (
        <P>{copy.intro[props.tone]({ many: props.invoices.length > 1 })}</P>
      )}
      <InvoiceTable invoices={props.invoices} totalDue={props.totalDue} currency={props.currency} locale={props.locale} />
      <P strong>{copy.demand(total, deadline)}</P>
      {business ? <P>{copy.businessPenalties}</P> : <P>{copy.consumerInterest}</P>}
      {business && props.lateCharges ? (
        <LateChargesDetails lateCharges={props.lateCharges} currency={props.currency} locale={props.locale} />
      ) : null}
      <P>{copy.consequence}</P>
      {props.letterAttached ? <P>{copy.attached}</P> : null}
      <P>{copy.lastChance[props.tone]}</P>
    </Layout>
  );
}

export function formalNoticeDeadline(props: Pick<FormalNoticeProps, "deadline">, now = new Date()): Date {
  return props.deadline ?? addDays(now, FORMAL_NOTICE_DEFAULT_DAYS);
}

export function formalNoticeSubject(props: FormalNoticeProps): string {
  // The demand line states the balances: {total_du} is that amount.
  if (props.wording) return wordingSubject(props.wording, props, wordingValues(props, props.totalDue));
  const s = dict(props.locale).formalNotice.subject;
  const first = props.invoices[0];
  return withCreditor(props.invoices.length === 1 && first ? s.one(first.number) : s.many(props.invoices.length), props.creditor);
}

FormalNotice.PreviewProps = {
  ...sampleBase,
  tone: "FIRM",
  invoices: sampleInvoices.map((i) => ({ ...i, daysLate: i.daysLate + 15 })),
  totalDue: 433_456,
  currency: "EUR",
  lateCharges: { interest: 6_770, indemnity: 8_000 },
  deadline: new Date("2026-12-23"),
} satisfies FormalNoticeProps;
