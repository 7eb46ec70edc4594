import { Text } from "@react-email/components";
import { amount, date, dict, fill, type EmailLocale } from "./components/format";
import { Layout, type EmailCreditor } from "./components/layout";

type Base = { locale: EmailLocale; creditor: EmailCreditor; debtor: { name: string; kind: "BUSINESS" | "CONSUMER" }; portalUrl: string };
type Installment = { dueDate: Date; amount: number };

export type NoticeProps =
  | (Base & { templateKey: "portal_link" })
  | (Base & { templateKey: "payment_receipt"; amount: number; currency: string; paidAt: Date; reference: string; invoiceNumbers: string[] })
  | (Base & { templateKey: "payment_failed"; amount: number; currency: string; reason: string })
  | (Base & { templateKey: "plan_confirmation"; amount: number; currency: string; installments: Installment[] })
  | (Base & { templateKey: "plan_rejected"; reason: string; currency: string; counterOffer?: Installment[] | null })
  | (Base & { templateKey: "dispute_answer"; invoiceNumber: string; answer: string; outcome: "CREDIT" | "REJECTED" })
  | (Base & { templateKey: "promise_confirmation"; amount: number; currency: string; date: Date });

/** Transactional emails of the portal and payments: one frame, one message, sometimes a schedule. */
export default function Notice(props: NoticeProps) {
  const t = dict(props.locale);
  const p = { fontSize: "15px", lineHeight: "22px" } as const;
  const schedule = (items: Installment[], currency: string) => (
    <ul>
      {items.map((i, n) => (
        <li key={n} style={{ fontSize: "14px" }}>
          {t.installment} {n + 1} — {date(i.dueDate, props.locale)} — {amount(i.amount, currency, props.locale)}
        </li>
      ))}
    </ul>
  );
  let body;
  switch (props.templateKey) {
    case "portal_link":
      body = <Text style={p}>{t.notices.portal_link}</Text>;
      break;
    case "payment_receipt":
      body = (
        <Text style={p}>
          {fill(t.notices.payment_receipt, { amount: amount(props.amount, props.currency, props.locale), date: date(props.paidAt, props.locale), reference: props.reference })}
          <br />
          {props.invoiceNumbers.join(", ")}
        </Text>
      );
      break;
    case "payment_failed":
      body = <Text style={p}>{fill(t.notices.payment_failed, { amount: amount(props.amount, props.currency, props.locale), reason: props.reason })}</Text>;
      break;
    case "plan_confirmation":
      body = (
        <>
          <Text style={p}>{fill(t.notices.plan_confirmation, { amount: amount(props.amount, props.currency, props.locale) })}</Text>
          {schedule(props.installments, props.currency)}
        </>
      );
      break;
    case "plan_rejected":
      body = (
        <>
          <Text style={p}>{fill(t.notices.plan_rejected, { reason: props.reason })}</Text>
          {props.counterOffer?.length ? (
            <>
              <Text style={p}>{t.notices.plan_counter}</Text>
              {schedule(props.counterOffer, props.currency)}
            </>
          ) : null}
        </>
      );
      break;
    case "dispute_answer":
      body = (
        <Text style={p}>
          {fill(props.outcome === "CREDIT" ? t.notices.dispute_credit : t.notices.dispute_rejected, { number: props.invoiceNumber, answer: props.answer })}
        </Text>
      );
      break;
    case "promise_confirmation":
      body = (
        <Text style={p}>
          {fill(t.notices.promise_confirmation, { amount: amount(props.amount, props.currency, props.locale), date: date(props.date, props.locale) })}
        </Text>
      );
      break;
  }
  return (
    <Layout locale={props.locale} creditor={props.creditor} debtorName={props.debtor.name} preview={noticeSubject(props)} portalUrl={props.portalUrl}>
      {body}
    </Layout>
  );
}

export function noticeSubject(props: NoticeProps): string {
  const subject = dict(props.locale).subjects[props.templateKey];
  return fill(subject, {
    creditor: props.creditor.brandName ?? props.creditor.legalName,
    number: props.templateKey === "dispute_answer" ? props.invoiceNumber : "",
  });
}

Notice.PreviewProps = {
  templateKey: "plan_confirmation",
  locale: "fr",
  creditor: { legalName: "Atelier Durand SAS", siren: "732829320" },
  debtor: { name: "Studio Ocre", kind: "BUSINESS" },
  portalUrl: "http://localhost:3000/p/preview-token",
  amount: 360_000,
  currency: "EUR",
  installments: [
    { dueDate: new Date("2026-12-05"), amount: 120_000 },
    { dueDate: new Date("2027-01-05"), amount: 120_000 },
    { dueDate: new Date("2027-02-05"), amount: 120_000 },
  ],
} satisfies NoticeProps;
