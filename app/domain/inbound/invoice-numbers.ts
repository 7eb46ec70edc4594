/**
 * Invoice numbers in a debtor's words. Debtors write "facture 2026-0042", "FA 2026 0042", "INV-118",
 * "fact. n° 118": a known number matches whatever its prefix (FACT, FACTURE, FA, F, INV, INVOICE, N°, #)
 * and whatever separators (spaces, dashes, dots, slashes) sit between its digit groups.
 */
const PREFIX = "(?:factures?|fact\\.?|fa|f|invoices?|inv|n°|no\\.?|nº|#)";

/** Known numbers (as stored, e.g. "FA-2026-0042") found in `text`, in the order given. */
export function findInvoiceNumbers(text: string, known: string[]): string[] {
  const found: string[] = [];
  for (const number of known) {
    const groups = core(number);
    if (groups.length === 0) continue;
    const body = groups.map(escape).join("[\\s\\-_/.]*");
    // A short number ("118") is only taken with a prefix, lest an amount or a quantity match it.
    const prefixes = groups.join("").length < 5 ? "+" : "*";
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${PREFIX}\\s*[-_:.#°]?\\s*)${prefixes}${body}(?![\\p{N}])`, "iu");
    if (pattern.test(text) && !found.includes(number)) found.push(number);
  }
  return found;
}

/** The number's alphanumeric groups, its leading prefix dropped: "FA-2026-0042" → ["2026", "0042"]. */
function core(number: string): string[] {
  const groups = number.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const first = groups[0];
  if (first && groups.length > 1 && /^(?:fact(?:ure)?|fa|f|inv(?:oice)?)$/i.test(first)) groups.shift();
  else if (first && /^(?:fact|fa|inv|f)\d/i.test(first)) groups[0] = first.replace(/^(?:fact|fa|inv|f)/i, "");
  return groups;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
