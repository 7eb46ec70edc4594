import type { Db } from "~/utils/db.server";
import { recordCommunication } from "../messaging/communications.server";

/** Events after which a call about the invoice has nothing left to ask. */
export const TASK_CLOSING_EVENTS = ["PAYMENT_SUCCEEDED", "DISPUTE_OPENED", "PLAN_ACTIVATED"] as const;
export type TaskClosingEvent = (typeof TASK_CLOSING_EVENTS)[number];

export const closesTasks = (type: string): type is TaskClosingEvent => (TASK_CLOSING_EVENTS as readonly string[]).includes(type);

/**
 * Closes the open call tasks of an invoice once the debtor has paid, disputed
 * it or got a payment plan: nobody should ring about a settled question. Each
 * task is claimed by a conditional update (a staff member logging the call at
 * the same moment wins or loses cleanly) and its closing goes into the trace,
 * with the event that made it obsolete. Call it inside the caller's transaction.
 */
export async function closeObsoleteTasks(db: Db, input: { creditorId: string; invoiceId: string; event: TaskClosingEvent; now: Date }) {
  const open = await db.task.findMany({
    where: { creditorId: input.creditorId, invoiceId: input.invoiceId, kind: "CALL", status: "OPEN" },
    select: { id: true, debtorId: true, title: true },
  });
  let closed = 0;
  for (const task of open) {
    const claimed = await db.task.updateMany({
      where: { id: task.id, creditorId: input.creditorId, status: "OPEN" },
      data: { status: "CANCELLED", outcome: input.event, completedAt: input.now },
    });
    if (claimed.count === 0) continue;
    closed++;
    await recordCommunication(db, {
      creditorId: input.creditorId,
      debtorId: task.debtorId,
      invoiceId: input.invoiceId,
      direction: "OUT",
      channel: "SYSTEM",
      kind: "task.closed",
      subject: task.title,
      actorType: "SYSTEM",
      data: { taskId: task.id, event: input.event },
      occurredAt: input.now,
    });
  }
  return closed;
}
