import { Column, Row, Section, Text } from "@react-email/components";
import { amount, date, dict, fill, type EmailLocale } from "./format";

export type EmailInvoice = { number: string; issueDate: Date; dueDate: Date; amountDue: number; currency: string; daysLate: number };

const cell = { fontSize: "14px", padding: "6px 4px", margin: 0 } as const;
const head = { ...cell, color: "#4b5563", fontWeight: 700 } as const;

export function InvoiceTable({ invoices, total, currency, locale }: { invoices: EmailInvoice[]; total: number; currency: string; locale: EmailLocale }) {
  const t = dict(locale).table;
  return (
    <Section style={{ margin: "16px 0", borderTop: "1px solid #e5e7eb" }}>
      <Row>
        <Column><Text style={head}>{t.number}</Text></Column>
        <Column><Text style={head}>{t.dueDate}</Text></Column>
        <Column align="right"><Text style={head}>{t.amountDue}</Text></Column>
        <Column align="right"><Text style={head}>{t.daysLate}</Text></Column>
      </Row>
      {invoices.map((i) => (
        <Row key={i.number} style={{ borderTop: "1px solid #e5e7eb" }}>
          <Column><Text style={cell}>{i.number}<br /><span style={{ color: "#6b7280", fontSize: "12px" }}>{t.issueDate} {date(i.issueDate, locale)}</span></Text></Column>
          <Column><Text style={cell}>{date(i.dueDate, locale)}</Text></Column>
          <Column align="right"><Text style={cell}>{amount(i.amountDue, i.currency, locale)}</Text></Column>
          <Column align="right"><Text style={cell}>{i.daysLate > 0 ? fill(t.days, { days: i.daysLate }) : t.notDue}</Text></Column>
        </Row>
      ))}
      <Row style={{ borderTop: "2px solid #111827" }}>
        <Column><Text style={{ ...cell, fontWeight: 700 }}>{t.total}</Text></Column>
        <Column align="right"><Text style={{ ...cell, fontWeight: 700 }}>{amount(total, currency, locale)}</Text></Column>
      </Row>
    </Section>
  );
}
