import { z } from "zod";
import { EInvoiceImportError, importEInvoice } from "../einvoice/import.server";
import { LifecycleError, recordLifecycleStatus } from "../einvoice/lifecycle.server";
import { ApiError, notFound, type ApiContext, type ApiResult } from "./handler.server";
import { invoiceInclude, invoiceView } from "./schemas.server";

/** POST /api/v1/invoices/import: the e-invoice file is the body (application/pdf for Factur-X, application/xml for UBL 2.1 or CII). */
export async function importInvoiceFile(
  ctx: ApiContext,
  body: { contentType: string; bytes: Uint8Array },
  fileName: string,
): Promise<ApiResult> {
  try {
    const result = await importEInvoice(ctx.tx, {
      creditorId: ctx.creditorId,
      bytes: body.bytes,
      contentType: body.contentType,
      fileName,
      actor: { type: "SYSTEM", id: `api-key:${ctx.keyId}` },
      clock: { now: () => ctx.now },
    });
    const invoice = await ctx.tx.invoice.findUniqueOrThrow({ where: { id: result.invoice.id }, include: invoiceInclude });
    const debtor = await ctx.tx.debtor.findUniqueOrThrow({ where: { id: result.debtor.id }, select: { externalRef: true, name: true } });
    return {
      status: 201,
      body: {
        invoice: invoiceView(invoice),
        debtor: { externalRef: debtor.externalRef, name: debtor.name, created: result.debtor.created },
        [result.outcome]: true,
        outcome: result.outcome,
        warnings: result.warnings.map((gap) => ({ field: gap.field, reason: gap.reason })),
      },
    };
  } catch (error) {
    if (error instanceof EInvoiceImportError) throw new ApiError(422, error.code, error.message, error.details);
    throw error;
  }
}

export const LifecycleBody = z
  .object({
    code: z.coerce.number().int(),
    /** When the platform says it happened (ISO date or date-time); now when absent. */
    date: z.coerce.date().optional(),
    reason: z.string().trim().max(2000).optional(),
  })
  .strict();

/** POST /api/v1/invoices/{number}/lifecycle: a status reported by the creditor's plateforme agréée. */
export async function postLifecycleStatus(ctx: ApiContext, number: string, body: z.output<typeof LifecycleBody>): Promise<ApiResult> {
  try {
    const result = await recordLifecycleStatus(ctx.tx, {
      creditorId: ctx.creditorId,
      invoiceNumber: number,
      code: body.code,
      occurredAt: body.date ?? ctx.now,
      reason: body.reason ?? null,
      source: "api",
      actor: { type: "PROVIDER", id: `api-key:${ctx.keyId}` },
      clock: { now: () => ctx.now },
    });
    return {
      status: 201,
      body: {
        id: result.event.id,
        code: result.event.code,
        label: result.event.label,
        occurredAt: result.event.occurredAt.toISOString(),
        effect: result.effect,
        disputeId: result.disputeId,
      },
    };
  } catch (error) {
    if (error instanceof LifecycleError) {
      if (error.code === "invoice_not_found") throw notFound("Invoice");
      throw new ApiError(422, error.code, error.message, { knownCodes: error.knownCodes });
    }
    throw error;
  }
}
