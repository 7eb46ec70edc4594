import { daysBetween, todayIn, wallClockIn } from "~/domain/clock";
import type { ClaimSettings } from "~/domain/statement/claim";
import type { DunningChannel } from "~/domain/dunning/types";
import type { Db } from "~/utils/db.server";
import type { PortalIdentity } from "~/utils/portal-session.server";
import { invoiceBalance } from "~/domain/money";
import { creditorTimeZone } from "../creditor-clock.server";
import { claimOnCreditorClock } from "../legal/claim.server";
import { formalNoticeSentAt } from "../legal/formal-notice.server";
import { loadRateBook } from "../legal/rates.server";

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
 * The debtor and the creditor's face, read once per request: the portal
 * layout (brand, legal footer) and the page loader of one request share this
 * one query when given the request's load context (Remix hands every loader
 * of a request the same context object, while each gets its own Request).
 */
const framesOfRequest = new WeakMap<object, Map<string, ReturnType<typeof readPortalFrame>>>();

export function getPortalFrame(db: Db, identity: PortalIdentity, requestContext?: object) {
  if (!requestContext) return readPortalFrame(db, identity);
  let frames = framesOfRequest.get(requestContext);
  if (!frames) framesOfRequest.set(requestContext, (frames = new Map()));
  const key = `${identity.creditorId}:${identity.debtorId}`;
  let frame = frames.get(key);
  if (!frame) frames.set(key, (frame = readPortalFrame(db, identity)));
  return frame;
}

function readPortalFrame(db: Db, { creditorId, debtorId }: PortalIdentity) {
  return db.debtor.findFirstOrThrow({
    where: { id: debtorId, creditorId },
    select: {
      name: true,
      kind: true,
      locale: true,
      creditor: {
        select: {
          id: true,
          legalName: true,
          brandName: true,
          brandColor: true,
          siren: true,
          rcsCity: true,
          vatNumber: true,
          addressLine1: true,
          postalCode: true,
          city: true,
          contactEmail: true,
          contactPhone: true,
          logoAttachmentId: true,
          timeZone: true,
          jurisdiction: true,
          lateInterestRateBps: true,
          // The portal footer names the consumer mediator to consumers (C. conso. L616-1).
          consumerMediatorName: true,
          consumerMediatorUrl: true,
          consumerMediatorAddr: true,
        },
      },
    },
  });
}

const OPEN = ["OPEN", "PARTIALLY_PAID"] as const;

/**
 * The portal home: the debtor's creditor, open invoices, what is claimed at
 * this date, the plans with the active one's next installment, and what
 * happens next. Every query is scoped to the session's creditor AND debtor.
 * The claim is the one the letters and the emails compute (the inputs of
 * `loadClaimInvoices` / `loadClaimSettings`, read here with the rows the page
 * shows: one query for the invoices, their payments and dunning states).
 * Invoices covered by an active plan are neither late nor charged here — the
 * plan settles them.
 */
