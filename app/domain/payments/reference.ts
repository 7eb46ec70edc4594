/**
 * ISO 11649 "RF" structured creditor reference, so a bank transfer can be
 * matched to its debtor automatically: RF + 2 check digits + up to 21 chars.
 */
export function toCreditorReference(base: string): string {
  const body = base
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, "")
    .slice(0, 21);
  if (!body) throw new Error("A creditor reference needs at least one letter or digit");
  const check = 98 - mod97(body + "RF00");
  return `RF${String(check).padStart(2, "0")}${body}`;
}

export function isValidCreditorReference(reference: string): boolean {
  const compact = reference.toUpperCase().replace(/\s+/g, "");
  if (!/^RF\d{2}[A-Z0-9]{1,21}$/.test(compact)) return false;
  return mod97(compact.slice(4) + compact.slice(0, 4)) === 1;
}

/** Printed in groups of four, as banks show it. */
export function formatCreditorReference(reference: string): string {
  return reference.replace(/(.{4})/g, "$1 ").trim();
}

function mod97(value: string): number {
  let remainder = 0;
  for (const char of value) {
    const digits = /[A-Z]/.test(char) ? String(char.charCodeAt(0) - 55) : char;
    for (const d of digits) remainder = (remainder * 10 + Number(d)) % 97;
  }
  return remainder;
}
