import { addDays, startOfDayUTC } from "../clock";

/**
 * A debtor's credit policy (decision 025): how much it may owe this creditor
 * (the credit limit, minor units of the creditor's default currency) and the
 * payment terms agreed with it.
 */
export type TermsBasis = "NET" | "END_OF_MONTH";
export type PaymentTerms = { days: number; basis: TermsBasis };

/**
 * C. com. L441-10 I: between businesses, payment may not be agreed later than
 * 60 days from the invoice date, or 45 days end of month. relance reads
 * "45 jours fin de mois" as 45 days from the invoice date, then to the end of
 * that month (the earlier of the two readings the administration accepts).
 */
export const PAYMENT_TERMS_MAX_DAYS: Record<TermsBasis, number> = { NET: 60, END_OF_MONTH: 45 };

export type TermsError = "terms_not_whole_days" | "terms_too_long";

export function paymentTermsError(terms: PaymentTerms): TermsError | null {
  if (!Number.isSafeInteger(terms.days) || terms.days < 0) return "terms_not_whole_days";
  if (terms.days > PAYMENT_TERMS_MAX_DAYS[terms.basis]) return "terms_too_long";
  return null;
}

/** The due date the terms give an invoice issued on `issueDate` (a calendar day, UTC midnight). */
export function dueDateFromTerms(issueDate: Date, terms: PaymentTerms): Date {
  const due = addDays(startOfDayUTC(issueDate), terms.days);
  if (terms.basis === "NET") return due;
  return new Date(Date.UTC(due.getUTCFullYear(), due.getUTCMonth() + 1, 0));
}

export type Exposure = { currency: string; amount: number };

export type CreditStanding = {
  /** The limit, or null when none is set. */
  limit: number | null;
  /** The currency the limit is in (the creditor's default currency). */
  currency: string;
  /** Open balance in that currency. */
  exposure: number;
  /** Exposure beyond the limit (0 when within it or without a limit). */
  overBy: number;
  over: boolean;
  /** Open balances in other currencies: shown, never converted, never counted against the limit. */
  otherCurrencies: Exposure[];
};

/** Where a debtor stands against its limit; exactly at the limit is still within it. */
export function creditStanding(limit: number | null, currency: string, exposures: Exposure[]): CreditStanding {
  const exposure = exposures.filter((e) => e.currency === currency).reduce((s, e) => s + e.amount, 0);
  const overBy = limit === null ? 0 : Math.max(0, exposure - limit);
  return {
    limit,
    currency,
    exposure,
    overBy,
    over: overBy > 0,
    otherCurrencies: exposures.filter((e) => e.currency !== currency && e.amount !== 0),
  };
}
