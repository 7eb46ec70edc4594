import { addDays, FRENCH_TIME_ZONE, isoDay, type Clock } from "~/domain/clock";
import { allocatePayment, checkPaymentAmount, type AmountCheck } from "~/domain/payments/allocation";
import { transitionPayment, type PaymentStatus, type PaymentTransition } from "~/domain/payments/state";
import { wakeJob } from "~/services/wake.server";
import { createBankPayment, createMandateRequest } from "~/providers/gocardless.server";
import { createCheckoutSession, ProviderUnavailableError } from "~/providers/stripe.server";
import type { Db, PrismaClient } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";
import type { PortalIdentity } from "~/utils/portal-session.server";
import { recordCommunication } from "../messaging/communications.server";
import { applyInvoiceEvent, type Actor } from "../dunning/invoice-events.server";
import { queueNotice } from "../messaging/notices.server";
import { invoiceBalance } from "~/domain/money";

export type PayMethod = "card" | "sepa_debit" | "gocardless";

export class PaymentError extends Error {
  constructor(
    public readonly code:
      | Exclude<AmountCheck, { ok: true }>["code"]
      | "invoice_unavailable"
      | "currency_mismatch"
      | "payment_pending"
      | "provider_unavailable"
      | "bad_attempt"
      | "received_in_future"
      | "duplicate"
      | "not_found",
    message = code,
  ) {
    super(message);
    this.name = "PaymentError";
  }
}

/** A SEPA debit settles in days; if its outcome never arrives, dunning must not stay frozen for ever. */
const PROCESSING_PAUSE_DAYS = 14;

const OPEN = ["OPEN", "PARTIALLY_PAID"] as const;

/**
 * The debtor pays from the portal: one invoice, several, or part of one.
 * `attempt` is a nonce rendered in the form: a double-click (or a retried POST)
 * carries the same one, finds the same payment and the same provider session —
 * one Checkout Session, one payment. Nothing is left behind if the provider is down.
 */
