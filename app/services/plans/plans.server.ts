import { systemClock, type Clock } from "~/domain/clock";
import { isMissed, ruleViolations, scheduleErrors, type RuleViolation, type Schedule, type ScheduleError } from "~/domain/installments/plan";
import type { Db } from "~/utils/db.server";
import { recordCommunication } from "../messaging/communications.server";
import { applyInvoiceEvent, type Actor } from "../dunning/invoice-events.server";
import { sendNotice } from "../messaging/notices.server";
import { invoiceBalance } from "~/domain/money";

export class PlanError extends Error {
  constructor(public readonly code: ScheduleError | "no_invoice" | "invoice_unavailable" | "not_found" | "not_pending" | "reason_required") {
    super(code);
    this.name = "PlanError";
  }
}

const OPEN = ["OPEN", "PARTIALLY_PAID"] as const;

/** The debtor's open invoices that can go on a plan (not disputed, not already on one). */
export async function plannableInvoices(db: Db, identity: { creditorId: string; debtorId: string }) {
  const invoices = await db.invoice.findMany({
    where: { creditorId: identity.creditorId, debtorId: identity.debtorId, status: { in: [...OPEN] } },
    orderBy: { dueDate: "asc" },
    select: { id: true, number: true, dueDate: true, amount: true, amountPaid: true, amountCredited: true, currency: true, dunningState: { select: { pauseReason: true } } },
  });
  return invoices
    .filter((i) => !["DISPUTE", "PLAN_REVIEW", "PLAN_ACTIVE"].includes(i.dunningState?.pauseReason ?? ""))
    .map((i) => ({ id: i.id, number: i.number, dueDate: i.dueDate, currency: i.currency, balance: invoiceBalance(i) }));
}

/**
 * The debtor proposes an échéancier for some of its invoices. Within the
 * creditor's rules it is accepted at once (ACTIVE, dunning replaced by the
 * plan); outside them it waits for staff (PROPOSED, dunning paused).
 */
export async function proposePlan(
  db: Db,
  identity: { creditorId: string; debtorId: string },
  input: { invoiceIds: string[]; schedule: Schedule; reason?: string | null },
  clock: Clock = systemClock,
): Promise<{ planId: string; status: "ACTIVE" | "PROPOSED"; violations: RuleViolation[] }> {
  const now = clock.now();
  if (input.invoiceIds.length === 0) throw new PlanError("no_invoice");
  const available = await plannableInvoices(db, identity);
  const chosen = available.filter((i) => input.invoiceIds.includes(i.id));
  if (chosen.length !== new Set(input.invoiceIds).size) throw new PlanError("invoice_unavailable");
  const total = chosen.reduce((s, i) => s + i.balance, 0);
  const errors = scheduleErrors(input.schedule, total, now);
  if (errors.length > 0) throw new PlanError(errors[0]!);

  const creditor = await db.creditor.findUniqueOrThrow({ where: { id: identity.creditorId } });
  const violations = ruleViolations(
    input.schedule,
    total,
    { maxInstallments: creditor.planMaxInstallments, maxMonths: creditor.planMaxMonths, minInstallment: creditor.planMinInstallment, minDownPaymentPc: creditor.planMinDownPaymentPc },
    now,
  );
  const status = violations.length === 0 ? "ACTIVE" : "PROPOSED";
  const plan = await db.installmentPlan.create({
    data: {
      creditorId: identity.creditorId, debtorId: identity.debtorId, status, proposedBy: "DEBTOR",
      totalAmount: total, currency: chosen[0]!.currency, downPayment: input.schedule.downPayment, reason: input.reason ?? null,
      decidedAt: status === "ACTIVE" ? now : null,
      decisionNote: status === "ACTIVE" ? "auto-approved: within the creditor's rules" : `needs review: ${violations.join(", ")}`,
      invoices: { create: chosen.map((i) => ({ creditorId: identity.creditorId, invoiceId: i.id, amount: i.balance })) },
      installments: { create: input.schedule.installments.map((i, position) => ({ creditorId: identity.creditorId, position, dueDate: i.dueDate, amount: i.amount })) },
    },
  });
  const actor: Actor = { type: "DEBTOR", id: identity.debtorId };
  for (const invoice of chosen) {
    await applyInvoiceEvent(db, { creditorId: identity.creditorId, invoiceId: invoice.id, event: { type: status === "ACTIVE" ? "PLAN_ACTIVATED" : "PLAN_PROPOSED" }, actor, now });
  }
  await recordCommunication(db, {
    creditorId: identity.creditorId, debtorId: identity.debtorId, direction: "IN", channel: "PORTAL",
    kind: status === "ACTIVE" ? "plan.auto_accepted" : "plan.proposed", actorType: "DEBTOR", actorId: identity.debtorId,
    bodyText: input.reason ?? null, data: { planId: plan.id, total, installments: input.schedule.installments.length, violations }, occurredAt: now,
  });
  if (status === "ACTIVE") await confirmPlan(db, plan.id, identity.creditorId, clock);
  return { planId: plan.id, status, violations };
}

