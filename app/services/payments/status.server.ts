import { addDays, type Clock } from "~/domain/clock";
import { invoiceBalance } from "~/domain/money";
import { allocateAsAsked, allocatePayment } from "~/domain/payments/allocation";
import { paymentMethodKind, paymentReference } from "~/domain/payments/receipt";
import { transitionPayment, type PaymentStatus, type PaymentTransition } from "~/domain/payments/state";
import type { Db } from "~/utils/db.server";
import { applyInvoiceEvent, lockDunningStates, type Actor } from "../dunning/invoice-events.server";
import { recordCashed } from "../einvoice/lifecycle.server";
import { recordCommunication } from "../messaging/communications.server";
import { queueNotice } from "../messaging/notices.server";
import { bookEarlyPaymentDiscount, openDiscountOffers, paymentDayForDiscount } from "./discount.server";
import { OPEN_INVOICE_STATUSES as OPEN, PaymentError } from "./errors.server";

/** A SEPA debit settles in days; if its outcome never arrives, dunning must not stay frozen for ever. */
const PROCESSING_PAUSE_DAYS = 14;

/**
 * Moves a payment forward and books what that means, in the caller's
 * transaction. The payment row is locked first, so two deliveries of the same
 * event processed at once apply it once. Stale and duplicate moves change nothing.
 */
export async function applyPaymentStatus(
  tx: Db,
  paymentId: string,
  to: PaymentStatus,
  ctx: {
    now: Date;
    actor?: Actor;
    providerPaymentRef?: string | null;
    failureReason?: string | null;
    clock?: Clock;
    /** "as-booked": settle exactly the amounts written on the allocations (a bank transfer split by staff), not the allocator's split. */
    allocation?: "as-booked";
  },
): Promise<PaymentTransition & { paymentId: string }> {
  const locked = await tx.$queryRawUnsafe<{ status: PaymentStatus }[]>(`SELECT status FROM "Payment" WHERE id = $1 FOR UPDATE`, paymentId);
  if (locked.length === 0) throw new PaymentError("not_found");
  const t = transitionPayment(locked[0]!.status, to);
  if (!t.changed) return { ...t, paymentId };
  const payment = await tx.payment.update({
    where: { id: paymentId },
    data: {
      status: to,
      ...(to === "SUCCEEDED" ? { succeededAt: ctx.now } : {}),
      ...(ctx.providerPaymentRef ? { providerPaymentRef: ctx.providerPaymentRef } : {}),
      ...(ctx.failureReason ? { failureReason: ctx.failureReason.slice(0, 500) } : {}),
    },
    include: { allocations: true },
  });
  const actor = ctx.actor ?? { type: "PROVIDER" as const };
  const clock = ctx.clock ?? { now: () => ctx.now };
  const base = { creditorId: payment.creditorId, debtorId: payment.debtorId };
  // The invoices this payment moves, locked in id order before any of them changes (a
  // settlement locks its debtor first, then its invoices: see settle).
  const lockAllocated = () =>
    lockDunningStates(
      tx,
      payment.creditorId,
      payment.allocations.map((a) => a.invoiceId),
    );

  switch (t.effect) {
    case "pending":
      // An installment's debit: the plan, not the payment, holds those invoices' dunning.
      if (payment.installmentId) break;
      await lockAllocated();
      for (const a of payment.allocations) {
        await applyInvoiceEvent(tx, {
          ...base,
          invoiceId: a.invoiceId,
          event: { type: "PAYMENT_PROCESSING", until: addDays(ctx.now, PROCESSING_PAUSE_DAYS) },
          actor,
          now: ctx.now,
        });
      }
      break;
    case "settled":
      await settle(tx, payment, actor, clock, ctx.allocation === "as-booked", ctx.now);
      break;
    case "failed":
      await lockAllocated();
      for (const a of payment.installmentId ? [] : payment.allocations) {
        const inv = await tx.invoice.findUniqueOrThrow({
          where: { id: a.invoiceId },
          select: { amount: true, amountPaid: true, amountCredited: true },
        });
        await applyInvoiceEvent(tx, {
          ...base,
          invoiceId: a.invoiceId,
          event: { type: "PAYMENT_FAILED", balanceAfter: invoiceBalance(inv), amountPaidAfter: inv.amountPaid },
          actor,
          now: ctx.now,
        });
      }
      await notifyFailure(tx, payment, ctx.failureReason ?? null, clock);
      break;
    case "reversed":
      await lockAllocated();
      for (const a of payment.allocations) {
        const inv = await tx.invoice.update({
          where: { id: a.invoiceId },
          data: { amountPaid: { decrement: a.amount } },
          select: { amount: true, amountPaid: true, amountCredited: true },
        });
        await applyInvoiceEvent(tx, {
          ...base,
          invoiceId: a.invoiceId,
          event: { type: "PAYMENT_CHARGED_BACK", balanceAfter: invoiceBalance(inv), amountPaidAfter: inv.amountPaid },
          actor,
          now: ctx.now,
        });
      }
      if (payment.installmentId)
        await tx.installment.update({ where: { id: payment.installmentId }, data: { status: "PENDING", paidAt: null } });
      await notifyFailure(tx, payment, ctx.failureReason ?? (to === "REFUNDED" ? "refunded" : "charged back"), clock);
      break;
    case "none":
      break;
  }
  await recordCommunication(tx, {
    ...base,
    direction: "IN",
    channel: "PAYMENT",
    kind: `payment.${to.toLowerCase()}`,
    actorType: actor.type,
    actorId: actor.id ?? null,
    data: {
      paymentId,
      from: t.from,
      to,
      amount: payment.amount,
      currency: payment.currency,
      provider: payment.provider,
      ...(ctx.failureReason ? { reason: ctx.failureReason } : {}),
    },
    occurredAt: ctx.now,
  });
  return { ...t, paymentId };
}

