import { parse } from "csv-parse/sync";
import { detectDelimiter, normaliseHeader } from "~/domain/intake/csv-import";
import { calendarDate, decimalToMinor, decodeText } from "./decimal";
import { BankTransactionInput, ParsedStatement, StatementParseError } from "./types";

export type CsvDateFormat = "DD/MM/YYYY" | "DD-MM-YYYY" | "DD.MM.YYYY" | "DD/MM/YY" | "YYYY-MM-DD" | "MM/DD/YYYY";

/**
 * Which column holds what in a bank's CSV export (header names, compared
 * without case, accents or punctuation). Either one signed `amount` column
 * or separate `credit` / `debit` columns (a debit written positive).
 */
export type CsvColumnMapping = {
  date: string;
  valueDate?: string;
  label: string;
  counterparty?: string;
  /** The payer's IBAN, when the export has it. */
  iban?: string;
  reference?: string;
  decimalSeparator: "," | ".";
  dateFormat: CsvDateFormat;
  /** The account and currency the file is about (bank CSVs rarely say). */
  accountId: string;
  currency: string;
  delimiter?: "," | ";" | "\t";
} & ({ amount: string; credit?: undefined; debit?: undefined } | { amount?: undefined; credit: string; debit: string });

export function parseCsvStatement(input: string | Uint8Array, mapping: CsvColumnMapping): ParsedStatement {
  const text = decodeText(input);
  const delimiter = mapping.delimiter ?? detectDelimiter(text.slice(0, text.search(/\r?\n|$/)));
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, trim: true, bom: true, info: true }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new StatementParseError(`line ${line ?? 1}`, `unreadable CSV (${(error as Error).message})`);
  }
  const header = rows[0];
  if (!header) throw new StatementParseError("line 1", "empty file");
  const headers = header.record.map(normaliseHeader);
  const column = (name: string | undefined, required: boolean) => {
    if (name === undefined) return -1;
    const at = headers.indexOf(normaliseHeader(name));
    if (at < 0 && required) throw new StatementParseError("line 1", `no column "${name}" in the header`);
    return at;
  };
  const cols = {
    date: column(mapping.date, true),
    valueDate: column(mapping.valueDate, false),
    label: column(mapping.label, true),
    counterparty: column(mapping.counterparty, false),
    reference: column(mapping.reference, false),
    iban: column(mapping.iban, false),
    amount: column(mapping.amount, mapping.amount !== undefined),
    credit: column(mapping.credit, mapping.credit !== undefined),
    debit: column(mapping.debit, mapping.debit !== undefined),
  };
  const transactions: BankTransactionInput[] = rows.slice(1).map(({ record, info }, i) => {
    const where = `line ${info.lines}`;
    const cell = (at: number) => (at >= 0 ? (record[at] ?? "").trim() : "");
    const bookingDate = readDate(cell(cols.date), mapping.dateFormat, where, mapping.date);
    const valueDate = cell(cols.valueDate) ? readDate(cell(cols.valueDate), mapping.dateFormat, where, mapping.valueDate!) : null;
    let amount: number | null;
    if (cols.amount >= 0) {
      amount = decimalToMinor(cell(cols.amount), mapping.currency, mapping.decimalSeparator);
      if (amount === null) throw new StatementParseError(where, `invalid amount "${cell(cols.amount)}" in column "${mapping.amount}"`);
    } else {
      const credit = cell(cols.credit) ? decimalToMinor(cell(cols.credit), mapping.currency, mapping.decimalSeparator) : 0;
      const debit = cell(cols.debit) ? decimalToMinor(cell(cols.debit), mapping.currency, mapping.decimalSeparator) : 0;
      if (credit === null) throw new StatementParseError(where, `invalid amount "${cell(cols.credit)}" in column "${mapping.credit}"`);
      if (debit === null) throw new StatementParseError(where, `invalid amount "${cell(cols.debit)}" in column "${mapping.debit}"`);
      amount = credit - Math.abs(debit);
    }
    return {
      entryRef: null,
      accountId: mapping.accountId,
      bookingDate,
      valueDate,
      amount,
      currency: mapping.currency,
      counterpartyName: cell(cols.counterparty) || null,
      counterpartyIban: cell(cols.iban).replace(/\s+/g, "").toUpperCase() || null,
      remittance: [cell(cols.label), cell(cols.reference)].filter(Boolean).join(" "),
      endToEndId: cell(cols.reference) || null,
      structuredRef: null,
      bankCode: null,
      reversal: false,
      position: i + 1,
    };
  });
  return { format: "CSV", accountId: mapping.accountId, currency: mapping.currency, statementDate: null, transactions };
}

/** The header and first rows of a bank CSV, for staff to say which column is which. */
export function previewCsv(input: string | Uint8Array, take = 5): { delimiter: string; headers: string[]; rows: string[][] } {
  const text = decodeText(input);
  const delimiter = detectDelimiter(text.slice(0, text.search(/\r?\n|$/)));
  const head = text
    .split(/\r?\n/)
    .slice(0, take + 1)
    .join("\n");
  let rows: string[][];
  try {
    rows = parse(head, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
    }) as string[][];
  } catch (error) {
    throw new StatementParseError(`line ${(error as { lines?: number }).lines ?? 1}`, `unreadable CSV (${(error as Error).message})`);
  }
  const [headers = [], ...rest] = rows;
  if (headers.length === 0) throw new StatementParseError("line 1", "empty file");
  return { delimiter, headers, rows: rest };
}

function readDate(value: string, format: CsvDateFormat, where: string, column: string): Date {
  const parts = value.split(/[/.-]/);
  let date: Date | null = null;
  const [p0 = "", p1 = "", p2 = ""] = parts;
  if (parts.length === 3 && parts.every((p) => /^\d+$/.test(p))) {
    const [a, b, c] = [Number(p0), Number(p1), Number(p2)];
    if (format === "YYYY-MM-DD") date = p0.length === 4 ? calendarDate(a, b, c) : null;
    else if (format === "MM/DD/YYYY") date = p2.length === 4 ? calendarDate(c, a, b) : null;
    else if (format === "DD/MM/YY") date = p2.length === 2 ? calendarDate(2000 + c, b, a) : null;
    else date = p2.length === 4 ? calendarDate(c, b, a) : null;
  }
  if (!date) throw new StatementParseError(where, `invalid date "${value}" in column "${column}" (expected ${format})`);
  return date;
}
