import { dict, formatAmount, formatDate, withCreditor } from "./_components/format";
import { Layout, Note, P } from "./_components/layout";
import { sampleBase } from "./_components/preview-data";
import type { BaseEmailProps } from "./types";

export type PromiseConfirmationProps = BaseEmailProps & {
  /** The date the debtor promised to pay by. */
  date: Date;
  amount: number;
  currency: string;
};

/** The debtor's promise to pay is recorded: reminders pause until the date. */
export default function PromiseConfirmation(props: PromiseConfirmationProps) {
  const t = dict(props.locale);
  const copy = t.promiseConfirmation;
  const amount = formatAmount(props.amount, props.currency, props.locale);
  const date = formatDate(props.date, props.locale);
  return (
    <Layout
      locale={props.locale}
      creditor={props.creditor}
      title={copy.title}
      preview={copy.preview(amount, date)}
      salutation={t.layout.greeting(props.debtor.name)}
      portalUrl={props.portalUrl}
      ctaLabel={t.cta.pay}
    >
      <P>{copy.body(amount, date)}</P>
      <Note>{copy.terms}</Note>
    </Layout>
  );
}

export function promiseConfirmationSubject(props: PromiseConfirmationProps): string {
  return withCreditor(dict(props.locale).promiseConfirmation.subject, props.creditor);
}

PromiseConfirmation.PreviewProps = {
  ...sampleBase,
  date: new Date("2026-12-15"),
  amount: 310_000,
  currency: "EUR",
} satisfies PromiseConfirmationProps;
