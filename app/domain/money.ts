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

/** Minor-unit digits of a currency (EUR 2, JPY 0, BHD 3), from the platform's ICU data. */
export function minorDigits(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** Splits a total into n integer parts summing exactly to it; the remainder cents go to the first parts. */
export function splitEvenly(total: number, n: number): number[] {
  if (!Number.isSafeInteger(total) || total < 0) throw new RangeError("total must be a non-negative whole number");
  if (!Number.isInteger(n) || n < 1) throw new RangeError("n must be a positive whole number");
  const base = Math.floor(total / n);
  const remainder = total - base * n;
  return Array.from({ length: n }, (_, i) => base + (i < remainder ? 1 : 0));
}

/**
 * Allocates an amount over balances in the order given (callers pass them
 * oldest first). Returns the part of the amount applied to each balance and
 * what is left over.
 */
export function allocateInOrder(amount: number, balances: number[]): { parts: number[]; unallocated: number } {
  let left = amount;
  const parts = balances.map((balance) => {
    const part = Math.max(0, Math.min(balance, left));
    left -= part;
    return part;
  });
  return { parts, unallocated: left };
}

export function formatMoney(amount: number, currency: string, locale: "fr" | "en"): string {
  return new Intl.NumberFormat(locale === "fr" ? "fr-FR" : "en-GB", { style: "currency", currency }).format(
    amount / 10 ** minorDigits(currency),
  );
}

export type MoneyInputError = "empty" | "format" | "negative" | "precision";

/** Parses what a person types ("12,50", "1 234.56", "12") into minor units. */
export function parseMoneyInput(input: string, currency: string): { ok: true; amount: number } | { ok: false; error: MoneyInputError } {
  const raw = input.replace(/[\s\u00a0\u202f€$£]/g, "");
  if (!raw) return { ok: false, error: "empty" };
  if (raw.startsWith("-")) return { ok: false, error: "negative" };
  const match = /^(\d+)(?:[.,](\d+))?$/.exec(raw);
  if (!match) return { ok: false, error: "format" };
  const digits = minorDigits(currency);
  const fraction = match[2] ?? "";
  if (fraction.length > digits) return { ok: false, error: "precision" };
  const amount = Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
  if (!Number.isSafeInteger(amount)) return { ok: false, error: "format" };
  return { ok: true, amount };
}
