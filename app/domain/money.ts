/**
 * Money is an integer number of minor units (cents) with an ISO 4217 currency.
 * Never a float: amounts are added, split and allocated as integers.
 */
export type Money = { amount: number; currency: string };

export class CurrencyMismatchError extends Error {
  constructor(a: string, b: string) {
    super(`Cannot combine ${a} and ${b} amounts`);
    this.name = "CurrencyMismatchError";
  }
}

export function money(amount: number, currency: string): Money {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`Money must be a whole number of minor units, got ${amount}`);
  if (!/^[A-Z]{3}$/.test(currency)) throw new RangeError(`Not an ISO 4217 currency code: ${currency}`);
  return { amount, currency };
}

export function addMoney(a: Money, b: Money): Money {
  if (a.currency !== b.currency) throw new CurrencyMismatchError(a.currency, b.currency);
  return money(a.amount + b.amount, a.currency);
}

export function subtractMoney(a: Money, b: Money): Money {
  if (a.currency !== b.currency) throw new CurrencyMismatchError(a.currency, b.currency);
  return money(a.amount - b.amount, a.currency);
}

/**
 * ISO 4217 minor units that differ from 2. A fixed table, not ICU's data:
 * the meaning of every stored amount depends on it, so it must not change
 * with the Node version (ICU says 0 for HUF, ISO 4217 says 2).
 */
const MINOR_DIGITS: Record<string, number> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

/** Minor-unit digits of a currency (EUR 2, JPY 0, BHD 3). */
export function minorDigits(currency: string): number {
  return MINOR_DIGITS[currency] ?? 2;
}

/** Splits a total into n integer parts summing exactly to it; the remainder cents go one each to the first parts. */
export function splitEvenly(total: number, n: number): number[] {
  if (!Number.isSafeInteger(total) || total < 0) throw new RangeError("total must be a non-negative whole number");
  if (!Number.isInteger(n) || n < 1) throw new RangeError("n must be a positive whole number");
  const base = Math.floor(total / n);
  const remainder = total - base * n;
  return Array.from({ length: n }, (_, i) => base + (i < remainder ? 1 : 0));
}

/** The parts of an invoice that make its balance (minor units of its currency). */
export type InvoiceAmounts = { amount: number; amountPaid: number; amountCredited: number };

/**
 * What is still owed on an invoice: its amount less what was paid and what
 * credit notes took off. The one place the formula is written (see
 * `invoiceBalanceSql` for set-based queries).
 */
export function invoiceBalance(invoice: InvoiceAmounts): number {
  return invoice.amount - invoice.amountPaid - invoice.amountCredited;
}

/** `invoiceBalance` as an SQL expression over an `"Invoice"` row (optionally aliased), for aggregates. */
export function invoiceBalanceSql(alias?: string): string {
  const col = (name: string) => (alias ? `${alias}."${name}"` : `"${name}"`);
  return `(${col("amount")} - ${col("amountPaid")} - ${col("amountCredited")})`;
}

/** Formats minor units exactly (through a decimal string, not a float division). */
export function formatMoney(amount: number, currency: string, locale: "fr" | "en"): string {
  const digits = minorDigits(currency);
  const formatter = new Intl.NumberFormat(locale === "fr" ? "fr-FR" : "en-GB", {
    style: "currency",
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return formatter.format(toDecimalString(amount, digits));
}

/** 123456, 2 → "1234.56"; -5, 2 → "-0.05". Intl.NumberFormat formats such strings exactly. */
function toDecimalString(amount: number, digits: number): `${number}` {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`Money must be a whole number of minor units, got ${amount}`);
  const abs = String(Math.abs(amount)).padStart(digits + 1, "0");
  const whole = abs.slice(0, abs.length - digits);
  const fraction = abs.slice(abs.length - digits);
  return `${amount < 0 ? "-" : ""}${whole}${digits > 0 ? `.${fraction}` : ""}` as `${number}`;
}

export type MoneyInputError = "empty" | "format" | "negative" | "precision" | "too_large";

/**
 * Parses what a person types ("12,50", "12.50", "1 234,56", "12 €") into
 * minor units. One decimal separator, comma or point; spaces (including the
 * narrow no-break space French formatting uses) group thousands. "1.234,56"
 * and "1,234.56" are refused as ambiguous rather than guessed. Zero is
 * accepted: whether it is allowed is the caller's rule.
 */
export function parseMoneyInput(input: string, currency: string): { ok: true; amount: number } | { ok: false; error: MoneyInputError } {
  const raw = input.replace(/[\s\u00a0\u202f€$£]/g, "");
  if (!raw) return { ok: false, error: "empty" };
  if (/^[-\u2212]/.test(raw)) return { ok: false, error: "negative" };
  const match = /^(\d+)(?:[.,](\d+))?$/.exec(raw);
  if (!match) return { ok: false, error: "format" };
  const digits = minorDigits(currency);
  const fraction = match[2] ?? "";
  if (fraction.length > digits) return { ok: false, error: "precision" };
  const amount = Number(`${match[1]}${fraction.padEnd(digits, "0")}`);
  if (!Number.isSafeInteger(amount)) return { ok: false, error: "too_large" };
  return { ok: true, amount };
}
