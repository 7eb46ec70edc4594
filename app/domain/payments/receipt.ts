/**
 * What a payment confirmation and its receipt say about the payment, in the
 * creditor's own words: our reference (never the provider's pi_… / PM… id,
 * which means nothing to the debtor) and the method in plain terms.
 */

/** Crockford's base 32: no I, L, O or U, so a reference read over the phone cannot be misheard. */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * The payment's reference as the debtor and the creditor's staff read it:
 * "PAY-" and eight characters in two groups (40 bits, from the payment id by
 * FNV-1a), the same on the page, the email and the receipt PDF, for ever.
 */
export function paymentReference(paymentId: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(paymentId)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  let code = "";
  for (let i = 0; i < 8; i++) {
    code += ALPHABET[Number(hash & 31n)];
    hash >>= 5n;
  }
  return `PAY-${code.slice(0, 4)}-${code.slice(4)}`;
}

export type PaymentMethodKind = "card" | "sepa_debit" | "direct_debit" | "transfer" | "other";

/** The payment's method in the terms the debtor chose it by. */
export function paymentMethodKind(provider: string, method: string | null | undefined): PaymentMethodKind {
  if (provider === "GOCARDLESS") return "direct_debit";
  if (provider === "TRANSFER") return "transfer";
  if (provider === "STRIPE") return method === "sepa_debit" ? "sepa_debit" : "card";
  return "other";
}
