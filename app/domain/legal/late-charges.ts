import { addDays, daysBetween, startOfDayUTC } from "../clock";
import type { DebtorKind } from "../dunning/types";
import { money } from "../money";
import {
  formatBps,
  rateFor,
  rateOrLatestKnown,
  semesterEnd,
  semesterOf,
  type RateBook,
  type RateLookup,
  type RateTableName,
  type SemesterKey,
} from "./rates";

/**
 * Late-payment charges on one invoice: interest ("pénalités de retard") and
 * the fixed recovery indemnity. Pure; dates are read as UTC calendar days.
 *
 * Conventions (the tests write the arithmetic out):
 * - Interest accrues on each calendar day d with start < d ≤ asOf, where
 *   start is the due date (B2B: "from the day after the due date", no reminder
 *   needed) or, for a consumer, the later of the due date and the formal
 *   notice. A payment dated d still counts day d at the old principal; the
 *   principal drops from d + 1 (a payment on the due date is on time).
 * - Simple interest, amount = principal × rateBps × days / (10 000 × 365),
 *   computed per period and rounded half-up to the minor unit; the total is
 *   the sum of the rounded periods. Exact integer (BigInt) arithmetic.
 * - The divisor is 365 in every year, leap years included: the annual rate is
 *   applied per day at 1/365, so a 366-day year yields 366/365 of the rate.
 * - Periods split at every payment and at each semester end (30 June,
 *   31 December), because the applicable rate is set per semester.
 * - Payments reduce the principal (the invoice balance), as the app allocates
 *   them; we do not impute them to interest first (C. civ. 1343-1 would allow
 *   the creditor to), so charges stay separate from the balance.
 * - Charges are a claim shown beside the invoice, never added to its balance.
 *   A waived item is still computed (so the screen can say what was waived)
 *   but is excluded from `total`.
 * - The €40 is owed in euros: on a non-EUR invoice it is left out, with a
 *   warning, rather than converted at a rate we would have to choose.
 * - Consumers: legal rate only, from the formal notice, never the €40; under
 *   "EU" (Directive 2011/7/EU, B2B only) a consumer gets nothing, with a warning.
 */

export type Jurisdiction = "FR" | "EU";
export type InterestBasis = "L441-10" | "legal-rate" | "directive-2011/7";

export type LateChargesInput = {
  debtorKind: DebtorKind;
  currency: string;
  dueDate: Date;
  /** Invoice amount, minor units. */
  amount: number;
  /** Payments allocated to this invoice, minor units of the invoice currency. */
  payments: { date: Date; amount: number }[];
  /** Date of the mise en demeure; only consumers need it. */
  formalNoticeAt?: Date | null;
};

export type LateChargesSettings = {
  jurisdiction: Jurisdiction;
  /** Contractual late rate replacing the statutory one (B2B only), basis points. */
  contractualRateBps?: number | null;
  indemnityWaived?: boolean;
  interestWaived?: boolean;
  /**
   * A semester after the end of the rate tables: "latestKnown" (default, the
   * app keeps working) uses the latest value and flags the period `estimated`
   * with a warning; "throw" raises `MissingRateError`.
   */
  onMissingRate?: "latestKnown" | "throw";
  /** Stored semester rates over the code tables (app/services/legal/rates.server.ts). */
  rates?: RateBook;
};

export type InterestPeriod = {
  /** First and last calendar day counted, both inclusive (UTC midnight). */
  from: Date;
  to: Date;
  days: number;
  principal: number;
  rateBps: number;
  basis: InterestBasis;
  amount: number;
  estimated: boolean;
};

export type LateCharges = {
  currency: string;
  /** True when some principal was still unpaid after the due date. */
  late: boolean;
  interest: { total: number; periods: InterestPeriod[]; waived: boolean };
  /** The fixed indemnity, always in EUR; null when not owed. */
  indemnity: { amount: number; currency: "EUR"; basis: string; waived: boolean } | null;
  /** What is claimed: interest + indemnity, minus waived items. */
  total: number;
  /** True when a rate was estimated from the latest known value. */
  estimated: boolean;
  warnings: string[];
};

/** D441-5 (France) and Directive 2011/7/EU art. 6: €40 per late invoice. */
export const RECOVERY_INDEMNITY_EUR_CENTS = 4000;
/** L441-10 II: ECB rate + 10 points. */
export const FR_B2B_MARGIN_BPS = 1000;
/** Directive 2011/7/EU art. 2(6): reference rate + 8 points. */
export const EU_MARGIN_BPS = 800;
/** L441-10 II: a contractual rate may not be below 3 × the legal interest rate. */
export const CONTRACTUAL_FLOOR_MULTIPLIER = 3;

