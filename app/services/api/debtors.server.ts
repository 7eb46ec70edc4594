import type { z } from "zod";
import { paymentTermsError } from "~/domain/credit/policy";
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
  const existing = await ctx.tx.debtor.findUnique({
    where,
    select: { id: true, kind: true, paymentTermsDays: true, paymentTermsBasis: true },
  });
  // Between businesses, terms beyond 60 days net or 45 days end of month are unlawful (C. com. L441-10 I).
  const terms = {
    days: body.paymentTermsDays === undefined ? existing?.paymentTermsDays : body.paymentTermsDays,
    basis: body.paymentTermsBasis ?? existing?.paymentTermsBasis ?? "NET",
  };
  const business = (body.kind ?? existing?.kind ?? "BUSINESS") === "BUSINESS";
  if (business && terms.days != null && paymentTermsError({ days: terms.days, basis: terms.basis }) === "terms_too_long")
    throw new ApiError(
      422,
      "payment_terms_too_long",
      "Between businesses, payment terms may not exceed 60 days (NET) or 45 days end of month (C. com. L441-10 I)",
    );
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
