import type { z } from "zod";
import { dueDateFromTerms } from "~/domain/credit/policy";
import { applyInvoiceEvent, DunningEventError } from "../dunning/invoice-events.server";
import { createInvoice } from "../intake/invoices.server";
import { policyForDebtor } from "../dunning/policies.server";
import { rescheduleInvoice } from "../dunning/reschedule.server";
import { ApiError, notFound, type ApiContext, type ApiResult } from "./handler.server";
import { invoiceInclude, invoiceView, type CancelBody, type InvoiceBody } from "./schemas.server";

export async function findInvoice(ctx: ApiContext, number: string) {
  const invoice = await ctx.tx.invoice.findUnique({
    where: { creditorId_number: { creditorId: ctx.creditorId, number } },
    include: invoiceInclude,
  });
  if (!invoice) throw notFound("Invoice");
  return invoice;
}

export async function getInvoice(ctx: ApiContext, number: string): Promise<ApiResult> {
  return { status: 200, body: invoiceView(await findInvoice(ctx, number)) };
}

export const SETTLED = ["PAID", "CANCELLED", "WRITTEN_OFF"];

export async function putInvoice(ctx: ApiContext, number: string, body: z.output<typeof InvoiceBody>): Promise<ApiResult> {
  if (!number || number.length > 100) throw new ApiError(400, "invalid_request", "The invoice number must be 1 to 100 characters");
  const debtor = await ctx.tx.debtor.findUnique({
    where: { creditorId_externalRef: { creditorId: ctx.creditorId, externalRef: body.debtorExternalRef } },
    select: { id: true, paymentTermsDays: true, paymentTermsBasis: true },
  });
  if (!debtor)
    throw new ApiError(
      422,
      "unknown_debtor",
      `No debtor with externalRef ${body.debtorExternalRef}: PUT /api/v1/debtors/{externalRef} first`,
    );
  const creditor = await ctx.tx.creditor.findUniqueOrThrow({ where: { id: ctx.creditorId }, select: { defaultCurrency: true } });
  const where = { creditorId_number: { creditorId: ctx.creditorId, number } };
  const existing = await ctx.tx.invoice.findUnique({ where });
  const issueDate = new Date(`${body.issueDate}T00:00:00Z`);
  const dueDate = body.dueDate
    ? new Date(`${body.dueDate}T00:00:00Z`)
    : // Without a due date: an existing invoice keeps its own; a new one takes the debtor's payment terms (decision 025).
      (existing?.dueDate ??
      (debtor.paymentTermsDays !== null
        ? dueDateFromTerms(issueDate, { days: debtor.paymentTermsDays, basis: debtor.paymentTermsBasis })
        : null));
  if (!dueDate)
    throw new ApiError(
      422,
      "due_date_required",
      "No dueDate, and the debtor has no payment terms to give one: send dueDate or set the debtor's paymentTermsDays",
    );
  const data = {
    debtorId: debtor.id,
    issueDate,
    dueDate,
    amount: body.amount,
    currency: body.currency ?? creditor.defaultCurrency,
    ...(body.description !== undefined ? { description: body.description } : {}),
    ...(body.deliveredAt !== undefined ? { deliveredAt: body.deliveredAt ? new Date(`${body.deliveredAt}T00:00:00Z`) : null } : {}),
  };
  if (!existing) {
    const policy = await policyForDebtor(ctx.tx, ctx.creditorId, debtor.id);
    await createInvoice(ctx.tx, { creditorId: ctx.creditorId, policy, number, now: ctx.now, ...data });
    return { status: 201, body: invoiceView(await findInvoice(ctx, number)) };
  }
  if (SETTLED.includes(existing.status))
    throw new ApiError(409, "invoice_settled", `The invoice is ${existing.status.toLowerCase()}: it can no longer be changed`);
  const settledPart = existing.amountPaid + existing.amountCredited;
  if (settledPart > 0 && (data.currency !== existing.currency || data.debtorId !== existing.debtorId)) {
    throw new ApiError(409, "invoice_has_payments", "The invoice has payments: its currency and debtor can no longer change");
  }
  if (data.amount <= settledPart) {
    throw new ApiError(
      409,
      "amount_below_paid",
      "The new amount does not exceed what is already paid or credited: record a payment or cancel instead",
    );
  }
  await ctx.tx.invoice.update({ where, data });
  // The schedule follows the new due date (and the new debtor's policy when the invoice moved).
  await rescheduleInvoice(ctx.tx, {
    creditorId: ctx.creditorId,
    invoiceId: existing.id,
    now: ctx.now,
    actor: { type: "SYSTEM", id: `api-key:${ctx.keyId}` },
    reason: data.dueDate.getTime() !== existing.dueDate.getTime() ? "due_date" : "amount",
    ...(data.debtorId !== existing.debtorId ? { policyId: (await policyForDebtor(ctx.tx, ctx.creditorId, debtor.id)).id } : {}),
  });
  return { status: 200, body: invoiceView(await findInvoice(ctx, number)) };
}

export async function cancelInvoice(ctx: ApiContext, number: string, body: z.output<typeof CancelBody>): Promise<ApiResult> {
  const invoice = await findInvoice(ctx, number);
  if (invoice.status === "CANCELLED") return { status: 200, body: invoiceView(invoice) };
  if (invoice.status === "PAID" || invoice.status === "WRITTEN_OFF") {
    throw new ApiError(409, "invoice_settled", `The invoice is ${invoice.status.toLowerCase()}: it cannot be cancelled`);
  }
  try {
    await applyInvoiceEvent(ctx.tx, {
      creditorId: ctx.creditorId,
      invoiceId: invoice.id,
      event: { type: "INVOICE_CANCELLED" },
      actor: { type: "SYSTEM", id: `api-key:${ctx.keyId}` },
      now: ctx.now,
      note: body.reason ?? "Cancelled through the API",
    });
  } catch (error) {
    if (error instanceof DunningEventError) throw new ApiError(409, error.code, error.message);
    throw error;
  }
  return { status: 200, body: invoiceView(await findInvoice(ctx, number)) };
}
