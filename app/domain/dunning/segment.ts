import { daysBetween } from "../clock";
import type { RiskSegment, Tone } from "./types";

/** Days of tolerance before a payment counts as late for the segment. */
export const LATE_TOLERANCE_DAYS = 5;

export type PaymentHistoryEntry = { dueDate: Date; paidAt: Date | null };

/**
 * Payment behaviour over the 12 months before `asOf`, judged on the invoices
 * that fell due in that window (pass only invoices actually owed: not the
 * cancelled ones). Late = paid more than 5 days after the due date, or still
 * unpaid more than 5 days after it.
 *   LATE_PAYER: at least two late invoices;
 *   GOOD: none late and at least three paid on time;
 *   STANDARD: anything else, including too little history to judge.
 */
export function computeRiskSegment(history: readonly PaymentHistoryEntry[], asOf: Date): RiskSegment {
  const since = new Date(Date.UTC(asOf.getUTCFullYear() - 1, asOf.getUTCMonth(), asOf.getUTCDate()));
  let late = 0;
  let onTime = 0;
  for (const { dueDate, paidAt } of history) {
    if (dueDate < since || dueDate > asOf) continue;
    // A payment after `asOf` was not known then: judge the invoice as unpaid.
    const paid = paidAt && paidAt <= asOf ? paidAt : null;
    const daysLate = daysBetween(dueDate, paid ?? asOf);
    if (daysLate > LATE_TOLERANCE_DAYS) late++;
    else if (paid) onTime++;
  }
  if (late >= 2) return "LATE_PAYER";
  if (late === 0 && onTime >= 3) return "GOOD";
  return "STANDARD";
}

const TONES: readonly Tone[] = ["CORDIAL", "STANDARD", "FIRM"];

/**
 * The tone of one reminder. The level's tone is the policy's base (STANDARD
 * when unset); the debtor's segment shifts it one step: a good payer hears it
 * one notch softer, a habitual late payer one notch firmer, clamped to the
 * ends. A staff override of the segment (Debtor.riskSegmentManual) is resolved
 * by the caller, which passes the segment that applies.
 */
export function toneFor(segment: RiskSegment, levelTone: Tone | null | undefined): Tone {
  const base = TONES.indexOf(levelTone ?? "STANDARD");
  const shift = segment === "GOOD" ? -1 : segment === "LATE_PAYER" ? 1 : 0;
  return TONES[Math.min(TONES.length - 1, Math.max(0, base + shift))] ?? "STANDARD";
}
