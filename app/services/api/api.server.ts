import crypto from "node:crypto";
import { z } from "zod";
import { isKnownCurrency } from "~/domain/intake/csv-import";
import type { Prisma } from "~/generated/prisma/client";
import { db as defaultDb, type Db, type PrismaClient } from "~/utils/db.server";
import { authenticateApiKey } from "./keys.server";
import { transferReferences } from "../intake/csv-import.server";
import { applyInvoiceEvent, DunningEventError } from "../dunning/invoice-events.server";
import { createInvoice } from "../intake/invoices.server";
import { applyPaymentStatus } from "../payments/payments.server";
import { policyForDebtor } from "../dunning/policies.server";
import { invoiceBalance } from "~/domain/money";

/**
 * REST API v1 (creditor API keys). Every handler runs inside one transaction
 * scoped to the key's creditor; a row of another creditor is simply "not
 * found". Errors are `{ error: { code, message, details? } }`.
 *
 * Status codes: 400 malformed JSON or a body that fails its schema, 401 no or
 * bad key, 404 unknown resource, 405 wrong method, 409 the resource's state
 * forbids it (settled invoice…), 422 well-formed but unprocessable (unknown
 * debtor, amount above the balance, Idempotency-Key reused with another body).
 */
export class ApiError extends Error {
  constructor(
    public readonly status: 400 | 401 | 404 | 405 | 409 | 422,
    public readonly code: string,
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export type ApiResult = { status: number; body: unknown };
export type ApiContext = { creditorId: string; keyId: string; now: Date; tx: Db; idempotencyKey: string | null };

const errorResult = (e: ApiError): ApiResult => ({
  status: e.status,
  body: { error: { code: e.code, message: e.message, ...(e.details === undefined ? {} : { details: e.details }) } },
});

function respond(result: ApiResult, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(result.body), {
    status: result.status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", ...headers },
  });
}

export function methodNotAllowed(allowed: string[]) {
  return respond(errorResult(new ApiError(405, "method_not_allowed", `Use ${allowed.join(" or ")}`)), { Allow: allowed.join(", ") });
}

const zodDetails = (error: z.ZodError) => error.issues.map((i) => ({ path: i.path.join("."), code: i.code, message: i.message }));

const isUniqueViolation = (error: unknown) => (error as { code?: string } | null)?.code === "P2002";

/**
 * Runs one API call: authenticates, parses and validates the body, and — for
 * writes carrying an `Idempotency-Key` — stores the first answer in the same
 * transaction as the change, so a retry replays it and never applies twice.
 */
export async function handleApi<S extends z.ZodType>(
  request: Request,
  spec: { schema?: S; run: (ctx: ApiContext, body: z.output<S>) => Promise<ApiResult> },
  opts: { db?: PrismaClient; now?: Date } = {},
): Promise<Response> {
  const database = opts.db ?? (defaultDb as PrismaClient);
  const now = opts.now ?? new Date();
  const auth = await authenticateApiKey(database, request.headers.get("Authorization"), now);
  if (!auth) {
    return respond(errorResult(new ApiError(401, "unauthorized", "Missing, unknown or revoked API key (Authorization: Bearer rl_…)")), {
      "WWW-Authenticate": 'Bearer realm="relance"',
    });
  }
  const write = request.method === "POST" || request.method === "PUT";
  let body: unknown = undefined;
  if (write) {
    const text = await request.text();
    try {
      body = text.trim() ? JSON.parse(text) : {};
    } catch {
      return respond(errorResult(new ApiError(400, "invalid_json", "The request body is not valid JSON")));
    }
  }
  const key = write ? request.headers.get("Idempotency-Key") : null;
  if (key !== null && (key.length < 1 || key.length > 255)) {
    return respond(errorResult(new ApiError(400, "invalid_idempotency_key", "Idempotency-Key must be 1 to 255 characters")));
  }
  const path = new URL(request.url).pathname;
  const requestHash = crypto.createHash("sha256").update(`${request.method} ${path}\n${JSON.stringify(body ?? null)}`).digest("hex");

  const replay = async () => {
    const record = key ? await database.idempotencyRecord.findUnique({ where: { creditorId_key: { creditorId: auth.creditorId, key } } }) : null;
    if (!record) return null;
    if (record.requestHash !== requestHash || record.method !== request.method || record.path !== path) {
      return respond(errorResult(new ApiError(422, "idempotency_key_reused", "This Idempotency-Key was used with a different request")));
    }
    return respond({ status: record.status, body: record.body }, { "Idempotent-Replayed": "true" });
  };
  const remember = (tx: Db, result: ApiResult) =>
    key
      ? tx.idempotencyRecord.create({
          data: { creditorId: auth.creditorId, key, method: request.method, path, requestHash, status: result.status, body: result.body as Prisma.InputJsonValue },
        })
      : null;

  const earlier = await replay();
  if (earlier) return earlier;

  let result: ApiResult;
  try {
    result = await database.$transaction(
      async (tx) => {
        const parsed = spec.schema ? spec.schema.safeParse(body) : { success: true as const, data: body };
        if (!parsed.success) throw new ApiError(400, "invalid_request", "The request body is invalid", zodDetails(parsed.error));
        const ok = await spec.run({ creditorId: auth.creditorId, keyId: auth.keyId, now, tx, idempotencyKey: key }, parsed.data as z.output<S>);
        await remember(tx, ok);
        return ok;
      },
      { timeout: 30_000 },
    );
  } catch (error) {
    if (isUniqueViolation(error) && key) {
      // A concurrent call with the same key won the race: answer as it did.
      const winner = await replay();
      if (winner) return winner;
    }
    if (!(error instanceof ApiError)) throw error;
    result = errorResult(error);
    // Refusals are answered the same way on retry (the change did not happen).
    try {
      await remember(database, result);
    } catch (again) {
      if (!isUniqueViolation(again)) throw again;
      return (await replay()) ?? respond(result);
    }
  }
  return respond(result);
}

// ---------------------------------------------------------------- schemas

const isoDate = z.iso.date({ message: "Expected a date YYYY-MM-DD" });
const text = (max: number) => z.string().trim().min(1).max(max);
const currency = z.string().regex(/^[A-Z]{3}$/, "Expected an ISO 4217 code such as EUR").refine(isKnownCurrency, "Unknown currency");

export const DebtorBody = z
  .object({
    name: text(200),
    kind: z.enum(["BUSINESS", "CONSUMER"]).optional().describe("Defaults to BUSINESS on creation"),
    email: z.email().max(254).nullable().optional(),
    language: z.enum(["fr", "en"]).optional(),
    legalId: text(50).nullable().optional().describe("SIREN / company number"),
    phone: text(40).nullable().optional(),
    addressLine1: text(200).nullable().optional(),
    addressLine2: text(200).nullable().optional(),
    postalCode: text(20).nullable().optional(),
    city: text(100).nullable().optional(),
    country: z.string().regex(/^[A-Z]{2}$/).optional(),
  })
  .strict();

export const InvoiceBody = z
  .object({
    debtorExternalRef: text(100),
    issueDate: isoDate,
    dueDate: isoDate,
    amount: z.number().int().positive().max(1e12).describe("Minor units (cents)"),
    currency: currency.optional().describe("Defaults to the creditor's currency"),
    description: z.string().max(500).nullable().optional(),
  })
  .strict()
  .refine((b) => b.dueDate >= b.issueDate, { path: ["dueDate"], message: "The due date is before the issue date" });

export const PaymentBody = z
  .object({
    amount: z.number().int().positive().max(1e12).describe("Minor units (cents)"),
    currency: currency.optional(),
    paidAt: isoDate.optional().describe("Day the money was received; defaults to now"),
  })
  .strict();

export const CancelBody = z.object({ reason: z.string().trim().max(500).optional() }).strict();

// ---------------------------------------------------------------- views

const day = (d: Date) => d.toISOString().slice(0, 10);

type DebtorRow = Prisma.DebtorGetPayload<object>;
export function debtorView(d: DebtorRow) {
  return {
    externalRef: d.externalRef, name: d.name, kind: d.kind, email: d.email, language: d.locale, legalId: d.legalId, phone: d.phone,
    addressLine1: d.addressLine1, addressLine2: d.addressLine2, postalCode: d.postalCode, city: d.city, country: d.country,
    transferReference: d.transferReference, createdAt: d.createdAt.toISOString(), updatedAt: d.updatedAt.toISOString(),
  };
}

const invoiceInclude = { debtor: { select: { externalRef: true } }, dunningState: true } as const;
type InvoiceRow = Prisma.InvoiceGetPayload<{ include: typeof invoiceInclude }>;
export function invoiceView(i: InvoiceRow) {
  const ds = i.dunningState;
  return {
    number: i.number, debtorExternalRef: i.debtor.externalRef, issueDate: day(i.issueDate), dueDate: day(i.dueDate),
    amount: i.amount, amountPaid: i.amountPaid, amountCredited: i.amountCredited, balance: invoiceBalance(i),
    currency: i.currency, status: i.status, description: i.description,
    dunning: ds ? { level: ds.level, nextActionAt: ds.nextActionAt?.toISOString() ?? null, pauseReason: ds.pauseReason, stopped: ds.stoppedAt !== null } : null,
    createdAt: i.createdAt.toISOString(), updatedAt: i.updatedAt.toISOString(),
  };
}

// ---------------------------------------------------------------- handlers

const notFound = (what: string) => new ApiError(404, "not_found", `${what} not found`);

async function findInvoice(ctx: ApiContext, number: string) {
  const invoice = await ctx.tx.invoice.findUnique({ where: { creditorId_number: { creditorId: ctx.creditorId, number } }, include: invoiceInclude });
  if (!invoice) throw notFound("Invoice");
  return invoice;
}

export async function getDebtor(ctx: ApiContext, externalRef: string): Promise<ApiResult> {
  const debtor = await ctx.tx.debtor.findUnique({ where: { creditorId_externalRef: { creditorId: ctx.creditorId, externalRef } } });
  if (!debtor) throw notFound("Debtor");
  return { status: 200, body: debtorView(debtor) };
}

export async function putDebtor(ctx: ApiContext, externalRef: string, body: z.output<typeof DebtorBody>): Promise<ApiResult> {
  if (!externalRef || externalRef.length > 100) throw new ApiError(400, "invalid_request", "externalRef must be 1 to 100 characters");
  const where = { creditorId_externalRef: { creditorId: ctx.creditorId, externalRef } };
  const existing = await ctx.tx.debtor.findUnique({ where, select: { id: true } });
  const { language, ...rest } = body;
  const fields = { ...rest, ...(language ? { locale: language } : {}) };
  if (existing) {
    const debtor = await ctx.tx.debtor.update({ where, data: fields });
    return { status: 200, body: debtorView(debtor) };
  }
  const creditor = await ctx.tx.creditor.findUniqueOrThrow({ where: { id: ctx.creditorId }, select: { defaultLocale: true } });
  const transferReference = (await transferReferences(ctx.tx, ctx.creditorId, [externalRef])).get(externalRef)!;
  const debtor = await ctx.tx.debtor.create({
    data: { locale: creditor.defaultLocale, ...fields, kind: body.kind ?? "BUSINESS", creditorId: ctx.creditorId, externalRef, transferReference },
  });
  return { status: 201, body: debtorView(debtor) };
}

export async function getInvoice(ctx: ApiContext, number: string): Promise<ApiResult> {
  return { status: 200, body: invoiceView(await findInvoice(ctx, number)) };
}

const SETTLED = ["PAID", "CANCELLED", "WRITTEN_OFF"];

export async function putInvoice(ctx: ApiContext, number: string, body: z.output<typeof InvoiceBody>): Promise<ApiResult> {
  if (!number || number.length > 100) throw new ApiError(400, "invalid_request", "The invoice number must be 1 to 100 characters");
  const debtor = await ctx.tx.debtor.findUnique({
    where: { creditorId_externalRef: { creditorId: ctx.creditorId, externalRef: body.debtorExternalRef } },
    select: { id: true },
  });
  if (!debtor) throw new ApiError(422, "unknown_debtor", `No debtor with externalRef ${body.debtorExternalRef}: PUT /api/v1/debtors/{externalRef} first`);
  const creditor = await ctx.tx.creditor.findUniqueOrThrow({ where: { id: ctx.creditorId }, select: { defaultCurrency: true } });
  const data = {
    debtorId: debtor.id, issueDate: new Date(`${body.issueDate}T00:00:00Z`), dueDate: new Date(`${body.dueDate}T00:00:00Z`),
    amount: body.amount, currency: body.currency ?? creditor.defaultCurrency,
    ...(body.description !== undefined ? { description: body.description } : {}),
  };
  const where = { creditorId_number: { creditorId: ctx.creditorId, number } };
  const existing = await ctx.tx.invoice.findUnique({ where });
  if (!existing) {
    const policy = await policyForDebtor(ctx.tx, ctx.creditorId, debtor.id);
    await createInvoice(ctx.tx, { creditorId: ctx.creditorId, policy, number, now: ctx.now, ...data });
    return { status: 201, body: invoiceView(await findInvoice(ctx, number)) };
  }
  if (SETTLED.includes(existing.status)) throw new ApiError(409, "invoice_settled", `The invoice is ${existing.status.toLowerCase()}: it can no longer be changed`);
  const settledPart = existing.amountPaid + existing.amountCredited;
  if (settledPart > 0 && (data.currency !== existing.currency || data.debtorId !== existing.debtorId)) {
    throw new ApiError(409, "invoice_has_payments", "The invoice has payments: its currency and debtor can no longer change");
  }
  if (data.amount <= settledPart) {
    throw new ApiError(409, "amount_below_paid", "The new amount does not exceed what is already paid or credited: record a payment or cancel instead");
  }
  await ctx.tx.invoice.update({ where, data });
  return { status: 200, body: invoiceView(await findInvoice(ctx, number)) };
}

export async function postPayment(ctx: ApiContext, number: string, body: z.output<typeof PaymentBody>): Promise<ApiResult> {
  const invoice = await findInvoice(ctx, number);
  if (SETTLED.includes(invoice.status)) throw new ApiError(409, "invoice_settled", `The invoice is ${invoice.status.toLowerCase()}`);
  const currencyGiven = body.currency ?? invoice.currency;
  if (currencyGiven !== invoice.currency) throw new ApiError(422, "currency_mismatch", `The invoice is in ${invoice.currency}`);
  const balance = invoiceBalance(invoice);
  if (body.amount > balance) throw new ApiError(422, "amount_exceeds_balance", `The balance is ${balance}`, { balance });
  const paidAt = body.paidAt ? new Date(`${body.paidAt}T00:00:00Z`) : ctx.now;
  if (paidAt > ctx.now) throw new ApiError(422, "paid_at_in_future", "paidAt is in the future");
  // Created as PROCESSING then moved to SUCCEEDED through the payments service,
  // which allocates, applies the dunning event, traces and sends the receipt.
  const payment = await ctx.tx.payment.create({
    data: {
      creditorId: ctx.creditorId, debtorId: invoice.debtorId, provider: "MANUAL", method: "api", amount: body.amount, currency: invoice.currency,
      idempotencyKey: `api:${ctx.creditorId}:${ctx.idempotencyKey ?? crypto.randomUUID()}`,
      status: "PROCESSING",
      allocations: { create: [{ creditorId: ctx.creditorId, invoiceId: invoice.id, amount: 0 }] },
    },
  });
  await applyPaymentStatus(ctx.tx, payment.id, "SUCCEEDED", { now: paidAt, actor: { type: "SYSTEM", id: `api-key:${ctx.keyId}` }, clock: { now: () => ctx.now } });
  const saved = await ctx.tx.payment.findUniqueOrThrow({ where: { id: payment.id } });
  return {
    status: 201,
    body: {
      payment: { id: saved.id, amount: saved.amount, currency: saved.currency, status: saved.status, paidAt: (saved.succeededAt ?? paidAt).toISOString() },
      invoice: invoiceView(await findInvoice(ctx, number)),
    },
  };
}

export async function cancelInvoice(ctx: ApiContext, number: string, body: z.output<typeof CancelBody>): Promise<ApiResult> {
  const invoice = await findInvoice(ctx, number);
  if (invoice.status === "CANCELLED") return { status: 200, body: invoiceView(invoice) };
  if (invoice.status === "PAID" || invoice.status === "WRITTEN_OFF") {
    throw new ApiError(409, "invoice_settled", `The invoice is ${invoice.status.toLowerCase()}: it cannot be cancelled`);
  }
  try {
    await applyInvoiceEvent(ctx.tx, {
      creditorId: ctx.creditorId, invoiceId: invoice.id, event: { type: "INVOICE_CANCELLED" },
      actor: { type: "SYSTEM", id: `api-key:${ctx.keyId}` }, now: ctx.now, note: body.reason ?? "Cancelled through the API",
    });
  } catch (error) {
    if (error instanceof DunningEventError) throw new ApiError(409, error.code, error.message);
    throw error;
  }
  return { status: 200, body: invoiceView(await findInvoice(ctx, number)) };
}

/** Cursor = base64url("<occurredAt ISO>|<id>"): stable order (occurredAt, id). */
const encodeCursor = (at: Date, id: string) => Buffer.from(`${at.toISOString()}|${id}`).toString("base64url");
function decodeCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const date = new Date(at ?? "");
  if (!id || Number.isNaN(date.getTime())) throw new ApiError(400, "invalid_cursor", "The cursor is not one this API returned");
  return { at: date, id };
}

