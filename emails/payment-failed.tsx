import { dict, formatAmount, withCreditor } from "./_components/format";
import { Layout, P } from "./_components/layout";
import { sampleBase } from "./_components/preview-data";
import { DetailsTable } from "./_components/tables";
import type { BaseEmailProps } from "./types";

export type PaymentFailedProps = BaseEmailProps & {
  amount: number;
  currency: string;
  /** Why it failed, as the bank or provider put it; shown as is. */
  reason?: string | null;
};

/** A card payment declined, a direct debit returned or charged back. */
export default function PaymentFailed(props: PaymentFailedProps) {
  const t = dict(props.locale);
  const copy = t.paymentFailed;
  const amount = formatAmount(props.amount, props.currency, props.locale);
  return (
    <Layout
      locale={props.locale}
      creditor={props.creditor}
      title={copy.title}
      preview={copy.preview(amount)}
      salutation={t.layout.greeting(props.debtor.name)}
      portalUrl={props.portalUrl}
      ctaLabel={t.cta.pay}
    >
      <P strong>{copy.body(amount)}</P>
      {props.reason ? <DetailsTable rows={[[t.details.reason, props.reason]]} /> : null}
      <P>{copy.next}</P>
    </Layout>
  );
}

export function paymentFailedSubject(props: PaymentFailedProps): string {
  return withCreditor(dict(props.locale).paymentFailed.subject, props.creditor);
}

PaymentFailed.PreviewProps = {
  ...sampleBase,
  amount: 310_000,
  currency: "EUR",
  reason: "Provision insuffisante",
} satisfies PaymentFailedProps;
