import { dict, formatAmount, formatDate, withCreditor } from "./_components/format";
import { Layout, Note, P } from "./_components/layout";
import { sampleBase } from "./_components/preview-data";
import { DetailsTable } from "./_components/tables";
import type { BaseEmailProps } from "./types";

export type PaymentReceiptProps = BaseEmailProps & {
  amount: number;
  currency: string;
  paidAt: Date;
  /** Our reference of the payment (PAY-XXXX-XXXX, as on the portal and the receipt PDF), never the provider's id. */
  reference: string;
  /** Invoices the payment was allocated to. */
  invoiceNumbers: string[];
  /** How the debtor paid; omitted from the details when unknown. */
  method?: "card" | "sepa_debit" | "direct_debit" | "transfer" | "other" | null;
  /** The payment, so the sender can attach its receipt PDF (not shown in the email). */
  paymentId?: string | null;
  /** True when the receipt PDF travels with the email. */
  receiptAttached?: boolean;
};

/** Sent when a payment succeeds: amount, date, reference, invoices settled. */
export default function PaymentReceipt(props: PaymentReceiptProps) {
  const t = dict(props.locale);
  const copy = t.paymentReceipt;
  const amount = formatAmount(props.amount, props.currency, props.locale);
  const date = formatDate(props.paidAt, props.locale);
  const rows: [string, string][] = [
    [t.details.amount, amount],
    [t.details.date, date],
    [t.details.reference, props.reference],
  ];
  if (props.method) rows.push([copy.method, copy.methods[props.method]]);
  if (props.invoiceNumbers.length > 0) rows.push([t.details.invoices, props.invoiceNumbers.join(", ")]);
  return (
    <Layout
      locale={props.locale}
      creditor={props.creditor}
      title={copy.title}
      preview={copy.preview(amount)}
      salutation={t.layout.greeting(props.debtor.name)}
      portalUrl={props.portalUrl}
      ctaLabel={t.cta.open}
    >
      <P>{copy.body(amount, date)}</P>
      <DetailsTable rows={rows} />
      <Note>{props.receiptAttached ? copy.attached : copy.keep}</Note>
    </Layout>
  );
}

export function paymentReceiptSubject(props: PaymentReceiptProps): string {
  const s = dict(props.locale).paymentReceipt.subject;
  const [first, ...rest] = props.invoiceNumbers;
  return withCreditor(
    first === undefined ? s.none() : rest.length === 0 ? s.one(first) : s.many(props.invoiceNumbers.length),
    props.creditor,
  );
}

PaymentReceipt.PreviewProps = {
  ...sampleBase,
  amount: 433_456,
  currency: "EUR",
  paidAt: new Date("2026-11-30"),
  reference: "PAY-7K3M-Q9XA",
  invoiceNumbers: ["F-2026-0104", "F-2026-0117"],
  method: "card",
} satisfies PaymentReceiptProps;
