import { addDays, startOfDayUTC } from "../clock";
import { splitEvenly } from "../money";

/** An échéancier: an optional down payment today, then installments. Amounts in minor units. */
export type Schedule = { downPayment: number; installments: { dueDate: Date; amount: number }[] };

export type PlanRules = {
  maxInstallments: number;
  maxMonths: number;
  /** Smallest installment accepted without review (minor units). */
  minInstallment: number;
  /** Down payment required without review, in % of the total. */
  minDownPaymentPc: number;
  /** Credit policy (decision 025): down payment required without review from a debtor over its credit limit, in %; null = no such rule. */
  overLimitMinDownPaymentPc?: number | null;
};

/** What the rules need to know about the debtor proposing. */
export type PlanDebtor = { overCreditLimit: boolean };

/** Same day of month, clamped to the month's length (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(date: Date, months: number): Date {
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth() + months;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(date.getUTCDate(), last)));
}

/** Equal monthly installments from the first date; remainder cents on the first ones. */
export function buildSchedule(input: { total: number; count: number; firstDate: Date; downPayment?: number }): Schedule {
  const downPayment = input.downPayment ?? 0;
  const parts = splitEvenly(input.total - downPayment, input.count);
  const first = startOfDayUTC(input.firstDate);
  return { downPayment, installments: parts.map((amount, i) => ({ dueDate: addMonths(first, i), amount })) };
}

export type ScheduleError =
  | "no_installments"
  | "sum_mismatch"
  | "date_in_past"
  | "dates_not_increasing"
  | "amount_not_positive"
  | "down_payment_invalid"
  | "first_date_too_far"
  | "duration_too_long";

/**
 * The outer limits of any échéancier, beyond which a proposal is refused
 * outright instead of waiting for review: the first installment soon (the
 * plan replaces dunning now, not in ten years), and the whole plan within
 * twice the creditor's auto-approved length (between the two, staff decide).
 */
export const PLAN_FIRST_INSTALLMENT_MAX_DAYS = 45;
export type PlanBounds = { maxFirstDays: number; maxMonths: number };
export function planBounds(rules: { maxMonths: number }): PlanBounds {
  return { maxFirstDays: PLAN_FIRST_INSTALLMENT_MAX_DAYS, maxMonths: 2 * rules.maxMonths };
}

/**
 * Errors make a proposal impossible (the form refuses it); see `ruleViolations` for what needs review.
 * `now` counts by its UTC date: services pass the creditor's today (`todayIn`, decision 012).
 */
export function scheduleErrors(schedule: Schedule, total: number, now: Date, bounds: PlanBounds): ScheduleError[] {
  const errors = new Set<ScheduleError>();
  const today = startOfDayUTC(now);
  if (schedule.installments.length === 0) errors.add("no_installments");
  if (!Number.isSafeInteger(schedule.downPayment) || schedule.downPayment < 0 || schedule.downPayment >= total)
    errors.add("down_payment_invalid");
  const sum = schedule.downPayment + schedule.installments.reduce((s, i) => s + i.amount, 0);
  if (sum !== total) errors.add("sum_mismatch");
  schedule.installments.forEach((i, n) => {
    if (!Number.isSafeInteger(i.amount) || i.amount <= 0) errors.add("amount_not_positive");
    if (startOfDayUTC(i.dueDate) <= today) errors.add("date_in_past");
    const previous = schedule.installments[n - 1];
    if (previous && i.dueDate <= previous.dueDate) errors.add("dates_not_increasing");
  });
  const first = schedule.installments[0];
  const last = schedule.installments.at(-1);
  if (first && startOfDayUTC(first.dueDate) > addDays(today, bounds.maxFirstDays)) errors.add("first_date_too_far");
  if (last && startOfDayUTC(last.dueDate) > addMonths(today, bounds.maxMonths)) errors.add("duration_too_long");
  return [...errors];
}

export type RuleViolation =
  "too_many_installments" | "too_long" | "installment_too_small" | "down_payment_too_small" | "over_limit_down_payment_too_small";

/** The down payment (minor units, rounded up) a debtor over its limit must make for the plan to be accepted without review; 0 when the rule does not apply. */
export function overLimitDownPayment(total: number, rules: Pick<PlanRules, "overLimitMinDownPaymentPc">, debtor: PlanDebtor): number {
  const pc = rules.overLimitMinDownPaymentPc;
  if (!debtor.overCreditLimit || pc === null || pc === undefined || pc <= 0) return 0;
  return Math.ceil((total * pc) / 100);
}

/** What takes a valid proposal outside the creditor's auto-approval rules (staff review instead). */
export function ruleViolations(
  schedule: Schedule,
  total: number,
  rules: PlanRules,
  now: Date,
  debtor: PlanDebtor = { overCreditLimit: false },
): RuleViolation[] {
  const violations: RuleViolation[] = [];
  const last = schedule.installments.at(-1);
  if (schedule.installments.length > rules.maxInstallments) violations.push("too_many_installments");
  if (last && last.dueDate > addMonths(startOfDayUTC(now), rules.maxMonths)) violations.push("too_long");
  // The last installment may be smaller (rounding), unless it is the only one.
  if (schedule.installments.some((i) => i.amount < Math.min(rules.minInstallment, total))) violations.push("installment_too_small");
  if (schedule.downPayment * 100 < total * rules.minDownPaymentPc) violations.push("down_payment_too_small");
  // Over its credit limit, the debtor brings its exposure down first, or staff decide.
  if (schedule.downPayment < overLimitDownPayment(total, rules, debtor)) violations.push("over_limit_down_payment_too_small");
  return violations;
}

/** An installment counts as missed once its date + grace days have passed (`now`: the creditor's today, as above). */
export function isMissed(dueDate: Date, graceDays: number, now: Date): boolean {
  return addDays(startOfDayUTC(dueDate), graceDays) < startOfDayUTC(now);
}
