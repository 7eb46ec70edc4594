/**
 * `days` business days (Monday to Friday, UTC) after `from`, at the same time of day: a reply read
 * on Friday at 15:00 with 3 days holds until Wednesday 15:00; one on Saturday counts from Monday.
 * Public holidays are not skipped (the pause errs on the short side; staff can always read sooner).
 */
export function addBusinessDays(from: Date, days: number): Date {
  const at = new Date(from.getTime());
  let left = Math.max(0, Math.floor(days));
  while (isWeekend(at)) at.setUTCDate(at.getUTCDate() + 1);
  while (left > 0) {
    at.setUTCDate(at.getUTCDate() + 1);
    if (!isWeekend(at)) left--;
  }
  return at;
}

function isWeekend(date: Date): boolean {
  const day = date.getUTCDay();
  return day === 0 || day === 6;
}
