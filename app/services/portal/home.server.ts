import { daysBetween, todayIn, wallClockIn } from "~/domain/clock";
import type { DunningChannel } from "~/domain/dunning/types";
import type { Db } from "~/utils/db.server";
import type { PortalIdentity } from "~/utils/portal-session.server";
import { invoiceBalance } from "~/domain/money";
import { creditorTimeZone } from "../creditor-clock.server";
import { claimOnCreditorClock, loadClaimInvoices, loadClaimSettings } from "../legal/claim.server";

export type PortalInvoiceStatus = "due" | "late" | "dispute" | "plan" | "payment_pending" | "promise" | "paid" | "cancelled";

/** What the debtor sees on an invoice: derived from its row and its dunning pause. */
export function portalStatus(
  invoice: { status: string; dueDate: Date },
  pauseReason: string | null | undefined,
  today: Date,
): PortalInvoiceStatus {
  if (invoice.status === "PAID") return "paid";
  if (invoice.status === "CANCELLED" || invoice.status === "WRITTEN_OFF") return "cancelled";
  if (pauseReason === "DISPUTE") return "dispute";
  if (pauseReason === "PLAN_ACTIVE" || pauseReason === "PLAN_REVIEW") return "plan";
  if (pauseReason === "PAYMENT_PROCESSING") return "payment_pending";
  if (pauseReason === "PROMISE") return "promise";
  return invoice.dueDate < today ? "late" : "due";
}

export type NextStep = { date: string; channel: DunningChannel };

/**
 * The portal home: the debtor's creditor, open invoices, what is claimed at
 * this date, the active plan's next installment and what happens next. Every
 * query is scoped to the session's creditor AND debtor. The claim is the one
 * the letters and the emails compute (`debtorClaim`): one amount everywhere.
 * Invoices covered by an active plan are neither late nor charged here — the
 * plan settles them.
 */
export async function getPortalHome(db: Db, identity: PortalIdentity, now: Date) {
  const { creditorId, debtorId } = identity;
  const timeZone = await creditorTimeZone(db, creditorId);
  // "Late" and days late on the creditor's calendar (decision 012).
  const today = todayIn(timeZone, now);
  const [debtor, invoices, activePlans, settings, claimInputs] = await Promise.all([
    db.debtor.findFirstOrThrow({
      where: { id: debtorId, creditorId },
      select: {
        name: true,
        kind: true,
        locale: true,
        creditor: { select: { legalName: true, brandName: true, brandColor: true, contactEmail: true, contactPhone: true } },
      },
    }),
    db.invoice.findMany({
      where: { creditorId, debtorId, status: { in: ["OPEN", "PARTIALLY_PAID"] } },
      orderBy: [{ dueDate: "asc" }, { number: "asc" }],
      select: {
        id: true,
        number: true,
        issueDate: true,
        dueDate: true,
        amount: true,
        amountPaid: true,
        amountCredited: true,
        currency: true,
        status: true,
        dunningState: { select: { pauseReason: true } },
      },
    }),
    db.installmentPlan.findMany({
      where: { creditorId, debtorId, status: "ACTIVE" },
      select: { invoices: { select: { invoiceId: true } } },
    }),
    loadClaimSettings(db, creditorId, debtorId),
    loadClaimInvoices(db, creditorId, debtorId, now),
  ]);
  const inPlan = new Set(activePlans.flatMap((p) => p.invoices.map((i) => i.invoiceId)));
  const rows = invoices.map((i) => {
    const balance = invoiceBalance(i);
    const planned = inPlan.has(i.id);
    return {
      id: i.id,
      number: i.number,
      issueDate: i.issueDate.toISOString().slice(0, 10),
      dueDate: i.dueDate.toISOString().slice(0, 10),
      amount: i.amount,
      paid: i.amountPaid + i.amountCredited,
      balance,
      currency: i.currency,
      daysLate: planned ? 0 : Math.max(0, daysBetween(i.dueDate, today)),
      status: planned ? ("plan" as const) : portalStatus(i, i.dunningState?.pauseReason, today),
    };
  });
  const currency = rows[0]?.currency ?? "EUR";
  const claim = claimOnCreditorClock(
    claimInputs.filter((i) => !inPlan.has(i.id)),
    now,
    settings,
    timeZone,
  );
  const lateCharges = { interest: claim.interest, indemnity: claim.indemnity, invoices: claim.indemnityCount, estimated: claim.estimated };
  const same = rows.filter((r) => r.currency === currency);
  const totalDue = same.reduce((s, r) => s + r.balance, 0);
  const overdue = same.filter((r) => r.status === "late").reduce((s, r) => s + r.balance, 0);
  const planned = same.filter((r) => r.status === "plan").reduce((s, r) => s + r.balance, 0);
  return {
    debtor,
    invoices: rows,
    totals: { currency, totalDue, overdue, planned, claimed: claim.total },
    claim: { principal: claim.principal, interest: claim.interest, indemnity: claim.indemnity, total: claim.total },
    lateCharges,
    nextStep: await nextDunningStep(
      db,
      creditorId,
      invoices.filter((i) => !inPlan.has(i.id)).map((i) => i.id),
      now,
    ),
  };
}