export class InvalidContractualRateError extends Error {
  readonly code = "CONTRACTUAL_RATE_BELOW_FLOOR";
  constructor(
    readonly rateBps: number,
    readonly floorBps: number,
    readonly semester: SemesterKey,
    message: string,
  ) {
    super(message);
    this.name = "InvalidContractualRateError";
  }
}

export type ContractualRateCheck =
  | { ok: true; semester: SemesterKey; floorBps: number; legalRate: RateLookup }
  | { ok: false; semester: SemesterKey; floorBps: number; legalRate: RateLookup; message: string };

/**
 * L441-10 II: a contractual late rate must be at least 3 × the legal interest
 * rate (professional creditor) of the semester `date` falls in. For a
 * semester not yet in the table the check uses the latest known legal rate
 * (`legalRate.estimated`), unless `onMissingRate: "throw"`.
 */
export function validateContractualRate(
  bps: number,
  date: Date,
  options: { onMissingRate?: LateChargesSettings["onMissingRate"]; rates?: RateBook } = {},
): ContractualRateCheck {
  const legalRate = (options.onMissingRate === "throw" ? rateFor : rateOrLatestKnown)("FR_LEGAL_PROFESSIONAL", date, options.rates);
  const semester = semesterOf(date);
  const floorBps = legalRate.bps * CONTRACTUAL_FLOOR_MULTIPLIER;
  if (!Number.isInteger(bps) || bps < floorBps) {
    const shown = Number.isInteger(bps) ? formatBps(bps) : String(bps);
    const message =
      `Contractual late rate ${shown} is below the legal minimum for ${semester}: ` +
      `3 × the legal interest rate ${formatBps(legalRate.bps)} = ${formatBps(floorBps)} (C. com. L441-10 II).`;
    return { ok: false, semester, floorBps, legalRate, message };
  }
  return { ok: true, semester, floorBps, legalRate };
}

/** principal × rateBps × days / (10 000 × 365), rounded half-up to the minor unit. */
export function interestAmount(principal: number, rateBps: number, days: number): number {
  if (principal <= 0 || rateBps <= 0 || days <= 0) return 0;
  const numerator = BigInt(principal) * BigInt(rateBps) * BigInt(days);
  const denominator = 10_000n * 365n;
  return Number((numerator * 2n + denominator) / (denominator * 2n));
}

export function computeLateCharges(input: LateChargesInput, asOf: Date, settings: LateChargesSettings): LateCharges {
  money(input.amount, input.currency);
  for (const p of input.payments) money(p.amount, input.currency);
  if (input.amount < 0 || input.payments.some((p) => p.amount < 0))
    throw new RangeError("Invoice and payment amounts must not be negative");

  const warnings: string[] = [];
  const find = settings.onMissingRate === "throw" ? rateFor : rateOrLatestKnown;
  const lookup = (table: RateTableName, date: Date) => find(table, date, settings.rates);
  const due = startOfDayUTC(input.dueDate);
  const today = startOfDayUTC(asOf);
  const payments = input.payments
    .map((p) => ({ day: startOfDayUTC(p.date), amount: p.amount }))
    .filter((p) => p.amount > 0 && p.day <= today)
    .sort((a, b) => a.day.getTime() - b.day.getTime());
  const outstandingAfter = (day: Date) =>
    Math.max(0, input.amount - payments.filter((p) => p.day <= day).reduce((sum, p) => sum + p.amount, 0));

  const late = today > due && outstandingAfter(due) > 0;
  const business = input.debtorKind === "BUSINESS";

  let indemnity: LateCharges["indemnity"] = null;
  if (late && business) {
    if (input.currency === "EUR") {
      const basis = settings.jurisdiction === "FR" ? "C. com. L441-10 II, D441-5" : "Directive 2011/7/EU art. 6";
      indemnity = { amount: RECOVERY_INDEMNITY_EUR_CENTS, currency: "EUR", basis, waived: settings.indemnityWaived === true };
    } else {
      warnings.push(
        `The €40 recovery indemnity is fixed in euros; it is not added to a ${input.currency} invoice. Claim it separately in EUR if wanted.`,
      );
    }
  }

  if (late && !business && settings.contractualRateBps != null) {
    warnings.push("Consumer debtor: the contractual late rate is ignored; only the legal interest rate applies.");
  }
  if (late && business && settings.jurisdiction === "EU" && input.currency !== "EUR") {
    warnings.push(
      `Outside the euro area the Directive's reference rate is the national central bank's rate; the ECB rate was used for this ${input.currency} invoice.`,
    );
  }

  const start = late ? interestStart(input, due, today, settings, warnings) : null;
  const periods: InterestPeriod[] = [];
  if (start) {
    const rateOf = rateRule(input.debtorKind, settings, lookup, warnings);
    let cursor = start;
    let principal = outstandingAfter(cursor);
    while (cursor < today && principal > 0) {
      const first = addDays(cursor, 1);
      const nextPayment = payments.find((p) => p.day > cursor);
      let last = semesterEnd(semesterOf(first));
      if (nextPayment && nextPayment.day < last) last = nextPayment.day;
      if (today < last) last = today;
      const days = daysBetween(cursor, last);
      const rate = rateOf(first);
      periods.push({ from: first, to: last, days, principal, ...rate, amount: interestAmount(principal, rate.rateBps, days) });
      cursor = last;
      principal = outstandingAfter(cursor);
    }
  }

  const interestTotal = periods.reduce((sum, p) => sum + p.amount, 0);
  const interestWaived = settings.interestWaived === true;
  const estimated = periods.some((p) => p.estimated);
  const total = (interestWaived ? 0 : interestTotal) + (indemnity && !indemnity.waived ? indemnity.amount : 0);
  return {
    currency: input.currency,
    late,
    interest: { total: interestTotal, periods, waived: interestWaived },
    indemnity,
    total,
    estimated,
    warnings,
  };
}

