import { disputeReasonLabel } from "../app/i18n/labels";
import { dict, formatAmount, formatDate, withCreditor } from "./_components/format";
import { Layout, MultiLine, Note, P } from "./_components/layout";
import { sampleBase } from "./_components/preview-data";
import { DetailsTable } from "./_components/tables";
import type { BaseEmailProps } from "./types";

export type DisputeReceivedProps = BaseEmailProps & {
  invoiceNumber: string;
  /** The reason code the debtor chose (shown in words). */
  reason: string;
  /** The debtor's own message, repeated as written. */
  message: string;
  openedAt: Date;
  /** The invoice's balance when the dispute was opened. */
  amount: number;
  currency: string;
};

/** Acknowledges a dispute opened from the portal: what was received, and what happens next (reminders paused on that invoice). */
export default function DisputeReceived(props: DisputeReceivedProps) {
  const t = dict(props.locale);
  const copy = t.disputeReceived;
  const date = formatDate(props.openedAt, props.locale);
  return (
    <Layout
      locale={props.locale}
      creditor={props.creditor}
      title={copy.title}
      preview={copy.preview(props.invoiceNumber)}
      salutation={t.layout.greeting(props.debtor.name)}
      portalUrl={props.portalUrl}
      ctaLabel={t.cta.open}
    >
      <P>{copy.body(props.invoiceNumber, date)}</P>
      <DetailsTable
        rows={[
          [t.invoiceTable.number, props.invoiceNumber],
          [t.invoiceTable.amountDue, formatAmount(props.amount, props.currency, props.locale)],
          [t.details.reason, disputeReasonLabel(props.locale, props.reason)],
        ]}
      />
      <Note>
        <MultiLine value={props.message} />
      </Note>
      <P>{copy.next(props.invoiceNumber)}</P>
      <Note>{copy.follow}</Note>
    </Layout>
  );
}

export function disputeReceivedSubject(props: DisputeReceivedProps): string {
  return withCreditor(dict(props.locale).disputeReceived.subject(props.invoiceNumber), props.creditor);
}

DisputeReceived.PreviewProps = {
  ...sampleBase,
  invoiceNumber: "F-2026-0104",
  reason: "DEFECTIVE",
  message: "Deux chaises livrées avec un pied cassé.",
  openedAt: new Date("2026-11-30"),
  amount: 310_000,
  currency: "EUR",
} satisfies DisputeReceivedProps;
