import { addDays, daysBetween } from "../clock";
import type { RiskSegment, Tone } from "./types";

/** Days of tolerance before a payment counts as late for the segment. */
export const LATE_TOLERANCE_DAYS = 5;

/**
 * Payment behaviour over the last 12 months: LATE_PAYER when at least two
 * invoices were (or are) more than 5 days late, GOOD with at least three paid
 * on time and none late, STANDARD otherwise.
 */
export function computeRiskSegment(history: readonly { dueDate: Date; paidAt: Date | null }[], asOf: Date): RiskSegment {
  const since = addDays(asOf, -365);
  const recent = history.filter((h) => h.dueDate >= since && h.dueDate <= asOf);
  const late = recent.filter((h) => daysBetween(h.dueDate, h.paidAt ?? asOf) > LATE_TOLERANCE_DAYS).length;
  const onTime = recent.filter((h) => h.paidAt && daysBetween(h.dueDate, h.paidAt) <= LATE_TOLERANCE_DAYS).length;
  if (late >= 2) return "LATE_PAYER";
  if (late === 0 && onTime >= 3) return "GOOD";
  return "STANDARD";
}

const ORDER: Tone[] = ["CORDIAL", "STANDARD", "FIRM"];

/**
 * The level's tone is the policy's base; the debtor's segment shifts it one
 * step: a good payer hears it one notch softer, a habitual late payer one
 * notch firmer. (A staff override of the segment is resolved by the caller.)
 */
export function toneFor(segment: RiskSegment, levelTone: Tone | null | undefined): Tone {
  const base = ORDER.indexOf(levelTone ?? "STANDARD");
  const shift = segment === "GOOD" ? -1 : segment === "LATE_PAYER" ? 1 : 0;
  return ORDER[Math.min(2, Math.max(0, base + shift))]!;
}
