import { FRENCH_TIME_ZONE, isoDay, todayIn, type Clock } from "~/domain/clock";
import { invoiceBalance } from "~/domain/money";
import { wakeJob } from "~/services/wake.server";
import type { PrismaClient } from "~/utils/db.server";
import { creditorTimeZone } from "../creditor-clock.server";
import { recordCommunication } from "../messaging/communications.server";
import { OPEN_INVOICE_STATUSES as OPEN, PaymentError } from "./errors.server";
import { applyPaymentStatus } from "./status.server";

/** The last calendar day money can have been received on: today on the creditor's clock, or in UTC when that is later. */
export function latestReceivedDay(now: Date, timeZone: string = FRENCH_TIME_ZONE): string {
  const local = isoDay(todayIn(timeZone, now));
  const utc = isoDay(now);
  return local > utc ? local : utc;
}

export type ManualPaymentInput = {
  debtorId: string;
  amount: number;
  /** Invoices the money is for, settled first; empty = the debtor's open invoices, oldest first. */
  invoiceIds: string[];
  receivedAt: Date;
  /** The bank statement's label or reference. */
  reference: string;
  note?: string | null;
  provider?: "TRANSFER" | "MANUAL";
};

export type ManualPaymentResult = {
  id: string;
  amount: number;
  currency: string;
  allocations: { invoiceId: string; number: string; amount: number; balanceAfter: number }[];
  /** More than the open balance: kept on the payment and left to staff as a REVIEW task. */
  unallocated: number;
};

/**
 * A bank transfer (or any payment made elsewhere) recorded by staff: settled
 * at once, split like any payment (the chosen invoices first, then oldest
 * first), an overpayment left to a review task. The same bank line recorded
 * twice (same debtor, day, amount and reference) is refused as a duplicate.
 */
export async function recordManualPayment(
  db: PrismaClient,
  staff: { creditorId: string; userId: string },
  input: ManualPaymentInput,
  clock: Clock,
): Promise<ManualPaymentResult> {
  if (!Number.isSafeInteger(input.amount) || input.amount <= 0) throw new PaymentError("amount_invalid");
  const timeZone = await creditorTimeZone(db, staff.creditorId);
  if (Number.isNaN(input.receivedAt.getTime()) || isoDay(input.receivedAt) > latestReceivedDay(clock.now(), timeZone))
    throw new PaymentError("received_in_future");
  const debtor = await db.debtor.findFirst({ where: { id: input.debtorId, creditorId: staff.creditorId }, select: { id: true } });
  if (!debtor) throw new PaymentError("not_found");
  const reference = input.reference.trim().replace(/\s+/g, " ");
  const idempotencyKey = reference
    ? `manual:${staff.creditorId}:${debtor.id}:${isoDay(input.receivedAt)}:${input.amount}:${reference.toUpperCase()}`
    : `manual:${staff.creditorId}:${crypto.randomUUID()}`;
  if (await db.payment.findUnique({ where: { idempotencyKey }, select: { id: true } })) throw new PaymentError("duplicate");
  return db
    .$transaction(
      async (tx) => {
        // The settlement locks the debtor FOR UPDATE; taken first here, before the payment's insert takes
        // a key-share lock on it, so two transfers recorded at once queue instead of deadlocking.
        await tx.$queryRawUnsafe(`SELECT id FROM "Debtor" WHERE id = $1 FOR UPDATE`, debtor.id);
        const invoiceIds = [...new Set(input.invoiceIds)];
        const invoices = await tx.invoice.findMany({
          where: { id: { in: invoiceIds }, creditorId: staff.creditorId, debtorId: debtor.id, status: { in: [...OPEN] } },
          select: { id: true, currency: true },
        });
        if (invoices.length !== invoiceIds.length) throw new PaymentError("invoice_unavailable");
        if (invoices.some((i) => i.currency !== invoices[0]!.currency)) throw new PaymentError("currency_mismatch");
        const oldest = invoices.length
          ? null
          : await tx.invoice.findFirst({
              where: { creditorId: staff.creditorId, debtorId: debtor.id, status: { in: [...OPEN] } },
              orderBy: [{ dueDate: "asc" }, { number: "asc" }],
              select: { currency: true },
            });
        const currency = invoices[0]?.currency ?? oldest?.currency ?? "EUR";
        const payment = await tx.payment.create({
          data: {
            creditorId: staff.creditorId,
            debtorId: debtor.id,
            provider: input.provider ?? "TRANSFER",
            method: "transfer",
            amount: input.amount,
            currency,
            idempotencyKey,
            providerRef: null,
            status: "PROCESSING",
            allocations: { create: invoices.map((i) => ({ creditorId: staff.creditorId, invoiceId: i.id, amount: 0 })) },
          },
        });
        const actor = { type: "STAFF" as const, id: staff.userId };
        await applyPaymentStatus(tx, payment.id, "SUCCEEDED", { now: input.receivedAt, actor, clock });
        const booked = await tx.paymentAllocation.findMany({
          where: { paymentId: payment.id },
          select: {
            invoiceId: true,
            amount: true,
            invoice: { select: { number: true, dueDate: true, amount: true, amountPaid: true, amountCredited: true } },
          },
        });
        booked.sort(
          (a, b) => a.invoice.dueDate.getTime() - b.invoice.dueDate.getTime() || a.invoice.number.localeCompare(b.invoice.number),
        );
        const allocations = booked.map((a) => ({
          invoiceId: a.invoiceId,
          number: a.invoice.number,
          amount: a.amount,
          balanceAfter: invoiceBalance(a.invoice),
        }));
        const unallocated = payment.amount - allocations.reduce((s, a) => s + a.amount, 0);
        // The staff's own record of the bank line: reference, note and where the money went, for the debtor's timeline.
        await recordCommunication(tx, {
          creditorId: staff.creditorId,
          debtorId: debtor.id,
          direction: "IN",
          channel: "PAYMENT",
          kind: "payment.transfer_recorded",
          actorType: "STAFF",
          actorId: staff.userId,
          bodyText: input.note?.trim() || null,
          data: {
            paymentId: payment.id,
            provider: payment.provider,
            amount: payment.amount,
            currency,
            receivedAt: isoDay(input.receivedAt),
            reference,
            allocations,
            unallocated,
          },
          occurredAt: clock.now(),
        });
        return { id: payment.id, amount: payment.amount, currency, allocations, unallocated };
      },
      { timeout: 30_000 },
    )
    .then(
      (result) => {
        void wakeJob("outbox_send"); // the receipt queued in the transaction
        return result;
      },
      (error) => {
        // Two people recorded the same bank line at the same moment.
        if ((error as { code?: string }).code === "P2002") throw new PaymentError("duplicate");
        throw error;
      },
    );
}
