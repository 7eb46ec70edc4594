import { z } from "zod";
import { addDays, type Clock } from "~/domain/clock";
import { computeRiskSegment } from "~/domain/dunning";
import { stagedInvoiceSelect, stageOf } from "./invoice-rows.server";
import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/utils/db.server";
import { ensureDefaultPolicy } from "../dunning/policies.server";
import { rescheduleInvoices } from "../dunning/reschedule.server";
import { debtorTimeline, recordCommunication } from "../messaging/communications.server";
import { sendNotice } from "../messaging/notices.server";
import { invoiceBalance } from "~/domain/money";

/** The back-office view of debtors: list, one debtor's file, and the staff actions on it. */

export const DEBTORS_PAGE_SIZE = 50;
const OPEN = ["OPEN", "PARTIALLY_PAID"] as const;

export async function listDebtors(db: Db, creditorId: string, input: { q?: string | null; page?: number }) {
  const q = input.q?.trim();
  const where: Prisma.DebtorWhereInput = {
    creditorId,
    ...(q
      ? {
          OR: [
            { name: { contains: q, mode: "insensitive" } },
            { email: { contains: q, mode: "insensitive" } },
            { externalRef: { contains: q, mode: "insensitive" } },
            { legalId: { contains: q } },
          ],
        }
      : {}),
  };
  const page = input.page && input.page > 0 ? input.page : 1;
  const [total, debtors] = await Promise.all([
    db.debtor.count({ where }),
    db.debtor.findMany({
      where,
      orderBy: [{ name: "asc" }, { id: "asc" }],
      skip: (page - 1) * DEBTORS_PAGE_SIZE,
      take: DEBTORS_PAGE_SIZE,
      select: { id: true, name: true, externalRef: true, email: true, kind: true, riskSegment: true, riskSegmentManual: true },
    }),
  ]);
  // Balances of this page only, in one GROUP BY.
  const balances = debtors.length
    ? await db.invoice.groupBy({
        by: ["debtorId", "currency"],
        where: { creditorId, debtorId: { in: debtors.map((d) => d.id) }, status: { in: [...OPEN] } },
        _sum: { amount: true, amountPaid: true, amountCredited: true },
        _count: { _all: true },
      })
    : [];
  return {
    total,
    page,
    pages: Math.max(1, Math.ceil(total / DEBTORS_PAGE_SIZE)),
    debtors: debtors.map((d) => ({
      ...d,
      balances: balances
        .filter((b) => b.debtorId === d.id)
        .map((b) => ({
          currency: b.currency,
          count: b._count._all,
          amount: invoiceBalance({
            amount: b._sum.amount ?? 0,
            amountPaid: b._sum.amountPaid ?? 0,
            amountCredited: b._sum.amountCredited ?? 0,
          }),
        })),
    })),
  };
}

