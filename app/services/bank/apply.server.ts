import crypto from "node:crypto";
import { isoDay } from "~/domain/clock";
import type { MatchSuggestion } from "~/domain/bank/types";
import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/utils/db.server";
import type { Actor } from "../dunning/invoice-events.server";
import { recordCommunication } from "../messaging/communications.server";
import { OPEN_INVOICE_STATUSES as OPEN } from "../payments/errors.server";
import { applyPaymentStatus } from "../payments/status.server";

export type BankErrorCode = "not_found" | "already_decided" | "not_applied" | "invoice_unavailable" | "not_a_credit" | "no_invoice";

export class BankError extends Error {
  constructor(public readonly code: BankErrorCode) {
    super(code);
    this.name = "BankError";
  }
}

type BankTransactionRow = {
  id: string;
  creditorId: string;
  amount: number;
  currency: string;
  bookingDate: Date;
  statementDate: Date | null;
  counterpartyName: string | null;
  counterpartyIban: string | null;
  remittance: string;
  structuredRef: string | null;
  status: string;
  paymentId: string | null;
  suggestions: unknown;
};

const DECIDABLE = ["UNMATCHED", "SUGGESTED"] as const;

/**
 * Takes the transaction from one of `from` to `to`, only if it is still there:
 * the conditional UPDATE is the lock (two staff confirming at once: one row
 * changes, the other call changes none and books nothing).
 */
async function claim(
  tx: Db,
  creditorId: string,
  id: string,
  from: readonly string[],
  to: string,
  data: { decidedById: string | null; now: Date },
) {
  const rows = await tx.$queryRawUnsafe<BankTransactionRow[]>(
    `UPDATE "BankTransaction" SET status = $3::"BankTransactionStatus", "decidedById" = $4, "decidedAt" = $5::timestamp, "updatedAt" = $5::timestamp
     WHERE id = $1 AND "creditorId" = $2 AND status::text = ANY($6::text[])
     RETURNING id, "creditorId", amount, currency, "bookingDate", "statementDate", "counterpartyName", "counterpartyIban", remittance, "structuredRef", status::text AS status, "paymentId", suggestions`,
    id,
    creditorId,
    to,
    data.decidedById,
    data.now.toISOString().replace("Z", ""),
    [...from],
  );
  if (rows[0]) return rows[0];
  const exists = await tx.bankTransaction.findFirst({ where: { id, creditorId }, select: { id: true } });
  throw new BankError(exists ? "already_decided" : "not_found");
}

const day = (d: Date | null) => (d ? isoDay(d) : null);

/**
 * Applies a bank credit to a debtor's invoices: a TRANSFER payment through the
 * payment door (allocations, dunning stopped or lowered, receipt queued, an
 * overpayment left as a review task), the transaction marked APPLIED, and the
 * trace "virement reçu le …, relevé du …". Runs in the caller's transaction.
 */
