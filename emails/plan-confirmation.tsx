import { dict, formatAmount, withCreditor } from "./_components/format";
import { Layout, Note, P } from "./_components/layout";
import { sampleBase } from "./_components/preview-data";
import { ScheduleTable } from "./_components/tables";
import type { BaseEmailProps, EmailInstallment } from "./types";

export type PlanConfirmationProps = BaseEmailProps & {
  /** Total covered by the plan. */
  amount: number;
  currency: string;
  installments: EmailInstallment[];
};

/** The installment plan (échéancier) is accepted: the schedule, and what happens if one is missed. */
export default function PlanConfirmation(props: PlanConfirmationProps) {
  const t = dict(props.locale);
  const copy = t.planConfirmation;
  const amount = formatAmount(props.amount, props.currency, props.locale);
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
      <Note>{copy.terms}</Note>
    </Layout>
  );
}

export function planConfirmationSubject(props: PlanConfirmationProps): string {
  return withCreditor(dict(props.locale).planConfirmation.subject, props.creditor);
}

PlanConfirmation.PreviewProps = {
  ...sampleBase,
  amount: 433_456,
  currency: "EUR",
  installments: [
    { dueDate: new Date("2026-12-05"), amount: 144_486 },
    { dueDate: new Date("2027-01-05"), amount: 144_485 },
    { dueDate: new Date("2027-02-05"), amount: 144_485 },
  ],
} satisfies PlanConfirmationProps;
