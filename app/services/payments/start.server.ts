import { allocatePayment, checkPaymentAmount } from "~/domain/payments/allocation";
import type { Clock } from "~/domain/clock";
import { invoiceBalance } from "~/domain/money";
import { createBankPayment, createMandateRequest } from "~/providers/gocardless.server";
import { createCheckoutSession, ProviderUnavailableError } from "~/providers/stripe.server";
import type { Db, PrismaClient } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";
import type { PortalIdentity } from "~/utils/portal-session.server";
import { recordCommunication } from "../messaging/communications.server";
import { debtorDiscountOffers, openDiscountOffers, paymentDayForDiscount } from "./discount.server";
import { OPEN_INVOICE_STATUSES as OPEN, PaymentError, type PayMethod } from "./errors.server";

const TX_WAIT = { maxWait: 10_000 };

/**
 * The debtor pays from the portal: one invoice, several, or part of one.
 * `attempt` is a nonce rendered in the form: a double-click (or a retried POST)
 * carries the same one, finds the same payment and the same provider session —
 * one Checkout Session, one payment, one `payment.started` on the timeline. Nothing is left behind if the provider is down.
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
    // A burst of posts of one attempt may queue for a connection: they wait (TX_WAIT) rather than fail.
    payment = await db
      .$transaction(async (tx) => {
        if (input.installmentId) return createInstallmentPayment(tx, identity, input.installmentId, input.method, idempotencyKey);
        const invoiceIds = [...new Set(input.invoiceIds)];
        const invoices = await tx.invoice.findMany({
          where: { id: { in: invoiceIds }, creditorId, debtorId, status: { in: [...OPEN] } },
          select: { id: true, dueDate: true, amount: true, amountPaid: true, amountCredited: true, currency: true },
        });
        if (invoices.length === 0 || invoices.length !== invoiceIds.length) throw new PaymentError("invoice_unavailable");
        const currency = invoices[0]!.currency;
        if (invoices.some((i) => i.currency !== currency)) throw new PaymentError("currency_mismatch");
        const pending = await tx.paymentAllocation.count({
          where: { creditorId, invoiceId: { in: invoiceIds }, payment: { status: "PROCESSING" } },
        });
        if (pending > 0) throw new PaymentError("payment_pending");
        // An early-payment discount open today is taken off here, on the server (decision 028).
        const today = await paymentDayForDiscount(tx, creditorId, clock.now(), clock.now());
        const offers = await openDiscountOffers(tx, creditorId, invoiceIds, today);
        const items = invoices.map((i) => ({ id: i.id, dueDate: i.dueDate, balance: offers.get(i.id)?.toPay ?? invoiceBalance(i) }));
        const total = items.reduce((s, i) => s + i.balance, 0);
        const creditor = await tx.creditor.findUniqueOrThrow({
          where: { id: creditorId },
          select: { allowPartialPayments: true, minPartialAmount: true },
        });
        const check = checkPaymentAmount(input.amount, total, creditor);
        if (!check.ok) throw new PaymentError(check.code);
        const { allocations } = allocatePayment(check.amount, items, invoiceIds);
        return tx.payment.create({
          data: {
            creditorId,
            debtorId,
            idempotencyKey,
            currency,
            amount: check.amount,
            provider: input.method === "gocardless" ? "GOCARDLESS" : "STRIPE",
            method: input.method,
            installmentId: input.installmentId ?? null,
            allocations: { create: allocations.map((a) => ({ creditorId, invoiceId: a.invoiceId, amount: a.amount })) },
          },
        });
      }, TX_WAIT)
      .catch(async (error) => {
        // Two clicks raced: the other request created it; use that one.
        if ((error as { code?: string }).code === "P2002") return db.payment.findUniqueOrThrow({ where: { idempotencyKey } });
        throw error;
      });
  }
  if (payment.checkoutUrl) return { paymentId: payment.id, url: payment.checkoutUrl };
  if (payment.status !== "CREATED") throw new PaymentError("payment_pending");

  const debtor = await db.debtor.findFirstOrThrow({
    where: { id: debtorId, creditorId },
    select: { email: true, locale: true, creditor: { select: { legalName: true } } },
  });
  const numbers = await db.paymentAllocation.findMany({
    where: { paymentId: payment.id },
    select: { invoice: { select: { number: true } } },
  });
  const description = `${debtor.creditor.legalName} — ${numbers.map((n) => n.invoice.number).join(", ")}`.slice(0, 250);
  const back = `${getEnv().APP_URL}/portal/payments/${payment.id}`;
  let provider: { ref: string; paymentRef: string | null; url: string };
  try {
    if (payment.provider === "GOCARDLESS") {
      const br = await createBankPayment({
        paymentId: payment.id,
        amount: payment.amount,
        currency: payment.currency,
        description,
        redirectUrl: back,
        exitUrl: `${back}?cancelled=1`,
        locale: debtor.locale,
        email: debtor.email,
      });
      provider = { ref: br.billingRequestId, paymentRef: null, url: br.url };
    } else {
      const session = await createCheckoutSession({
        paymentId: payment.id,
        amount: payment.amount,
        currency: payment.currency,
        method: payment.method === "sepa_debit" ? "sepa_debit" : "card",
        description,
        customerEmail: debtor.email,
        locale: debtor.locale,
        successUrl: back,
        cancelUrl: `${back}?cancelled=1`,
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
    const moved = await tx.payment.updateMany({
      where: { id: payment.id, status: "CREATED" },
      data: { providerRef: provider.ref, providerPaymentRef: provider.paymentRef, checkoutUrl: provider.url, status: "REQUIRES_ACTION" },
    });
    // Concurrent posts of one attempt all get here with the same session; only the one that moved the row writes the trace.
    if (moved.count === 0) return;
    await recordCommunication(tx, {
      creditorId,
      debtorId,
      direction: "IN",
      channel: "PAYMENT",
      kind: "payment.started",
      actorType: "DEBTOR",
      data: {
        paymentId: payment.id,
        provider: payment.provider,
        method: payment.method,
        amount: payment.amount,
        currency: payment.currency,
      },
      occurredAt: clock.now(),
    });
  }, TX_WAIT);
  return { paymentId: payment.id, url: provider.url };
}

/** One installment of the debtor's active plan, paid on its own (card, SEPA, bank pay): the amount is the installment's. */
async function createInstallmentPayment(
  tx: Db,
  identity: PortalIdentity,
  installmentId: string,
  method: PayMethod,
  idempotencyKey: string,
) {
  const { creditorId, debtorId } = identity;
  const installment = await tx.installment.findFirst({
    where: { id: installmentId, creditorId, status: "PENDING", plan: { debtorId, status: "ACTIVE" } },
    include: {
      payment: { select: { id: true, status: true } },
      plan: {
        include: {
          invoices: { include: { invoice: { select: { id: true, dueDate: true, amount: true, amountPaid: true, amountCredited: true } } } },
        },
      },
    },
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
      creditorId,
      debtorId,
      idempotencyKey,
      currency: installment.plan.currency,
      amount: installment.amount,
      provider: method === "gocardless" ? "GOCARDLESS" : "STRIPE",
      method,
      installmentId: installment.id,
      allocations: { create: allocations.map((a) => ({ creditorId, invoiceId: a.invoiceId, amount: a.amount })) },
    },
  });
}

