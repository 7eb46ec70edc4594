import { dict, formatAmount, formatDate, withCreditor } from "./_components/format";
import { Layout, P } from "./_components/layout";
import { sampleBase } from "./_components/preview-data";
import { ScheduleTable } from "./_components/tables";
import type { BaseEmailProps, EmailInstallment } from "./types";

export type PlanProposedProps = BaseEmailProps & {
  /** Total the proposal covers. */
  amount: number;
  currency: string;
  installments: EmailInstallment[];
};

/** Acknowledges a plan proposal that waits for the creditor's review: the schedule proposed, and what happens next. */
export default function PlanProposed(props: PlanProposedProps) {
  const t = dict(props.locale);
  const copy = t.planProposed;
  const amount = formatAmount(props.amount, props.currency, props.locale);
  const first = props.installments[0];
  return (
    <Layout
      locale={props.locale}
      creditor={props.creditor}
      title={copy.title}
      preview={copy.preview(amount, props.installments.length)}
      salutation={t.layout.greeting(props.debtor.name)}
      portalUrl={props.portalUrl}
      ctaLabel={t.cta.open}
    >
      <P>{copy.body(amount, props.installments.length)}</P>
      <ScheduleTable installments={props.installments} currency={props.currency} locale={props.locale} />
      <P>{copy.next}</P>
      {first ? (
        <P>{copy.ifAccepted(formatAmount(first.amount, props.currency, props.locale), formatDate(first.dueDate, props.locale))}</P>
      ) : null}
    </Layout>
  );
}

export function planProposedSubject(props: PlanProposedProps): string {
  return withCreditor(dict(props.locale).planProposed.subject, props.creditor);
}

PlanProposed.PreviewProps = {
  ...sampleBase,
  amount: 433_456,
  currency: "EUR",
  installments: [
    { dueDate: new Date("2026-12-05"), amount: 144_486 },
    { dueDate: new Date("2027-01-05"), amount: 144_485 },
    { dueDate: new Date("2027-02-05"), amount: 144_485 },
  ],
} satisfies PlanProposedProps;