type PaymentWithAllocations = {
  id: string;
  creditorId: string;
  debtorId: string;
  amount: number;
  currency: string;
  installmentId: string | null;
  provider: string;
  method: string | null;
  providerRef: string | null;
  providerPaymentRef: string | null;
  createdAt: Date;
  allocations: { invoiceId: string; amount: number }[];
};

/**
 * Money arrived: split it again over the balances as they are now (an invoice
 * may have been paid by transfer meanwhile), ticked invoices first, then the
 * debtor's other open invoices oldest first; anything left is a staff task.
 */
async function settle(tx: Db, payment: PaymentWithAllocations, actor: Actor, clock: Clock, asBooked: boolean, receivedAt: Date) {
  const now = clock.now();
  // One settlement per debtor at a time (webhooks are applied in parallel, staff record
  // transfers meanwhile): the balances read below stay true until this transaction ends.
  await tx.$queryRawUnsafe(`SELECT id FROM "Debtor" WHERE id = $1 FOR UPDATE`, payment.debtorId);
  const chosen = payment.allocations.map((a) => a.invoiceId);
  const open = await tx.invoice.findMany({
    where: { creditorId: payment.creditorId, debtorId: payment.debtorId, status: { in: [...OPEN] }, currency: payment.currency },
    select: { id: true, number: true, dueDate: true, amount: true, amountPaid: true, amountCredited: true },
  });
  // An early-payment discount open on the day the payment was made counts the balance less the discount (decision 028).
  const paidOn = await paymentDayForDiscount(tx, payment.creditorId, payment.createdAt, receivedAt);
  const offers = await openDiscountOffers(
    tx,
    payment.creditorId,
    open.map((i) => i.id),
    paidOn,
  );
  const items = open.map((i) => ({ id: i.id, dueDate: i.dueDate, balance: offers.get(i.id)?.toPay ?? invoiceBalance(i) }));
  const { allocations, unallocated } = asBooked
    ? allocateAsAsked(payment.amount, items, payment.allocations)
    : allocatePayment(payment.amount, items, chosen);
  await tx.paymentAllocation.deleteMany({ where: { paymentId: payment.id } });
  await lockDunningStates(
    tx,
    payment.creditorId,
    allocations.map((a) => a.invoiceId),
  );
  for (const a of allocations) {
    await tx.paymentAllocation.create({
      data: { creditorId: payment.creditorId, paymentId: payment.id, invoiceId: a.invoiceId, amount: a.amount },
    });
    if (offers.has(a.invoiceId))
      await bookEarlyPaymentDiscount(tx, {
        creditorId: payment.creditorId,
        debtorId: payment.debtorId,
        invoiceId: a.invoiceId,
        paymentId: payment.id,
        paid: a.amount,
        day: paidOn,
        now,
      });
    const inv = await tx.invoice.update({
      where: { id: a.invoiceId },
      data: { amountPaid: { increment: a.amount } },
      select: { amount: true, amountPaid: true, amountCredited: true },
    });
    const balanceAfter = invoiceBalance(inv);
    await applyInvoiceEvent(tx, {
      creditorId: payment.creditorId,
      debtorId: payment.debtorId,
      invoiceId: a.invoiceId,
      event: { type: balanceAfter <= 0 ? "PAYMENT_SUCCEEDED" : "PAYMENT_PARTIAL", balanceAfter, amountPaidAfter: inv.amountPaid },
      actor,
      now,
    } as Parameters<typeof applyInvoiceEvent>[1]);
    // The e-invoice life cycle: the seller declares what it cashed (212 Encaissée), once per payment and invoice.
    await recordCashed(tx, {
      creditorId: payment.creditorId,
      invoiceId: a.invoiceId,
      paymentId: payment.id,
      amount: a.amount,
      currency: payment.currency,
      settled: balanceAfter <= 0,
      now,
    });
  }
  if (payment.installmentId) await settleInstallment(tx, payment.installmentId, now);
  if (unallocated > 0) {
    await tx.task.create({
      data: {
        creditorId: payment.creditorId,
        debtorId: payment.debtorId,
        kind: "REVIEW",
        dueAt: now,
        sourceKey: `overpayment:${payment.id}`,
        title: `Overpayment of ${(unallocated / 100).toFixed(2)} ${payment.currency}: refund or apply`,
        details: `Payment ${payment.id} exceeded the open balance when it settled.`,
      },
    });
  }
  const numbers = open.filter((i) => allocations.some((a) => a.invoiceId === i.id)).map((i) => i.number);
  await queueNotice(tx, {
    creditorId: payment.creditorId,
    debtorId: payment.debtorId,
    key: "payment_receipt",
    idempotencyKey: `receipt:${payment.id}`,
    now,
    extra: {
      amount: payment.amount,
      currency: payment.currency,
      paidAt: now,
      // Our reference (as on the portal and the receipt PDF), not the provider's pi_… id.
      reference: paymentReference(payment.id),
      invoiceNumbers: numbers,
      method: paymentMethodKind(payment.provider, payment.method),
      paymentId: payment.id,
    },
  });
}

async function settleInstallment(tx: Db, installmentId: string, now: Date) {
  const installment = await tx.installment.update({
    where: { id: installmentId },
    data: { status: "PAID", paidAt: now },
    select: { planId: true, creditorId: true },
  });
  const left = await tx.installment.count({ where: { planId: installment.planId, status: { not: "PAID" } } });
  if (left === 0) {
    await tx.installmentPlan.updateMany({
      where: { id: installment.planId, creditorId: installment.creditorId, status: "ACTIVE" },
      data: { status: "COMPLETED" },
    });
  }
}

async function notifyFailure(tx: Db, payment: PaymentWithAllocations, reason: string | null, clock: Clock) {
  await queueNotice(tx, {
    creditorId: payment.creditorId,
    debtorId: payment.debtorId,
    key: "payment_failed",
    idempotencyKey: `payment-failed:${payment.id}`,
    now: clock.now(),
    extra: { amount: payment.amount, currency: payment.currency, reason },
  });
}