async function confirmPlan(db: Db, planId: string, creditorId: string, clock: Clock) {
  const plan = await db.installmentPlan.findFirstOrThrow({ where: { id: planId, creditorId }, include: { installments: { orderBy: { position: "asc" } } } });
  await sendNotice(db, {
    creditorId, debtorId: plan.debtorId, key: "plan_confirmation",
    extra: { amount: plan.totalAmount, currency: plan.currency, installments: plan.installments.map((i) => ({ dueDate: i.dueDate, amount: i.amount })) },
    idempotencyKey: `plan:${plan.id}:confirmed`, clock,
  });
}

async function pendingPlan(db: Db, creditorId: string, planId: string) {
  const plan = await db.installmentPlan.findFirst({ where: { id: planId, creditorId }, include: { invoices: true } });
  if (!plan) throw new PlanError("not_found");
  if (plan.status !== "PROPOSED") throw new PlanError("not_pending");
  return plan;
}

/** Staff accept a proposal: the plan becomes ACTIVE, the debtor is told. */
export async function acceptPlan(db: Db, creditorId: string, planId: string, staff: { userId: string }, clock: Clock = systemClock) {
  const now = clock.now();
  const plan = await pendingPlan(db, creditorId, planId);
  await db.installmentPlan.update({ where: { id: plan.id }, data: { status: "ACTIVE", decidedAt: now, decisionNote: "accepted by staff" } });
  for (const link of plan.invoices) {
    await applyInvoiceEvent(db, { creditorId, invoiceId: link.invoiceId, event: { type: "PLAN_ACTIVATED" }, actor: { type: "STAFF", id: staff.userId }, now });
  }
  await confirmPlan(db, plan.id, creditorId, clock);
}

/** Staff reject a proposal with a reason: dunning resumes, the debtor is told why. */
export async function rejectPlan(db: Db, creditorId: string, planId: string, input: { reason: string; staffId: string }, clock: Clock = systemClock) {
  const now = clock.now();
  if (!input.reason.trim()) throw new PlanError("reason_required");
  const plan = await pendingPlan(db, creditorId, planId);
  await db.installmentPlan.update({ where: { id: plan.id }, data: { status: "REJECTED", decidedAt: now, decisionNote: input.reason } });
  for (const link of plan.invoices) {
    await applyInvoiceEvent(db, {
      creditorId, invoiceId: link.invoiceId, event: { type: "PLAN_REJECTED" }, actor: { type: "STAFF", id: input.staffId }, now, note: input.reason,
    });
  }
  await sendNotice(db, {
    creditorId, debtorId: plan.debtorId, key: "plan_rejected", extra: { reason: input.reason, currency: plan.currency, counterOffer: null },
    idempotencyKey: `plan:${plan.id}:rejected`, clock,
  });
}

/**
 * Staff answer a proposal with their own schedule: the debtor's plan is
 * COUNTERED, the counter-offer waits in the portal (PROPOSED by the creditor)
 * with dunning still paused for review; the debtor accepts or declines it.
 */
