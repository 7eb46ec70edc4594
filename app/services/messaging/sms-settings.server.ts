import { checkSmsWindow, formatClockTime, parseClockTime, type SmsWindowError } from "~/domain/sms";
import type { Db } from "~/utils/db.server";

/** The creditor's SMS sending hours as the settings form shows them ("09:00", ISO weekdays). */
export async function readSmsHours(db: Db, creditorId: string) {
  const c = await db.creditor.findUniqueOrThrow({
    where: { id: creditorId },
    select: { smsWindowStart: true, smsWindowEnd: true, smsDays: true, timeZone: true },
  });
  return {
    start: formatClockTime(c.smsWindowStart),
    end: formatClockTime(c.smsWindowEnd),
    days: [...c.smsDays].sort(),
    timeZone: c.timeZone,
  };
}

export type SmsHoursResult =
  | { ok: true }
  | {
      ok: false;
      fieldErrors: Partial<Record<"start" | "end" | "days", SmsWindowError>>;
      values: { start: string; end: string; days: number[] };
    };

/** Saves the hours when they are readable and never at night (08:00–20:00 at the widest); says why otherwise. */
export async function saveSmsHours(
  db: Db,
  creditorId: string,
  input: { start: string; end: string; days: string[] },
): Promise<SmsHoursResult> {
  const values = { start: input.start.trim(), end: input.end.trim(), days: input.days.map(Number).filter(Number.isInteger) };
  const start = parseClockTime(values.start);
  const end = parseClockTime(values.end);
  const fieldErrors: Partial<Record<"start" | "end" | "days", SmsWindowError>> = {};
  if (start === null) fieldErrors.start = "sms.errors.time";
  if (end === null) fieldErrors.end = "sms.errors.time";
  if (start !== null && end !== null) {
    const check = checkSmsWindow({ start, end, days: values.days });
    if (!check.ok) fieldErrors[check.field] = check.error;
  }
  if (values.days.length === 0) fieldErrors.days = "sms.errors.days";
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors, values };
  const days = [...new Set(values.days)].sort();
  await db.creditor.update({ where: { id: creditorId }, data: { smsWindowStart: start!, smsWindowEnd: end!, smsDays: days } });
  return { ok: true };
}
