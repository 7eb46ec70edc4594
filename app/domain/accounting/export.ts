import { csvDecimal, csvDocument } from "~/domain/lists";

/**
 * Accounting export of the payments received (decision 021): one bank-journal
 * entry per payment — debit 512 (bank) for the amount received, credit 411
 * (customers) on the debtor's auxiliary account for each invoice it settles,
 * lettered with the invoice's code; what no invoice took stays on 411
 * unlettered. Pure: the service gives plain rows.
 */
export type ExportPayment = {
  id: string;
  /** The calendar day it was received, in the creditor's time zone (UTC midnight label). */
  day: Date;
  reference: string;
  provider: string;
  method: string | null;
  amount: number;
  currency: string;
  debtor: { externalRef: string; name: string };
  allocations: { invoiceNumber: string; invoiceDay: Date; amount: number; invoiceStatus: string; invoicePaidDay: Date | null }[];
};

/** The 18 columns of article A47 A-1 of the Livre des procédures fiscales, in their order. */
export const FEC_COLUMNS = [
  "JournalCode",
  "JournalLib",
  "EcritureNum",
  "EcritureDate",
  "CompteNum",
  "CompteLib",
  "CompAuxNum",
  "CompAuxLib",
  "PieceRef",
  "PieceDate",
  "EcritureLib",
  "Debit",
  "Credit",
  "EcritureLet",
  "DateLet",
  "ValidDate",
  "Montantdevise",
  "Idevise",
] as const;

export const FEC_ACCOUNTS = { bank: "512000", bankLabel: "Banque", customers: "411000", customersLabel: "Clients" } as const;
export const FEC_JOURNAL = { code: "BQ", label: "Banque" } as const;

/** AAAAMMJJ. */
export const fecDate = (d: Date) => d.toISOString().slice(0, 10).replace(/-/g, "");
/** A lettrage code per invoice, the same in every export: the invoice number (the accountant's sales entry carries it as PieceRef). */
export const lettrageCode = (invoiceNumber: string) => invoiceNumber;

/** No separator, tab or line break inside a field. */
const clean = (s: string) => s.replace(/[\t|\r\n]+/g, " ").trim();

export type FecLine = Record<(typeof FEC_COLUMNS)[number], string>;

export function fecLines(payments: ExportPayment[], opts: { until: Date }): FecLine[] {
  const lines: FecLine[] = [];
  payments.forEach((p, i) => {
    const num = `RL${String(i + 1).padStart(6, "0")}`;
    const date = fecDate(p.day);
    const money = (minor: number) => (minor === 0 ? "0,00" : csvDecimal(minor, p.currency, ","));
    const foreign = p.currency !== "EUR";
    const base = {
      JournalCode: FEC_JOURNAL.code,
      JournalLib: FEC_JOURNAL.label,
      EcritureNum: num,
      EcritureDate: date,
      ValidDate: date,
      Idevise: foreign ? p.currency : "",
    };
    const lib = clean(`Règlement ${p.debtor.name}`).slice(0, 200);
    lines.push({
      ...base,
      CompteNum: FEC_ACCOUNTS.bank,
      CompteLib: FEC_ACCOUNTS.bankLabel,
      CompAuxNum: "",
      CompAuxLib: "",
      PieceRef: clean(p.reference),
      PieceDate: date,
      EcritureLib: lib,
      Debit: money(p.amount),
      Credit: money(0),
      EcritureLet: "",
      DateLet: "",
      Montantdevise: foreign ? money(p.amount) : "",
    });
    const customer = (amount: number, piece: string, pieceDate: string, let_: string, dateLet: string) =>
      lines.push({
        ...base,
        CompteNum: FEC_ACCOUNTS.customers,
        CompteLib: FEC_ACCOUNTS.customersLabel,
        CompAuxNum: clean(p.debtor.externalRef),
        CompAuxLib: clean(p.debtor.name),
        PieceRef: clean(piece),
        PieceDate: pieceDate,
        EcritureLib: lib,
        Debit: money(0),
        Credit: money(amount),
        EcritureLet: let_,
        DateLet: dateLet,
        Montantdevise: foreign ? money(amount) : "",
      });
    let allocated = 0;
    for (const a of p.allocations) {
      allocated += a.amount;
      // Lettered in full once the invoice is paid by the end of the period; a partial payment keeps the code, without a date.
      const fullyPaid = a.invoiceStatus === "PAID" && a.invoicePaidDay !== null && a.invoicePaidDay <= opts.until;
      customer(
        a.amount,
        a.invoiceNumber,
        fecDate(a.invoiceDay),
        clean(lettrageCode(a.invoiceNumber)),
        fullyPaid ? fecDate(a.invoicePaidDay!) : "",
      );
    }
    if (p.amount > allocated) customer(p.amount - allocated, p.reference, date, "", "");
  });
  return lines;
}

/** The FEC text: header then one line per row, tab-separated, CRLF. */
export function fecDocument(lines: FecLine[]): string {
  return [FEC_COLUMNS.join("\t"), ...lines.map((l) => FEC_COLUMNS.map((c) => l[c]).join("\t"))].join("\r\n") + "\r\n";
}

export const CSV_COLUMNS = [
  "payment_date",
  "payment_reference",
  "provider",
  "method",
  "debtor_ref",
  "debtor_name",
  "payment_amount",
  "currency",
  "invoice_number",
  "allocated_amount",
  "invoice_status",
  "lettrage",
] as const;

/** One line per allocation (and one for what no invoice took): ";" separated, decimal commas. */
export function paymentsCsv(payments: ExportPayment[]): string {
  const rows: (string | number | null)[][] = [];
  for (const p of payments) {
    const money = (minor: number) => csvDecimal(minor, p.currency, ",");
    const head = [
      p.day.toISOString().slice(0, 10),
      p.reference,
      p.provider,
      p.method,
      p.debtor.externalRef,
      p.debtor.name,
      money(p.amount),
      p.currency,
    ];
    let allocated = 0;
    for (const a of p.allocations) {
      allocated += a.amount;
      rows.push([...head, a.invoiceNumber, money(a.amount), a.invoiceStatus, lettrageCode(a.invoiceNumber)]);
    }
    if (p.amount > allocated) rows.push([...head, null, money(p.amount - allocated), null, null]);
  }
  return csvDocument([...CSV_COLUMNS], rows);
}
