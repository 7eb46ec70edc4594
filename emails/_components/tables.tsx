import { Text } from "@react-email/components";
import type { CSSProperties, ReactNode } from "react";
import type { EmailInstallment, EmailInvoice, EmailLocale } from "../types";
import { dict, formatAmount, formatDate } from "./format";
import { colors } from "./theme";

/**
 * Real data tables (th/scope, not layout tables): screen readers announce the
 * headers, and the plain-text part lays them out as columns (class
 * `data-table`, see `toText` in index.ts).
 */
const table: CSSProperties = {
  width: "100%",
  borderCollapse: "collapse",
  margin: "0 0 20px",
  fontSize: "14px",
  lineHeight: "20px",
  color: colors.text,
};
// Cells are spaced on their left; the first column sits flush with the text.
const th: CSSProperties = {
  textAlign: "left",
  fontWeight: 700,
  color: colors.muted,
  padding: "8px 0 8px 10px",
  borderBottom: `2px solid ${colors.border}`,
  fontSize: "13px",
  verticalAlign: "bottom",
};
const td: CSSProperties = {
  textAlign: "left",
  padding: "8px 0 8px 10px",
  borderBottom: `1px solid ${colors.border}`,
  verticalAlign: "top",
};
const first: CSSProperties = { paddingLeft: 0 };
const right: CSSProperties = { textAlign: "right" };
const figure: CSSProperties = { textAlign: "right", whiteSpace: "nowrap" };
const total: CSSProperties = { ...td, fontWeight: 700, borderBottom: "none", borderTop: `2px solid ${colors.text}` };

function Caption({ children }: { children: ReactNode }) {
  return <Text style={{ fontSize: "15px", lineHeight: "22px", fontWeight: 700, color: colors.text, margin: "8px 0 4px" }}>{children}</Text>;
}

/**
 * Invoices owed. Issue date under the number, days late under the due date:
 * three columns fit a 320px screen where five would not.
 */
export function InvoiceTable({
  invoices,
  totalDue,
  currency,
  locale,
}: {
  invoices: EmailInvoice[];
  totalDue: number;
  currency: string;
  locale: EmailLocale;
}) {
  const t = dict(locale).invoiceTable;
  const sub: CSSProperties = { fontWeight: 400, fontSize: "12px", lineHeight: "16px", color: colors.muted };
  return (
    <>
      <Caption>{t.heading(invoices.length > 1)}</Caption>
      <table className="data-table" style={table} cellPadding={0} cellSpacing={0}>
        <thead>
          <tr>
            <th scope="col" style={{ ...th, ...first }}>
              {t.number}
            </th>
            <th scope="col" style={th}>
              {t.dueDate}
            </th>
            <th scope="col" style={{ ...th, ...right }}>
              {t.amountDue}
            </th>
          </tr>
        </thead>
        <tbody>
          {invoices.map((invoice) => (
            <tr key={invoice.number}>
              <th scope="row" style={{ ...td, ...first, fontWeight: 700 }}>
                <span style={{ whiteSpace: "nowrap" }}>{invoice.number}</span>
                <br />
                <span style={sub}>{t.issuedOn(formatDate(invoice.issueDate, locale))}</span>
              </th>
              <td style={td}>
                <span style={{ whiteSpace: "nowrap" }}>{formatDate(invoice.dueDate, locale)}</span>
                <br />
                <span style={invoice.daysLate > 0 ? { ...sub, color: colors.late } : sub}>
                  {invoice.daysLate > 0 ? t.late(invoice.daysLate) : t.notDue}
                </span>
              </td>
              <td style={{ ...td, ...figure }}>{formatAmount(invoice.amountDue, invoice.currency, locale)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={2} style={{ ...total, ...first }}>
              {t.total}
            </th>
            <td style={{ ...total, ...figure }}>{formatAmount(totalDue, currency, locale)}</td>
          </tr>
        </tfoot>
      </table>
    </>
  );
}

/** An installment schedule: number, date, amount, total. */
export function ScheduleTable({
  installments,
  currency,
  locale,
}: {
  installments: EmailInstallment[];
  currency: string;
  locale: EmailLocale;
}) {
  const t = dict(locale).scheduleTable;
  const sum = installments.reduce((s, i) => s + i.amount, 0);
  return (
    <>
      <Caption>{t.heading}</Caption>
      <table className="data-table" style={table} cellPadding={0} cellSpacing={0}>
        <thead>
          <tr>
            <th scope="col" style={{ ...th, ...first }}>
              {t.number}
            </th>
            <th scope="col" style={th}>
              {t.date}
            </th>
            <th scope="col" style={{ ...th, ...right }}>
              {t.amount}
            </th>
          </tr>
        </thead>
        <tbody>
          {installments.map((installment, index) => (
            <tr key={index}>
              <th scope="row" style={{ ...td, ...first, fontWeight: 400 }}>
                {index + 1}
              </th>
              <td style={td}>{formatDate(installment.dueDate, locale)}</td>
              <td style={{ ...td, ...figure }}>{formatAmount(installment.amount, currency, locale)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={2} style={{ ...total, ...first }}>
              {t.total}
            </th>
            <td style={{ ...total, ...figure }}>{formatAmount(sum, currency, locale)}</td>
          </tr>
        </tfoot>
      </table>
    </>
  );
}

/** Label / value pairs (payment details, late charges). */
export function DetailsTable({ caption, rows }: { caption?: string; rows: [label: string, value: ReactNode][] }) {
  return (
    <>
      {caption ? <Caption>{caption}</Caption> : null}
      <table className="data-table" style={table} cellPadding={0} cellSpacing={0}>
        <tbody>
          {rows.map(([label, value]) => (
            <tr key={label}>
              <th scope="row" style={{ ...td, ...first, fontWeight: 400, color: colors.muted, width: "55%" }}>
                {label}
              </th>
              <td style={{ ...td, ...right, fontWeight: 700 }}>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
