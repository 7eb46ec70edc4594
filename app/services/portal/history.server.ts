import type { Db } from "~/utils/db.server";
import type { PortalIdentity } from "~/utils/portal-session.server";

/**
 * What the debtor has settled: its payments that reached the bank (or are on
 * their way) and its closed invoices, each with the payments applied to it.
 * Scoped to the session's creditor AND debtor, like every portal query.
 * Abandoned checkouts (created, never completed) are not payments to the
 * debtor and are left out.
 */
export const HISTORY_LIMIT = 100;

const SHOWN = ["PROCESSING", "SUCCEEDED", "FAILED", "REFUNDED", "CHARGED_BACK"] as const;
export type HistoryPaymentStatus = (typeof SHOWN)[number];
export type HistoryMethod = "card" | "sepa_debit" | "direct_debit" | "bank" | "transfer" | "other";

/** How the debtor paid, in its words: the provider alone does not say (Stripe takes cards and SEPA debits). */
export function historyMethod(payment: { provider: string; method: string | null }): HistoryMethod {
  switch (payment.provider) {
    case "TRANSFER":
      return "transfer";
    case "STRIPE":
      return payment.method === "sepa_debit" ? "sepa_debit" : "card";
    case "GOCARDLESS":
      return payment.method === "direct_debit" ? "direct_debit" : "bank";
    default:
      return "other";
  }
}

export async function getPortalHistory(db: Db, identity: PortalIdentity) {
  const { creditorId, debtorId } = identity;
  const paymentSelect = {
    id: true,
    provider: true,
    method: true,
    status: true,
    amount: true,
    currency: true,
    succeededAt: true,
    createdAt: true,
  } as const;
  const [payments, invoices] = await Promise.all([
    db.payment.findMany({
      where: { creditorId, debtorId, status: { in: [...SHOWN] } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: HISTORY_LIMIT + 1,
      select: { ...paymentSelect, allocations: { where: { creditorId }, select: { invoice: { select: { id: true, number: true } } } } },
    }),
    db.invoice.findMany({
      where: { creditorId, debtorId, status: { in: ["PAID", "CANCELLED"] } },
      orderBy: [{ dueDate: "desc" }, { number: "desc" }],
      take: HISTORY_LIMIT + 1,
      select: {
        id: true,
        number: true,
        issueDate: true,
        amount: true,
        amountPaid: true,
        amountCredited: true,
        currency: true,
        status: true,
        paidAt: true,
        allocations: {
          where: { creditorId, payment: { status: { in: [...SHOWN] } } },
          select: { amount: true, payment: { select: paymentSelect } },
        },
      },
    }),
  ]);
  const paidOn = (p: { succeededAt: Date | null; createdAt: Date }) => (p.succeededAt ?? p.createdAt).toISOString();
  return {
    limited: payments.length > HISTORY_LIMIT || invoices.length > HISTORY_LIMIT,
    payments: payments.slice(0, HISTORY_LIMIT).map((p) => ({
      id: p.id,
      date: paidOn(p),
      method: historyMethod(p),
      status: p.status as HistoryPaymentStatus,
      amount: p.amount,
      currency: p.currency,
      invoices: p.allocations.map((a) => a.invoice).sort((a, b) => a.number.localeCompare(b.number)),
    })),
    invoices: invoices.slice(0, HISTORY_LIMIT).map((i) => ({
      id: i.id,
      number: i.number,
      issueDate: i.issueDate.toISOString().slice(0, 10),
      amount: i.amount,
      credited: i.amountCredited,
      currency: i.currency,
      status: i.status as "PAID" | "CANCELLED",
      paidAt: i.paidAt?.toISOString() ?? null,
      payments: i.allocations
        .map((a) => ({
          id: a.payment.id,
          date: paidOn(a.payment),
          method: historyMethod(a.payment),
          status: a.payment.status as HistoryPaymentStatus,
          amount: a.amount,
        }))
        .sort((a, b) => a.date.localeCompare(b.date)),
    })),
  };
}