export async function listEvents(ctx: ApiContext, url: URL): Promise<ApiResult> {
  const after = url.searchParams.get("after");
  const limitParam = url.searchParams.get("limit");
  const limit = limitParam === null ? 100 : Number(limitParam);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new ApiError(400, "invalid_request", "limit must be an integer from 1 to 500");
  const cursor = after ? decodeCursor(after) : null;
  const rows = await ctx.tx.communication.findMany({
    where: {
      creditorId: ctx.creditorId,
      ...(cursor ? { OR: [{ occurredAt: { gt: cursor.at } }, { occurredAt: cursor.at, id: { gt: cursor.id } }] } : {}),
    },
    orderBy: [{ occurredAt: "asc" }, { id: "asc" }],
    take: limit + 1,
    select: {
      id: true, occurredAt: true, kind: true, channel: true, direction: true, templateKey: true, subject: true, deliveryStatus: true,
      actorType: true, data: true, debtor: { select: { externalRef: true } }, invoice: { select: { number: true } },
    },
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    status: 200,
    body: {
      data: page.map((c) => ({
        id: c.id, occurredAt: c.occurredAt.toISOString(), kind: c.kind, channel: c.channel, direction: c.direction,
        templateKey: c.templateKey, subject: c.subject, deliveryStatus: c.deliveryStatus, actorType: c.actorType,
        debtorExternalRef: c.debtor.externalRef, invoiceNumber: c.invoice?.number ?? null, data: c.data ?? null,
      })),
      hasMore: rows.length > limit,
      // Keep polling from here even when the page is empty.
      nextCursor: last ? encodeCursor(last.occurredAt, last.id) : after,
    },
  };
}
