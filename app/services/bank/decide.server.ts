import { invoiceBalance } from "~/domain/money";
import type { MatchSuggestion } from "~/domain/bank/types";
import type { Db } from "~/utils/db.server";
import { OPEN_INVOICE_STATUSES as OPEN } from "../payments/errors.server";

/**
 * What staff need to decide a bank credit by hand: the transaction, the
 * debtors the matcher suggested, one debtor's open invoices (pick other
 * invoices), and invoices found by number (split across debtors).
 */
export async function bankTransactionForDecision(db: Db, creditorId: string, transactionId: string) {
  const row = await db.bankTransaction.findFirst({
    where: { id: transactionId, creditorId },
    select: {
      id: true,
      status: true,
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
  if (!row) return null;
  const suggestedIds = [...new Set((row.suggestions as MatchSuggestion[]).map((s) => s.debtorId))];
  const suggested = suggestedIds.length
    ? await db.debtor.findMany({ where: { creditorId, id: { in: suggestedIds } }, select: { id: true, name: true, externalRef: true } })
    : [];
  const { suggestions, ...transaction } = row;
  return {
    transaction,
    decidable: row.status === "SUGGESTED" || row.status === "UNMATCHED",
    suggestedDebtors: suggestedIds.map((id) => suggested.find((d) => d.id === id)).filter((d) => d !== undefined),
    /** The first suggestion's allocation, to prefill the amounts when its debtor is picked. */
    topAllocations: (suggestions as MatchSuggestion[])[0] ?? null,
  };
}

/** Debtors of this creditor whose name or reference contains the words typed (a few, for the picker). */
export async function searchDebtorsForBank(db: Db, creditorId: string, q: string, take = 10) {
  const text = q.trim();
  if (text.length < 2) return [];
  return db.debtor.findMany({
    where: {
      creditorId,
      OR: [{ name: { contains: text, mode: "insensitive" } }, { externalRef: { contains: text, mode: "insensitive" } }],
    },
    orderBy: { name: "asc" },
    take,
    select: { id: true, name: true, externalRef: true },
  });
}

export type OpenInvoiceChoice = { id: string; number: string; dueDate: Date; balance: number; currency: string };

/** One debtor's invoices that can still take a payment, oldest due first, with what each still owes. */
export async function openInvoicesOfDebtor(db: Db, creditorId: string, debtorId: string) {
  const debtor = await db.debtor.findFirst({ where: { id: debtorId, creditorId }, select: { id: true, name: true, externalRef: true } });
  if (!debtor) return null;
  const invoices = await db.invoice.findMany({
    where: { creditorId, debtorId, status: { in: [...OPEN] } },
    orderBy: [{ dueDate: "asc" }, { number: "asc" }],
    take: 200,
    select: { id: true, number: true, dueDate: true, amount: true, amountPaid: true, amountCredited: true, currency: true },
  });
  return {
    debtor,
    invoices: invoices
      .map((i): OpenInvoiceChoice => ({ id: i.id, number: i.number, dueDate: i.dueDate, balance: invoiceBalance(i), currency: i.currency }))
      .filter((i) => i.balance > 0),
  };
}

/** Open invoices found by their number (as staff type it: case and surrounding spaces ignored), with their debtor. */
export async function openInvoicesByNumber(db: Db, creditorId: string, numbers: string[]) {
  const wanted = [...new Set(numbers.map((n) => n.trim()).filter(Boolean))];
  if (wanted.length === 0) return new Map<string, OpenInvoiceChoice & { debtorId: string; debtorName: string }>();
  const rows = await db.invoice.findMany({
    where: {
      creditorId,
      status: { in: [...OPEN] },
      OR: wanted.map((number) => ({ number: { equals: number, mode: "insensitive" as const } })),
    },
    select: {
      id: true,
      number: true,
      dueDate: true,
      amount: true,
      amountPaid: true,
      amountCredited: true,
      currency: true,
      debtorId: true,
      debtor: { select: { name: true } },
    },
  });
  return new Map(
    rows.map((i) => [
      i.number.toLowerCase(),
      {
        id: i.id,
        number: i.number,
        dueDate: i.dueDate,
        balance: invoiceBalance(i),
        currency: i.currency,
        debtorId: i.debtorId,
        debtorName: i.debtor.name,
      },
    ]),
  );
}