export async function startPayment(
  db: PrismaClient,
  identity: PortalIdentity,
  input: { invoiceIds: string[]; amount: number | null; method: PayMethod; attempt: string; installmentId?: string | null },
  clock: Clock,
): Promise<{ paymentId: string; url: string }> {
  if (!/^[0-9a-f-]{36}$/i.test(input.attempt)) throw new PaymentError("bad_attempt");
  const { creditorId, debtorId } = identity;
  const idempotencyKey = `portal:${debtorId}:${input.attempt}`;

  let payment = await db.payment.findUnique({ where: { idempotencyKey } });
  if (payment && (payment.creditorId !== creditorId || payment.debtorId !== debtorId)) throw new PaymentError("not_found");
  if (!payment) {
    payment = await db.$transaction(async (tx) => {
      if (input.installmentId) return createInstallmentPayment(tx, identity, input.installmentId, input.method, idempotencyKey);
      const invoiceIds = [...new Set(input.invoiceIds)];
      const invoices = await tx.invoice.findMany({
        where: { id: { in: invoiceIds }, creditorId, debtorId, status: { in: [...OPEN] } },
        select: { id: true, dueDate: true, amount: true, amountPaid: true, amountCredited: true, currency: true },
      });
      if (invoices.length === 0 || invoices.length !== invoiceIds.length) throw new PaymentError("invoice_unavailable");
      const currency = invoices[0]!.currency;
      if (invoices.some((i) => i.currency !== currency)) throw new PaymentError("currency_mismatch");
      const pending = await tx.paymentAllocation.count({ where: { creditorId, invoiceId: { in: invoiceIds }, payment: { status: "PROCESSING" } } });
      if (pending > 0) throw new PaymentError("payment_pending");
      const items = invoices.map((i) => ({ id: i.id, dueDate: i.dueDate, balance: invoiceBalance(i) }));
      const total = items.reduce((s, i) => s + i.balance, 0);
      const creditor = await tx.creditor.findUniqueOrThrow({ where: { id: creditorId }, select: { allowPartialPayments: true, minPartialAmount: true } });
      const check = checkPaymentAmount(input.amount, total, creditor);
      if (!check.ok) throw new PaymentError(check.code);
      const { allocations } = allocatePayment(check.amount, items, invoiceIds);
      return tx.payment.create({
        data: {
          creditorId, debtorId, idempotencyKey, currency, amount: check.amount,
          provider: input.method === "gocardless" ? "GOCARDLESS" : "STRIPE",
          method: input.method,
          installmentId: input.installmentId ?? null,
          allocations: { create: allocations.map((a) => ({ creditorId, invoiceId: a.invoiceId, amount: a.amount })) },
        },
      });
    }).catch(async (error) => {
      // Two clicks raced: the other request created it; use that one.
      if ((error as { code?: string }).code === "P2002") return db.payment.findUniqueOrThrow({ where: { idempotencyKey } });
      throw error;
    });
  }
  if (payment.checkoutUrl) return { paymentId: payment.id, url: payment.checkoutUrl };
  if (payment.status !== "CREATED") throw new PaymentError("payment_pending");

  const debtor = await db.debtor.findFirstOrThrow({ where: { id: debtorId, creditorId }, select: { email: true, locale: true, creditor: { select: { legalName: true } } } });
  const numbers = await db.paymentAllocation.findMany({ where: { paymentId: payment.id }, select: { invoice: { select: { number: true } } } });
  const description = `${debtor.creditor.legalName} — ${numbers.map((n) => n.invoice.number).join(", ")}`.slice(0, 250);
  const back = `${getEnv().APP_URL}/portal/payments/${payment.id}`;
  let provider: { ref: string; paymentRef: string | null; url: string };
  try {
    if (payment.provider === "GOCARDLESS") {
      const br = await createBankPayment({ paymentId: payment.id, amount: payment.amount, currency: payment.currency, description, redirectUrl: back, exitUrl: `${back}?cancelled=1`, locale: debtor.locale, email: debtor.email });
      provider = { ref: br.billingRequestId, paymentRef: null, url: br.url };
    } else {
      const session = await createCheckoutSession({
        paymentId: payment.id, amount: payment.amount, currency: payment.currency, method: payment.method === "sepa_debit" ? "sepa_debit" : "card",
        description, customerEmail: debtor.email, locale: debtor.locale, successUrl: back, cancelUrl: `${back}?cancelled=1`,
      });
      provider = { ref: session.id, paymentRef: session.paymentIntentId, url: session.url };
    }
  } catch (error) {
    if (!(error instanceof ProviderUnavailableError)) throw error;
    logger.warn({ err: error, paymentId: payment.id }, "payment provider unavailable; nothing kept");
    // Nothing half-created: the payment and its planned allocations go; the debtor retries with a fresh attempt.
    await db.payment.deleteMany({ where: { id: payment.id, status: "CREATED", checkoutUrl: null } });
    throw new PaymentError("provider_unavailable");
  }
  await db.$transaction(async (tx) => {
    await tx.payment.updateMany({
      where: { id: payment.id, status: "CREATED" },
      data: { providerRef: provider.ref, providerPaymentRef: provider.paymentRef, checkoutUrl: provider.url, status: "REQUIRES_ACTION" },
    });
    await recordCommunication(tx, {
      creditorId, debtorId, direction: "IN", channel: "PAYMENT", kind: "payment.started", actorType: "DEBTOR",
      data: { paymentId: payment.id, provider: payment.provider, method: payment.method, amount: payment.amount, currency: payment.currency },
      occurredAt: clock.now(),
    });
  });
  return { paymentId: payment.id, url: provider.url };
}