/** The debtor's view of one of its payments (status page after the provider's redirect). */
export async function getPortalPayment(db: Db, identity: PortalIdentity, paymentId: string) {
  return db.payment.findFirst({
    where: { id: paymentId, creditorId: identity.creditorId, debtorId: identity.debtorId },
    select: {
      id: true,
      status: true,
      amount: true,
      currency: true,
      provider: true,
      method: true,
      failureReason: true,
      checkoutUrl: true,
      succeededAt: true,
      createdAt: true,
      allocations: { select: { amount: true, invoice: { select: { id: true, number: true } } } },
    },
  });
}

/** What the pay page offers: open invoices, the creditor's rules and bank details, the debtor's transfer reference. */
export async function getPayOptions(db: Db, identity: PortalIdentity, now: Date = new Date()) {
  const [debtor, invoices, pendingPayments, discounts] = await Promise.all([
    db.debtor.findFirstOrThrow({
      where: { id: identity.debtorId, creditorId: identity.creditorId },
      select: {
        transferReference: true,
        creditor: { select: { legalName: true, iban: true, bic: true, allowPartialPayments: true, minPartialAmount: true } },
      },
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
    debtorDiscountOffers(db, identity, now),
  ]);
  const pending = new Set(pendingPayments.map((p) => p.invoiceId));
  const offers = new Map(discounts.map((d) => [d.invoiceId, d]));
  return {
    creditor: debtor.creditor,
    transferReference: debtor.transferReference,
    invoices: invoices.map((i) => ({
      id: i.id,
      number: i.number,
      dueDate: i.dueDate.toISOString().slice(0, 10),
      currency: i.currency,
      balance: invoiceBalance(i),
      /** What settles it today: the balance less an early-payment discount still open (decision 028). */
      toPay: offers.get(i.id)?.toPay ?? invoiceBalance(i),
      pending: pending.has(i.id),
    })),
    discounts,
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
    const request = await createMandateRequest({
      planId: plan.id,
      currency: plan.currency,
      redirectUrl: `${back}?mandate=1`,
      exitUrl: back,
      locale: plan.debtor.locale,
    });
    return { url: request.url };
  } catch (error) {
    if (error instanceof ProviderUnavailableError) throw new PaymentError("provider_unavailable");
    throw error;
  }
}
