import { autoApplicable, buildMatchIndex, suggestMatches } from "~/domain/bank/matching";
import type { BankTransactionInput, DebtorIdentity, MatchSuggestion, OpenInstallment, OpenInvoice } from "~/domain/bank/types";
import { invoiceBalance } from "~/domain/money";
import type { Db } from "~/utils/db.server";
import { OPEN_INVOICE_STATUSES as OPEN } from "../payments/errors.server";

/** What the matcher needs to know about one creditor's receivables, read once per batch of transactions. */
export async function loadMatchIndex(tx: Db, creditorId: string) {
  const [invoices, debtors, payers, installments] = await Promise.all([
    tx.invoice.findMany({
      where: { creditorId, status: { in: [...OPEN] } },
      select: {
        id: true,
        debtorId: true,
        number: true,
        dueDate: true,
        amount: true,
        amountPaid: true,
        amountCredited: true,
        currency: true,
      },
    }),
    tx.debtor.findMany({
      where: { creditorId, invoices: { some: { status: { in: [...OPEN] } } } },
      select: { id: true, name: true, transferReference: true },
    }),
    tx.payerIdentity.findMany({ where: { creditorId }, select: { debtorId: true, kind: true, value: true } }),
    tx.installment.findMany({
      where: { creditorId, status: "PENDING", plan: { status: "ACTIVE" } },
      select: { id: true, planId: true, dueDate: true, amount: true, plan: { select: { debtorId: true, currency: true } } },
    }),
  ]);
  const open: OpenInvoice[] = invoices
    .map((i) => ({
      id: i.id,
      debtorId: i.debtorId,
      number: i.number,
      dueDate: i.dueDate,
      balance: invoiceBalance(i),
      currency: i.currency,
    }))
    .filter((i) => i.balance > 0);
  const identities: DebtorIdentity[] = debtors.map((d) => ({
    id: d.id,
    name: d.name,
    transferReference: d.transferReference,
    knownIbans: payers.filter((p) => p.debtorId === d.id && p.kind === "IBAN").map((p) => p.value),
    knownNames: payers.filter((p) => p.debtorId === d.id && p.kind === "NAME").map((p) => p.value),
  }));
  const dueInstallments: OpenInstallment[] = installments.map((i) => ({
    id: i.id,
    planId: i.planId,
    debtorId: i.plan.debtorId,
    dueDate: i.dueDate,
    amount: i.amount,
    currency: i.plan.currency,
  }));
  return buildMatchIndex({ invoices: open, debtors: identities, installments: dueInstallments });
}

export type MatchIndex = Awaited<ReturnType<typeof loadMatchIndex>>;

/** The matcher's view of a stored transaction. */
export function asMatchInput(row: {
  accountId: string;
  bookingDate: Date;
  valueDate: Date | null;
  amount: number;
  currency: string;
  counterpartyName: string | null;
  counterpartyIban: string | null;
  remittance: string;
  structuredRef: string | null;
  bankCode: string | null;
  reversal: boolean;
}): BankTransactionInput {
  return { entryRef: null, position: 0, ...row };
}

/** Best suggestions first, and the one that may be applied without a person (at or above the creditor's threshold). */
export function matchTransaction(
  input: BankTransactionInput,
  index: MatchIndex,
  threshold: number,
): { suggestions: MatchSuggestion[]; auto: MatchSuggestion | null } {
  const suggestions = suggestMatches(input, index).slice(0, 5);
  const best = suggestions[0] ?? null;
  const auto = best && autoApplicable(best, suggestions[1], threshold) ? best : null;
  return { suggestions, auto };
}
