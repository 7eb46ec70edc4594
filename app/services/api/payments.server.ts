import crypto from "node:crypto";
import type { z } from "zod";
import { applyPaymentStatus } from "../payments/status.server";
import { invoiceBalance } from "~/domain/money";
import { ApiError, type ApiContext, type ApiResult } from "./handler.server";
import { findInvoice, SETTLED } from "./invoices.server";
import { invoiceView, type PaymentBody } from "./schemas.server";

export async function postPayment(ctx: ApiContext, number: string, body: z.output<typeof PaymentBody>): Promise<ApiResult> {
  const found = await findInvoice(ctx, number);
  // The payment door settles one debtor at a time (it locks the debtor row).
  // Taking that lock first keeps the balance read below true until this
  // commits (concurrent payments queue instead of all passing the check) and
  // keeps the lock order the door's (no deadlock with its allocation inserts).
  await ctx.tx.$queryRaw`SELECT id FROM "Debtor" WHERE id = ${found.debtorId} AND "creditorId" = ${ctx.creditorId} FOR UPDATE`;
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
      creditorId: ctx.creditorId,
      debtorId: invoice.debtorId,
      provider: "MANUAL",
      method: "api",
      amount: body.amount,
      currency: invoice.currency,
      idempotencyKey: `api:${ctx.creditorId}:${ctx.idempotencyKey ?? crypto.randomUUID()}`,
      status: "PROCESSING",
      allocations: { create: [{ creditorId: ctx.creditorId, invoiceId: invoice.id, amount: 0 }] },
    },
  });
  await applyPaymentStatus(ctx.tx, payment.id, "SUCCEEDED", {
    now: paidAt,
    actor: { type: "SYSTEM", id: `api-key:${ctx.keyId}` },
    clock: { now: () => ctx.now },
  });
  const saved = await ctx.tx.payment.findUniqueOrThrow({ where: { id: payment.id } });
  return {
    status: 201,
    body: {
      payment: {
        id: saved.id,
        amount: saved.amount,
        currency: saved.currency,
        status: saved.status,
        paidAt: (saved.succeededAt ?? paidAt).toISOString(),
      },
      invoice: invoiceView(await findInvoice(ctx, number)),
    },
  };
}
