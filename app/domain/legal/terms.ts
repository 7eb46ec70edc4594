import { addDays, daysBetween, isoDay, startOfDayUTC } from "../clock";
import { lastDayOfMonth } from "./calendar";

/**
 * Payment-term ceilings between professionals, C. com. L441-10 I: the agreed
 * term may not exceed "soixante jours à compter de la date d'émission de la
 * facture", or, by derogation expressly stipulated in the contract, "quarante-
 * cinq jours fin de mois". A due date is acceptable if it meets either ceiling.
 *
 * "45 jours fin de mois" has two readings, both admitted by the DGCCRF/CEPC
 * answer on the computation of terms:
 * - END_OF_MONTH_AFTER_45_DAYS (the usual practice): issue date + 45 days,
 *   then the last day of that month (issued 15 Jan → 1 Mar → 31 Mar);
 * - 45_DAYS_AFTER_END_OF_MONTH: last day of the issue month + 45 days
 *   (issued 15 Jan → 31 Jan → 17 Mar).
 * We accept a due date within either, and report which ceilings it meets.
 * Dates are UTC calendar days. Callers apply this to invoices between
 * professionals only (consumer sales have no such ceiling).
 */

export type TermCeiling = "60_DAYS" | "END_OF_MONTH_AFTER_45_DAYS" | "45_DAYS_AFTER_END_OF_MONTH";

export type PaymentTermsCheck = {
  ok: boolean;
  /** Days from issue to due date. */
  termDays: number;
  ceilings: Record<TermCeiling, Date>;
  /** The latest due date any ceiling allows. */
  latestAllowed: Date;
  satisfiedBy: TermCeiling[];
  flags: { code: "DUE_BEFORE_ISSUE" | "EXCEEDS_LEGAL_MAXIMUM" | "NEEDS_EXPRESS_45_DAYS_EOM_CLAUSE"; message: string }[];
};

export function checkPaymentTerms(issueDate: Date, dueDate: Date): PaymentTermsCheck {
  const issue = startOfDayUTC(issueDate);
  const due = startOfDayUTC(dueDate);
  const ceilings: Record<TermCeiling, Date> = {
    "60_DAYS": addDays(issue, 60),
    END_OF_MONTH_AFTER_45_DAYS: lastDayOfMonth(addDays(issue, 45)),
    "45_DAYS_AFTER_END_OF_MONTH": addDays(lastDayOfMonth(issue), 45),
  };
  const order: TermCeiling[] = ["60_DAYS", "END_OF_MONTH_AFTER_45_DAYS", "45_DAYS_AFTER_END_OF_MONTH"];
  const satisfiedBy = order.filter((c) => due <= ceilings[c]);
  const latestAllowed = new Date(Math.max(...order.map((c) => ceilings[c].getTime())));
  const termDays = daysBetween(issue, due);

  const flags: PaymentTermsCheck["flags"] = [];
  if (termDays < 0) {
    flags.push({ code: "DUE_BEFORE_ISSUE", message: "The due date is before the issue date." });
  } else if (satisfiedBy.length === 0) {
    flags.push({
      code: "EXCEEDS_LEGAL_MAXIMUM",
      message: `Payment term of ${termDays} days exceeds both legal ceilings: 60 days from issue and 45 days end of month (latest allowed ${isoDay(latestAllowed)}), C. com. L441-10 I.`,
    });
  } else if (!satisfiedBy.includes("60_DAYS")) {
    flags.push({
      code: "NEEDS_EXPRESS_45_DAYS_EOM_CLAUSE",
      message: "Beyond 60 days from issue: lawful only if the contract expressly stipulates 45 days end of month, C. com. L441-10 I.",
    });
  }
  return { ok: termDays >= 0 && satisfiedBy.length > 0, termDays, ceilings, latestAllowed, satisfiedBy, flags };
}
