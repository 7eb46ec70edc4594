import { wallClockIn } from "~/domain/clock";
import { computeClaim, type Claim, type ClaimInvoiceInput, type ClaimSettings } from "~/domain/statement/claim";
import type { Db } from "~/utils/db.server";
import { creditorTimeZone } from "../creditor-clock.server";
import { formalNoticeSentAt } from "./formal-notice.server";
import { loadRateBook } from "./rates.server";

/**
 * The one reading of "what the creditor claims from this debtor today": the
 * portal home, the reminder emails and the generated letters all build their
 * figures here (open invoices, succeeded payments at their date, the stored
 * rate book, a consumer's interest from the formal notice's sending), so the
 * portal, the email and the letter of one day show the same total.
 */
const OPEN = ["OPEN", "PARTIALLY_PAID"] as const;

/** Open invoices of one debtor (optionally only `invoiceIds`), oldest due first, with their succeeded payments. */
export async function loadClaimInvoices(
  db: Db,
  creditorId: string,
  debtorId: string,
  now: Date,
  invoiceIds?: string[],
): Promise<ClaimInvoiceInput[]> {
  const rows = await db.invoice.findMany({
    where: { creditorId, debtorId, status: { in: [...OPEN] }, ...(invoiceIds ? { id: { in: invoiceIds } } : {}) },
    orderBy: [{ dueDate: "asc" }, { number: "asc" }],
    select: {
      id: true,
      number: true,
      issueDate: true,
      dueDate: true,
      amount: true,
      amountPaid: true,
      amountCredited: true,
      currency: true,
      description: true,
      deliveredAt: true,
      allocations: { where: { payment: { status: "SUCCEEDED" } }, select: { amount: true, payment: { select: { succeededAt: true } } } },
    },
  });
  return rows.map(({ allocations, ...i }) => ({
    ...i,
    payments: allocations.map((a) => ({ date: a.payment.succeededAt ?? now, amount: a.amount })),
  }));
}

/** The creditor's legal settings for this debtor, as the letters use them. */
export async function loadClaimSettings(db: Db, creditorId: string, debtorId: string): Promise<ClaimSettings> {
  const debtor = await db.debtor.findFirstOrThrow({
    where: { id: debtorId, creditorId },
    select: { kind: true, creditor: { select: { jurisdiction: true, lateInterestRateBps: true } } },
  });
  const [rates, noticeAt] = await Promise.all([loadRateBook(db, creditorId), formalNoticeSentAt(db, creditorId, debtorId)]);
  return {
    debtorKind: debtor.kind,
    jurisdiction: debtor.creditor.jurisdiction,
    contractualRateBps: debtor.creditor.lateInterestRateBps,
    rates,
    formalNoticeAt: noticeAt,
  };
}

/**
 * `computeClaim` on the creditor's calendar (decision 012): days late, the
 * interest's days and a payment's day are the creditor's local dates, so every
 * instant (now, payment dates, the notice's sending) is read on its clock.
 */
export function claimOnCreditorClock(invoices: ClaimInvoiceInput[], now: Date, settings: ClaimSettings, timeZone: string): Claim {
  const local = (d: Date) => wallClockIn(timeZone, d);
  return computeClaim(
    invoices.map((i) => ({ ...i, payments: i.payments.map((p) => ({ ...p, date: local(p.date) })) })),
    local(now),
    { ...settings, formalNoticeAt: settings.formalNoticeAt ? local(settings.formalNoticeAt) : settings.formalNoticeAt },
  );
}

/** The claim on some (default: all) open invoices of one debtor at `now`. */
export async function debtorClaim(
  db: Db,
  input: { creditorId: string; debtorId: string; now: Date; invoiceIds?: string[] },
): Promise<{ claim: Claim; invoices: ClaimInvoiceInput[] }> {
  const [invoices, settings, timeZone] = await Promise.all([
    loadClaimInvoices(db, input.creditorId, input.debtorId, input.now, input.invoiceIds),
    loadClaimSettings(db, input.creditorId, input.debtorId),
    creditorTimeZone(db, input.creditorId),
  ]);
  return { claim: claimOnCreditorClock(invoices, input.now, settings, timeZone), invoices };
}