export async function applyBankMatch(
  tx: Db,
  input: { creditorId: string; transactionId: string; debtorId: string; invoiceIds: string[]; actor: Actor; now: Date; learn?: boolean },
) {
  const staffId = input.actor.type === "STAFF" ? (input.actor.id ?? null) : null;
  const bank = await claim(tx, input.creditorId, input.transactionId, DECIDABLE, "APPLIED", { decidedById: staffId, now: input.now });
  if (bank.amount <= 0) throw new BankError("not_a_credit");
  const debtor = await tx.debtor.findFirst({ where: { id: input.debtorId, creditorId: input.creditorId }, select: { id: true } });
  if (!debtor) throw new BankError("not_found");
  const invoiceIds = [...new Set(input.invoiceIds)];
  const invoices = await tx.invoice.findMany({
    where: {
      id: { in: invoiceIds },
      creditorId: input.creditorId,
      debtorId: debtor.id,
      status: { in: [...OPEN] },
      currency: bank.currency,
    },
    select: { id: true },
  });
  if (invoices.length !== invoiceIds.length) throw new BankError("invoice_unavailable");
  const payment = await tx.payment.create({
    data: {
      creditorId: input.creditorId,
      debtorId: debtor.id,
      provider: "TRANSFER",
      method: "bank_transfer",
      amount: bank.amount,
      currency: bank.currency,
      idempotencyKey: `bank:${bank.id}:${crypto.randomUUID()}`,
      providerPaymentRef: null,
      status: "PROCESSING",
      allocations: { create: invoiceIds.map((invoiceId) => ({ creditorId: input.creditorId, invoiceId, amount: 0 })) },
    },
  });
  await applyPaymentStatus(tx, payment.id, "SUCCEEDED", { now: bank.bookingDate, actor: input.actor, clock: { now: () => input.now } });
  await tx.bankTransaction.update({ where: { id: bank.id }, data: { paymentId: payment.id } });
  const booked = await tx.paymentAllocation.findMany({
    where: { paymentId: payment.id },
    select: { invoiceId: true, amount: true, invoice: { select: { number: true } } },
  });
  const allocated = booked.reduce((s, a) => s + a.amount, 0);
  await recordCommunication(tx, {
    creditorId: input.creditorId,
    debtorId: debtor.id,
    direction: "IN",
    channel: "PAYMENT",
    kind: "payment.bank_transfer_matched",
    actorType: input.actor.type,
    actorId: input.actor.id ?? null,
    bodyText: `Virement reçu le ${day(bank.bookingDate)}${bank.statementDate ? `, relevé du ${day(bank.statementDate)}` : ""}`,
    data: {
      paymentId: payment.id,
      bankTransactionId: bank.id,
      amount: bank.amount,
      currency: bank.currency,
      receivedAt: day(bank.bookingDate),
      statementDate: day(bank.statementDate),
      payer: bank.counterpartyName,
      reference: bank.structuredRef ?? bank.remittance,
      allocations: booked.map((a) => ({ invoiceId: a.invoiceId, number: a.invoice.number, amount: a.amount })),
      unallocated: bank.amount - allocated,
    } as Prisma.InputJsonValue,
    occurredAt: input.now,
  });
  if (input.learn) await learnPayer(tx, input.creditorId, debtor.id, bank, staffId);
  return { paymentId: payment.id, allocated, unallocated: bank.amount - allocated };
}

/** A staff confirmation teaches who pays for whom: the payer's IBAN and name are kept for that debtor. */
async function learnPayer(tx: Db, creditorId: string, debtorId: string, bank: BankTransactionRow, staffId: string | null) {
  const facts = [
    bank.counterpartyIban ? { kind: "IBAN", value: bank.counterpartyIban.replace(/\s+/g, "").toUpperCase() } : null,
    bank.counterpartyName?.trim() ? { kind: "NAME", value: bank.counterpartyName.trim().replace(/\s+/g, " ") } : null,
  ].filter((f): f is { kind: string; value: string } => f !== null);
  if (facts.length) {
    await tx.payerIdentity.createMany({
      data: facts.map((f) => ({ creditorId, debtorId, ...f, learnedById: staffId })),
      skipDuplicates: true,
    });
  }
}

/** Staff pick: one of the stored suggestions (by position) or invoices of their own choosing. */
export async function confirmBankMatch(
  tx: Db,
  input: { creditorId: string; transactionId: string; userId: string; now: Date } & (
    { suggestion: number } | { debtorId: string; invoiceIds: string[] }
  ),
) {
  let debtorId: string;
  let invoiceIds: string[];
  if ("suggestion" in input) {
    const row = await tx.bankTransaction.findFirst({
      where: { id: input.transactionId, creditorId: input.creditorId },
      select: { suggestions: true },
    });
    if (!row) throw new BankError("not_found");
    const picked = (row.suggestions as MatchSuggestion[])[input.suggestion];
    if (!picked) throw new BankError("already_decided");
    debtorId = picked.debtorId;
    invoiceIds = picked.allocations.map((a) => a.invoiceId);
  } else {
    if (input.invoiceIds.length === 0) throw new BankError("no_invoice");
    debtorId = input.debtorId;
    invoiceIds = input.invoiceIds;
  }
  return applyBankMatch(tx, {
    creditorId: input.creditorId,
    transactionId: input.transactionId,
    debtorId,
    invoiceIds,
    actor: { type: "STAFF", id: input.userId },
    now: input.now,
    learn: true,
  });
}

/** "Not ours" (a transfer meant for someone else, a refund from a supplier): out of the inbox, kept for the record. */
export async function markNotOurs(tx: Db, input: { creditorId: string; transactionId: string; userId: string; now: Date }) {
  await claim(tx, input.creditorId, input.transactionId, DECIDABLE, "NOT_OURS", { decidedById: input.userId, now: input.now });
}

/**
 * Undoes an application: the payment is taken back through the door
 * (REFUNDED: allocations unbooked, balances and dunning back), the debtor is
 * not told a payment failed (it was our mistake), the transaction waits again.
 */
