import { z } from "zod";
import { addDays, isoDay, startOfDayUTC, type Clock } from "~/domain/clock";
import {
  csvDecimal,
  csvDocument,
  DEBTOR_SORTS,
  DEFAULT_DEBTOR_SORT,
  parseAmountBound,
  parseSort,
  RISK_SEGMENTS,
  type DebtorSort,
  type RiskSegment,
  type Sort,
} from "~/domain/lists";
import { computeRiskSegment } from "~/domain/dunning";
import { normalizePhone } from "~/domain/sms";
import { stagedInvoiceSelect, stageOf } from "./invoice-rows.server";
import { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/utils/db.server";
import { ensureDefaultPolicy } from "../dunning/policies.server";
import { rescheduleInvoices } from "../dunning/reschedule.server";
import { debtorTimeline, recordCommunication } from "../messaging/communications.server";
import { sendNotice } from "../messaging/notices.server";
import { emailConversations } from "../inbound/threads.server";
import { invoiceBalance, invoiceBalanceSql } from "~/domain/money";

/** The back-office view of debtors: list, one debtor's file, and the staff actions on it. */

export const DEBTORS_PAGE_SIZE = 50;
const OPEN = ["OPEN", "PARTIALLY_PAID"] as const;

export type DebtorFilters = {
  q?: string | null;
  segment?: RiskSegment | null;
  /** Debtors with at least one open invoice past its due date. */
  overdue?: boolean;
  /** Bounds on the open balance in the creditor's currency, in minor units. */
  minBalance?: number | null;
  maxBalance?: number | null;
  order?: Sort<DebtorSort>;
  page?: number;
};

/** Reads the debtor list's filters from GET query params (amounts in the creditor's currency); anything unknown is ignored. */
export function parseDebtorFilters(params: URLSearchParams, currency = "EUR"): DebtorFilters {
  const segment = params.get("segment");
  const page = Number(params.get("page") ?? "1");
  return {
    q: params.get("q")?.trim() || null,
    segment: (RISK_SEGMENTS as readonly string[]).includes(segment ?? "") ? (segment as RiskSegment) : null,
    overdue: params.get("overdue") === "1",
    minBalance: parseAmountBound(params.get("min"), currency),
    maxBalance: parseAmountBound(params.get("max"), currency),
    order: parseSort(params, DEBTOR_SORTS, DEFAULT_DEBTOR_SORT),
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

const ORDER_COLUMN: Record<DebtorSort, string> = {
  name: "d.name",
  externalRef: 'd."externalRef"',
  segment: 'COALESCE(d."riskSegmentManual", d."riskSegment")',
  balance: "b.balance",
};

/**
 * The matching debtors' ids in the asked order. The open balance (sorted and
 * bounded on, in the creditor's currency) is an aggregate, so this one query
 * is SQL; the rest of the list is read through Prisma.
 */
function matchingDebtors(creditorId: string, currency: string, f: DebtorFilters, now: Date) {
  const today = isoDay(startOfDayUTC(now));
  const like = f.q ? `%${f.q.replace(/[\\%_]/g, "\\$&")}%` : null;
  const conditions = [
    Prisma.sql`d."creditorId" = ${creditorId}`,
    like ? Prisma.sql`(d.name ILIKE ${like} OR d.email ILIKE ${like} OR d."externalRef" ILIKE ${like} OR d."legalId" LIKE ${like})` : null,
    f.segment ? Prisma.sql`COALESCE(d."riskSegmentManual", d."riskSegment")::text = ${f.segment}` : null,
    f.overdue ? Prisma.sql`b.overdue` : null,
    f.minBalance !== null && f.minBalance !== undefined ? Prisma.sql`b.balance >= ${f.minBalance}` : null,
    f.maxBalance !== null && f.maxBalance !== undefined ? Prisma.sql`b.balance <= ${f.maxBalance}` : null,
  ].filter((c): c is Prisma.Sql => c !== null);
  const order = f.order ?? DEFAULT_DEBTOR_SORT;
  const from = Prisma.sql`
    FROM "Debtor" d
    CROSS JOIN LATERAL (
      SELECT COALESCE(SUM(${Prisma.raw(invoiceBalanceSql("i"))}) FILTER (WHERE i.currency = ${currency}), 0)::float8 AS balance,
             COALESCE(BOOL_OR(i."dueDate" < ${today}::date), false) AS overdue
      FROM "Invoice" i
      WHERE i."creditorId" = ${creditorId} AND i."debtorId" = d.id AND i.status IN ('OPEN', 'PARTIALLY_PAID')
    ) b
    WHERE ${Prisma.join(conditions, " AND ")}`;
  const orderBy = Prisma.raw(`${ORDER_COLUMN[order.sort]} ${order.dir === "desc" ? "DESC" : "ASC"}, d.name ASC, d.id ASC`);
  return { from, orderBy };
}

export async function listDebtors(db: Db, creditorId: string, filters: DebtorFilters, now = new Date()) {
  const { defaultCurrency } = await db.creditor.findUniqueOrThrow({ where: { id: creditorId }, select: { defaultCurrency: true } });
  const { from, orderBy } = matchingDebtors(creditorId, defaultCurrency, filters, now);
  const page = filters.page && filters.page > 0 ? filters.page : 1;
  const [[count], ids] = await Promise.all([
    db.$queryRaw<{ total: number }[]>`SELECT COUNT(*)::int AS total ${from}`,
    db.$queryRaw<
      { id: string }[]
    >`SELECT d.id ${from} ORDER BY ${orderBy} LIMIT ${DEBTORS_PAGE_SIZE} OFFSET ${(page - 1) * DEBTORS_PAGE_SIZE}`,
  ]);
  const total = count?.total ?? 0;
  return {
    total,
    page,
    pages: Math.max(1, Math.ceil(total / DEBTORS_PAGE_SIZE)),
    currency: defaultCurrency,
    debtors: await debtorRows(db, creditorId, ids),
  };
}

/** The shown columns of these debtors, in the given order, with their open balance per currency. */
async function debtorRows(db: Db, creditorId: string, ids: { id: string }[]) {
  const found = ids.length
    ? await db.debtor.findMany({
        where: { creditorId, id: { in: ids.map((d) => d.id) } },
        select: {
          id: true,
          name: true,
          externalRef: true,
          email: true,
          kind: true,
          riskSegment: true,
          riskSegmentManual: true,
          // The solvency watch's flags (decision 024): ceased, or collective proceedings open.
          solvency: { select: { status: true } },
          insolvencies: { where: { creditorId, closedOn: null }, select: { id: true }, take: 1 },
        },
      })
    : [];
  const debtors = ids.map(({ id }) => found.find((d) => d.id === id)!).filter(Boolean);
  // Balances of these debtors only, in one GROUP BY.
  const balances = debtors.length
    ? await db.invoice.groupBy({
        by: ["debtorId", "currency"],
        where: { creditorId, debtorId: { in: debtors.map((d) => d.id) }, status: { in: [...OPEN] } },
        _sum: { amount: true, amountPaid: true, amountCredited: true },
        _count: { _all: true },
      })
    : [];
  return debtors.map((d) => ({
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
  }));
}

/** The words of the debtor export, in the staff member's language. */
export type DebtorCsvWords = { header: string[]; segment: (segment: RiskSegment) => string; decimal: "," | "." };

const EXPORT_BATCH = 1000;
const EXPORT_MAX = 100_000;

/**
 * Every debtor of the creditor matching the list's filters, in its order (all
 * pages), as a CSV: one line per debtor and currency owed (a debtor owing
 * nothing has one line at zero in the creditor's currency).
 */
export async function exportDebtorsCsv(db: Db, creditorId: string, filters: DebtorFilters, now: Date, words: DebtorCsvWords) {
  const { defaultCurrency } = await db.creditor.findUniqueOrThrow({ where: { id: creditorId }, select: { defaultCurrency: true } });
  const { from, orderBy } = matchingDebtors(creditorId, defaultCurrency, filters, now);
  const rows: (string | number)[][] = [];
  for (let offset = 0; offset < EXPORT_MAX; offset += EXPORT_BATCH) {
    const ids = await db.$queryRaw<{ id: string }[]>`SELECT d.id ${from} ORDER BY ${orderBy} LIMIT ${EXPORT_BATCH} OFFSET ${offset}`;
    for (const d of await debtorRows(db, creditorId, ids)) {
      const owed = d.balances.length ? d.balances : [{ currency: defaultCurrency, count: 0, amount: 0 }];
      for (const b of owed)
        rows.push([
          d.name,
          d.externalRef,
          d.email ?? "",
          words.segment(d.riskSegmentManual ?? d.riskSegment),
          b.count,
          csvDecimal(b.amount, b.currency, words.decimal),
          b.currency,
        ]);
    }
    if (ids.length < EXPORT_BATCH) break;
  }
  return csvDocument(words.header, rows);
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
    // Emails in and out grouped as conversations (Message-ID / In-Reply-To), most recent first.
    threads: await emailConversations(db, creditorId, debtorId),
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
    // A number that exists (libphonenumber, France by default), kept in E.164: the SMS sender reads it as is.
    .refine((v) => v === "" || normalizePhone(v) !== null, "bo.errors.phone")
    .transform((v) => (v ? normalizePhone(v) : null))
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
