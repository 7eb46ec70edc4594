import { ApiError, type ApiContext, type ApiResult } from "./handler.server";
import { debtorView, invoiceInclude, invoiceView } from "./schemas.server";

/**
 * Sync lists (GET /api/v1/invoices, /debtors, /payments, /plans, /disputes,
 * /promises): the cursor shape of GET /api/v1/events (`limit`, `after`;
 * answers `data`, `hasMore`, `nextCursor`), ordered by (updatedAt, id) so
 * that a row changed after it was read comes again at the end of the loop.
 * `updatedSince` (ISO date-time, inclusive) starts a loop from a point in
 * time; `status` (comma-separated) filters. Always scoped to the key's creditor.
 */
const encodeCursor = (at: Date, id: string) => Buffer.from(`${at.toISOString()}|${id}`).toString("base64url");
function decodeCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const date = new Date(at ?? "");
  if (!id || Number.isNaN(date.getTime())) throw new ApiError(400, "invalid_cursor", "The cursor is not one this API returned");
  return { at: date, id };
}

export type SyncQuery = {
  limit: number;
  after: string | null;
  /** Prisma where fragment: creditor, cursor, updatedSince and status. */
  where: Record<string, unknown>;
};

export function parseSyncQuery(ctx: ApiContext, url: URL, statuses: readonly string[]): SyncQuery {
  const p = url.searchParams;
  const limitParam = p.get("limit");
  const limit = limitParam === null ? 100 : Number(limitParam);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500)
    throw new ApiError(400, "invalid_request", "limit must be an integer from 1 to 500");
  const after = p.get("after");
  const cursor = after ? decodeCursor(after) : null;
  const since = p.get("updatedSince");
  const sinceDate = since ? new Date(since) : null;
  if (sinceDate && Number.isNaN(sinceDate.getTime()))
    throw new ApiError(400, "invalid_request", "updatedSince must be an ISO 8601 date-time, e.g. 2026-01-31T00:00:00Z");
  const status = p.get("status");
  const wanted = status ? status.split(",").map((s) => s.trim().toUpperCase()) : [];
  const unknown = wanted.filter((s) => !statuses.includes(s));
  if (unknown.length) throw new ApiError(400, "invalid_request", `status must be among ${statuses.join(", ")}`, { unknown });
  const and: Record<string, unknown>[] = [{ creditorId: ctx.creditorId }];
  if (sinceDate) and.push({ updatedAt: { gte: sinceDate } });
  if (wanted.length) and.push({ status: { in: wanted } });
  if (cursor) and.push({ OR: [{ updatedAt: { gt: cursor.at } }, { updatedAt: cursor.at, id: { gt: cursor.id } }] });
  return { limit, after, where: { AND: and } };
}

export const syncOrder = [{ updatedAt: "asc" as const }, { id: "asc" as const }];

function pageOf<R extends { id: string; updatedAt: Date }>(q: SyncQuery, rows: R[], view: (r: R) => unknown): ApiResult {
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    status: 200,
    body: {
      data: page.map(view),
      hasMore: rows.length > q.limit,
      // Keep polling from here even when the page is empty.
      nextCursor: last ? encodeCursor(last.updatedAt, last.id) : q.after,
    },
  };
}

const iso = (d: Date | null) => d?.toISOString() ?? null;
const day = (d: Date | null) => d?.toISOString().slice(0, 10) ?? null;

export const SYNC_STATUSES = {
  invoices: ["OPEN", "PARTIALLY_PAID", "PAID", "CANCELLED", "WRITTEN_OFF"],
  debtors: [],
  payments: ["CREATED", "REQUIRES_ACTION", "PROCESSING", "SUCCEEDED", "FAILED", "CANCELED", "REFUNDED", "CHARGED_BACK"],
  plans: ["PROPOSED", "COUNTERED", "ACCEPTED", "REJECTED", "ACTIVE", "COMPLETED", "DEFAULTED", "CANCELLED"],
  disputes: ["OPEN", "RESOLVED_CREDIT", "RESOLVED_REJECTED", "WITHDRAWN"],
  promises: ["PENDING", "KEPT", "BROKEN", "CANCELLED"],
} as const;
export type SyncResource = keyof typeof SYNC_STATUSES;