export async function undoBankMatch(tx: Db, input: { creditorId: string; transactionId: string; userId: string; now: Date }) {
  const row = await tx.bankTransaction.findFirst({
    where: { id: input.transactionId, creditorId: input.creditorId },
    select: { suggestions: true },
  });
  if (!row) throw new BankError("not_found");
  const back = (row.suggestions as unknown[]).length > 0 ? "SUGGESTED" : "UNMATCHED";
  const bank = await claim(tx, input.creditorId, input.transactionId, ["APPLIED"], back, { decidedById: input.userId, now: input.now });
  if (!bank.paymentId) throw new BankError("not_applied");
  await tx.bankTransaction.update({ where: { id: bank.id }, data: { paymentId: null } });
  await reversePayment(tx, bank.paymentId, { type: "STAFF", id: input.userId }, input.now, "REFUNDED", "bank match undone");
  await tx.outboxMessage.updateMany({
    where: { creditorId: input.creditorId, idempotencyKey: `notice:payment-failed:${bank.paymentId}`, status: "PENDING" },
    data: { status: "CANCELLED" },
  });
  await tx.task.updateMany({
    where: { creditorId: input.creditorId, sourceKey: `overpayment:${bank.paymentId}`, status: "OPEN" },
    data: { status: "CANCELLED" },
  });
  const payment = await tx.payment.findUniqueOrThrow({
    where: { id: bank.paymentId },
    select: { debtorId: true, amount: true, currency: true },
  });
  await recordCommunication(tx, {
    creditorId: input.creditorId,
    debtorId: payment.debtorId,
    direction: "IN",
    channel: "PAYMENT",
    kind: "payment.bank_match_undone",
    actorType: "STAFF",
    actorId: input.userId,
    data: { paymentId: bank.paymentId, bankTransactionId: bank.id, amount: payment.amount, currency: payment.currency },
    occurredAt: input.now,
  });
  await tx.auditEvent.create({
    data: {
      creditorId: input.creditorId,
      actorUserId: input.userId,
      action: "bank.match_undone",
      targetType: "BankTransaction",
      targetId: bank.id,
      meta: { paymentId: bank.paymentId },
    },
  });
  return { paymentId: bank.paymentId };
}

async function reversePayment(tx: Db, paymentId: string, actor: Actor, now: Date, to: "REFUNDED" | "CHARGED_BACK", reason: string) {
  return applyPaymentStatus(tx, paymentId, to, { now, actor, failureReason: reason, clock: { now: () => now } });
}

/**
 * A returned transfer: the credit it takes back was applied as a payment, so
 * that payment is charged back (balance reopened, dunning resumes, the debtor
 * told). The original is the latest applied credit of the same amount from the
 * same account (or with the same reference); none found → left for staff.
 */
export async function applyReversal(
  tx: Db,
  input: { creditorId: string; transactionId: string; now: Date },
): Promise<"applied" | "unmatched"> {
  const entry = await tx.bankTransaction.findFirstOrThrow({ where: { id: input.transactionId, creditorId: input.creditorId } });
  const sameSource = [
    ...(entry.counterpartyIban ? [{ counterpartyIban: entry.counterpartyIban }] : []),
    ...(entry.structuredRef ? [{ structuredRef: entry.structuredRef }] : []),
  ];
  if (sameSource.length === 0) return "unmatched";
  const original = await tx.bankTransaction.findFirst({
    where: {
      creditorId: input.creditorId,
      status: "APPLIED",
      reversal: false,
      amount: Math.abs(entry.amount),
      currency: entry.currency,
      paymentId: { not: null },
      bookingDate: { lte: entry.bookingDate },
      id: { not: entry.id },
      OR: sameSource,
    },
    orderBy: { bookingDate: "desc" },
  });
  if (!original?.paymentId) return "unmatched";
  const t = await reversePayment(
    tx,
    original.paymentId,
    { type: "SYSTEM", id: `bank-transaction:${entry.id}` },
    input.now,
    "CHARGED_BACK",
    "transfer returned by the bank",
  );
  if (!t.changed) return "unmatched";
  await claim(tx, input.creditorId, entry.id, DECIDABLE, "APPLIED", { decidedById: null, now: input.now });
  await tx.bankTransaction.update({ where: { id: entry.id }, data: { paymentId: original.paymentId } });
  return "applied";
}