/** One installment of the debtor's active plan, paid on its own (card, SEPA, bank pay): the amount is the installment's. */
async function createInstallmentPayment(tx: Db, identity: PortalIdentity, installmentId: string, method: PayMethod, idempotencyKey: string) {
  const { creditorId, debtorId } = identity;
  const installment = await tx.installment.findFirst({
    where: { id: installmentId, creditorId, status: "PENDING", plan: { debtorId, status: "ACTIVE" } },
    include: { payment: { select: { id: true, status: true } }, plan: { include: { invoices: { include: { invoice: { select: { id: true, dueDate: true, amount: true, amountPaid: true, amountCredited: true } } } } } } },
  });
  if (!installment) throw new PaymentError("invoice_unavailable");
  if (installment.payment) {
    if (["PROCESSING", "SUCCEEDED"].includes(installment.payment.status)) throw new PaymentError("payment_pending");
    // An abandoned or failed attempt lets go of the installment.
    await tx.payment.update({ where: { id: installment.payment.id }, data: { installmentId: null } });
  }
  const { allocations } = allocatePayment(
    installment.amount,
    installment.plan.invoices.map((l) => ({ id: l.invoice.id, dueDate: l.invoice.dueDate, balance: invoiceBalance(l.invoice) })),
  );
  return tx.payment.create({
    data: {
      creditorId, debtorId, idempotencyKey, currency: installment.plan.currency, amount: installment.amount,
      provider: method === "gocardless" ? "GOCARDLESS" : "STRIPE", method, installmentId: installment.id,
      allocations: { create: allocations.map((a) => ({ creditorId, invoiceId: a.invoiceId, amount: a.amount })) },
    },
  });
}

/**
 * Moves a payment forward and books what that means, in the caller's
 * transaction. The payment row is locked first, so two deliveries of the same
 * event processed at once apply it once. Stale and duplicate moves change nothing.
 */
export async function applyPaymentStatus(
  tx: Db,
  paymentId: string,
  to: PaymentStatus,
  ctx: { now: Date; actor?: Actor; providerPaymentRef?: string | null; failureReason?: string | null; clock?: Clock },
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

  switch (t.effect) {
    case "pending":
      // An installment's debit: the plan, not the payment, holds those invoices' dunning.
      if (payment.installmentId) break;
      for (const a of payment.allocations) {
        await applyInvoiceEvent(tx, { ...base, invoiceId: a.invoiceId, event: { type: "PAYMENT_PROCESSING", until: addDays(ctx.now, PROCESSING_PAUSE_DAYS) }, actor, now: ctx.now });
      }
      break;
    case "settled":
      await settle(tx, payment, actor, clock);
      break;
    case "failed":
      for (const a of payment.installmentId ? [] : payment.allocations) {
        const inv = await tx.invoice.findUniqueOrThrow({ where: { id: a.invoiceId }, select: { amount: true, amountPaid: true, amountCredited: true } });
        await applyInvoiceEvent(tx, { ...base, invoiceId: a.invoiceId, event: { type: "PAYMENT_FAILED", balanceAfter: invoiceBalance(inv), amountPaidAfter: inv.amountPaid }, actor, now: ctx.now });
      }
      await notifyFailure(tx, payment, ctx.failureReason ?? null, clock);
      break;
    case "reversed":
      for (const a of payment.allocations) {
        const inv = await tx.invoice.update({ where: { id: a.invoiceId }, data: { amountPaid: { decrement: a.amount } }, select: { amount: true, amountPaid: true, amountCredited: true } });
        await applyInvoiceEvent(tx, { ...base, invoiceId: a.invoiceId, event: { type: "PAYMENT_CHARGED_BACK", balanceAfter: invoiceBalance(inv), amountPaidAfter: inv.amountPaid }, actor, now: ctx.now });
      }
      if (payment.installmentId) await tx.installment.update({ where: { id: payment.installmentId }, data: { status: "PENDING", paidAt: null } });
      await notifyFailure(tx, payment, ctx.failureReason ?? (to === "REFUNDED" ? "refunded" : "charged back"), clock);
      break;
    case "none":
      break;
  }
  await recordCommunication(tx, {
    ...base, direction: "IN", channel: "PAYMENT", kind: `payment.${to.toLowerCase()}`, actorType: actor.type, actorId: actor.id ?? null,
    data: { paymentId, from: t.from, to, amount: payment.amount, currency: payment.currency, provider: payment.provider, ...(ctx.failureReason ? { reason: ctx.failureReason } : {}) },
    occurredAt: ctx.now,
  });
  return { ...t, paymentId };
}

