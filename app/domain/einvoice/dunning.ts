import type { EInvoice } from "./types";

/**
 * What an e-invoice lacks before relance can chase it. `blocking` gaps stop
 * the import into dunning (no due date: no calendar; nothing due; a credit
 * note is not a claim); the others only close a channel until the debtor
 * record fills them (no email: no email reminders; no address: no letter).
 */
export type DunningGap =
  | { field: "dueDate"; blocking: true; reason: "absent_from_profile" | "absent" }
  | { field: "amountDue"; blocking: true; reason: "nothing_due" }
  | { field: "typeCode"; blocking: true; reason: "credit_note" }
  | { field: "buyer.email"; blocking: false; reason: "absent" }
  | { field: "buyer.address"; blocking: false; reason: "absent" | "incomplete" }
  | { field: "buyer.siren"; blocking: false; reason: "absent" };

/** UNTDID 1001 codes of credit notes (381, 396 factored, 261 self-billed, 262 consolidated). */
const CREDIT_NOTE_TYPES = new Set(["381", "261", "262", "396", "502", "503"]);

/** MINIMUM has no payment terms group (no BT-9 due date) by design; in other profiles the seller just left it out. */
const PROFILES_WITHOUT_DUE_DATE = new Set(["MINIMUM"]);

export function checkForDunning(invoice: EInvoice): DunningGap[] {
  const gaps: DunningGap[] = [];
  if (CREDIT_NOTE_TYPES.has(invoice.typeCode)) gaps.push({ field: "typeCode", blocking: true, reason: "credit_note" });
  if (invoice.dueDate === null)
    gaps.push({
      field: "dueDate",
      blocking: true,
      reason: PROFILES_WITHOUT_DUE_DATE.has(invoice.profile) ? "absent_from_profile" : "absent",
    });
  if (invoice.totals.due <= 0) gaps.push({ field: "amountDue", blocking: true, reason: "nothing_due" });
  if (!invoice.buyer.email) gaps.push({ field: "buyer.email", blocking: false, reason: "absent" });
  const address = invoice.buyer.address;
  if (!address) gaps.push({ field: "buyer.address", blocking: false, reason: "absent" });
  else if (!address.line1 || !address.postalCode || !address.city)
    gaps.push({ field: "buyer.address", blocking: false, reason: "incomplete" });
  if (!invoice.buyer.siren) gaps.push({ field: "buyer.siren", blocking: false, reason: "absent" });
  return gaps;
}

/** True when nothing blocking is missing. */
export function canEnterDunning(gaps: readonly DunningGap[]): boolean {
  return gaps.every((gap) => !gap.blocking);
}
