import type { z } from "zod";
import { transferReferences } from "../intake/write-batch.server";
import { ApiError, notFound, type ApiContext, type ApiResult } from "./handler.server";
import { debtorView, type DebtorBody } from "./schemas.server";

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
    data: {
      locale: creditor.defaultLocale,
      ...fields,
      kind: body.kind ?? "BUSINESS",
      creditorId: ctx.creditorId,
      externalRef,
      transferReference,
    },
  });
  return { status: 201, body: debtorView(debtor) };
}