type PaymentWithAllocations = { id: string; creditorId: string; debtorId: string; amount: number; currency: string; installmentId: string | null; providerRef: string | null; providerPaymentRef: string | null; allocations: { invoiceId: string; amount: number }[] };

/**
 * Money arrived: split it again over the balances as they are now (an invoice
 * may have been paid by transfer meanwhile), ticked invoices first, then the
 * debtor's other open invoices oldest first; anything left is a staff task.
 */
async function settle(tx: Db, payment: PaymentWithAllocations, actor: Actor, clock: Clock) {
  const now = clock.now();
  // One settlement per debtor at a time (webhooks are applied in parallel, staff record
  // transfers meanwhile): the balances read below stay true until this transaction ends.
  await tx.$queryRawUnsafe(`SELECT id FROM "Debtor" WHERE id = $1 FOR UPDATE`, payment.debtorId);
  const chosen = payment.allocations.map((a) => a.invoiceId);
  const open = await tx.invoice.findMany({
    where: { creditorId: payment.creditorId, debtorId: payment.debtorId, status: { in: [...OPEN] }, currency: payment.currency },
    select: { id: true, number: true, dueDate: true, amount: true, amountPaid: true, amountCredited: true },
  });
  const items = open.map((i) => ({ id: i.id, dueDate: i.dueDate, balance: invoiceBalance(i) }));
  const { allocations, unallocated } = allocatePayment(payment.amount, items, chosen);
  await tx.paymentAllocation.deleteMany({ where: { paymentId: payment.id } });
  for (const a of allocations) {
    await tx.paymentAllocation.create({ data: { creditorId: payment.creditorId, paymentId: payment.id, invoiceId: a.invoiceId, amount: a.amount } });
    const inv = await tx.invoice.update({ where: { id: a.invoiceId }, data: { amountPaid: { increment: a.amount } }, select: { amount: true, amountPaid: true, amountCredited: true } });
    const balanceAfter = invoiceBalance(inv);
    await applyInvoiceEvent(tx, {
      creditorId: payment.creditorId, debtorId: payment.debtorId, invoiceId: a.invoiceId,
      event: { type: balanceAfter <= 0 ? "PAYMENT_SUCCEEDED" : "PAYMENT_PARTIAL", balanceAfter, amountPaidAfter: inv.amountPaid }, actor, now,
    } as Parameters<typeof applyInvoiceEvent>[1]);
  }
  if (payment.installmentId) await settleInstallment(tx, payment.installmentId, now);
  if (unallocated > 0) {
    await tx.task.create({
      data: {
        creditorId: payment.creditorId, debtorId: payment.debtorId, kind: "REVIEW", dueAt: now, sourceKey: `overpayment:${payment.id}`,
        title: `Overpayment of ${(unallocated / 100).toFixed(2)} ${payment.currency}: refund or apply`,
        details: `Payment ${payment.id} exceeded the open balance when it settled.`,
      },
    });
  }
  const numbers = open.filter((i) => allocations.some((a) => a.invoiceId === i.id)).map((i) => i.number);
  await queueNotice(tx, {
    creditorId: payment.creditorId, debtorId: payment.debtorId, key: "payment_receipt", idempotencyKey: `receipt:${payment.id}`, now,
    extra: { amount: payment.amount, currency: payment.currency, paidAt: now, reference: payment.providerPaymentRef ?? payment.providerRef ?? payment.id, invoiceNumbers: numbers },
  });
}

async function settleInstallment(tx: Db, installmentId: string, now: Date) {
  const installment = await tx.installment.update({ where: { id: installmentId }, data: { status: "PAID", paidAt: now }, select: { planId: true, creditorId: true } });
  const left = await tx.installment.count({ where: { planId: installment.planId, status: { not: "PAID" } } });
  if (left === 0) {
    await tx.installmentPlan.updateMany({ where: { id: installment.planId, creditorId: installment.creditorId, status: "ACTIVE" }, data: { status: "COMPLETED" } });
  }
}

