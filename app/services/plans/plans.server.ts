import { addDays, systemClock, todayIn, type Clock } from "~/domain/clock";
import {
  isMissed,
  planBounds,
  ruleViolations,
  scheduleErrors,
  type RuleViolation,
  type Schedule,
  type ScheduleError,
} from "~/domain/installments/plan";
import { inTransaction, type Db } from "~/utils/db.server";
import { recordCommunication } from "../messaging/communications.server";
import { applyInvoiceEvent, type Actor } from "../dunning/invoice-events.server";
import { queueNotice, sendNotice } from "../messaging/notices.server";
import { invoiceBalance } from "~/domain/money";
import { overLimitPlanRule } from "./credit-rule.server";

export class PlanError extends Error {
  constructor(
    public readonly code: ScheduleError | "no_invoice" | "invoice_unavailable" | "not_found" | "not_pending" | "reason_required",
  ) {
    super(code);
    this.name = "PlanError";
  }
}

const OPEN = ["OPEN", "PARTIALLY_PAID"] as const;

// Every door below runs in one transaction (the caller's, or its own): inTransaction.

/**
 * Locks the invoices' dunning states, in id order (two proposals over the same
 * invoices queue up instead of deadlocking). Whoever holds them decides what
 * plan the invoices are on: the next proposal reads the pause the first left.
 */
async function lockDunningStates(tx: Db, creditorId: string, invoiceIds: string[]) {
  const ids = [...new Set(invoiceIds)].sort();
  if (ids.length === 0) return;
  await tx.$queryRaw`SELECT "invoiceId" FROM "DunningState" WHERE "creditorId" = ${creditorId} AND "invoiceId" = ANY(${ids}::text[]) ORDER BY "invoiceId" FOR UPDATE`;
}

type PlanUpdate = { status: "ACTIVE" | "REJECTED" | "COUNTERED"; decidedAt: Date; decisionNote: string };

/**
 * The one way out of PROPOSED: a conditional update, so of two decisions
 * taken at once (two accepts, an accept and a reject) exactly one changes the
 * row and the other finds it already answered. Then the invoices are locked
 * before their dunning moves.
 */
async function decidePending(
  tx: Db,
  where: { id: string; creditorId: string; debtorId?: string; proposedBy?: "DEBTOR" | "CREDITOR" },
  data: PlanUpdate,
) {
  const plan = await tx.installmentPlan.findFirst({ where, include: { invoices: true } });
  if (!plan) throw new PlanError("not_found");
  const claimed = await tx.installmentPlan.updateMany({ where: { ...where, status: "PROPOSED" }, data });
  if (claimed.count !== 1) throw new PlanError("not_pending");
  await lockDunningStates(
    tx,
    plan.creditorId,
    plan.invoices.map((l) => l.invoiceId),
  );
  return plan;
}