/** Everything about one debtor of this creditor, or null (→ 404). */
export async function debtorFile(db: Db, creditorId: string, debtorId: string, now: Date) {
  const debtor = await db.debtor.findFirst({
    where: { id: debtorId, creditorId },
    include: { policy: { select: { id: true, name: true } } },
  });
  if (!debtor) return null;
  const [invoices, history, plans, disputes, promises, payments, timeline, policies, links] = await Promise.all([
    db.invoice.findMany({
      // Open invoices, and those paid in the last 30 days (shown as paid, so nobody chases them).
      where: { creditorId, debtorId, OR: [{ status: { in: [...OPEN] } }, { status: "PAID", paidAt: { gte: addDays(now, -30) } }] },
      orderBy: { dueDate: "asc" },
      select: stagedInvoiceSelect(creditorId),
    }),
    db.invoice.findMany({
      where: { creditorId, debtorId, status: { not: "CANCELLED" }, dueDate: { gte: addDays(now, -366) } },
      select: { dueDate: true, paidAt: true },
    }),
    db.installmentPlan.findMany({
      where: { creditorId, debtorId },
      orderBy: { createdAt: "desc" },
      take: 20,
      select: { id: true, status: true, totalAmount: true, currency: true, createdAt: true, _count: { select: { installments: true } } },
    }),
    db.dispute.findMany({
      where: { creditorId, debtorId },
      orderBy: { createdAt: "desc" },
      take: 20,
      select: {
        id: true,
        status: true,
        reason: true,
        message: true,
        creditAmount: true,
        resolutionNote: true,
        createdAt: true,
        invoice: { select: { number: true, currency: true } },
        attachments: { where: { creditorId }, orderBy: { createdAt: "asc" }, select: { id: true, fileName: true, size: true } },
      },
    }),
    db.promiseToPay.findMany({
      where: { creditorId, debtorId },
      orderBy: { promisedAt: "desc" },
      take: 20,
      select: {
        id: true,
        status: true,
        promisedAt: true,
        amount: true,
        currency: true,
        source: true,
        invoice: { select: { number: true } },
      },
    }),
    db.payment.findMany({
      where: { creditorId, debtorId },
      orderBy: { createdAt: "desc" },
      take: 20,
      select: { id: true, provider: true, status: true, amount: true, currency: true, createdAt: true, succeededAt: true },
    }),
    debtorTimeline(db, creditorId, debtorId),
    db.dunningPolicy.findMany({ where: { creditorId }, orderBy: { name: "asc" }, select: { id: true, name: true, isDefault: true } }),
    db.accessLink.count({ where: { creditorId, debtorId, revokedAt: null, expiresAt: { gt: now } } }),
  ]);
  return {
    debtor,
    computedSegment: computeRiskSegment(history, now),
    invoices: invoices.map(({ dunningState, planInvoices, ...invoice }) => ({
      ...invoice,
      balance: invoiceBalance(invoice),
      level: dunningState?.level ?? -1,
      pauseReason: dunningState?.pauseReason ?? null,
      pausedUntil: dunningState?.pausedUntil ?? null,
      nextActionAt: dunningState?.nextActionAt ?? null,
      ...stageOf({ status: invoice.status, dunningState, planInvoices }),
    })),
    plans,
    disputes,
    promises,
    payments,
    // The timeline reads oldest first, like a conversation.
    timeline: [...timeline].reverse(),
    policies,
    activeLinks: links,
  };
}

const optional = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => v || null);

/** The identity and contacts form; error messages are i18n keys. */
export const DebtorContactSchema = z.object({
  name: z.string({ message: "bo.errors.required" }).trim().min(1, "bo.errors.required").max(200, "bo.errors.tooLong"),
  legalId: optional(40).optional().default(""),
  email: z
    .string()
    .trim()
    .max(254, "bo.errors.tooLong")
    .refine((v) => v === "" || z.email().safeParse(v).success, "bo.errors.email")
    .transform((v) => v.toLowerCase() || null)
    .optional()
    .default(""),
  phone: z
    .string()
    .trim()
    .refine((v) => v === "" || /^\+?[0-9 ().-]{6,20}$/.test(v), "bo.errors.phone")
    .transform((v) => v || null)
    .optional()
    .default(""),
  locale: z.enum(["fr", "en"], { message: "bo.errors.required" }),
  addressLine1: optional(200).optional().default(""),
  addressLine2: optional(200).optional().default(""),
  postalCode: optional(20).optional().default(""),
  city: optional(100).optional().default(""),
  country: z
    .string()
    .trim()
    .regex(/^[A-Z]{2}$/, "bo.errors.country"),
});
export type DebtorContact = z.output<typeof DebtorContactSchema>;

type Staff = { userId: string };

export class DebtorNotFound extends Error {
  constructor() {
    super("debtor not found");
    this.name = "DebtorNotFound";
  }
}

async function ownDebtor(db: Db, creditorId: string, debtorId: string) {
  const debtor = await db.debtor.findFirst({ where: { id: debtorId, creditorId } });
  if (!debtor) throw new DebtorNotFound();
  return debtor;
}