export async function counterPlan(
  db: Db,
  creditorId: string,
  planId: string,
  input: { schedule: Schedule; reason: string; staffId: string },
  clock: Clock = systemClock,
) {
  const now = clock.now();
  if (!input.reason.trim()) throw new PlanError("reason_required");
  const plan = await pendingPlan(db, creditorId, planId);
  if (plan.proposedBy !== "DEBTOR") throw new PlanError("not_pending");
  const errors = scheduleErrors(input.schedule, plan.totalAmount, now);
  if (errors.length > 0) throw new PlanError(errors[0]!);
  await db.installmentPlan.update({ where: { id: plan.id }, data: { status: "COUNTERED", decidedAt: now, decisionNote: input.reason } });
  const counter = await db.installmentPlan.create({
    data: {
      creditorId, debtorId: plan.debtorId, status: "PROPOSED", proposedBy: "CREDITOR", counterOfId: plan.id,
      totalAmount: plan.totalAmount, currency: plan.currency, downPayment: input.schedule.downPayment, reason: input.reason,
      invoices: { create: plan.invoices.map((l) => ({ creditorId, invoiceId: l.invoiceId, amount: l.amount })) },
      installments: { create: input.schedule.installments.map((i, position) => ({ creditorId, position, dueDate: i.dueDate, amount: i.amount })) },
    },
  });
  await recordCommunication(db, {
    creditorId, debtorId: plan.debtorId, direction: "OUT", channel: "SYSTEM", kind: "plan.countered", actorType: "STAFF", actorId: input.staffId,
    bodyText: input.reason, data: { planId: plan.id, counterId: counter.id, installments: input.schedule.installments.length }, occurredAt: now,
  });
  await sendNotice(db, {
    creditorId, debtorId: plan.debtorId, key: "plan_rejected",
    extra: { reason: input.reason, currency: plan.currency, counterOffer: input.schedule.installments.map((i) => ({ dueDate: i.dueDate, amount: i.amount })) },
    idempotencyKey: `plan:${plan.id}:countered`, clock,
  });
  return { counterId: counter.id };
}

/** The debtor accepts the creditor's counter-offer (ACTIVE) or declines it (dunning resumes). */
export async function answerCounterOffer(
  db: Db,
  identity: { creditorId: string; debtorId: string },
  planId: string,
  answer: "accept" | "decline",
  clock: Clock = systemClock,
) {
  const now = clock.now();
  const plan = await db.installmentPlan.findFirst({ where: { id: planId, creditorId: identity.creditorId, debtorId: identity.debtorId, proposedBy: "CREDITOR" }, include: { invoices: true } });
  if (!plan) throw new PlanError("not_found");
  if (plan.status !== "PROPOSED") throw new PlanError("not_pending");
  const actor: Actor = { type: "DEBTOR", id: identity.debtorId };
  const accepted = answer === "accept";
  await db.installmentPlan.update({ where: { id: plan.id }, data: { status: accepted ? "ACTIVE" : "REJECTED", decidedAt: now, decisionNote: accepted ? "counter-offer accepted by the debtor" : "counter-offer declined by the debtor" } });
  for (const link of plan.invoices) {
    await applyInvoiceEvent(db, { creditorId: identity.creditorId, invoiceId: link.invoiceId, event: { type: accepted ? "PLAN_ACTIVATED" : "PLAN_REJECTED" }, actor, now }).catch((error) => {
      if ((error as { code?: string }).code !== "settled") throw error;
    });
  }
  await recordCommunication(db, {
    creditorId: identity.creditorId, debtorId: identity.debtorId, direction: "IN", channel: "PORTAL",
    kind: accepted ? "plan.counter_accepted" : "plan.counter_declined", actorType: "DEBTOR", actorId: identity.debtorId,
    data: { planId: plan.id }, occurredAt: now,
  });
  if (accepted) await confirmPlan(db, plan.id, identity.creditorId, clock);
}

/**
 * Installments unpaid after their grace days: the plan DEFAULTS and dunning
 * resumes one level up on its invoices.
 */
export async function defaultMissedPlans(db: Db, now: Date, options: { creditorId?: string } = {}) {
  const due = await db.installment.findMany({
    where: { status: "PENDING", dueDate: { lt: now }, plan: { status: "ACTIVE" }, ...(options.creditorId ? { creditorId: options.creditorId } : {}) },
    include: { plan: { include: { invoices: true, creditor: { select: { planGraceDays: true } } } } },
    take: 500,
  });
  let defaulted = 0;
  for (const installment of due) {
    const { plan } = installment;
    if (!isMissed(installment.dueDate, plan.creditor.planGraceDays, now)) continue;
    await db.$transaction(async (tx) => {
      const claimed = await tx.installmentPlan.updateMany({ where: { id: plan.id, creditorId: plan.creditorId, status: "ACTIVE" }, data: { status: "DEFAULTED", decisionNote: `installment ${installment.position + 1} missed` } });
      if (claimed.count === 0) return;
      await tx.installment.update({ where: { id: installment.id }, data: { status: "MISSED" } });
      for (const link of plan.invoices) {
        await applyInvoiceEvent(tx, { creditorId: plan.creditorId, invoiceId: link.invoiceId, event: { type: "PLAN_DEFAULTED" }, actor: { type: "SYSTEM" }, now }).catch((error) => {
          // An invoice paid meanwhile has nothing left to escalate.
          if ((error as { code?: string }).code !== "settled") throw error;
        });
      }
      defaulted++;
    });
  }
  return { defaulted };
}