/** The last day NOT counted: interest accrues from the day after. Null = no interest. */
function interestStart(input: LateChargesInput, due: Date, today: Date, settings: LateChargesSettings, warnings: string[]): Date | null {
  if (input.debtorKind === "BUSINESS") return due;
  if (settings.jurisdiction === "EU") {
    warnings.push("Directive 2011/7/EU covers commercial transactions only: no late interest computed for a consumer.");
    return null;
  }
  if (!input.formalNoticeAt) {
    warnings.push(
      "Consumer debtor: interest at the legal rate runs only from a formal notice (mise en demeure), C. civ. 1231-6 and 1344-1.",
    );
    return null;
  }
  const notice = startOfDayUTC(input.formalNoticeAt);
  const start = notice > due ? notice : due;
  return start < today ? start : null;
}

type PeriodRate = { rateBps: number; basis: InterestBasis; estimated: boolean };

function rateRule(
  debtorKind: DebtorKind,
  settings: LateChargesSettings,
  lookup: (table: RateTableName, date: Date) => RateLookup,
  warnings: string[],
): (day: Date) => PeriodRate {
  const contractual = settings.contractualRateBps ?? null;
  const warnOnce = (message: string) => {
    if (!warnings.includes(message)) warnings.push(message);
  };
  const noteEstimate = (rate: RateLookup) => {
    if (rate.estimated) {
      warnOnce(
        `No rate recorded yet for ${rate.semester}: used the latest known value (${rate.valueFrom}, ${formatBps(rate.bps)}); the amount is an estimate.`,
      );
    }
  };

  if (debtorKind === "CONSUMER") {
    return (day) => {
      const legal = lookup("FR_LEGAL_PROFESSIONAL", day);
      noteEstimate(legal);
      return { rateBps: legal.bps, basis: "legal-rate", estimated: legal.estimated };
    };
  }

  if (settings.jurisdiction === "EU") {
    return (day) => {
      const ecb = lookup("ECB_MRO", day);
      const statutory = ecb.bps + EU_MARGIN_BPS;
      if (contractual === null) {
        noteEstimate(ecb);
        return { rateBps: statutory, basis: "directive-2011/7", estimated: ecb.estimated };
      }
      if (contractual < statutory) {
        warnOnce(
          `Contractual rate ${formatBps(contractual)} is below the statutory rate ${formatBps(statutory)} for ${ecb.semester}; such a term may be challenged as grossly unfair (Directive 2011/7/EU art. 7).`,
        );
      }
      return { rateBps: contractual, basis: "directive-2011/7", estimated: false };
    };
  }

  return (day) => {
    if (contractual !== null) {
      const check = validateContractualRate(contractual, day, { onMissingRate: settings.onMissingRate, rates: settings.rates });
      if (!check.ok) throw new InvalidContractualRateError(contractual, check.floorBps, check.semester, check.message);
      if (check.legalRate.estimated) {
        warnOnce(
          `No legal interest rate recorded yet for ${check.semester}: the contractual rate was checked against the latest known one (${check.legalRate.valueFrom}, floor ${formatBps(check.floorBps)}).`,
        );
      }
      return { rateBps: contractual, basis: "L441-10", estimated: false };
    }
    const ecb = lookup("ECB_MRO", day);
    noteEstimate(ecb);
    return { rateBps: ecb.bps + FR_B2B_MARGIN_BPS, basis: "L441-10", estimated: ecb.estimated };
  };
}
