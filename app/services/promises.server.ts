import { addDays, startOfDayUTC } from "~/domain/clock";
import type { Db } from "~/utils/db.server";
import { applyInvoiceEvent } from "./dunning.server";

/**
 * Promises whose date + grace has passed: KEPT when the invoice got paid,
 * otherwise BROKEN and the next dunning level becomes due now.
 */
export async function settleDuePromises(db: Db, now: Date, opts: { creditorId?: string } = {}) {
  const today = startOfDayUTC(now);
  const due = await db.promiseToPay.findMany({
    where: { status: "PENDING", promisedAt: { lt: today }, ...(opts.creditorId ? { creditorId: opts.creditorId } : {}) },
    include: { creditor: { select: { promiseGraceDays: true } }, invoice: { select: { id: true, status: true } } },
    take: 500,
  });
  let kept = 0;
  let broken = 0;
  for (const promise of due) {
    if (addDays(promise.promisedAt, promise.creditor.promiseGraceDays) >= today) continue;
    const paid = promise.invoice && ["PAID", "CANCELLED", "WRITTEN_OFF"].includes(promise.invoice.status);
    await db.$transaction(async (tx) => {
      const claimed = await tx.promiseToPay.updateMany({
        where: { id: promise.id, creditorId: promise.creditorId, status: "PENDING" },
        data: { status: paid ? "KEPT" : "BROKEN" },
      });
      if (claimed.count === 0 || paid || !promise.invoiceId) return;
      await applyInvoiceEvent(tx, {
        creditorId: promise.creditorId,
        invoiceId: promise.invoiceId,
        event: { type: "PROMISE_BROKEN" },
        actor: { type: "SYSTEM" },
        now,
      });
    });
    if (paid) kept++;
    else broken++;
  }
  return { kept, broken };
}