/** The debtor's open invoices that can go on a plan (not disputed, not already on one). */
export async function plannableInvoices(db: Db, identity: { creditorId: string; debtorId: string }) {
  const invoices = await db.invoice.findMany({
    where: { creditorId: identity.creditorId, debtorId: identity.debtorId, status: { in: [...OPEN] } },
    orderBy: { dueDate: "asc" },
    select: {
      id: true,
      number: true,
      dueDate: true,
      amount: true,
      amountPaid: true,
      amountCredited: true,
      currency: true,
      dunningState: { select: { pauseReason: true } },
    },
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
  if (input.invoiceIds.length === 0) throw new PlanError("no_invoice");
  return inTransaction(db, async (tx) => {
    await lockDunningStates(tx, identity.creditorId, input.invoiceIds);
    return createProposal(tx, identity, input, clock);
  });
}

async function createProposal(
  db: Db,
  identity: { creditorId: string; debtorId: string },
  input: { invoiceIds: string[]; schedule: Schedule; reason?: string | null },
  clock: Clock,
) {
  const now = clock.now();
  // Read under the locks: an invoice another proposal just put on a plan is no longer plannable.
  const available = await plannableInvoices(db, identity);
  const chosen = available.filter((i) => input.invoiceIds.includes(i.id));
  if (chosen.length !== new Set(input.invoiceIds).size) throw new PlanError("invoice_unavailable");
  const total = chosen.reduce((s, i) => s + i.balance, 0);
  const creditor = await db.creditor.findUniqueOrThrow({ where: { id: identity.creditorId } });
  const rules = {
    maxInstallments: creditor.planMaxInstallments,
    maxMonths: creditor.planMaxMonths,
    minInstallment: creditor.planMinInstallment,
    minDownPaymentPc: creditor.planMinDownPaymentPc,
    // Credit policy (decision 025): only set when this debtor is over its limit and the creditor has the rule.
    overLimitMinDownPaymentPc: await overLimitPlanRule(db, identity),
  };
  // Dates in the past, the first one too far, the plan too long: from the creditor's today (decision 012).
  const today = todayIn(creditor.timeZone, now);
  const errors = scheduleErrors(input.schedule, total, today, planBounds(rules));
  if (errors.length > 0) throw new PlanError(errors[0]!);
  const violations = ruleViolations(input.schedule, total, rules, today, { overCreditLimit: rules.overLimitMinDownPaymentPc !== null });
  const status = violations.length === 0 ? "ACTIVE" : "PROPOSED";
  const plan = await db.installmentPlan.create({
    data: {
      creditorId: identity.creditorId,
      debtorId: identity.debtorId,
      status,
      proposedBy: "DEBTOR",
      totalAmount: total,
      currency: chosen[0]!.currency,
      downPayment: input.schedule.downPayment,
      reason: input.reason ?? null,
      decidedAt: status === "ACTIVE" ? now : null,
      decisionNote: status === "ACTIVE" ? "auto-approved: within the creditor's rules" : `needs review: ${violations.join(", ")}`,
      invoices: { create: chosen.map((i) => ({ creditorId: identity.creditorId, invoiceId: i.id, amount: i.balance })) },
      installments: {
        create: input.schedule.installments.map((i, position) => ({
          creditorId: identity.creditorId,
          position,
          dueDate: i.dueDate,
          amount: i.amount,
        })),
      },
    },
  });
  const actor: Actor = { type: "DEBTOR", id: identity.debtorId };
  for (const invoice of chosen) {
    await applyInvoiceEvent(db, {
      creditorId: identity.creditorId,
      invoiceId: invoice.id,
      event: { type: status === "ACTIVE" ? "PLAN_ACTIVATED" : "PLAN_PROPOSED" },
      actor,
      now,
    });
  }
  await recordCommunication(db, {
    creditorId: identity.creditorId,
    debtorId: identity.debtorId,
    direction: "IN",
    channel: "PORTAL",
    kind: status === "ACTIVE" ? "plan.auto_accepted" : "plan.proposed",
    actorType: "DEBTOR",
    actorId: identity.debtorId,
    bodyText: input.reason ?? null,
    data: { planId: plan.id, total, installments: input.schedule.installments.length, violations },
    occurredAt: now,
  });
  if (status === "ACTIVE") await confirmPlan(db, plan.id, identity.creditorId, clock);
  else {
    // The debtor hears at once that the proposal arrived and what happens next; the outbox sends it after the commit.
    await queueNotice(db, {
      creditorId: identity.creditorId,
      debtorId: identity.debtorId,
      key: "plan_proposed",
      extra: { amount: total, currency: plan.currency, installments: input.schedule.installments },
      idempotencyKey: `plan:${plan.id}:proposed`,
      now,
    });
  }
  return { planId: plan.id, status: status as "ACTIVE" | "PROPOSED", violations };
}

async function confirmPlan(db: Db, planId: string, creditorId: string, clock: Clock) {
  const plan = await db.installmentPlan.findFirstOrThrow({
    where: { id: planId, creditorId },
    include: { installments: { orderBy: { position: "asc" } } },
  });
  await sendNotice(db, {
    creditorId,
    debtorId: plan.debtorId,
    key: "plan_confirmation",
    extra: {
      amount: plan.totalAmount,
      currency: plan.currency,
      installments: plan.installments.map((i) => ({ dueDate: i.dueDate, amount: i.amount })),
    },
    idempotencyKey: `plan:${plan.id}:confirmed`,
    clock,
  });
}

/** Staff accept a proposal: the plan becomes ACTIVE, the debtor is told. */
export async function acceptPlan(db: Db, creditorId: string, planId: string, staff: { userId: string }, clock: Clock = systemClock) {
  const now = clock.now();
  await inTransaction(db, async (tx) => {
    const plan = await decidePending(
      tx,
      { id: planId, creditorId },
      { status: "ACTIVE", decidedAt: now, decisionNote: "accepted by staff" },
    );
    for (const link of plan.invoices) {
      await applyInvoiceEvent(tx, {
        creditorId,
        invoiceId: link.invoiceId,
        event: { type: "PLAN_ACTIVATED" },
        actor: { type: "STAFF", id: staff.userId },
        now,
      });
    }
    await confirmPlan(tx, plan.id, creditorId, clock);
  });
}

/** Staff reject a proposal with a reason: dunning resumes, the debtor is told why. */
export async function rejectPlan(
  db: Db,
  creditorId: string,
  planId: string,
  input: { reason: string; staffId: string },
  clock: Clock = systemClock,
) {
  const now = clock.now();
  if (!input.reason.trim()) throw new PlanError("reason_required");
  await inTransaction(db, async (tx) => {
    const plan = await decidePending(tx, { id: planId, creditorId }, { status: "REJECTED", decidedAt: now, decisionNote: input.reason });
    for (const link of plan.invoices) {
      await applyInvoiceEvent(tx, {
        creditorId,
        invoiceId: link.invoiceId,
        event: { type: "PLAN_REJECTED" },
        actor: { type: "STAFF", id: input.staffId },
        now,
        note: input.reason,
      });
    }
    await sendNotice(tx, {
      creditorId,
      debtorId: plan.debtorId,
      key: "plan_rejected",
      extra: { reason: input.reason, currency: plan.currency, counterOffer: null },
      idempotencyKey: `plan:${plan.id}:rejected`,
      clock,
    });
  });
}

/**
 * What a counter-offer to this proposal covers: each of its invoices still
 * open, at its current balance (never more than the proposal put on it).
 */
export async function counterLines(db: Db, creditorId: string, planId: string) {
  const links = await db.planInvoice.findMany({
    where: { creditorId, planId, invoice: { creditorId, status: { in: ["OPEN", "PARTIALLY_PAID"] } } },
    select: { invoiceId: true, amount: true, invoice: { select: { amount: true, amountPaid: true, amountCredited: true } } },
  });
  return links.map((l) => ({ invoiceId: l.invoiceId, amount: Math.min(l.amount, invoiceBalance(l.invoice)) })).filter((l) => l.amount > 0);
}

/** The amount a counter-offer to this proposal spreads: the current balance of its invoices. */
export async function counterTotal(db: Db, creditorId: string, planId: string) {
  return (await counterLines(db, creditorId, planId)).reduce((s, l) => s + l.amount, 0);
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
  return inTransaction(db, async (tx) => {
    const proposal = await tx.installmentPlan.findFirst({
      where: { id: planId, creditorId },
      select: { totalAmount: true, proposedBy: true, creditor: { select: { planMaxMonths: true, timeZone: true } } },
    });
    if (!proposal) throw new PlanError("not_found");
    if (proposal.proposedBy !== "DEBTOR") throw new PlanError("not_pending");
    // The counter-offer covers what is owed now, not what was owed when the debtor proposed (payments may have come in since).
    const lines = await counterLines(tx, creditorId, planId);
    const total = lines.reduce((s, l) => s + l.amount, 0);
    const errors = scheduleErrors(
      input.schedule,
      total,
      todayIn(proposal.creditor.timeZone, now),
      planBounds({ maxMonths: proposal.creditor.planMaxMonths }),
    );
    if (errors.length > 0) throw new PlanError(errors[0]!);
    const plan = await decidePending(
      tx,
      { id: planId, creditorId, proposedBy: "DEBTOR" },
      { status: "COUNTERED", decidedAt: now, decisionNote: input.reason },
    );
    const counter = await tx.installmentPlan.create({
      data: {
        creditorId,
        debtorId: plan.debtorId,
        status: "PROPOSED",
        proposedBy: "CREDITOR",
        counterOfId: plan.id,
        totalAmount: total,
        currency: plan.currency,
        downPayment: input.schedule.downPayment,
        reason: input.reason,
        invoices: { create: lines.map((l) => ({ creditorId, invoiceId: l.invoiceId, amount: l.amount })) },
        installments: {
          create: input.schedule.installments.map((i, position) => ({ creditorId, position, dueDate: i.dueDate, amount: i.amount })),
        },
      },
    });
    await recordCommunication(tx, {
      creditorId,
      debtorId: plan.debtorId,
      direction: "OUT",
      channel: "SYSTEM",
      kind: "plan.countered",
      actorType: "STAFF",
      actorId: input.staffId,
      bodyText: input.reason,
      data: { planId: plan.id, counterId: counter.id, installments: input.schedule.installments.length },
      occurredAt: now,
    });
    await sendNotice(tx, {
      creditorId,
      debtorId: plan.debtorId,
      key: "plan_rejected",
      extra: {
        reason: input.reason,
        currency: plan.currency,
        counterOffer: input.schedule.installments.map((i) => ({ dueDate: i.dueDate, amount: i.amount })),
      },
      idempotencyKey: `plan:${plan.id}:countered`,
      clock,
    });
    return { counterId: counter.id };
  });
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
  const actor: Actor = { type: "DEBTOR", id: identity.debtorId };
  const accepted = answer === "accept";
  await inTransaction(db, async (tx) => {
    const plan = await decidePending(
      tx,
      { id: planId, creditorId: identity.creditorId, debtorId: identity.debtorId, proposedBy: "CREDITOR" },
      {
        status: accepted ? "ACTIVE" : "REJECTED",
        decidedAt: now,
        decisionNote: accepted ? "counter-offer accepted by the debtor" : "counter-offer declined by the debtor",
      },
    );
    for (const link of plan.invoices) {
      await applyInvoiceEvent(tx, {
        creditorId: identity.creditorId,
        invoiceId: link.invoiceId,
        event: { type: accepted ? "PLAN_ACTIVATED" : "PLAN_REJECTED" },
        actor,
        now,
      }).catch((error) => {
        if ((error as { code?: string }).code !== "settled") throw error;
      });
    }
    await recordCommunication(tx, {
      creditorId: identity.creditorId,
      debtorId: identity.debtorId,
      direction: "IN",
      channel: "PORTAL",
      kind: accepted ? "plan.counter_accepted" : "plan.counter_declined",
      actorType: "DEBTOR",
      actorId: identity.debtorId,
      data: { planId: plan.id },
      occurredAt: now,
    });
    if (accepted) await confirmPlan(tx, plan.id, identity.creditorId, clock);
  });
}

/**
 * Installments unpaid after their grace days: the plan DEFAULTS and dunning
 * resumes one level up on its invoices.
 */
export async function defaultMissedPlans(db: Db, now: Date, options: { creditorId?: string } = {}) {
  const due = await db.installment.findMany({
    where: {
      status: "PENDING",
      // No zone's date is later than the UTC date + 1; each plan is then judged on its creditor's calendar.
      dueDate: { lt: addDays(now, 1) },
      plan: { status: "ACTIVE" },
      ...(options.creditorId ? { creditorId: options.creditorId } : {}),
    },
    include: { plan: { include: { invoices: true, creditor: { select: { planGraceDays: true, timeZone: true } } } } },
    take: 500,
  });
  let defaulted = 0;
  for (const installment of due) {
    const { plan } = installment;
    if (!isMissed(installment.dueDate, plan.creditor.planGraceDays, todayIn(plan.creditor.timeZone, now))) continue;
    await db.$transaction(async (tx) => {
      const claimed = await tx.installmentPlan.updateMany({
        where: { id: plan.id, creditorId: plan.creditorId, status: "ACTIVE" },
        data: { status: "DEFAULTED", decisionNote: `installment ${installment.position + 1} missed` },
      });
      if (claimed.count === 0) return;
      await tx.installment.update({ where: { id: installment.id }, data: { status: "MISSED" } });
      for (const link of plan.invoices) {
        await applyInvoiceEvent(tx, {
          creditorId: plan.creditorId,
          invoiceId: link.invoiceId,
          event: { type: "PLAN_DEFAULTED" },
          actor: { type: "SYSTEM" },
          now,
        }).catch((error) => {
          // An invoice paid meanwhile has nothing left to escalate.
          if ((error as { code?: string }).code !== "settled") throw error;
        });
      }
      defaulted++;
    });
  }
  return { defaulted };
}
