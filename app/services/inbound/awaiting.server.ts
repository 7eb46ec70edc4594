import { addBusinessDays } from "~/domain/inbound/business-days";
import type { Db } from "~/utils/db.server";
import { inTransaction } from "~/utils/db.server";
import { applyInvoiceEvent, type Actor } from "../dunning/invoice-events.server";

const LIVE = ["OPEN", "PARTIALLY_PAID"] as const;

/** End of the AWAITING_ANSWER pause of a reply received at `now`: the creditor's business days later. */
export function awaitingAnswerUntil(now: Date, awaitingAnswerDays: number): Date {
  return addBusinessDays(now, awaitingAnswerDays);
}

/**
 * A human reply sits unread: the debtor's live invoices pause (AWAITING_ANSWER, the weakest pause, so a
 * promise, a plan or a dispute already holding stays as it is) until staff handle it, or for the
 * creditor's `awaitingAnswerDays` business days at most; the tick resumes them when the pause lapses.
 * Each invoice goes through the invoice door, which writes the trace. Returns the invoices paused.
 */
export async function beginAwaitingAnswer(
  db: Db,
  input: { creditorId: string; debtorId: string; inboundEmailId: string; now: Date },
): Promise<{ invoiceIds: string[]; until: Date | null }> {
  const creditor = await db.creditor.findUniqueOrThrow({ where: { id: input.creditorId }, select: { awaitingAnswerDays: true } });
  if (creditor.awaitingAnswerDays <= 0) return { invoiceIds: [], until: null };
  const until = awaitingAnswerUntil(input.now, creditor.awaitingAnswerDays);
  const invoices = await liveInvoices(db, input.creditorId, input.debtorId, input.now);
  const paused: string[] = [];
  for (const invoice of invoices) {
    const next = await inTransaction(db, (tx) =>
      applyInvoiceEvent(tx, {
        creditorId: input.creditorId,
        invoiceId: invoice.id,
        event: { type: "REPLY_RECEIVED", until },
        actor: { type: "DEBTOR" },
        now: input.now,
      }),
    );
    if (next.pauseReason === "AWAITING_ANSWER") paused.push(invoice.id);
  }
  return { invoiceIds: paused, until };
}

/**
 * Staff handled the debtor's reply (accepted a suggestion, dismissed it, answered): the AWAITING_ANSWER
 * pause lifts on the debtor's invoices; any other pause (the promise just accepted) stays.
 */
export async function endAwaitingAnswer(
  db: Db,
  input: { creditorId: string; debtorId: string; actor: Actor; now: Date },
): Promise<{ invoiceIds: string[] }> {
  const invoices = await db.invoice.findMany({
    where: {
      creditorId: input.creditorId,
      debtorId: input.debtorId,
      status: { in: [...LIVE] },
      dunningState: { pauseReason: "AWAITING_ANSWER" },
    },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  const resumed: string[] = [];
  for (const invoice of invoices) {
    const next = await inTransaction(db, (tx) =>
      applyInvoiceEvent(tx, {
        creditorId: input.creditorId,
        invoiceId: invoice.id,
        event: { type: "REPLY_HANDLED" },
        actor: input.actor,
        now: input.now,
      }),
    );
    if (next.pauseReason !== "AWAITING_ANSWER") resumed.push(invoice.id);
  }
  return { invoiceIds: resumed };
}

/** Live invoices no stronger pause holds (the door would keep that pause; its trace would only say "paused"). */
function liveInvoices(db: Db, creditorId: string, debtorId: string, now: Date) {
  return db.invoice.findMany({
    where: {
      creditorId,
      debtorId,
      status: { in: [...LIVE] },
      dunningState: {
        stoppedAt: null,
        OR: [{ pauseReason: null }, { pauseReason: "AWAITING_ANSWER" }, { pausedUntil: { lte: now } }],
      },
    },
    select: { id: true },
    orderBy: { id: "asc" },
  });
}
