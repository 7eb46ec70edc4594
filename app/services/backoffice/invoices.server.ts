import { addDays, isoDay, startOfDayUTC, wallClockIn } from "~/domain/clock";
import { AGING_BUCKETS, type AgingBucket } from "~/domain/kpis";
import {
  csvDecimal,
  csvDocument,
  DEFAULT_INVOICE_SORT,
  INVOICE_SORTS,
  parseAmountBound,
  parseSort,
  type InvoiceSort,
  type Sort,
} from "~/domain/lists";
import { invoiceBalance } from "~/domain/money";
import type { InvoiceStage } from "~/domain/invoice-stage";
import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/utils/db.server";
import { creditorTimeZone } from "../creditor-clock.server";
import { stagedInvoiceSelect, stageOf } from "./invoice-rows.server";
import { applyInvoiceEvent, DunningEventError, lockDunningStates } from "../dunning/invoice-events.server";

export const INVOICE_STATUSES = ["OPEN", "PARTIALLY_PAID", "PAID", "CANCELLED", "WRITTEN_OFF"] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export type InvoiceFilters = {
  status?: InvoiceStatus | null;
  level?: number | null;
  bucket?: AgingBucket | null;
  debtorId?: string | null;
  q?: string | null;
  /** Open invoices past their due date only. */
  overdue?: boolean;
  /** Bounds on the invoice's amount (incl. VAT), in minor units. */
  minAmount?: number | null;
  maxAmount?: number | null;
  order?: Sort<InvoiceSort>;
  page?: number;
};

export const PAGE_SIZE = 50;

