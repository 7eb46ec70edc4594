import crypto from "node:crypto";
import { isoDay } from "~/domain/clock";
import { invoiceBalance } from "~/domain/money";
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
 * What a credit pays: one part per debtor, each naming invoices. An invoice's
 * `amount` null lets the allocator split (a suggestion confirmed as it is);
 * amounts given are booked exactly (staff picked other invoices or split the
 * transfer across debtors).
 */
export type BankMatchPart = { debtorId: string; invoices: { invoiceId: string; amount: number | null }[] };

/** Why a hand-made split cannot be booked, for the form to show next to its field. */
export type SplitProblem =
  | { code: "no_invoice" }
  | { code: "invoice_unavailable"; invoiceId: string }
  | { code: "amount_invalid"; invoiceId: string }
  | { code: "amount_above_balance"; invoiceId: string; balance: number }
  | { code: "currency_mismatch"; invoiceId: string }
  | { code: "total_above_transaction"; total: number; available: number }
  | { code: "debtor_repeated"; debtorId: string };

export class BankSplitError extends Error {
  constructor(public readonly problems: SplitProblem[]) {
    super(problems.map((p) => p.code).join(", "));
    this.name = "BankSplitError";
  }
}

/** The payments a bank credit was booked as (one per debtor of a split), by their idempotency key. */
export const bankPaymentKeyPrefix = (transactionId: string) => `bank:${transactionId}:`;

/**
 * Applies a bank credit to debtors' invoices: one TRANSFER payment per part
 * through the payment door (allocations, dunning stopped or lowered, receipt
 * queued, an overpayment left as a review task), the transaction marked
 * APPLIED, and the trace "virement reçu le …, relevé du …". Runs in the
 * caller's transaction; the conditional claim on the transaction's state is
 * the lock (two staff deciding at once: one wins, the other gets
 * `already_decided` and books nothing).
 */
