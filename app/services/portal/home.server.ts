import { daysBetween, startOfDayUTC } from "~/domain/clock";
import { computeLateCharges } from "~/domain/legal";
import type { Db } from "~/utils/db.server";
import type { PortalIdentity } from "~/utils/portal-session.server";
import { invoiceBalance } from "~/domain/money";
import { formalNoticeSentAt } from "../legal/formal-notice.server";
import { loadRateBook } from "../legal/rates.server";

export type PortalInvoiceStatus = "due" | "late" | "dispute" | "plan" | "payment_pending" | "promise" | "paid" | "cancelled";

/** What the debtor sees on an invoice: derived from its row and its dunning pause. */
export function portalStatus(
  invoice: { status: string; dueDate: Date },
  pauseReason: string | null | undefined,
  today: Date,
): PortalInvoiceStatus {
  if (invoice.status === "PAID") return "paid";
  if (invoice.status === "CANCELLED" || invoice.status === "WRITTEN_OFF") return "cancelled";
  if (pauseReason === "DISPUTE") return "dispute";
  if (pauseReason === "PLAN_ACTIVE" || pauseReason === "PLAN_REVIEW") return "plan";
  if (pauseReason === "PAYMENT_PROCESSING") return "payment_pending";
  if (pauseReason === "PROMISE") return "promise";
  return invoice.dueDate < today ? "late" : "due";
}

/**
 * The portal home: the debtor's creditor, open invoices and totals. Every
 * query is scoped to the session's creditor AND debtor. Selects only what the
 * page shows (the payload is serialized on every request).
 */
export async function getPortalHome(db: Db, identity: PortalIdentity, now: Date) {
  const { creditorId, debtorId } = identity;
  const today = startOfDayUTC(now);
  const [debtor, invoices] = await Promise.all([
    db.debtor.findFirstOrThrow({
      where: { id: debtorId, creditorId },
      select: {
        name: true, kind: true, locale: true,
        creditor: { select: { legalName: true, brandName: true, brandColor: true, contactEmail: true, contactPhone: true, jurisdiction: true, lateInterestRateBps: true } },
      },
    }),
    db.invoice.findMany({
      where: { creditorId, debtorId, status: { in: ["OPEN", "PARTIALLY_PAID"] } },
      orderBy: [{ dueDate: "asc" }, { number: "asc" }],
      select: {
        id: true, number: true, issueDate: true, dueDate: true, amount: true, amountPaid: true, amountCredited: true,
        currency: true, status: true, dunningState: { select: { pauseReason: true } },
        allocations: { where: { payment: { status: "SUCCEEDED" } }, select: { amount: true, payment: { select: { succeededAt: true } } } },
      },
    }),
  ]);
  const rows = invoices.map((i) => {
    const balance = invoiceBalance(i);
    return {
      id: i.id,
      number: i.number,
      issueDate: i.issueDate.toISOString().slice(0, 10),
      dueDate: i.dueDate.toISOString().slice(0, 10),
      amount: i.amount,
      paid: i.amountPaid + i.amountCredited,
      balance,
      currency: i.currency,
      daysLate: Math.max(0, daysBetween(i.dueDate, today)),
      status: portalStatus(i, i.dunningState?.pauseReason, today),
    };
  });
  const currency = rows[0]?.currency ?? "EUR";
  // Late charges, shown as claimed items, never added to the balance: L441-10 penalties and the €40 for a business;
  // for a consumer, legal-rate interest from the sending of the formal notice (the same date the letter and the dossier use).
  const lateCharges = { interest: 0, indemnity: 0, invoices: 0, estimated: false };
  const [noticeSentAt, rates] = await Promise.all([
    debtor.kind === "CONSUMER" ? formalNoticeSentAt(db, creditorId, debtorId) : Promise.resolve(null),
    loadRateBook(db, creditorId),
  ]);
  if (debtor.kind === "BUSINESS" || noticeSentAt) {
    for (const i of invoices) {
      if (i.currency !== currency || i.dueDate >= today) continue;
      const charges = computeLateCharges(
        {
          debtorKind: debtor.kind, currency: i.currency, dueDate: i.dueDate, amount: i.amount - i.amountCredited,
          payments: i.allocations.map((a) => ({ date: a.payment.succeededAt ?? now, amount: a.amount })), formalNoticeAt: noticeSentAt,
        },
        now,
        { jurisdiction: debtor.creditor.jurisdiction, contractualRateBps: debtor.creditor.lateInterestRateBps, rates },
      );
      lateCharges.interest += charges.interest.total;
      lateCharges.indemnity += charges.indemnity?.amount ?? 0;
      lateCharges.invoices += charges.indemnity ? 1 : 0;
      lateCharges.estimated ||= charges.estimated;
    }
  }
  const totalDue = rows.filter((r) => r.currency === currency).reduce((s, r) => s + r.balance, 0);
  const overdue = rows.filter((r) => r.currency === currency && r.daysLate > 0).reduce((s, r) => s + r.balance, 0);
  const { jurisdiction: _j, lateInterestRateBps: _r, ...creditor } = debtor.creditor;
  return { debtor: { ...debtor, creditor }, invoices: rows, totals: { currency, totalDue, overdue }, lateCharges };
}

/** One invoice of the session's debtor, or null (the route answers 404: never 403 for others' objects). */
export async function getPortalInvoice(db: Db, identity: PortalIdentity, invoiceId: string) {
  return db.invoice.findFirst({
    where: { id: invoiceId, creditorId: identity.creditorId, debtorId: identity.debtorId },
    include: {
      dunningState: { select: { pauseReason: true, pausedUntil: true } },
      allocations: { include: { payment: { select: { provider: true, status: true, succeededAt: true, createdAt: true } } } },
      disputes: { select: { id: true, status: true, reason: true, createdAt: true } },
    },
  });
}
