import { createHash } from "node:crypto";
import { parseCamt053, parseCamt054 } from "./camt";
import { parseCfonb120 } from "./cfonb";
import { CsvColumnMapping, parseCsvStatement } from "./csv";
import { decodeText } from "./decimal";
import { parseOfx } from "./ofx";
import { BankTransactionInput, ParsedStatement, StatementFormat, StatementParseError } from "./types";

/**
 * Which format a file is, from its content first (banks and browsers send
 * camt as text/plain or application/octet-stream), the content type only to
 * break ties. Null when it is none we read.
 */
export function detectFormat(contentType: string | null, bytes: string | Uint8Array): StatementFormat | null {
  const head = decodeText(typeof bytes === "string" ? bytes.slice(0, 4096) : bytes.subarray(0, 4096)).trimStart();
  if (head.startsWith("<")) {
    if (head.includes("camt.054") || head.includes("BkToCstmrDbtCdtNtfctn")) return "CAMT054";
    if (head.includes("camt.053") || head.includes("BkToCstmrStmt")) return "CAMT053";
    if (/<\?OFX|<OFX>/i.test(head)) return "OFX";
  }
  if (/^OFXHEADER:/m.test(head) || /<OFX>/i.test(head)) return "OFX";
  const first = head.split(/\r?\n/)[0] ?? "";
  if (/^0[1457]\d{5}/.test(first) && (first.replace(/\s+$/, "").length <= 120 ? first.length >= 104 : first.length % 120 === 0))
    return "CFONB120";
  const type = (contentType ?? "").toLowerCase();
  if (type.includes("csv") || (first.split(/[;,\t]/).length >= 3 && !head.startsWith("<"))) return "CSV";
  return null;
}

/** Reads a statement file of a known format; CSV needs its column mapping. */
export function parseStatement(format: StatementFormat, input: string | Uint8Array, csvMapping?: CsvColumnMapping): ParsedStatement {
  switch (format) {
    case "CAMT053":
      return parseCamt053(input);
    case "CAMT054":
      return parseCamt054(input);
    case "CFONB120":
      return parseCfonb120(input);
    case "OFX":
      return parseOfx(input);
    case "CSV":
      if (!csvMapping) throw new StatementParseError("line 1", "a CSV statement needs a column mapping");
      return parseCsvStatement(input, csvMapping);
  }
}

/**
 * The dedup key of a transaction, stable when the same file (or an
 * overlapping statement) is imported again: the bank's entry reference within
 * the account when it gives one, else a hash of what identifies the line
 * including its position in the file (two identical fees the same day stay two).
 */
export function transactionKey(tx: BankTransactionInput): string {
  if (tx.entryRef) return `ref:${tx.accountId}:${tx.entryRef}`;
  const parts = [
    tx.accountId,
    tx.bookingDate.toISOString().slice(0, 10),
    String(tx.amount),
    tx.currency,
    tx.counterpartyName ?? "",
    tx.remittance,
    String(tx.position),
  ];
  return `sha256:${createHash("sha256").update(parts.join("\u001f")).digest("hex")}`;
}