async function notifyFailure(tx: Db, payment: PaymentWithAllocations, reason: string | null, clock: Clock) {
  await queueNotice(tx, {
    creditorId: payment.creditorId, debtorId: payment.debtorId, key: "payment_failed", idempotencyKey: `payment-failed:${payment.id}`, now: clock.now(),
    extra: { amount: payment.amount, currency: payment.currency, reason },
  });
}

/** The last calendar day money can have been received on: today in France (ahead of UTC), whatever the server's zone. */
export function latestReceivedDay(now: Date): string {
  const paris = new Intl.DateTimeFormat("en-CA", { timeZone: FRENCH_TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
  const utc = isoDay(now);
  return paris > utc ? paris : utc;
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
  if (Number.isNaN(input.receivedAt.getTime()) || isoDay(input.receivedAt) > latestReceivedDay(clock.now())) throw new PaymentError("received_in_future");
  const debtor = await db.debtor.findFirst({ where: { id: input.debtorId, creditorId: staff.creditorId }, select: { id: true } });
  if (!debtor) throw new PaymentError("not_found");
  const reference = input.reference.trim().replace(/\s+/g, " ");
  const idempotencyKey = reference
    ? `manual:${staff.creditorId}:${debtor.id}:${isoDay(input.receivedAt)}:${input.amount}:${reference.toUpperCase()}`
    : `manual:${staff.creditorId}:${crypto.randomUUID()}`;
  if (await db.payment.findUnique({ where: { idempotencyKey }, select: { id: true } })) throw new PaymentError("duplicate");
  return db.$transaction(async (tx) => {
    const invoiceIds = [...new Set(input.invoiceIds)];
    const invoices = await tx.invoice.findMany({
      where: { id: { in: invoiceIds }, creditorId: staff.creditorId, debtorId: debtor.id, status: { in: [...OPEN] } },
      select: { id: true, currency: true },
    });
    if (invoices.length !== invoiceIds.length) throw new PaymentError("invoice_unavailable");
    if (invoices.some((i) => i.currency !== invoices[0]!.currency)) throw new PaymentError("currency_mismatch");
    const oldest = invoices.length ? null : await tx.invoice.findFirst({
      where: { creditorId: staff.creditorId, debtorId: debtor.id, status: { in: [...OPEN] } },
      orderBy: [{ dueDate: "asc" }, { number: "asc" }],
      select: { currency: true },
    });
    const currency = invoices[0]?.currency ?? oldest?.currency ?? "EUR";
    const payment = await tx.payment.create({
      data: {
        creditorId: staff.creditorId, debtorId: debtor.id, provider: input.provider ?? "TRANSFER", method: "transfer", amount: input.amount, currency,
        idempotencyKey, providerRef: null, status: "PROCESSING",
        allocations: { create: invoices.map((i) => ({ creditorId: staff.creditorId, invoiceId: i.id, amount: 0 })) },
      },
    });
    const actor = { type: "STAFF" as const, id: staff.userId };
    await applyPaymentStatus(tx, payment.id, "SUCCEEDED", { now: input.receivedAt, actor, clock });
    const booked = await tx.paymentAllocation.findMany({
      where: { paymentId: payment.id },
      select: { invoiceId: true, amount: true, invoice: { select: { number: true, dueDate: true, amount: true, amountPaid: true, amountCredited: true } } },
    });
    booked.sort((a, b) => a.invoice.dueDate.getTime() - b.invoice.dueDate.getTime() || a.invoice.number.localeCompare(b.invoice.number));
    const allocations = booked.map((a) => ({
      invoiceId: a.invoiceId, number: a.invoice.number, amount: a.amount, balanceAfter: invoiceBalance(a.invoice),
    }));
    const unallocated = payment.amount - allocations.reduce((s, a) => s + a.amount, 0);
    // The staff's own record of the bank line: reference, note and where the money went, for the debtor's timeline.
    await recordCommunication(tx, {
      creditorId: staff.creditorId, debtorId: debtor.id, direction: "IN", channel: "PAYMENT", kind: "payment.transfer_recorded",
      actorType: "STAFF", actorId: staff.userId, bodyText: input.note?.trim() || null,
      data: { paymentId: payment.id, provider: payment.provider, amount: payment.amount, currency, receivedAt: isoDay(input.receivedAt), reference, allocations, unallocated },
      occurredAt: clock.now(),
    });
    return { id: payment.id, amount: payment.amount, currency, allocations, unallocated };
  }, { timeout: 30_000 }).then((result) => {
    void wakeJob("outbox_send"); // the receipt queued in the transaction
    return result;
  }, (error) => {
    // Two people recorded the same bank line at the same moment.
    if ((error as { code?: string }).code === "P2002") throw new PaymentError("duplicate");
    throw error;
  });
}

/** The debtor's view of one of its payments (status page after the provider's redirect). */
export async function getPortalPayment(db: Db, identity: PortalIdentity, paymentId: string) {
  return db.payment.findFirst({
    where: { id: paymentId, creditorId: identity.creditorId, debtorId: identity.debtorId },
    select: { id: true, status: true, amount: true, currency: true, provider: true, method: true, failureReason: true, checkoutUrl: true, allocations: { select: { amount: true, invoice: { select: { id: true, number: true } } } } },
  });
}

/** What the pay page offers: open invoices, the creditor's rules and bank details, the debtor's transfer reference. */
export async function getPayOptions(db: Db, identity: PortalIdentity) {
  const [debtor, invoices, pendingPayments] = await Promise.all([
    db.debtor.findFirstOrThrow({
      where: { id: identity.debtorId, creditorId: identity.creditorId },
      select: { transferReference: true, creditor: { select: { legalName: true, iban: true, bic: true, allowPartialPayments: true, minPartialAmount: true } } },
    }),
    db.invoice.findMany({
      where: { creditorId: identity.creditorId, debtorId: identity.debtorId, status: { in: [...OPEN] } },
      orderBy: [{ dueDate: "asc" }, { number: "asc" }],
      select: { id: true, number: true, dueDate: true, amount: true, amountPaid: true, amountCredited: true, currency: true },
    }),
    db.paymentAllocation.findMany({
      where: { creditorId: identity.creditorId, payment: { debtorId: identity.debtorId, status: "PROCESSING" } },
      select: { invoiceId: true },
    }),
  ]);
  const pending = new Set(pendingPayments.map((p) => p.invoiceId));
  return {
    creditor: debtor.creditor,
    transferReference: debtor.transferReference,
    invoices: invoices.map((i) => ({ id: i.id, number: i.number, dueDate: i.dueDate.toISOString().slice(0, 10), currency: i.currency, balance: invoiceBalance(i), pending: pending.has(i.id) })),
  };
}

/** An active plan collected by direct debit: the debtor authorises a GoCardless mandate once; the schedule follows. */
export async function startPlanDirectDebit(db: Db, identity: PortalIdentity, planId: string): Promise<{ url: string }> {
  const plan = await db.installmentPlan.findFirst({
    where: { id: planId, creditorId: identity.creditorId, debtorId: identity.debtorId },
    select: { id: true, status: true, currency: true, gocardlessScheduleId: true, debtor: { select: { locale: true } } },
  });
  if (!plan) throw new PaymentError("not_found");
  if (plan.status !== "ACTIVE" || plan.gocardlessScheduleId) throw new PaymentError("payment_pending");
  const back = `${getEnv().APP_URL}/portal/plans/${plan.id}`;
  try {
    const request = await createMandateRequest({ planId: plan.id, currency: plan.currency, redirectUrl: `${back}?mandate=1`, exitUrl: back, locale: plan.debtor.locale });
    return { url: request.url };
  } catch (error) {
    if (error instanceof ProviderUnavailableError) throw new PaymentError("provider_unavailable");
    throw error;
  }
}
