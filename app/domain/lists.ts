import { minorDigits, parseMoneyInput } from "./money";

/**
 * What the back-office lists share: the order asked in the address
 * (`?sort=amount&dir=desc`, so a sorted list is a link that works without
 * JavaScript), amount bounds typed as people type them, and the CSV a French
 * spreadsheet opens as it is.
 */

export type SortDir = "asc" | "desc";
export type Sort<Column extends string> = { sort: Column; dir: SortDir };

/** The sortable columns of the back-office lists and their default order (shared by the pages and the services). */
export const INVOICE_SORTS = ["number", "debtor", "dueDate", "amount", "status"] as const;
export type InvoiceSort = (typeof INVOICE_SORTS)[number];
export const DEFAULT_INVOICE_SORT: Sort<InvoiceSort> = { sort: "dueDate", dir: "asc" };
export const DEBTOR_SORTS = ["name", "externalRef", "segment", "balance"] as const;
export type DebtorSort = (typeof DEBTOR_SORTS)[number];
export const DEFAULT_DEBTOR_SORT: Sort<DebtorSort> = { sort: "name", dir: "asc" };
export const RISK_SEGMENTS = ["GOOD", "STANDARD", "LATE_PAYER"] as const;
export type RiskSegment = (typeof RISK_SEGMENTS)[number];

/** The order asked in the query, or the list's default when the column is unknown. */
export function parseSort<Column extends string>(
  params: URLSearchParams,
  columns: readonly Column[],
  fallback: Sort<Column>,
): Sort<Column> {
  const sort = params.get("sort");
  const dir = params.get("dir");
  if (!sort || !(columns as readonly string[]).includes(sort)) return fallback;
  return { sort: sort as Column, dir: dir === "desc" ? "desc" : "asc" };
}

/** The link of a column header: the same filters, this column, and the other direction when it is already the order. */
export function sortLink(search: string, column: string, current: Sort<string>): string {
  const params = new URLSearchParams(search);
  params.set("sort", column);
  params.set("dir", current.sort === column && current.dir === "asc" ? "desc" : "asc");
  params.delete("page");
  return `?${params}`;
}

/** `aria-sort` of a column header: only the sorted column says so. */
export function ariaSort(column: string, current: Sort<string>): "ascending" | "descending" | undefined {
  if (current.sort !== column) return undefined;
  return current.dir === "asc" ? "ascending" : "descending";
}

/** An amount bound from a filter field ("1 000", "1234,56"), in minor units; empty or unreadable is no bound. */
export function parseAmountBound(value: string | null, currency: string): number | null {
  if (!value?.trim()) return null;
  const parsed = parseMoneyInput(value, currency);
  return parsed.ok ? parsed.amount : null;
}

/** 123456 EUR → "1234,56" (French spreadsheets) or "1234.56": a plain decimal, no grouping, no symbol. */
export function csvDecimal(minor: number, currency: string, separator: "," | "."): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`Money must be a whole number of minor units, got ${minor}`);
  const digits = minorDigits(currency);
  const abs = String(Math.abs(minor)).padStart(digits + 1, "0");
  const whole = abs.slice(0, abs.length - digits);
  const fraction = abs.slice(abs.length - digits);
  return `${minor < 0 ? "-" : ""}${whole}${digits > 0 ? `${separator}${fraction}` : ""}`;
}

/** One CSV cell: quoted when needed, and a leading = + - @ defused (a negative number excepted) so a spreadsheet never runs it as a formula. */
export function csvCell(value: string | number | null | undefined): string {
  const s = value === null || value === undefined ? "" : String(value);
  const formula = /^[=+\-@\t\r]/.test(s) && !/^-\d+([.,]\d+)?$/.test(s);
  const safe = formula ? `'${s}` : s;
  return /[";\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A whole CSV file: UTF-8 byte order mark (Excel reads the accents), ";" between cells, CRLF line ends. */
export function csvDocument(header: string[], rows: (string | number | null | undefined)[][]): string {
  return `\uFEFF${[header, ...rows].map((row) => row.map(csvCell).join(";")).join("\r\n")}\r\n`;
}