export async function getPortalHome(db: Db, identity: PortalIdentity, now: Date, requestContext?: object) {
  const { creditorId, debtorId } = identity;
  const [frame, invoices, plans, rates, formalNoticeAt] = await Promise.all([
    getPortalFrame(db, identity, requestContext),
    db.invoice.findMany({
      where: { creditorId, debtorId, status: { in: [...OPEN] } },
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
        description: true,
        deliveredAt: true,
        allocations: { where: { payment: { status: "SUCCEEDED" } }, select: { amount: true, payment: { select: { succeededAt: true } } } },
        dunningState: {
          select: { pauseReason: true, pausedUntil: true, stoppedAt: true, nextActionAt: true, level: true, policyId: true },
        },
      },
    }),
    readPlans(db, identity),
    loadRateBook(db, creditorId),
    formalNoticeSentAt(db, creditorId, debtorId),
  ]);
  const { creditor } = frame;
  const { timeZone } = creditor;
  // "Late" and days late on the creditor's calendar (decision 012).
  const today = todayIn(timeZone, now);
  const inPlan = new Set(plans.filter((p) => p.status === "ACTIVE").flatMap((p) => p.invoices.map((i) => i.invoiceId)));
  const rows = invoices.map((i) => {
    const balance = invoiceBalance(i);
    const planned = inPlan.has(i.id);
    return {
      id: i.id,
      number: i.number,
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
  const settings: ClaimSettings = {
    debtorKind: frame.kind,
    jurisdiction: creditor.jurisdiction,
    contractualRateBps: creditor.lateInterestRateBps,
    rates,
    formalNoticeAt,
  };
  const outsidePlans = invoices.filter((i) => !inPlan.has(i.id));
  const claim = claimOnCreditorClock(
    outsidePlans.map(({ allocations, status: _status, dunningState: _state, ...i }) => ({
      ...i,
      payments: allocations.map((a) => ({ date: a.payment.succeededAt ?? now, amount: a.amount })),
    })),
    now,
    settings,
    timeZone,
  );
  const lateCharges = { interest: claim.interest, indemnity: claim.indemnity, invoices: claim.indemnityCount, estimated: claim.estimated };
  const same = rows.filter((r) => r.currency === currency);
  const totalDue = same.reduce((s, r) => s + r.balance, 0);
  const overdue = same.filter((r) => r.status === "late").reduce((s, r) => s + r.balance, 0);
  const planned = same.filter((r) => r.status === "plan").reduce((s, r) => s + r.balance, 0);
  const first = firstScheduledAction(
    outsidePlans.map((i) => ({ invoiceId: i.id, ...i.dunningState })),
    wallClockIn(timeZone, now),
  );
  return {
    debtor: {
      name: frame.name,
      kind: frame.kind,
      locale: frame.locale,
      creditor: {
        legalName: creditor.legalName,
        brandName: creditor.brandName,
        brandColor: creditor.brandColor,
        contactEmail: creditor.contactEmail,
        contactPhone: creditor.contactPhone,
      },
    },
    invoices: rows,
    plans: plans.map(portalPlan),
    totals: { currency, totalDue, overdue, planned, claimed: claim.total },
    claim: { principal: claim.principal, interest: claim.interest, indemnity: claim.indemnity, total: claim.total },
    lateCharges,
    nextStep: first ? await nextStepOf(db, creditorId, first, today) : null,
  };
}

type ScheduledState = {
  invoiceId: string;
  level?: number;
  nextActionAt?: Date | null;
  policyId?: string;
  stoppedAt?: Date | null;
  pauseReason?: string | null;
  pausedUntil?: Date | null;
};

/**
 * `nextDunningStep`'s choice over states already read: a scheduled, running
 * state (no pause, or a pause ended on the creditor's clock `wallNow`), the
 * earliest first, then by invoice id — the order of its query.
 */
function firstScheduledAction(states: ScheduledState[], wallNow: Date) {
  let first: { invoiceId: string; level: number; nextActionAt: Date; policyId: string } | null = null;
  for (const s of states) {
    if (!s.nextActionAt || s.stoppedAt || s.level === undefined || !s.policyId) continue;
    if (s.pauseReason && !(s.pausedUntil && s.pausedUntil <= wallNow)) continue;
    const t = s.nextActionAt.getTime();
    if (!first || t < first.nextActionAt.getTime() || (t === first.nextActionAt.getTime() && s.invoiceId < first.invoiceId)) {
      first = { invoiceId: s.invoiceId, level: s.level, nextActionAt: s.nextActionAt, policyId: s.policyId };
    }
  }
  return first;
}

async function nextStepOf(
  db: Db,
  creditorId: string,
  first: { level: number; nextActionAt: Date; policyId: string },
  today: Date,
): Promise<NextStep | null> {
  const levels = await db.dunningLevel.findMany({
    where: { creditorId, policyId: first.policyId },
    orderBy: { offsetDays: "asc" },
    select: { channel: true },
  });
  const level = levels[first.level + 1];
  if (!level) return null;
  const date = first.nextActionAt < today ? today : first.nextActionAt;
  return { date: date.toISOString().slice(0, 10), channel: level.channel };
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
  return nextStepOf(db, creditorId, { ...first, nextActionAt: first.nextActionAt! }, todayIn(timeZone, now));
}

/**
 * The debtor's plans on the portal home. An active plan shows what matters
 * now: its next installment (date, amount, and whether GoCardless collects it
 * by itself), and what is left — not when it was made.
 */
export async function getPortalPlans(db: Db, identity: PortalIdentity) {
  return (await readPlans(db, identity)).map(portalPlan);
}

function readPlans(db: Db, identity: PortalIdentity) {
  return db.installmentPlan.findMany({
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
      // The home needs the active plans' invoices (neither late nor charged).
      invoices: { select: { invoiceId: true } },
      installments: {
        where: { status: { in: ["PENDING", "PROCESSING", "MISSED"] } },
        orderBy: { position: "asc" },
        select: { id: true, dueDate: true, amount: true, status: true },
      },
    },
  });
}

function portalPlan({ installments, gocardlessScheduleId, invoices: _invoices, ...plan }: Awaited<ReturnType<typeof readPlans>>[number]) {
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
