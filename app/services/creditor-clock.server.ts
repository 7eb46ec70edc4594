import { FRENCH_TIME_ZONE, todayIn } from "~/domain/clock";
import type { Db } from "~/utils/db.server";

/**
 * The creditor's time zone (decision 012): its "today" decides every day
 * boundary of the dunning and legal engines, and its clock shows moments.
 */
export async function creditorTimeZone(db: Db, creditorId: string): Promise<string> {
  const creditor = await db.creditor.findUnique({ where: { id: creditorId }, select: { timeZone: true } });
  return creditor?.timeZone ?? FRENCH_TIME_ZONE;
}

/** UTC midnight of the creditor's local date at `now`. */
export async function creditorToday(db: Db, creditorId: string, now: Date): Promise<Date> {
  return todayIn(await creditorTimeZone(db, creditorId), now);
}
