import { addDays, startOfDayUTC, todayIn } from "~/domain/clock";
import type { Db } from "~/utils/db.server";
import { applyInvoiceEvent } from "./invoice-events.server";
import { invoiceBalance } from "~/domain/money";

/**
 * Promises whose date + grace has passed: KEPT when the invoice got paid,
 * otherwise BROKEN and the next dunning level becomes due now.
 */
export async function settleDuePromises(db: Db, now: Date, opts: { creditorId?: string } = {}) {
  // No zone's date is later than the UTC date + 1; each promise is then judged on its creditor's calendar.
  const latestToday = addDays(startOfDayUTC(now), 1);
  const due = await db.promiseToPay.findMany({
    where: { status: "PENDING", promisedAt: { lt: latestToday }, ...(opts.creditorId ? { creditorId: opts.creditorId } : {}) },
    include: { creditor: { select: { promiseGraceDays: true, timeZone: true } }, invoice: { select: { id: true, status: true } } },
    take: 500,
  });
  let kept = 0;
  let broken = 0;
  for (const promise of due) {
    const today = todayIn(promise.creditor.timeZone, now);
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

export class PromiseError extends Error {
  constructor(
    public readonly field: "invoiceId" | "date" | "amount",
    public readonly code: string,
  ) {
    super(code);
    this.name = "PromiseError";
  }
}

/**
 * The debtor promises to pay (part of) an invoice by a date no later than the
 * creditor allows: dunning pauses until the date + grace days. `maxDays`
 * widens the limit when staff accept a date the debtor wrote (decision 016).
 */
export async function makePromise(
  db: Db,
  identity: { creditorId: string; debtorId: string },
  input: { invoiceId: string; date: Date; amount: number },
  now: Date,
  opts: { maxDays?: number } = {},
) {
  const invoice = await db.invoice.findFirst({
    where: {
      id: input.invoiceId,
      creditorId: identity.creditorId,
      debtorId: identity.debtorId,
      status: { in: ["OPEN", "PARTIALLY_PAID"] },
    },
    include: { creditor: { select: { promiseMaxDays: true, promiseGraceDays: true, timeZone: true } } },
  });
  if (!invoice) throw new PromiseError("invoiceId", "notFound");
  const today = todayIn(invoice.creditor.timeZone, now);
  const date = startOfDayUTC(input.date);
  if (date <= today) throw new PromiseError("date", "notFuture");
  if (date > addDays(today, Math.max(invoice.creditor.promiseMaxDays, opts.maxDays ?? 0))) throw new PromiseError("date", "tooFar");
  const balance = invoiceBalance(invoice);
  if (!Number.isSafeInteger(input.amount) || input.amount <= 0) throw new PromiseError("amount", "notPositive");
  if (input.amount > balance) throw new PromiseError("amount", "aboveBalance");

  await db.promiseToPay.updateMany({
    where: { creditorId: identity.creditorId, invoiceId: invoice.id, status: "PENDING" },
    data: { status: "CANCELLED" },
  });
  const promise = await db.promiseToPay.create({
    data: {
      creditorId: identity.creditorId,
      debtorId: identity.debtorId,
      invoiceId: invoice.id,
      promisedAt: date,
      amount: input.amount,
      currency: invoice.currency,
    },
  });
  await applyInvoiceEvent(db, {
    creditorId: identity.creditorId,
    invoiceId: invoice.id,
    event: { type: "PROMISE_MADE", until: addDays(date, invoice.creditor.promiseGraceDays + 1) },
    actor: { type: "DEBTOR", id: identity.debtorId },
    now,
  });
  return { promise, invoice };
}