export async function listInvoices(ctx: ApiContext, url: URL): Promise<ApiResult> {
  const q = parseSyncQuery(ctx, url, SYNC_STATUSES.invoices);
  const rows = await ctx.tx.invoice.findMany({ where: q.where, orderBy: syncOrder, take: q.limit + 1, include: invoiceInclude });
  return pageOf(q, rows, invoiceView);
}

export async function listDebtors(ctx: ApiContext, url: URL): Promise<ApiResult> {
  const q = parseSyncQuery(ctx, url, SYNC_STATUSES.debtors);
  const rows = await ctx.tx.debtor.findMany({ where: q.where, orderBy: syncOrder, take: q.limit + 1 });
  return pageOf(q, rows, debtorView);
}

export async function listPayments(ctx: ApiContext, url: URL): Promise<ApiResult> {
  const q = parseSyncQuery(ctx, url, SYNC_STATUSES.payments);
  const rows = await ctx.tx.payment.findMany({
    where: q.where,
    orderBy: syncOrder,
    take: q.limit + 1,
    include: {
      debtor: { select: { externalRef: true } },
      allocations: { orderBy: { id: "asc" }, select: { amount: true, invoice: { select: { number: true } } } },
    },
  });
  return pageOf(q, rows, (p) => ({
    id: p.id,
    debtorExternalRef: p.debtor.externalRef,
    provider: p.provider,
    method: p.method,
    status: p.status,
    amount: p.amount,
    currency: p.currency,
    failureReason: p.failureReason,
    succeededAt: iso(p.succeededAt),
    allocations: p.allocations.map((a) => ({ invoiceNumber: a.invoice.number, amount: a.amount })),
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  }));
}

export async function listPlans(ctx: ApiContext, url: URL): Promise<ApiResult> {
  const q = parseSyncQuery(ctx, url, SYNC_STATUSES.plans);
  const rows = await ctx.tx.installmentPlan.findMany({
    where: q.where,
    orderBy: syncOrder,
    take: q.limit + 1,
    include: {
      debtor: { select: { externalRef: true } },
      invoices: { orderBy: { invoiceId: "asc" }, select: { amount: true, invoice: { select: { number: true } } } },
      installments: { orderBy: { position: "asc" } },
    },
  });
  return pageOf(q, rows, (p) => ({
    id: p.id,
    debtorExternalRef: p.debtor.externalRef,
    status: p.status,
    proposedBy: p.proposedBy,
    totalAmount: p.totalAmount,
    downPayment: p.downPayment,
    currency: p.currency,
    counterOfId: p.counterOfId,
    decidedAt: iso(p.decidedAt),
    invoices: p.invoices.map((i) => ({ invoiceNumber: i.invoice.number, amount: i.amount })),
    installments: p.installments.map((i) => ({
      position: i.position,
      dueDate: day(i.dueDate),
      amount: i.amount,
      status: i.status,
      paidAt: iso(i.paidAt),
    })),
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  }));
}

export async function listDisputes(ctx: ApiContext, url: URL): Promise<ApiResult> {
  const q = parseSyncQuery(ctx, url, SYNC_STATUSES.disputes);
  const rows = await ctx.tx.dispute.findMany({
    where: q.where,
    orderBy: syncOrder,
    take: q.limit + 1,
    include: { debtor: { select: { externalRef: true } }, invoice: { select: { number: true } } },
  });
  return pageOf(q, rows, (d) => ({
    id: d.id,
    debtorExternalRef: d.debtor.externalRef,
    invoiceNumber: d.invoice.number,
    status: d.status,
    reason: d.reason,
    message: d.message,
    creditAmount: d.creditAmount,
    resolutionNote: d.resolutionNote,
    resolvedAt: iso(d.resolvedAt),
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
  }));
}

export async function listPromises(ctx: ApiContext, url: URL): Promise<ApiResult> {
  const q = parseSyncQuery(ctx, url, SYNC_STATUSES.promises);
  const rows = await ctx.tx.promiseToPay.findMany({
    where: q.where,
    orderBy: syncOrder,
    take: q.limit + 1,
    include: { debtor: { select: { externalRef: true } }, invoice: { select: { number: true } } },
  });
  return pageOf(q, rows, (p) => ({
    id: p.id,
    debtorExternalRef: p.debtor.externalRef,
    invoiceNumber: p.invoice?.number ?? null,
    status: p.status,
    promisedAt: day(p.promisedAt),
    amount: p.amount,
    currency: p.currency,
    source: p.source,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  }));
}
