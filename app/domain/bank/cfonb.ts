import { minorDigits } from "~/domain/money";
import { calendarDate, decodeText, digitsToMinor } from "./decimal";
import { BankTransactionInput, ParsedStatement, StatementParseError } from "./types";

/**
 * CFONB "relevé de compte" on 120 characters (the French bank statement
 * format): 01 old balance, 04 movement, 05 complement of the movement above
 * (qualifier + 70 characters), 07 new balance. Positions below are 0-based
 * slices of the record.
 */
const RECORD = 120;

type Movement = Omit<BankTransactionInput, "position"> & { line: number; label: string; details: { qualifier: string; value: string }[] };

export function parseCfonb120(input: string | Uint8Array): ParsedStatement {
  const records = splitRecords(decodeText(input));
  if (records.length === 0) throw new StatementParseError("line 1", "empty file");
  let accountId = "";
  let currency = "";
  let statementDate: Date | null = null;
  let open = false;
  const movements: Movement[] = [];
  let last: Movement | null = null;

  for (const { line, record } of records) {
    const where = `line ${line}`;
    const code = record.slice(0, 2);
    const account = `${record.slice(2, 7)}${record.slice(11, 16)}${record.slice(21, 32)}`.replace(/\s+/g, "");
    const recordCurrency = record.slice(16, 19).trim();
    if (code === "01") {
      if (!/^[A-Z]{3}$/.test(recordCurrency))
        throw new StatementParseError(where, `invalid currency code "${recordCurrency}" (positions 17-19)`);
      if (!accountId) accountId = account;
      if (!currency) currency = recordCurrency;
      readAmount(record, recordCurrency, where);
      open = true;
      last = null;
    } else if (code === "04") {
      if (!open) throw new StatementParseError(where, "movement (04) before any old balance (01)");
      if (!/^[A-Z]{3}$/.test(recordCurrency))
        throw new StatementParseError(where, `invalid currency code "${recordCurrency}" (positions 17-19)`);
      const bookingDate = readDate(record.slice(34, 40), where, "booking date (positions 35-40)");
      const valueDate = record.slice(42, 48).trim() ? readDate(record.slice(42, 48), where, "value date (positions 43-48)") : null;
      const rejection = record.slice(40, 42).trim();
      last = {
        line,
        label: record.slice(48, 80).trim(),
        details: [],
        entryRef: null,
        accountId: account,
        bookingDate,
        valueDate,
        amount: readAmount(record, recordCurrency, where),
        currency: recordCurrency,
        counterpartyName: null,
        counterpartyIban: null,
        remittance: "",
        endToEndId: null,
        structuredRef: null,
        bankCode: record.slice(32, 34).trim() || null,
        reversal: rejection !== "",
      };
      movements.push(last);
    } else if (code === "05") {
      if (!last) throw new StatementParseError(where, "complement (05) without a movement (04) before it");
      last.details.push({ qualifier: record.slice(45, 48).trim(), value: record.slice(48, 118).trim() });
    } else if (code === "07") {
      if (!open) throw new StatementParseError(where, "new balance (07) without an old balance (01)");
      readAmount(record, recordCurrency, where);
      statementDate = readDate(record.slice(34, 40), where, "balance date (positions 35-40)");
      open = false;
      last = null;
    } else {
      throw new StatementParseError(where, `unknown record code "${code}" (expected 01, 04, 05 or 07)`);
    }
  }
  if (open) throw new StatementParseError(`line ${records[records.length - 1]?.line ?? 1}`, "the file ends without a new balance (07)");

  const transactions = movements.map((m, i) => finish(m, i + 1));
  return { format: "CFONB120", accountId, currency, statementDate, transactions };
}

/** Lines, or 120-character blocks when a bank (or a mail gateway) dropped the line breaks. */
function splitRecords(text: string): { line: number; record: string }[] {
  const out: { line: number; record: string }[] = [];
  const lines = text.split(/\r\n|\n|\r/);
  lines.forEach((raw, index) => {
    const content = raw.replace(/\s+$/, "");
    if (!content) return;
    if (raw.length > RECORD && raw.length % RECORD === 0) {
      for (let at = 0; at < raw.length; at += RECORD) out.push({ line: out.length + 1, record: raw.slice(at, at + RECORD) });
      return;
    }
    // Some tools trim trailing spaces: a shorter record is padded back (a missing amount is caught when read).
    if (raw.length > RECORD)
      throw new StatementParseError(`line ${index + 1}`, `a CFONB 120 record has 120 characters, this one ${raw.length}`);
    out.push({ line: index + 1, record: content.padEnd(RECORD, " ") });
  });
  // Line numbers are file lines, except in a file without line breaks where they count records.
  return out;
}

/** 14 positions (91-104): digits, the last character carrying the sign and the last digit ({ A–I = +0..9, } J–R = −0..9). */
function readAmount(record: string, currency: string, where: string): number {
  const field = record.slice(90, 104);
  const decimals = Number(record.slice(19, 20));
  if (!/^\d$/.test(record.slice(19, 20)))
    throw new StatementParseError(where, `invalid number of decimals "${record.slice(19, 20)}" (position 20)`);
  const body = field.slice(0, 13).replace(/ /g, "0");
  const last = field[13] ?? "";
  const positive = "{ABCDEFGHI".indexOf(last);
  const negative = "}JKLMNOPQR".indexOf(last);
  if (!/^\d{13}$/.test(body) || (positive < 0 && negative < 0))
    throw new StatementParseError(where, `invalid amount "${field}" (positions 91-104)`);
  const digits = `${body}${positive >= 0 ? positive : negative}`;
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals);
  const value = digitsToMinor(negative >= 0, whole, fraction, minorDigits(currency));
  if (value === null) throw new StatementParseError(where, `amount "${field}" has more decimals than ${currency} allows`);
  return value;
}

function readDate(text: string, where: string, what: string): Date {
  const match = /^(\d{2})(\d{2})(\d{2})$/.exec(text);
  const [, day, month, year] = match ?? [];
  const date = day && month && year ? calendarDate(2000 + Number(year), Number(month), Number(day)) : null;
  if (!date) throw new StatementParseError(where, `invalid ${what} "${text}" (JJMMAA)`);
  return date;
}

/**
 * Complements by qualifier (CFONB 2007 "opérations SEPA"): NPY/IPY payer
 * name/identifier, NBE/IBE beneficiary, LIB label, LCC/LC2 unstructured
 * remittance, LCS structured remittance, RCN end-to-end reference.
 */
function finish(m: Movement, position: number): BankTransactionInput {
  const get = (q: string) =>
    m.details
      .filter((d) => d.qualifier === q)
      .map((d) => d.value)
      .filter(Boolean);
  const incoming = m.amount >= 0;
  const name = get(incoming ? "NPY" : "NBE")[0] ?? get(incoming ? "NPO" : "NBU")[0] ?? null;
  const identifier = get(incoming ? "IPY" : "IBE")[0] ?? null;
  const iban = identifier && /^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(identifier.replace(/\s+/g, "")) ? identifier.replace(/\s+/g, "") : null;
  const rcn = get("RCN")[0] ?? null;
  const remittance = [m.label, ...get("LIB"), ...get("LCC"), ...get("LC2")].join(" ").replace(/\s+/g, " ").trim();
  const structured = get("LCS")[0] ?? null;
  const { line: _line, label: _label, details: _details, ...tx } = m;
  return {
    ...tx,
    counterpartyName: name,
    counterpartyIban: iban,
    remittance,
    endToEndId: rcn,
    structuredRef: structured ? structured.replace(/\s+/g, "") : null,
    position,
  };
}
