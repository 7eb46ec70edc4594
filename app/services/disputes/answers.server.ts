import type { Clock } from "~/domain/clock";
import type { Db } from "~/utils/db.server";
import { recordCommunication } from "../messaging/communications.server";
import { applyInvoiceEvent } from "../dunning/invoice-events.server";
import { rescheduleInvoice } from "../dunning/reschedule.server";
import { sendNotice } from "../messaging/notices.server";
import { invoiceBalance } from "~/domain/money";

/**
 * Staff answers to a debtor's dispute (ARCHITECTURE §4): a reply in the
 * thread, a credit note (balance lowered; nothing left → the invoice is
 * settled), or a rejection (dunning resumes, the debtor is emailed why).
 * Everything is scoped to the staff member's creditor: another creditor's
 * dispute is "not found".
 */
export class DisputeAnswerError extends Error {
  constructor(public readonly code: "not_found" | "not_open" | "message_required" | "credit_invalid" | "credit_above_balance") {
    super(code);
    this.name = "DisputeAnswerError";
  }
}

export type StaffActor = { userId: string; name?: string | null };

async function openDispute(db: Db, creditorId: string, disputeId: string) {
  const dispute = await db.dispute.findFirst({ where: { id: disputeId, creditorId }, include: { invoice: true } });
  if (!dispute) throw new DisputeAnswerError("not_found");
  if (dispute.status !== "OPEN") throw new DisputeAnswerError("not_open");
  return dispute;
}

/** Claims the dispute (OPEN → status) so two staff members cannot both close it. */
async function close(
  db: Db,
  creditorId: string,
  disputeId: string,
  data: { status: "RESOLVED_CREDIT" | "RESOLVED_REJECTED"; creditAmount?: number; resolutionNote: string; resolvedAt: Date },
) {
  const claimed = await db.dispute.updateMany({ where: { id: disputeId, creditorId, status: "OPEN" }, data });
  if (claimed.count === 0) throw new DisputeAnswerError("not_open");
}

/** A message from the creditor in the dispute's thread; the dispute stays open. */
export async function replyToDispute(
  db: Db,
  creditorId: string,
  disputeId: string,
  input: { message: string },
  staff: StaffActor,
  clock: Clock,
) {
  const message = input.message.trim();
  if (!message) throw new DisputeAnswerError("message_required");
  const dispute = await openDispute(db, creditorId, disputeId);
  const now = clock.now();
  await db.disputeMessage.create({
    data: { creditorId, disputeId, author: "CREDITOR", authorName: staff.name ?? null, body: message, createdAt: now },
  });
  await recordCommunication(db, {
    creditorId,
    debtorId: dispute.debtorId,
    invoiceId: dispute.invoiceId,
    direction: "OUT",
    channel: "PORTAL",
    kind: "dispute.reply",
    subject: dispute.invoice.number,
    bodyText: message,
    actorType: "STAFF",
    actorId: staff.userId,
    data: { disputeId },
    occurredAt: now,
  });
}

/**
 * The creditor agrees: a credit note of `creditAmount` (minor units, at most
 * the balance) lowers the invoice's balance. Nothing left due → CANCELLED (or
 * PAID when money came in); otherwise dunning resumes on the rest.
 */
export async function resolveDisputeWithCredit(
  db: Db,
  creditorId: string,
  disputeId: string,
  input: { creditAmount: number; note: string },
  staff: StaffActor,
  clock: Clock,
) {
  const note = input.note.trim();
  if (!note) throw new DisputeAnswerError("message_required");
  const dispute = await openDispute(db, creditorId, disputeId);
  const invoice = dispute.invoice;
  const balance = invoiceBalance(invoice);
  if (!Number.isSafeInteger(input.creditAmount) || input.creditAmount <= 0) throw new DisputeAnswerError("credit_invalid");
  if (input.creditAmount > balance) throw new DisputeAnswerError("credit_above_balance");
  const now = clock.now();

  await close(db, creditorId, disputeId, {
    status: "RESOLVED_CREDIT",
    creditAmount: input.creditAmount,
    resolutionNote: note,
    resolvedAt: now,
  });
  await db.invoice.updateMany({ where: { id: invoice.id, creditorId }, data: { amountCredited: { increment: input.creditAmount } } });
  await db.disputeMessage.create({
    data: { creditorId, disputeId, author: "CREDITOR", authorName: staff.name ?? null, body: note, createdAt: now },
  });
  const balanceAfter = balance - input.creditAmount;
  await applyInvoiceEvent(db, {
    creditorId,
    invoiceId: invoice.id,
    event: { type: "DISPUTE_RESOLVED_CREDIT", balanceAfter, amountPaidAfter: invoice.amountPaid },
    actor: { type: "STAFF", id: staff.userId },
    now,
    note,
  });
  // The credit changed the amount owed: the schedule is recomputed through the one rescheduling function.
  await rescheduleInvoice(db, { creditorId, invoiceId: invoice.id, now, actor: { type: "STAFF", id: staff.userId }, reason: "credit" });
  await recordCommunication(db, {
    creditorId,
    debtorId: dispute.debtorId,
    invoiceId: invoice.id,
    direction: "OUT",
    channel: "SYSTEM",
    kind: "dispute.resolved_credit",
    subject: invoice.number,
    bodyText: note,
    actorType: "STAFF",
    actorId: staff.userId,
    data: { disputeId, creditAmount: input.creditAmount, balanceAfter },
    occurredAt: now,
  });
  await sendNotice(db, {
    creditorId,
    debtorId: dispute.debtorId,
    invoiceId: invoice.id,
    key: "dispute_answer",
    extra: { invoiceNumber: invoice.number, answer: note, outcome: "CREDIT" },
    idempotencyKey: `dispute:${disputeId}:answer`,
    clock,
  });
  return { balanceAfter };
}

/** The creditor maintains its invoice: dunning resumes and the debtor gets the explanation by email. */
export async function rejectDispute(
  db: Db,
  creditorId: string,
  disputeId: string,
  input: { note: string },
  staff: StaffActor,
  clock: Clock,
) {
  const note = input.note.trim();
  if (!note) throw new DisputeAnswerError("message_required");
  const dispute = await openDispute(db, creditorId, disputeId);
  const now = clock.now();
  await close(db, creditorId, disputeId, { status: "RESOLVED_REJECTED", resolutionNote: note, resolvedAt: now });
  await db.disputeMessage.create({
    data: { creditorId, disputeId, author: "CREDITOR", authorName: staff.name ?? null, body: note, createdAt: now },
  });
  await applyInvoiceEvent(db, {
    creditorId,
    invoiceId: dispute.invoiceId,
    event: { type: "DISPUTE_RESOLVED_REJECTED" },
    actor: { type: "STAFF", id: staff.userId },
    now,
    note,
  });
  await recordCommunication(db, {
    creditorId,
    debtorId: dispute.debtorId,
    invoiceId: dispute.invoiceId,
    direction: "OUT",
    channel: "SYSTEM",
    kind: "dispute.rejected",
    subject: dispute.invoice.number,
    bodyText: note,
    actorType: "STAFF",
    actorId: staff.userId,
    data: { disputeId },
    occurredAt: now,
  });
  await sendNotice(db, {
    creditorId,
    debtorId: dispute.debtorId,
    invoiceId: dispute.invoiceId,
    key: "dispute_answer",
    extra: { invoiceNumber: dispute.invoice.number, answer: note, outcome: "REJECTED" },
    idempotencyKey: `dispute:${disputeId}:answer`,
    clock,
  });
}