/**
 * The calendar's next step for these invoices: the earliest scheduled action
 * of one whose dunning runs (not paused by a plan, a dispute, a promise), and
 * the channel of that level. What the portal and the emails announce.
 */
export async function nextDunningStep(db: Db, creditorId: string, invoiceIds: string[], now: Date): Promise<NextStep | null> {
  if (invoiceIds.length === 0) return null;
  const timeZone = await creditorTimeZone(db, creditorId);
  const states = await db.dunningState.findMany({
    where: {
      creditorId,
      invoiceId: { in: invoiceIds },
      nextActionAt: { not: null },
      stoppedAt: null,
      invoice: { status: { in: ["OPEN", "PARTIALLY_PAID"] } },
      // A pause's end is a day on the creditor's clock, as the tick reads it.
      OR: [{ pauseReason: null }, { pausedUntil: { lte: wallClockIn(timeZone, now) } }],
    },
    orderBy: [{ nextActionAt: "asc" }, { invoiceId: "asc" }],
    select: { level: true, nextActionAt: true, policyId: true },
  });
  const first = states[0];
  if (!first) return null;
  const levels = await db.dunningLevel.findMany({
    where: { creditorId, policyId: first.policyId },
    orderBy: { offsetDays: "asc" },
    select: { channel: true },
  });
  const level = levels[first.level + 1];
  if (!level) return null;
  const today = todayIn(timeZone, now);
  const date = first.nextActionAt! < today ? today : first.nextActionAt!;
  return { date: date.toISOString().slice(0, 10), channel: level.channel };
}

/**
 * The debtor's plans on the portal home. An active plan shows what matters
 * now: its next installment (date, amount, and whether GoCardless collects it
 * by itself), and what is left — not when it was made.
 */
export async function getPortalPlans(db: Db, identity: PortalIdentity) {
  const plans = await db.installmentPlan.findMany({
    where: {
      creditorId: identity.creditorId,
      debtorId: identity.debtorId,
      status: { in: ["PROPOSED", "COUNTERED", "ACTIVE", "DEFAULTED"] },
    },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      status: true,
      totalAmount: true,
      currency: true,
      createdAt: true,
      proposedBy: true,
      gocardlessScheduleId: true,
      installments: {
        where: { status: { in: ["PENDING", "PROCESSING", "MISSED"] } },
        orderBy: { position: "asc" },
        select: { id: true, dueDate: true, amount: true, status: true },
      },
    },
  });
  return plans.map(({ installments, gocardlessScheduleId, ...plan }) => {
    const next = plan.status === "ACTIVE" ? (installments[0] ?? null) : null;
    return {
      ...plan,
      next: next
        ? {
            id: next.id,
            dueDate: next.dueDate.toISOString().slice(0, 10),
            amount: next.amount,
            // Collected by the GoCardless schedule: nothing to do; a MISSED one is not retried by it, so the debtor pays it.
            autoDebit: !!gocardlessScheduleId && next.status !== "MISSED",
            processing: next.status === "PROCESSING",
          }
        : null,
      remaining: { count: installments.length, amount: installments.reduce((s, i) => s + i.amount, 0) },
    };
  });
}

/** One invoice of the session's debtor, or null (the route answers 404: never 403 for others' objects). */
export async function getPortalInvoice(db: Db, identity: PortalIdentity, invoiceId: string) {
  return db.invoice.findFirst({
    where: { id: invoiceId, creditorId: identity.creditorId, debtorId: identity.debtorId },
    include: {
      dunningState: { select: { pauseReason: true, pausedUntil: true } },
      allocations: { include: { payment: { select: { provider: true, status: true, succeededAt: true, createdAt: true } } } },
      disputes: { select: { id: true, status: true, reason: true, createdAt: true } },
    },
  });
}
