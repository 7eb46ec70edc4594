/**
 * Calendar periods as French procedure counts them (C. pr. civ. 641): a
 * period in months or years ends on the day bearing the same date, or on the
 * last day of the month when that date does not exist (31 Jan + 1 month →
 * 28/29 Feb). UTC calendar days.
 */

export function lastDayOfMonth(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0));
}

export function addMonthsClamped(date: Date, months: number): Date {
  const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1));
  const lastDay = lastDayOfMonth(target).getUTCDate();
  return new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), Math.min(date.getUTCDate(), lastDay)));
}
