/**
 * Cash-collection indicators, as pure functions over aggregates the KPI
 * service reads with SQL. Amounts are minor units.
 */

/** Overdue buckets by days past the due date (d = today − dueDate). `min`/`max` inclusive, null = open-ended. */
export const AGING_BUCKETS = [
  { key: "notDue", min: null, max: 0 },
  { key: "d1_30", min: 1, max: 30 },
  { key: "d31_60", min: 31, max: 60 },
  { key: "d61_90", min: 61, max: 90 },
  { key: "d90plus", min: 91, max: null },
] as const;

export type AgingBucket = (typeof AGING_BUCKETS)[number]["key"];

export function agingBucket(daysPastDue: number): AgingBucket {
  for (const b of AGING_BUCKETS) {
    if ((b.min === null || daysPastDue >= b.min) && (b.max === null || daysPastDue <= b.max)) return b.key;
  }
  return "d90plus";
}

/** Every bucket in order, zero where the query returned nothing. */
export function agingSeries(rows: readonly { bucket: string; amount: number; count: number }[]) {
  return AGING_BUCKETS.map((b) => {
    const row = rows.find((r) => r.bucket === b.key);
    return { bucket: b.key as AgingBucket, amount: row?.amount ?? 0, count: row?.count ?? 0 };
  });
}

/** The DSO window: credit sales of the last 90 days. */
export const DSO_DAYS = 90;

/**
 * Days Sales Outstanding, "receivables over sales" method:
 *   DSO = open receivables today / credit sales invoiced over the last `days` days × `days`.
 * Null when nothing was invoiced in the window (the ratio has no meaning).
 */
export function dso(receivables: number, creditSales: number, days: number = DSO_DAYS): number | null {
  if (creditSales <= 0) return null;
  return Math.round((receivables / creditSales) * days * 10) / 10;
}

/**
 * Collection Effectiveness Index over a period, in percent:
 *   CEI = (begin + sales − end) / (begin + sales − endCurrent) × 100
 * where begin/end are receivables at the start/end of the period, sales the
 * credit sales invoiced during it, endCurrent the receivables not yet due at
 * the end. 100 % = everything collectable was collected. Null when nothing
 * was collectable.
 */
export function cei(input: { begin: number; sales: number; end: number; endCurrent: number }): number | null {
  const collectable = input.begin + input.sales - input.endCurrent;
  if (collectable <= 0) return null;
  const collected = input.begin + input.sales - input.end;
  return Math.round(Math.max(0, Math.min(100, (collected / collectable) * 100)) * 10) / 10;
}

/** Monday 00:00 UTC of the week holding `date` (ISO weeks, as PostgreSQL's date_trunc('week')). */
export function weekStartUTC(date: Date): Date {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const shift = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() - shift * 86_400_000);
}

/** The last `weeks` weeks ending with the current one, oldest first, zero-filled. */
export function weeklySeries(rows: readonly { week: Date; amount: number }[], now: Date, weeks = 12) {
  const current = weekStartUTC(now);
  return Array.from({ length: weeks }, (_, i) => {
    const week = new Date(current.getTime() - (weeks - 1 - i) * 7 * 86_400_000);
    const amount = rows.filter((r) => weekStartUTC(r.week).getTime() === week.getTime()).reduce((s, r) => s + r.amount, 0);
    return { week, amount };
  });
}