export async function applyBankMatch(
  tx: Db,
  input: { creditorId: string; transactionId: string; parts: BankMatchPart[]; actor: Actor; now: Date; learn?: boolean },
) {
  const staffId = input.actor.type === "STAFF" ? (input.actor.id ?? null) : null;
  const bank = await claim(tx, input.creditorId, input.transactionId, DECIDABLE, "APPLIED", { decidedById: staffId, now: input.now });
  if (bank.amount <= 0) throw new BankError("not_a_credit");
  const exact = input.parts.some((p) => p.invoices.some((i) => i.amount !== null));
  // Confirming a suggestion may name no invoice (an installment's amount): the allocator then pays the oldest first.
  const parts = exact ? input.parts.filter((p) => p.invoices.length > 0) : input.parts;
  if (parts.length === 0) throw new BankError("no_invoice");
  const debtorIds = [...new Set(parts.map((p) => p.debtorId))];
  const debtors = await tx.debtor.findMany({ where: { id: { in: debtorIds }, creditorId: input.creditorId }, select: { id: true } });
  if (debtors.length !== debtorIds.length) throw new BankError("not_found");
  const invoices = await tx.invoice.findMany({
    where: { id: { in: parts.flatMap((p) => p.invoices.map((i) => i.invoiceId)) }, creditorId: input.creditorId },
    select: { id: true, debtorId: true, status: true, currency: true, amount: true, amountPaid: true, amountCredited: true },
  });
  if (exact) {
    const problems = checkSplit(bank, parts, invoices);
    if (problems.length) throw new BankSplitError(problems);
  } else {
    const byId = new Map(invoices.map((i) => [i.id, i]));
    const usable = (p: BankMatchPart) =>
      p.invoices.every((a) => {
        const i = byId.get(a.invoiceId);
        return i && i.debtorId === p.debtorId && (OPEN as readonly string[]).includes(i.status) && i.currency === bank.currency;
      });
    if (parts.length !== 1 || !usable(parts[0]!)) throw new BankError("invoice_unavailable");
  }
  const total = exact ? parts.reduce((s, p) => s + p.invoices.reduce((t, i) => t + (i.amount ?? 0), 0), 0) : bank.amount;
  const paymentIds: string[] = [];
  const touched: string[] = [];
  let unallocated = 0;
  for (const [n, part] of parts.entries()) {
    const asked = exact ? part.invoices.reduce((t, i) => t + (i.amount ?? 0), 0) : bank.amount;
    // What staff left unassigned stays with the first debtor of the split, as a credit balance (a review task).
    const amount = exact && n === 0 ? asked + (bank.amount - total) : asked;
    const payment = await tx.payment.create({
      data: {
        creditorId: input.creditorId,
        debtorId: part.debtorId,
        provider: "TRANSFER",
        method: "bank_transfer",
        amount,
        currency: bank.currency,
        idempotencyKey: `${bankPaymentKeyPrefix(bank.id)}${crypto.randomUUID()}`,
        providerPaymentRef: null,
        status: "PROCESSING",
        allocations: {
          create: part.invoices.map((i) => ({ creditorId: input.creditorId, invoiceId: i.invoiceId, amount: i.amount ?? 0 })),
        },
      },
    });
    await applyPaymentStatus(tx, payment.id, "SUCCEEDED", {
      now: bank.bookingDate,
      actor: input.actor,
      clock: { now: () => input.now },
      ...(exact ? { allocation: "as-booked" as const } : {}),
    });
    paymentIds.push(payment.id);
    const booked = await tx.paymentAllocation.findMany({
      where: { paymentId: payment.id },
      select: { invoiceId: true, amount: true, invoice: { select: { number: true } } },
    });
    const allocated = booked.reduce((s, a) => s + a.amount, 0);
    unallocated += amount - allocated;
    touched.push(...booked.map((a) => a.invoiceId));
    await recordCommunication(tx, {
      creditorId: input.creditorId,
      debtorId: part.debtorId,
      direction: "IN",
      channel: "PAYMENT",
      kind: "payment.bank_transfer_matched",
      actorType: input.actor.type,
      actorId: input.actor.id ?? null,
      bodyText: `Virement reçu le ${day(bank.bookingDate)}${bank.statementDate ? `, relevé du ${day(bank.statementDate)}` : ""}`,
      data: {
        paymentId: payment.id,
        bankTransactionId: bank.id,
        amount,
        transferAmount: bank.amount,
        currency: bank.currency,
        receivedAt: day(bank.bookingDate),
        statementDate: day(bank.statementDate),
        payer: bank.counterpartyName,
        reference: bank.structuredRef ?? bank.remittance,
        allocations: booked.map((a) => ({ invoiceId: a.invoiceId, number: a.invoice.number, amount: a.amount })),
        unallocated: amount - allocated,
        ...(parts.length > 1 ? { splitAcross: parts.length } : {}),
      } as Prisma.InputJsonValue,
      occurredAt: input.now,
    });
    if (input.learn && parts.length === 1) await learnPayer(tx, input.creditorId, part.debtorId, bank, staffId);
  }
  await tx.bankTransaction.update({ where: { id: bank.id }, data: { paymentId: paymentIds[0]! } });
  return { paymentId: paymentIds[0]!, paymentIds, invoiceIds: touched, allocated: bank.amount - unallocated, unallocated };
}

type InvoiceForSplit = {
  id: string;
  debtorId: string;
  status: string;
  currency: string;
  amount: number;
  amountPaid: number;
  amountCredited: number;
};

