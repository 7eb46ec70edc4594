import type { Db } from "~/utils/db.server";

/**
 * When the debtor was put on notice: the first time one of its formal
 * notices actually went out — posted by staff as a registered letter (the
 * LETTER task marked sent: a `letter.sent` trace entry) or emailed (the trace
 * entry the notice is linked to, once the provider accepted or delivered it).
 * A generated but unsent notice does not count. A consumer's interest runs
 * from this date (C. civ. 1231-6, 1344): the portal, the statement, the
 * letter and the dossier all read it here.
 */
export async function formalNoticeSentAt(db: Db, creditorId: string, debtorId: string): Promise<Date | null> {
  const notices = await db.attachment.findMany({
    where: {
      creditorId,
      kind: "FORMAL_NOTICE",
      OR: [{ storagePath: { startsWith: `${creditorId}/${debtorId}/` } }, { task: { debtorId } }, { communication: { debtorId } }],
    },
    select: { taskId: true, communication: { select: { occurredAt: true, deliveryStatus: true, debtorId: true } } },
  });
  const dates: Date[] = [];
  for (const n of notices) {
    const c = n.communication;
    if (c && c.debtorId === debtorId && (c.deliveryStatus === "SENT" || c.deliveryStatus === "DELIVERED")) dates.push(c.occurredAt);
  }
  const taskIds = notices.map((n) => n.taskId).filter((id): id is string => !!id);
  if (taskIds.length > 0) {
    const letters = await db.communication.findMany({
      where: {
        creditorId,
        debtorId,
        channel: "LETTER",
        kind: "letter.sent",
        OR: taskIds.map((taskId) => ({ data: { path: ["taskId"], equals: taskId } })),
      },
      select: { occurredAt: true },
    });
    dates.push(...letters.map((l) => l.occurredAt));
  }
  return dates.length === 0 ? null : new Date(Math.min(...dates.map((d) => d.getTime())));
}