/** Saves the contacts; the trace keeps which fields changed, from what to what. */
export async function updateDebtorContact(db: Db, creditorId: string, debtorId: string, input: DebtorContact, staff: Staff, now: Date) {
  const before = await ownDebtor(db, creditorId, debtorId);
  const changed = (Object.keys(input) as (keyof DebtorContact)[]).filter((k) => (before[k] ?? null) !== (input[k] ?? null));
  if (changed.length === 0) return { changed };
  await db.debtor.updateMany({ where: { id: debtorId, creditorId }, data: input });
  await recordCommunication(db, {
    creditorId,
    debtorId,
    direction: "OUT",
    channel: "SYSTEM",
    kind: "debtor.updated",
    actorType: "STAFF",
    actorId: staff.userId,
    data: { changed: Object.fromEntries(changed.map((k) => [k, { from: before[k] ?? null, to: input[k] ?? null }])) },
    occurredAt: now,
  });
  return { changed };
}

/** Overrides the computed risk segment (null = back to the computed one). */
export async function setRiskOverride(
  db: Db,
  creditorId: string,
  debtorId: string,
  segment: "GOOD" | "STANDARD" | "LATE_PAYER" | null,
  staff: Staff,
  now: Date,
) {
  const before = await ownDebtor(db, creditorId, debtorId);
  await db.debtor.updateMany({ where: { id: debtorId, creditorId }, data: { riskSegmentManual: segment } });
  await recordCommunication(db, {
    creditorId,
    debtorId,
    direction: "OUT",
    channel: "SYSTEM",
    kind: "debtor.segment_override",
    actorType: "STAFF",
    actorId: staff.userId,
    data: { from: before.riskSegmentManual, to: segment },
    occurredAt: now,
  });
}

/**
 * Assigns a dunning policy (null = the creditor's default). Invoices loaded
 * from now on start on it, and the debtor's open invoices move onto it
 * through the rescheduling function: the level reached is carried by day
 * (`carryLevel`), so no level is replayed and none skipped.
 */
export async function assignPolicy(db: Db, creditorId: string, debtorId: string, policyId: string | null, staff: Staff, now: Date) {
  await ownDebtor(db, creditorId, debtorId);
  if (policyId) {
    const policy = await db.dunningPolicy.findFirst({ where: { id: policyId, creditorId }, select: { id: true } });
    if (!policy) throw new DebtorNotFound();
  }
  await db.debtor.updateMany({ where: { id: debtorId, creditorId }, data: { policyId } });
  const open = await db.invoice.findMany({ where: { creditorId, debtorId, status: { in: [...OPEN] } }, select: { id: true } });
  await rescheduleInvoices(db, {
    creditorId,
    invoiceIds: open.map((i) => i.id),
    now,
    actor: { type: "STAFF", id: staff.userId },
    reason: "policy",
    policyId: policyId ?? (await ensureDefaultPolicy(db, creditorId)).id,
  });
  await recordCommunication(db, {
    creditorId,
    debtorId,
    direction: "OUT",
    channel: "SYSTEM",
    kind: "debtor.policy_assigned",
    actorType: "STAFF",
    actorId: staff.userId,
    data: { policyId },
    occurredAt: now,
  });
}

/**
 * Emails the debtor a fresh portal link now, through the transactional
 * notice mechanism (rendered in the debtor's language, traced). Null when the
 * debtor has no usable address.
 */
export async function sendPortalLinkNow(db: Db, creditorId: string, debtorId: string, staff: Staff, clock: Clock) {
  await ownDebtor(db, creditorId, debtorId);
  const now = clock.now();
  const sent = await sendNotice(db, {
    creditorId,
    debtorId,
    key: "portal_link",
    extra: {},
    idempotencyKey: `portal-link:staff:${debtorId}:${now.toISOString()}`,
    clock,
  });
  if (!sent) return null;
  await recordCommunication(db, {
    creditorId,
    debtorId,
    direction: "OUT",
    channel: "SYSTEM",
    kind: "staff.portal_link_sent",
    actorType: "STAFF",
    actorId: staff.userId,
    recipient: sent.recipient,
    data: { communicationId: sent.id },
    occurredAt: now,
  });
  return sent;
}