/** A hand-made split is bookable when every invoice is open, the debtor's, in the transfer's currency, and the amounts fit. */
function checkSplit(bank: { amount: number; currency: string }, parts: BankMatchPart[], invoices: InvoiceForSplit[]): SplitProblem[] {
  const byId = new Map(invoices.map((i) => [i.id, i]));
  const problems: SplitProblem[] = [];
  const seen = new Set<string>();
  for (const part of parts) {
    if (seen.has(part.debtorId)) problems.push({ code: "debtor_repeated", debtorId: part.debtorId });
    seen.add(part.debtorId);
    for (const a of part.invoices) {
      const invoice = byId.get(a.invoiceId);
      if (!invoice || invoice.debtorId !== part.debtorId || !(OPEN as readonly string[]).includes(invoice.status))
        problems.push({ code: "invoice_unavailable", invoiceId: a.invoiceId });
      else if (invoice.currency !== bank.currency) problems.push({ code: "currency_mismatch", invoiceId: a.invoiceId });
      else if (a.amount === null || !Number.isSafeInteger(a.amount) || a.amount <= 0)
        problems.push({ code: "amount_invalid", invoiceId: a.invoiceId });
      else if (a.amount > invoiceBalance(invoice))
        problems.push({ code: "amount_above_balance", invoiceId: a.invoiceId, balance: invoiceBalance(invoice) });
    }
  }
  const total = parts.reduce((s, p) => s + p.invoices.reduce((t, i) => t + (i.amount ?? 0), 0), 0);
  if (total > bank.amount) problems.push({ code: "total_above_transaction", total, available: bank.amount });
  return problems;
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

/**
 * Staff decide: one of the stored suggestions (by position), or parts of
 * their own making — other invoices of a debtor, or the transfer split
 * across debtors — with the amount each invoice takes.
 */
export async function confirmBankMatch(
  tx: Db,
  input: { creditorId: string; transactionId: string; userId: string; now: Date } & ({ suggestion: number } | { parts: BankMatchPart[] }),
) {
  let parts: BankMatchPart[];
  if ("suggestion" in input) {
    const row = await tx.bankTransaction.findFirst({
      where: { id: input.transactionId, creditorId: input.creditorId },
      select: { suggestions: true },
    });
    if (!row) throw new BankError("not_found");
    const picked = (row.suggestions as MatchSuggestion[])[input.suggestion];
    if (!picked) throw new BankError("already_decided");
    parts = [{ debtorId: picked.debtorId, invoices: picked.allocations.map((a) => ({ invoiceId: a.invoiceId, amount: null })) }];
  } else {
    if (!input.parts.some((p) => p.invoices.length > 0)) throw new BankError("no_invoice");
    parts = input.parts;
  }
  return applyBankMatch(tx, {
    creditorId: input.creditorId,
    transactionId: input.transactionId,
    parts,
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
  const payments = await paymentsOf(tx, input.creditorId, bank.id, bank.paymentId);
  for (const payment of payments) {
    await reversePayment(tx, payment.id, { type: "STAFF", id: input.userId }, input.now, "REFUNDED", "bank match undone");
    await tx.outboxMessage.updateMany({
      where: { creditorId: input.creditorId, idempotencyKey: `notice:payment-failed:${payment.id}`, status: "PENDING" },
      data: { status: "CANCELLED" },
    });
    await tx.task.updateMany({
      where: { creditorId: input.creditorId, sourceKey: `overpayment:${payment.id}`, status: "OPEN" },
      data: { status: "CANCELLED" },
    });
    await recordCommunication(tx, {
      creditorId: input.creditorId,
      debtorId: payment.debtorId,
      direction: "IN",
      channel: "PAYMENT",
      kind: "payment.bank_match_undone",
      actorType: "STAFF",
      actorId: input.userId,
      data: { paymentId: payment.id, bankTransactionId: bank.id, amount: payment.amount, currency: payment.currency },
      occurredAt: input.now,
    });
  }
  await tx.auditEvent.create({
    data: {
      creditorId: input.creditorId,
      actorUserId: input.userId,
      action: "bank.match_undone",
      targetType: "BankTransaction",
      targetId: bank.id,
      meta: { paymentIds: payments.map((p) => p.id) },
    },
  });
  return { paymentId: bank.paymentId, paymentIds: payments.map((p) => p.id) };
}

/** The settled payments a bank credit was booked as: one, or one per debtor of a split. */
async function paymentsOf(tx: Db, creditorId: string, transactionId: string, primaryId: string) {
  const payments = await tx.payment.findMany({
    where: {
      creditorId,
      status: "SUCCEEDED",
      OR: [{ id: primaryId }, { idempotencyKey: { startsWith: bankPaymentKeyPrefix(transactionId) } }],
    },
    select: { id: true, debtorId: true, amount: true, currency: true },
    orderBy: { createdAt: "asc" },
  });
  return payments;
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
  let changed = false;
  for (const payment of await paymentsOf(tx, input.creditorId, original.id, original.paymentId)) {
    const t = await reversePayment(
      tx,
      payment.id,
      { type: "SYSTEM", id: `bank-transaction:${entry.id}` },
      input.now,
      "CHARGED_BACK",
      "transfer returned by the bank",
    );
    changed ||= t.changed;
  }
  if (!changed) return "unmatched";
  await claim(tx, input.creditorId, entry.id, DECIDABLE, "APPLIED", { decidedById: null, now: input.now });
  await tx.bankTransaction.update({ where: { id: entry.id }, data: { paymentId: original.paymentId } });
  return "applied";
}
