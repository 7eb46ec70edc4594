import { Text } from "@react-email/components";
import { amount, date, dict, fill, type EmailLocale } from "./components/format";
import { InvoiceTable, type EmailInvoice } from "./components/invoice-table";
import { Layout, type EmailCreditor } from "./components/layout";

export type DunningTemplateKey = "courtesy_reminder" | "first_reminder" | "second_reminder" | "penalties_notice" | "formal_notice";
export type EmailTone = "CORDIAL" | "STANDARD" | "FIRM";

export type DunningEmailProps = {
  templateKey: DunningTemplateKey;
  locale: EmailLocale;
  tone: EmailTone;
  creditor: EmailCreditor;
  debtor: { name: string; kind: "BUSINESS" | "CONSUMER" };
  portalUrl: string;
  invoices: EmailInvoice[];
  totalDue: number;
  currency: string;
  lateCharges?: { interest: number; indemnity: number | null } | null;
  deadline?: Date;
};

/** Every reminder of the calendar: same structure, wording by level and tone, law by debtor kind. */
export default function DunningReminder(props: DunningEmailProps) {
  const t = dict(props.locale);
  const business = props.debtor.kind === "BUSINESS";
  const formal = props.templateKey === "formal_notice";
  const citesLaw = props.templateKey === "penalties_notice" || formal;
  const total = amount(props.totalDue, props.currency, props.locale);
  return (
    <Layout locale={props.locale} creditor={props.creditor} debtorName={props.debtor.name} preview={subjectFor(props)} portalUrl={props.portalUrl}>
      {formal ? <Text style={{ fontSize: "18px", fontWeight: 700, letterSpacing: "1px" }}>{t.formalNoticeTitle}</Text> : null}
      <Text style={{ fontSize: "15px", lineHeight: "22px" }}>{t.dunning[props.templateKey][props.tone]}</Text>
      <InvoiceTable invoices={props.invoices} total={props.totalDue} currency={props.currency} locale={props.locale} />
      {citesLaw ? (
        <Text style={{ fontSize: "14px", lineHeight: "21px" }}>{business ? t.penaltiesBusiness : t.penaltiesConsumer}</Text>
      ) : null}
      {citesLaw && business && props.lateCharges ? (
        <Text style={{ fontSize: "14px" }}>
          {fill(t.lateCharges, {
            interest: amount(props.lateCharges.interest, props.currency, props.locale),
            indemnity: props.lateCharges.indemnity === null ? "—" : amount(props.lateCharges.indemnity, "EUR", props.locale),
          })}
        </Text>
      ) : null}
      {formal ? (
        <>
          <Text style={{ fontSize: "15px", fontWeight: 700 }}>
            {fill(t.formalNoticeDeadline, { total, deadline: props.deadline ? date(props.deadline, props.locale) : "—" })}
          </Text>
          {!business ? <Text style={{ fontSize: "14px" }}>{t.formalNoticeInterest}</Text> : null}
          <Text style={{ fontSize: "14px", lineHeight: "21px" }}>{t.formalNoticeConsequence}</Text>
        </>
      ) : (
        <Text style={{ fontSize: "13px", color: "#4b5563" }}>{t.alreadyPaid}</Text>
      )}
    </Layout>
  );
}

export function subjectFor(props: Pick<DunningEmailProps, "templateKey" | "locale" | "invoices" | "creditor">): string {
  const t = dict(props.locale).subjects[props.templateKey];
  const first = props.invoices[0];
  const text =
    props.invoices.length === 1 && first
      ? fill(t.one, { number: first.number, date: date(first.dueDate, props.locale) })
      : fill(t.many, { count: props.invoices.length });
  return `${text} — ${props.creditor.brandName ?? props.creditor.legalName}`;
}

DunningReminder.PreviewProps = {
  templateKey: "first_reminder",
  locale: "fr",
  tone: "STANDARD",
  creditor: { legalName: "Atelier Durand SAS", siren: "732829320", address: "12 rue des Tanneurs, 69002 Lyon", contactEmail: "compta@atelier-durand.test" },
  debtor: { name: "Boulangerie Martin SARL", kind: "BUSINESS" },
  portalUrl: "http://localhost:3000/p/preview-token",
  invoices: [
    { number: "F-2026-0104", issueDate: new Date("2026-10-01"), dueDate: new Date("2026-10-31"), amountDue: 310_000, currency: "EUR", daysLate: 1 },
    { number: "F-2026-0105", issueDate: new Date("2026-10-01"), dueDate: new Date("2026-10-31"), amountDue: 45_500, currency: "EUR", daysLate: 1 },
  ],
  totalDue: 355_500,
  currency: "EUR",
} satisfies DunningEmailProps;
