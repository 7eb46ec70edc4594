import { addDays, todayIn } from "~/domain/clock";
import { fecDocument, fecLines, paymentsCsv, type ExportPayment } from "~/domain/accounting/export";
import type { Db } from "~/utils/db.server";

export type ExportRange = { from: Date; to: Date };

/** "2026-03-01" → UTC midnight label, or null. */
export function parseDay(s: string | null): Date | null {
  if (!s || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return null;
  const d = new Date(`${s}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s ? null : d;
}

export function parseRange(params: URLSearchParams): ExportRange | null {
  const from = parseDay(params.get("from"));
  const to = parseDay(params.get("to"));
  if (!from || !to || from > to) return null;
  return { from, to };
}

/** This creditor's payments received on the days of the range (its time zone), oldest first, with their allocations. */
export async function paymentsReceived(db: Db, creditorId: string, range: ExportRange): Promise<ExportPayment[]> {
  const { timeZone } = await db.creditor.findUniqueOrThrow({ where: { id: creditorId }, select: { timeZone: true } });
  const rows = await db.payment.findMany({
    where: { creditorId, status: "SUCCEEDED", succeededAt: { gte: addDays(range.from, -1), lt: addDays(range.to, 2) } },
    orderBy: [{ succeededAt: "asc" }, { id: "asc" }],
    include: {
      debtor: { select: { externalRef: true, name: true } },
      allocations: {
        orderBy: { id: "asc" },
        select: { amount: true, invoice: { select: { number: true, issueDate: true, status: true, paidAt: true } } },
      },
    },
  });
  return rows
    .map((p) => ({ p, day: todayIn(timeZone, p.succeededAt!) }))
    .filter(({ day }) => day >= range.from && day <= range.to)
    .map(({ p, day }) => ({
      id: p.id,
      day,
      reference: p.providerPaymentRef ?? p.providerRef ?? p.id,
      provider: p.provider,
      method: p.method,
      amount: p.amount,
      currency: p.currency,
      debtor: p.debtor,
      allocations: p.allocations.map((a) => ({
        invoiceNumber: a.invoice.number,
        invoiceDay: a.invoice.issueDate,
        amount: a.amount,
        invoiceStatus: a.invoice.status,
        invoicePaidDay: a.invoice.paidAt ? todayIn(timeZone, a.invoice.paidAt) : null,
      })),
    }));
}

export async function exportPayments(db: Db, creditorId: string, range: ExportRange, format: "csv" | "fec") {
  const payments = await paymentsReceived(db, creditorId, range);
  return format === "csv" ? paymentsCsv(payments) : fecDocument(fecLines(payments, { until: range.to }));
}
