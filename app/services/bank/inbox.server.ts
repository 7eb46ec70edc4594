import type { MatchReason, MatchSuggestion } from "~/domain/bank/types";
import type { Db } from "~/utils/db.server";

/** Credits waiting for a person: no match sure enough to apply alone. */
const WAITING = ["SUGGESTED", "UNMATCHED"] as const;

export async function bankInboxCount(db: Db, creditorId: string) {
  return db.bankTransaction.count({ where: { creditorId, status: { in: [...WAITING] }, amount: { gt: 0 } } });
}

export type BankInboxSuggestion = {
  index: number;
  debtorId: string;
  debtorName: string;
  confidence: number;
  reasons: MatchReason[];
  invoices: { id: string; number: string; amount: number }[];
  unallocated: number;
};

/** The inbox's "Bank transactions" section: each waiting credit with its top suggestions, names and invoice numbers resolved. */
export async function bankInbox(db: Db, creditorId: string, take = 50) {
  const rows = await db.bankTransaction.findMany({
    where: { creditorId, status: { in: [...WAITING] }, amount: { gt: 0 } },
    orderBy: [{ bookingDate: "asc" }, { id: "asc" }],
    take,
    select: {
      id: true,
      bookingDate: true,
      amount: true,
      currency: true,
      counterpartyName: true,
      counterpartyIban: true,
      remittance: true,
      structuredRef: true,
      suggestions: true,
    },
  });
  const suggestions = rows.map((r) => (r.suggestions as MatchSuggestion[]).slice(0, 3));
  const debtorIds = [...new Set(suggestions.flat().map((s) => s.debtorId))];
  const invoiceIds = [...new Set(suggestions.flat().flatMap((s) => s.allocations.map((a) => a.invoiceId)))];
  const [debtors, invoices] = await Promise.all([
    db.debtor.findMany({ where: { creditorId, id: { in: debtorIds } }, select: { id: true, name: true } }),
    db.invoice.findMany({ where: { creditorId, id: { in: invoiceIds } }, select: { id: true, number: true } }),
  ]);
  const names = new Map(debtors.map((d) => [d.id, d.name]));
  const numbers = new Map(invoices.map((i) => [i.id, i.number]));
  return rows.map((r, n) => ({
    ...r,
    suggestions: suggestions[n]! // A suggestion naming a row of another creditor cannot happen (the index is per creditor); drop it rather than show it.
      .map((s, index): BankInboxSuggestion | null =>
        names.has(s.debtorId)
          ? {
              index,
              debtorId: s.debtorId,
              debtorName: names.get(s.debtorId)!,
              confidence: s.confidence,
              reasons: s.reasons,
              unallocated: s.unallocated,
              invoices: s.allocations
                .filter((a) => numbers.has(a.invoiceId))
                .map((a) => ({ id: a.invoiceId, number: numbers.get(a.invoiceId)!, amount: a.amount })),
            }
          : null,
      )
      .filter((s): s is BankInboxSuggestion => s !== null),
  }));
}

export type BankInboxEntry = Awaited<ReturnType<typeof bankInbox>>[number];
