import { daysBetween, startOfDayUTC } from "../clock";
import type { DebtorKind } from "../dunning/types";
import { addMonthsClamped } from "./calendar";

/**
 * When a claim becomes time-barred (prescription extinctive):
 * - BUSINESS debtor: 5 years, C. com. L110-4 (same length as C. civ. 2224);
 * - CONSUMER debtor: 2 years for a professional's claim, C. consom. L218-2.
 * Counted from the due date (when the debt became payable). A period in years
 * ends on the same calendar date N years later, or the last day of the month
 * when that date does not exist (29 Feb → 28 Feb; C. pr. civ. 641); the claim
 * can still be acted on during that whole day (C. civ. 2229) and is barred
 * from the next one.
 *
 * An interruption — the debtor acknowledging the debt (a partial payment, a
 * signed échéancier: C. civ. 2240) or a court action (2241) — starts a new
 * period of the same length (2231). Pass its date as `interruptedAt`;
 * suspensions (2233 ff.) are not modelled.
 */

export type PrescriptionStage = "OK" | "WARN_90" | "WARN_30" | "ESCALATE" | "EXPIRED";

export type PrescriptionWatch = {
  /** Last day on which the claim can still be acted on (UTC midnight). */
  expiresAt: Date;
  /** Whole days from `asOf` to `expiresAt`: 0 on the last day, negative once barred. */
  daysLeft: number;
  stage: PrescriptionStage;
  basis: "C. com. L110-4" | "C. consom. L218-2";
};

export const PRESCRIPTION_YEARS: Record<DebtorKind, number> = { BUSINESS: 5, CONSUMER: 2 };

/**
 * Stage thresholds, days left. ESCALATE (≤ 15 days) is where the hand-off to
 * a lawyer / commissaire de justice is triggered automatically: it leaves
 * about two working weeks to file an injonction de payer before the term.
 */
export const PRESCRIPTION_THRESHOLDS = { WARN_90: 90, WARN_30: 30, ESCALATE: 15 } as const;

export type PrescriptionOptions = { interruptedAt?: Date | null };

/**
 * Where the period starts. Courts generally run it from the delivery of the
 * goods or the completion of the service (the day the creditor knew its
 * claim, C. civ. 2224), which can be earlier than the due date; the due date
 * stands in when no delivery date was recorded. `startedFrom` says which one
 * was used, so the task and the dossier can say it.
 */
export type PrescriptionStart = { date: Date; startedFrom: "DELIVERY" | "DUE_DATE" };

export function prescriptionStart(invoice: { dueDate: Date; deliveredAt?: Date | null }): PrescriptionStart {
  return invoice.deliveredAt
    ? { date: startOfDayUTC(invoice.deliveredAt), startedFrom: "DELIVERY" }
    : { date: startOfDayUTC(invoice.dueDate), startedFrom: "DUE_DATE" };
}

/** The task a stage calls for: a reminder at 90 and 30 days, the hand-off at ESCALATE; nothing when OK or already barred. */
export function prescriptionTaskFor(
  stage: PrescriptionStage,
): { kind: "REVIEW" | "HANDOFF"; stage: "WARN_90" | "WARN_30" | "ESCALATE" } | null {
  if (stage === "WARN_90" || stage === "WARN_30") return { kind: "REVIEW", stage };
  if (stage === "ESCALATE") return { kind: "HANDOFF", stage };
  return null;
}

export function prescriptionDate(dueDate: Date, debtorKind: DebtorKind, options: PrescriptionOptions = {}): Date {
  const due = startOfDayUTC(dueDate);
  const interrupted = options.interruptedAt ? startOfDayUTC(options.interruptedAt) : null;
  const start = interrupted && interrupted > due ? interrupted : due;
  return addMonthsClamped(start, 12 * PRESCRIPTION_YEARS[debtorKind]);
}

export function prescriptionWatch(dueDate: Date, debtorKind: DebtorKind, asOf: Date, options: PrescriptionOptions = {}): PrescriptionWatch {
  const expiresAt = prescriptionDate(dueDate, debtorKind, options);
  const daysLeft = daysBetween(asOf, expiresAt);
  const stage: PrescriptionStage =
    daysLeft < 0
      ? "EXPIRED"
      : daysLeft <= PRESCRIPTION_THRESHOLDS.ESCALATE
        ? "ESCALATE"
        : daysLeft <= PRESCRIPTION_THRESHOLDS.WARN_30
          ? "WARN_30"
          : daysLeft <= PRESCRIPTION_THRESHOLDS.WARN_90
            ? "WARN_90"
            : "OK";
  return { expiresAt, daysLeft, stage, basis: debtorKind === "BUSINESS" ? "C. com. L110-4" : "C. consom. L218-2" };
}
