import { startOfDayUTC } from "~/domain/clock";
import type { DebtorKind } from "~/domain/dunning/types";
import { computeLateCharges, type Jurisdiction, type LateCharges, type RateBook } from "~/domain/legal";
import { invoiceBalance } from "~/domain/money";

/**
 * What a document claims from a debtor: the invoice balances plus, as
 * separate items, late interest and the €40 indemnity from the legal engine.
 * The inputs are mapped exactly as `getPortalHome` maps them (principal =
 * amount − credit notes, succeeded payments at their date, creditor's
 * jurisdiction and contractual rate), so a letter, a statement and the portal
 * show the same figures for the same day.
 */
export type ClaimInvoiceInput = {
  id: string;
  number: string;
  issueDate: Date;
  dueDate: Date;
  amount: number;
  amountPaid: number;
  amountCredited: number;
  currency: string;
  /** Succeeded payments allocated to this invoice. */
  payments: { date: Date; amount: number }[];
  /** What was sold (the dossier's basis of the claim) and when it was delivered. */
  description?: string | null;
  deliveredAt?: Date | null;
};

export type ClaimSettings = {
  debtorKind: DebtorKind;
  jurisdiction: Jurisdiction;
  contractualRateBps: number | null;
  /** Consumers: interest runs only from the sending of a formal notice (`formalNoticeSentAt`). */
  formalNoticeAt?: Date | null;
  rates?: RateBook;
};

export type ClaimLine = {
  id: string;
  number: string;
  issueDate: Date;
  dueDate: Date;
  amount: number;
  /** Payments and credit notes. */
  paid: number;
  balance: number;
  currency: string;
  daysLate: number;
  charges: LateCharges | null;
  description: string | null;
  deliveredAt: Date | null;
};

export type Claim = {
  currency: string;
  debtorKind: DebtorKind;
  contractualRateBps: number | null;
  lines: ClaimLine[];
  principal: number;
  interest: number;
  indemnity: number;
  /** Invoices carrying the €40 indemnity. */
  indemnityCount: number;
  total: number;
  estimated: boolean;
};

const DAY_MS = 86_400_000;

/** Invoices in another currency than the first one are left out (as the portal's totals do). */
export function computeClaim(invoices: ClaimInvoiceInput[], asOf: Date, settings: ClaimSettings): Claim {
  const today = startOfDayUTC(asOf);
  const currency = invoices[0]?.currency ?? "EUR";
  const lines: ClaimLine[] = invoices
    .filter((i) => i.currency === currency)
    .map((i) => {
      const late = startOfDayUTC(i.dueDate) < today;
      const charges = late
        ? computeLateCharges(
            {
              debtorKind: settings.debtorKind,
              currency: i.currency,
              dueDate: i.dueDate,
              amount: i.amount - i.amountCredited,
              payments: i.payments,
              formalNoticeAt: settings.formalNoticeAt ?? null,
            },
            asOf,
            { jurisdiction: settings.jurisdiction, contractualRateBps: settings.contractualRateBps, rates: settings.rates },
          )
        : null;
      return {
        id: i.id,
        number: i.number,
        issueDate: i.issueDate,
        dueDate: i.dueDate,
        amount: i.amount,
        paid: i.amountPaid + i.amountCredited,
        balance: invoiceBalance(i),
        currency: i.currency,
        daysLate: Math.max(0, Math.round((today.getTime() - startOfDayUTC(i.dueDate).getTime()) / DAY_MS)),
        charges,
        description: i.description ?? null,
        deliveredAt: i.deliveredAt ?? null,
      };
    });
  const principal = lines.reduce((s, l) => s + l.balance, 0);
  const interest = lines.reduce((s, l) => s + (l.charges && !l.charges.interest.waived ? l.charges.interest.total : 0), 0);
  const indemnified = lines.filter((l) => l.charges?.indemnity && !l.charges.indemnity.waived);
  const indemnity = indemnified.reduce((s, l) => s + l.charges!.indemnity!.amount, 0);
  return {
    currency,
    debtorKind: settings.debtorKind,
    contractualRateBps: settings.contractualRateBps,
    lines,
    principal,
    interest,
    indemnity,
    indemnityCount: indemnified.length,
    total: principal + interest + indemnity,
    estimated: lines.some((l) => l.charges?.estimated),
  };
}
