import { invoiceBalance } from "~/domain/money";
import type { Db } from "~/utils/db.server";
import { stagedInvoiceSelect, stageOf } from "./invoice-rows.server";

/**
 * One invoice of this creditor as the back-office shows it: its amounts, where
 * dunning stands (in words on the page), the payments applied to it and its
 * own timeline — the trace rows about this invoice, including the grouped
 * reminders that listed it among others. Null for a missing invoice or another
 * creditor's (→ 404).
 */
export async function invoiceFile(db: Db, creditorId: string, invoiceId: string) {
  const invoice = await db.invoice.findFirst({
    where: { id: invoiceId, creditorId },
    select: {
      ...stagedInvoiceSelect(creditorId),
      issueDate: true,
      paidAt: true,
      // Early-payment discount terms and the discount once booked (decision 028).
      discountRateBps: true,
      discountUntil: true,
      discountAmount: true,
      discountAppliedAt: true,
      debtor: { select: { id: true, name: true, externalRef: true } },
    },
  });
  if (!invoice) return null;
  const [allocations, timeline] = await Promise.all([
    db.paymentAllocation.findMany({
      where: { creditorId, invoiceId },
      orderBy: { payment: { createdAt: "desc" } },
      select: {
        id: true,
        amount: true,
        payment: { select: { id: true, provider: true, status: true, currency: true, succeededAt: true, createdAt: true } },
      },
    }),
    db.communication.findMany({
      where: {
        creditorId,
        debtorId: invoice.debtor.id,
        // A reminder grouping several invoices names them in its data (invoiceIds) rather than in invoiceId.
        OR: [{ invoiceId }, { invoiceId: null, data: { path: ["invoiceIds"], array_contains: [invoiceId] } }],
      },
      orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
      take: 200,
      select: {
        id: true,
        occurredAt: true,
        direction: true,
        channel: true,
        kind: true,
        subject: true,
        bodyText: true,
        recipient: true,
        deliveryStatus: true,
        actorType: true,
      },
    }),
  ]);
  const { dunningState: ds, planInvoices, ...row } = invoice;
  const { stage, levelTemplate } = stageOf({ status: row.status, dunningState: ds, planInvoices });
  const nextLevel = ds ? (ds.policy.levels.find((l) => l.position === ds.level + 1) ?? null) : null;
  return {
    invoice: { ...row, balance: invoiceBalance(row) },
    stage,
    dunning: ds
      ? {
          level: ds.level,
          levelTemplate,
          nextActionAt: ds.nextActionAt,
          nextTemplate: nextLevel?.templateKey ?? null,
          pauseReason: ds.pauseReason,
          pausedUntil: ds.pausedUntil,
        }
      : null,
    allocations,
    timeline,
  };
}
