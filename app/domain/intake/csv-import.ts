import { parseMoneyInput } from "../money";

/**
 * Invoice intake from a CSV file: which column holds what (guessed from FR/EN
 * headers, confirmed by the user), and the check of each row. Pure: the
 * service streams the file and writes the rows; this file decides.
 */
export const IMPORT_FIELDS = [
  "debtorRef",
  "debtorName",
  "debtorKind",
  "debtorEmail",
  "debtorLanguage",
  "invoiceNumber",
  "issueDate",
  "dueDate",
  "amount",
  "currency",
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

export const REQUIRED_FIELDS: readonly ImportField[] = ["debtorRef", "debtorName", "invoiceNumber", "issueDate", "dueDate", "amount"];

/** Our field → the CSV header chosen for it (absent: column not imported). */
export type ImportMapping = Partial<Record<ImportField, string>>;

export type RowErrorCode =
  | "required"
  | "amount_format"
  | "amount_not_positive"
  | "date_format"
  | "due_before_issue"
  | "currency_unknown"
  | "kind_unknown"
  | "language_unknown"
  | "email_invalid"
  | "too_long"
  | "duplicate_in_file"
  | "invoice_locked"
  | "malformed";

/** `line`: the line of the file (the header is line 1), as a spreadsheet shows it. */
export type RowError = { line: number; field: ImportField | null; code: RowErrorCode; value?: string };

export type ImportRow = {
  line: number;
  debtorRef: string;
  debtorName: string;
  debtorKind: "BUSINESS" | "CONSUMER" | null;
  debtorEmail: string | null;
  debtorLanguage: "fr" | "en" | null;
  invoiceNumber: string;
  issueDate: Date;
  dueDate: Date;
  amount: number;
  currency: string;
};

/** Headers people actually use, normalised (lower case, no accents, no punctuation). */
const SYNONYMS: Record<ImportField, string[]> = {
  debtorRef: [
    "debtorref",
    "debtorexternalref",
    "customerref",
    "customerid",
    "customercode",
    "clientid",
    "refclient",
    "referenceclient",
    "codeclient",
    "numeroclient",
    "idclient",
    "client",
    "customer",
    "compteclient",
  ],
  debtorName: [
    "debtorname",
    "customername",
    "clientname",
    "nomclient",
    "raisonsociale",
    "nom",
    "name",
    "client name",
    "societe",
    "company",
  ],
  debtorKind: ["debtorkind", "kind", "type", "typeclient", "customertype", "clienttype", "nature"],
  debtorEmail: ["debtoremail", "email", "mail", "courriel", "emailclient", "customeremail", "adresseemail", "e-mail"],
  debtorLanguage: ["debtorlanguage", "language", "langue", "lang", "locale"],
  invoiceNumber: [
    "invoicenumber",
    "invoiceno",
    "invoice",
    "invoiceid",
    "numerofacture",
    "nfacture",
    "nofacture",
    "facture",
    "numfacture",
    "reffacture",
    "number",
    "numero",
  ],
  issueDate: ["issuedate", "invoicedate", "date", "datefacture", "dateemission", "datedefacture", "dateemissionfacture"],
  dueDate: ["duedate", "dateecheance", "datedecheance", "echeance", "datelimite", "datelimitepaiement", "due", "paymentdue"],
  amount: ["amount", "total", "totalttc", "montant", "montantttc", "amountdue", "resteapayer", "solde", "ttc", "amountincltax"],
  currency: ["currency", "devise", "monnaie", "cur", "ccy"],
};

export function normaliseHeader(header: string): string {
  return header
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

/**
 * Pre-fills the mapping: exact synonyms first; then headers containing a
 * synonym of 4+ letters, the longest match winning ("Date d'échéance" is a
 * due date, not an issue date). Each header is used once.
 */
export function guessMapping(headers: readonly string[]): ImportMapping {
  const mapping: ImportMapping = {};
  const used = new Set<string>();
  const normalised = headers.map((h) => ({ raw: h, n: normaliseHeader(h) })).filter((h) => h.n);
  const synonyms = (field: ImportField) => SYNONYMS[field].map(normaliseHeader);
  for (const field of IMPORT_FIELDS) {
    const hit = normalised.find((h) => !used.has(h.raw) && synonyms(field).includes(h.n));
    if (hit) {
      mapping[field] = hit.raw;
      used.add(hit.raw);
    }
  }
  const candidates: { field: ImportField; header: string; score: number }[] = [];
  for (const field of IMPORT_FIELDS) {
    if (mapping[field]) continue;
    for (const h of normalised) {
      if (used.has(h.raw)) continue;
      const score = Math.max(
        0,
        ...synonyms(field)
          .filter((s) => s.length >= 4 && h.n.includes(s))
          .map((s) => s.length),
      );
      if (score > 0) candidates.push({ field, header: h.raw, score });
    }
  }
  for (const c of candidates.sort((a, b) => b.score - a.score)) {
    if (mapping[c.field] || used.has(c.header)) continue;
    mapping[c.field] = c.header;
    used.add(c.header);
  }
  return mapping;
}

/** Required fields with no column chosen. */
export function missingMappings(mapping: ImportMapping): ImportField[] {
  return REQUIRED_FIELDS.filter((f) => !mapping[f]);
}

/** "1 234,56", "1234.56", "1234" → minor units; null when unreadable. */
export function parseAmount(input: string, currency: string): number | null {
  const result = parseMoneyInput(input, currency);
  return result.ok ? result.amount : null;
}

/** DD/MM/YYYY (also with - or .) or YYYY-MM-DD → midnight UTC; null when not a real date. */
export function parseDate(input: string): Date | null {
  const value = input.trim();
  let y: number, m: number, d: number;
  let match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+Z?)?$/.exec(value);
  if (match) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else {
    match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(value);
    if (!match) return null;
    [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  }
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d || y < 1900 || y > 2200) return null;
  return date;
}

/** Active ISO 4217 codes: a fixed list, so validation does not move with the Node/ICU version. */
const CURRENCIES = new Set(
  "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWG".split(
    " ",
  ),
);

export function isKnownCurrency(code: string): boolean {
  return CURRENCIES.has(code);
}

const KINDS: Record<string, "BUSINESS" | "CONSUMER"> = {
  business: "BUSINESS",
  b2b: "BUSINESS",
  professionnel: "BUSINESS",
  pro: "BUSINESS",
  entreprise: "BUSINESS",
  societe: "BUSINESS",
  company: "BUSINESS",
  consumer: "CONSUMER",
  b2c: "CONSUMER",
  particulier: "CONSUMER",
  individual: "CONSUMER",
  consommateur: "CONSUMER",
  person: "CONSUMER",
};

const LIMITS = { ref: 100, name: 200, number: 100, email: 254 } as const;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Our field → its cell in a record, by header position. */
export function cellReader(headers: readonly string[], mapping: ImportMapping) {
  const index: Partial<Record<ImportField, number>> = {};
  for (const field of IMPORT_FIELDS) {
    const header = mapping[field];
    if (!header) continue;
    const i = headers.indexOf(header);
    if (i >= 0) index[field] = i;
  }
  return (record: readonly string[], field: ImportField): string => {
    const i = index[field];
    return i === undefined ? "" : (record[i] ?? "").trim();
  };
}

/**
 * Checks one row; every problem is reported (not only the first), each with
 * the file's line number. Defaults fill the optional columns.
 */
export function validateRow(
  cell: (field: ImportField) => string,
  line: number,
  defaults: { currency: string },
): { ok: true; row: ImportRow } | { ok: false; errors: RowError[] } {
  const errors: RowError[] = [];
  const fail = (field: ImportField, code: RowErrorCode, value?: string) =>
    errors.push({ line, field, code, ...(value ? { value: value.slice(0, 60) } : {}) });
  const required = (field: ImportField, max?: number) => {
    const value = cell(field);
    if (!value) fail(field, "required");
    else if (max && value.length > max) fail(field, "too_long", value);
    return value;
  };

  const debtorRef = required("debtorRef", LIMITS.ref);
  const debtorName = required("debtorName", LIMITS.name);
  const invoiceNumber = required("invoiceNumber", LIMITS.number);

  const rawCurrency = cell("currency").toUpperCase();
  const currency = rawCurrency || defaults.currency;
  if (!isKnownCurrency(currency)) fail("currency", "currency_unknown", rawCurrency);

  const rawAmount = cell("amount");
  let amount = 0;
  if (!rawAmount) fail("amount", "required");
  else {
    const parsed = parseAmount(rawAmount, isKnownCurrency(currency) ? currency : "EUR");
    if (parsed === null) fail("amount", /^\s*[-\u2212]/.test(rawAmount) ? "amount_not_positive" : "amount_format", rawAmount);
    else if (parsed <= 0) fail("amount", "amount_not_positive", rawAmount);
    else amount = parsed;
  }

  const date = (field: "issueDate" | "dueDate") => {
    const raw = cell(field);
    if (!raw) {
      fail(field, "required");
      return null;
    }
    const parsed = parseDate(raw);
    if (!parsed) fail(field, "date_format", raw);
    return parsed;
  };
  const issueDate = date("issueDate");
  const dueDate = date("dueDate");
  if (issueDate && dueDate && dueDate < issueDate) fail("dueDate", "due_before_issue", cell("dueDate"));

  const rawKind = cell("debtorKind");
  const debtorKind = rawKind ? (KINDS[normaliseHeader(rawKind)] ?? null) : null;
  if (rawKind && !debtorKind) fail("debtorKind", "kind_unknown", rawKind);

  const rawLanguage = cell("debtorLanguage").toLowerCase().slice(0, 2);
  const debtorLanguage = rawLanguage === "fr" || rawLanguage === "en" ? rawLanguage : null;
  if (rawLanguage && !debtorLanguage) fail("debtorLanguage", "language_unknown", cell("debtorLanguage"));

  const debtorEmail = cell("debtorEmail").toLowerCase() || null;
  if (debtorEmail && (debtorEmail.length > LIMITS.email || !EMAIL.test(debtorEmail))) fail("debtorEmail", "email_invalid", debtorEmail);

  if (errors.length > 0 || !issueDate || !dueDate) return { ok: false, errors };
  return {
    ok: true,
    row: { line, debtorRef, debtorName, debtorKind, debtorEmail, debtorLanguage, invoiceNumber, issueDate, dueDate, amount, currency },
  };
}

/** Detects the separator from the header line: French spreadsheets export with ";". */
export function detectDelimiter(headerLine: string): "," | ";" | "\t" {
  const count = (ch: string) => headerLine.split(ch).length - 1;
  const candidates = [
    [";", count(";")],
    [",", count(",")],
    ["\t", count("\t")],
  ] as const;
  const best = [...candidates].sort((a, b) => b[1] - a[1])[0]!;
  return best[1] > 0 ? best[0] : ",";
}

/** English text of an error code, for the API and the downloadable report. */
export const ROW_ERROR_TEXT: Record<RowErrorCode, string> = {
  required: "Missing value",
  amount_format: "Unreadable amount (expected e.g. 1234.56 or 1 234,56)",
  amount_not_positive: "The amount must be greater than zero",
  date_format: "Unreadable date (expected DD/MM/YYYY or YYYY-MM-DD)",
  due_before_issue: "The due date is before the issue date",
  currency_unknown: "Unknown currency (expected an ISO 4217 code such as EUR)",
  kind_unknown: "Unknown debtor kind (expected BUSINESS or CONSUMER)",
  language_unknown: "Unknown language (expected fr or en)",
  email_invalid: "Invalid email address",
  too_long: "Value too long",
  duplicate_in_file: "Invoice number already used by an earlier line of this file; this line was skipped",
  malformed: "Malformed CSV line (quotes or separators)",
  invoice_locked: "The invoice is paid, cancelled or has payments that the new amount or currency contradicts; not updated",
};

/** Keeps the stored error list bounded; the count stays exact. */
export const MAX_STORED_ERRORS = 1_000;
