/**
 * Splitting a payment over invoices. Oldest due date first (what French
 * practice and Code civil 1342-10 default to when the debtor does not say),
 * unless the debtor ticked invoices: those are paid first, in the order of
 * their due dates, then the rest oldest first. The one allocator: settled
 * invoices and credit balances take nothing; what is left is an overpayment.
 */
export type OpenItem = { id: string; dueDate: Date; balance: number };
export type Allocation = { invoiceId: string; amount: number };

export function allocatePayment(
  amount: number,
  items: readonly OpenItem[],
  chosen: readonly string[] = [],
): { allocations: Allocation[]; unallocated: number } {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError("amount must be a non-negative integer of minor units");
  if (items.some((i) => !Number.isSafeInteger(i.balance))) throw new RangeError("balances must be whole numbers of minor units");
  const byDue = [...items]
    .filter((i) => i.balance > 0)
    .sort((a, b) => a.dueDate.getTime() - b.dueDate.getTime() || a.id.localeCompare(b.id));
  const picked = new Set(chosen);
  const ordered = [...byDue.filter((i) => picked.has(i.id)), ...byDue.filter((i) => !picked.has(i.id))];
  const allocations: Allocation[] = [];
  let left = amount;
  for (const item of ordered) {
    if (left === 0) break;
    const share = Math.min(left, item.balance);
    allocations.push({ invoiceId: item.id, amount: share });
    left -= share;
  }
  return { allocations, unallocated: left };
}

/**
 * Staff said exactly what a payment pays (a bank transfer split by hand):
 * each invoice takes what was asked, never more than it still owes nor more
 * than the payment has left; the rest stays unallocated (a credit balance).
 */
export function allocateAsAsked(
  amount: number,
  items: readonly OpenItem[],
  asked: readonly Allocation[],
): { allocations: Allocation[]; unallocated: number } {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError("amount must be a non-negative integer of minor units");
  const balances = new Map(items.map((i) => [i.id, i.balance]));
  const allocations: Allocation[] = [];
  let left = amount;
  for (const a of asked) {
    const share = Math.min(left, Math.max(0, a.amount), Math.max(0, balances.get(a.invoiceId) ?? 0));
    if (share <= 0) continue;
    allocations.push({ invoiceId: a.invoiceId, amount: share });
    balances.set(a.invoiceId, balances.get(a.invoiceId)! - share);
    left -= share;
  }
  return { allocations, unallocated: left };
}

export type PaymentRules = { allowPartialPayments: boolean; minPartialAmount: number };

export type AmountCheck =
  | { ok: true; amount: number }
  | { ok: false; code: "amount_invalid" | "amount_too_high" | "partial_not_allowed" | "partial_too_small" | "nothing_selected" };

/** What the debtor may pay for the selected invoices: their total, or a part of it if the creditor allows. */
export function checkPaymentAmount(requested: number | null, selectedTotal: number, rules: PaymentRules): AmountCheck {
  if (selectedTotal <= 0) return { ok: false, code: "nothing_selected" };
  if (requested === null) return { ok: true, amount: selectedTotal };
  if (!Number.isInteger(requested) || requested <= 0) return { ok: false, code: "amount_invalid" };
  if (requested > selectedTotal) return { ok: false, code: "amount_too_high" };
  if (requested === selectedTotal) return { ok: true, amount: requested };
  if (!rules.allowPartialPayments) return { ok: false, code: "partial_not_allowed" };
  if (requested < rules.minPartialAmount) return { ok: false, code: "partial_too_small" };
  return { ok: true, amount: requested };
}