/** Reads the list filters from GET query params (amounts in the creditor's currency); anything unknown is ignored. */
export function parseInvoiceFilters(params: URLSearchParams, currency = "EUR"): InvoiceFilters {
  const status = params.get("status");
  const level = params.get("level");
  const bucket = params.get("bucket");
  const page = Number(params.get("page") ?? "1");
  return {
    status: (INVOICE_STATUSES as readonly string[]).includes(status ?? "") ? (status as InvoiceStatus) : null,
    level: level !== null && /^-?\d+$/.test(level) ? Number(level) : null,
    bucket: AGING_BUCKETS.some((b) => b.key === bucket) ? (bucket as AgingBucket) : null,
    debtorId: params.get("debtorId") || null,
    q: params.get("q")?.trim() || null,
    overdue: params.get("overdue") === "1",
    minAmount: parseAmountBound(params.get("min"), currency),
    maxAmount: parseAmountBound(params.get("max"), currency),
    order: parseSort(params, INVOICE_SORTS, DEFAULT_INVOICE_SORT),
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

/** The Prisma order of a sort; the id breaks ties so pages and the export never skip or repeat a row. */
function invoiceOrderBy({ sort, dir }: Sort<InvoiceSort>): Prisma.InvoiceOrderByWithRelationInput[] {
  const then: Prisma.InvoiceOrderByWithRelationInput[] = [{ dueDate: "asc" }, { id: "asc" }];
  switch (sort) {
    case "number":
      return [{ number: dir }, { id: "asc" }];
    case "debtor":
      return [{ debtor: { name: dir } }, ...then];
    case "amount":
      return [{ amount: dir }, ...then];
    case "status":
      return [{ status: dir }, ...then];
    default:
      return [{ dueDate: dir }, { id: "asc" }];
  }
}

/** Due-date range of an overdue bucket, as of today (the UTC date of `now`). */
function bucketWhere(bucket: AgingBucket, now: Date): Prisma.InvoiceWhereInput {
  const today = startOfDayUTC(now);
  const spec = AGING_BUCKETS.find((b) => b.key === bucket)!;
  // days overdue d = today - dueDate; min ≤ d ≤ max  ⇔  today - max ≤ dueDate ≤ today - min
  return {
    status: { in: ["OPEN", "PARTIALLY_PAID"] },
    dueDate: {
      ...(spec.max !== null ? { gte: addDays(today, -spec.max) } : {}),
      ...(spec.min !== null ? { lte: addDays(today, -spec.min) } : {}),
    },
  };
}

export function invoiceWhere(creditorId: string, f: InvoiceFilters, now: Date): Prisma.InvoiceWhereInput {
  const and: Prisma.InvoiceWhereInput[] = [{ creditorId }];
  if (f.status) and.push({ status: f.status });
  if (f.level !== null && f.level !== undefined) and.push({ dunningState: { level: f.level } });
  if (f.bucket) and.push(bucketWhere(f.bucket, now));
  if (f.debtorId) and.push({ debtorId: f.debtorId });
  if (f.q)
    and.push({ OR: [{ number: { contains: f.q, mode: "insensitive" } }, { debtor: { name: { contains: f.q, mode: "insensitive" } } }] });
  if (f.overdue) and.push({ status: { in: ["OPEN", "PARTIALLY_PAID"] }, dueDate: { lt: startOfDayUTC(now) } });
  if (f.minAmount !== null && f.minAmount !== undefined) and.push({ amount: { gte: f.minAmount } });
  if (f.maxAmount !== null && f.maxAmount !== undefined) and.push({ amount: { lte: f.maxAmount } });
  return { AND: and };
}

/**
 * `invoiceWhere` takes an instant and counts days from its UTC date: given the
 * creditor's local clock reading, "overdue" and the aging buckets follow the
 * creditor's calendar (decision 012).
 */
async function onCreditorClock(db: Db, creditorId: string, now: Date) {
  return wallClockIn(await creditorTimeZone(db, creditorId), now);
}

export async function listInvoices(db: Db, creditorId: string, filters: InvoiceFilters, now: Date) {
  const where = invoiceWhere(creditorId, filters, await onCreditorClock(db, creditorId, now));
  const page = filters.page ?? 1;
  const [total, rows] = await Promise.all([
    db.invoice.count({ where }),
    db.invoice.findMany({
      where,
      orderBy: invoiceOrderBy(filters.order ?? DEFAULT_INVOICE_SORT),
      skip: (page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
      select: { ...stagedInvoiceSelect(creditorId), debtor: { select: { id: true, name: true } } },
    }),
  ]);
  return {
    total,
    page,
    pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    rows: rows.map(({ dunningState: ds, planInvoices, ...row }) => ({
      ...row,
      dunningState: ds ? { level: ds.level, pauseReason: ds.pauseReason, nextActionAt: ds.nextActionAt } : null,
      stage: stageOf({ status: row.status, dunningState: ds, planInvoices }).stage,
    })),
  };
}

/** The words of the invoice export, in the staff member's language. */
export type InvoiceCsvWords = {
  header: string[];
  status: (status: InvoiceStatus) => string;
  stage: (stage: InvoiceStage) => string;
  decimal: "," | ".";
};

const EXPORT_BATCH = 1000;
const EXPORT_MAX = 100_000;

/**
 * Every invoice of the creditor matching the list's filters, in the list's
 * order (all pages), as a CSV: number, customer, customer reference, dates,
 * amount, paid, credited, balance (plain decimals), currency, status, stage.
 */
export async function exportInvoicesCsv(db: Db, creditorId: string, filters: InvoiceFilters, now: Date, words: InvoiceCsvWords) {
  const where = invoiceWhere(creditorId, filters, await onCreditorClock(db, creditorId, now));
  const orderBy = invoiceOrderBy(filters.order ?? DEFAULT_INVOICE_SORT);
  const rows: string[][] = [];
  for (let skip = 0; skip < EXPORT_MAX; skip += EXPORT_BATCH) {
    const batch = await db.invoice.findMany({
      where,
      orderBy,
      skip,
      take: EXPORT_BATCH,
      select: { ...stagedInvoiceSelect(creditorId), issueDate: true, debtor: { select: { name: true, externalRef: true } } },
    });
    for (const row of batch) {
      const money = (minor: number) => csvDecimal(minor, row.currency, words.decimal);
      rows.push([
        row.number,
        row.debtor.name,
        row.debtor.externalRef,
        isoDay(row.issueDate),
        isoDay(row.dueDate),
        money(row.amount),
        money(row.amountPaid),
        money(row.amountCredited),
        money(invoiceBalance(row)),
        row.currency,
        words.status(row.status as InvoiceStatus),
        words.stage(stageOf(row).stage),
      ]);
    }
    if (batch.length < EXPORT_BATCH) break;
  }
  return csvDocument(words.header, rows);
}

export type BulkAction = "pause" | "resume" | "write-off";

export class BulkActionError extends Error {
  constructor(public readonly code: "not_found" | "note_required" | "none_selected") {
    super(code);
    this.name = "BulkActionError";
  }
}

/**
 * Pause, resume or write off several invoices, each through applyInvoiceEvent
 * (which writes the STAFF trace row). Any id outside the creditor makes the
 * whole request "not found": nothing is changed. Invoices the event cannot
 * apply to (e.g. already paid) are reported, not fatal.
 */
export async function bulkInvoiceAction(
  db: Db,
  creditorId: string,
  input: { invoiceIds: string[]; action: BulkAction; note: string },
  staff: { userId: string },
  now: Date,
) {
  const ids = [...new Set(input.invoiceIds)];
  if (ids.length === 0) throw new BulkActionError("none_selected");
  const note = input.note.trim();
  if (!note) throw new BulkActionError("note_required");
  const found = await db.invoice.findMany({ where: { id: { in: ids }, creditorId }, select: { id: true, number: true } });
  if (found.length !== ids.length) throw new BulkActionError("not_found");
  const done: string[] = [];
  const skipped: { number: string; code: string }[] = [];
  // Locked in id order first: two bulk actions over overlapping selections queue instead of deadlocking.
  await lockDunningStates(
    db,
    creditorId,
    found.map((i) => i.id),
  );
  for (const invoice of found) {
    const event =
      input.action === "pause"
        ? ({ type: "MANUAL_PAUSE", note } as const)
        : input.action === "resume"
          ? ({ type: "MANUAL_RESUME", note } as const)
          : ({ type: "INVOICE_WRITTEN_OFF" } as const);
    try {
      await applyInvoiceEvent(db, { creditorId, invoiceId: invoice.id, event, actor: { type: "STAFF", id: staff.userId }, now, note });
      done.push(invoice.number);
    } catch (error) {
      if (error instanceof DunningEventError) skipped.push({ number: invoice.number, code: error.code });
      else throw error;
    }
  }
  return { done, skipped };
}
