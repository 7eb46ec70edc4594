import { isValidCreditorReference } from "~/domain/payments/reference";

/** Upper case, accents removed, anything not a letter or digit becomes one space. */
export function normalizeText(value: string): string {
  return value
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, " ")
    .trim();
}

/** Legal forms and civilities: banks keep, drop or truncate them at will, so they never count. */
const NOISE = new Set([
  "SAS",
  "SASU",
  "SARL",
  "EURL",
  "SA",
  "SCI",
  "SNC",
  "SCS",
  "SCA",
  "SCOP",
  "SCM",
  "SCP",
  "SELARL",
  "SELAS",
  "SEL",
  "GIE",
  "EI",
  "EIRL",
  "SEM",
  "EARL",
  "GAEC",
  "STE",
  "SOC",
  "SOCIETE",
  "ETS",
  "ETABLISSEMENTS",
  "CIE",
  "ET",
  "DE",
  "DU",
  "DES",
  "LA",
  "LE",
  "LES",
  "L",
  "D",
  "M",
  "MR",
  "MME",
  "MLLE",
  "MM",
  "MONSIEUR",
  "MADAME",
  "VIR",
  "VIREMENT",
  "SEPA",
  "RECU",
  "INST",
]);

/** A payer or debtor name as comparable tokens. */
export function nameTokens(name: string): string[] {
  return normalizeText(name)
    .split(" ")
    .filter((t) => t && !NOISE.has(t));
}

function tokenMatch(a: string, b: string): boolean {
  if (a === b) return true;
  // Banks truncate names (e.g. 18 or 32 characters): a cut last token is a prefix.
  if (a.length >= 4 && b.length >= 4 && (a.startsWith(b) || b.startsWith(a))) return true;
  return a.length >= 5 && b.length >= 5 && Math.abs(a.length - b.length) <= 1 && editDistanceAtMostOne(a, b);
}

function editDistanceAtMostOne(a: string, b: string): boolean {
  if (a.length > b.length) [a, b] = [b, a];
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (a.length === b.length) i++;
    j++;
  }
  return edits + (b.length - j) + (a.length - i) <= 1;
}

/**
 * Token similarity 0..1 (Dice coefficient with tolerant token equality:
 * truncation, one typo). "ACME INDUSTRIE SAS" ~ "Acme Industrie" = 1;
 * glued words ("TECHNO LOGIC" / "Technologic") compare equal too.
 */
export function nameSimilarity(a: string[] | string, b: string[] | string): number {
  const ta = typeof a === "string" ? nameTokens(a) : a;
  const tb = typeof b === "string" ? nameTokens(b) : b;
  if (ta.length === 0 || tb.length === 0) return 0;
  if (ta.join("") === tb.join("")) return 1;
  const used = new Array<boolean>(tb.length).fill(false);
  let matched = 0;
  for (const x of ta) {
    const at = tb.findIndex((y, k) => !used[k] && tokenMatch(x, y));
    if (at >= 0) {
      used[at] = true;
      matched++;
    }
  }
  return (2 * matched) / (ta.length + tb.length);
}

/** "FACT", "FA", "INV", "Facture n°"… before the digits of an invoice number (text already upper case, without spaces). */
const PREFIX = /^(?:FACTURE|INVOICE|FACT|FAC|INV|FA|FV|FC|F)?(?:NO|N)?(?=[0-9])/;

/**
 * An invoice number as a lookup key, tolerant to spaces, dashes, slashes,
 * prefixes ("FACT", "FA", "INV", "Facture n°") and leading zeros:
 * "F-2024-0012", "FACT 2024 0012" and "f20240012" all give "20240012".
 * Letters inside the number are kept ("2024-A-17" → "2024A17").
 */
export function invoiceNumberKey(value: string): string {
  return keysOfNormalized(normalizeText(value))[0];
}

/**
 * The keys an invoice number is found under: its compact key, and when it
 * has separate groups of digits, those groups without their leading zeros
 * ("F-2024-000123" is also "2024-123", as a payer may write it).
 */
export function invoiceNumberKeys(value: string): string[] {
  return keysOfNormalized(normalizeText(value));
}

function keysOfNormalized(normalized: string): [string, ...string[]] {
  const compact = normalized.replace(/ /g, "");
  const compactKey = compact.replace(PREFIX, "").replace(/^0+(?=.)/, "");
  const firstDigit = normalized.search(/[0-9]/);
  if (firstDigit < 0) return [compactKey];
  const groups = normalized.slice(firstDigit).match(/[0-9]+|[A-Z]+/g) ?? [];
  if (groups.length < 2) return [compactKey];
  const grouped = groups.map((g) => g.replace(/^0+(?=.)/, "")).join("-");
  return grouped !== compactKey ? [compactKey, grouped] : [compactKey];
}

/**
 * Keys of the invoice numbers a free text may hold: every run of 1 to 4
 * consecutive words ("FACT 2024 0012" is one number written with spaces),
 * kept when it has a digit and at least 3 characters.
 */
export function invoiceNumberCandidates(text: string): string[] {
  const words = normalizeText(text.replace(/[,;+&/()]/g, " "))
    .split(" ")
    .filter(Boolean);
  const digits = words.map((w) => /[0-9]/.test(w));
  const out = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    let joined = "";
    let hasDigit = false;
    for (let n = 0; n < 4 && i + n < words.length; n++) {
      joined += `${n ? " " : ""}${words[i + n]}`;
      hasDigit ||= digits[i + n]!;
      if (!hasDigit) continue;
      for (const key of keysOfNormalized(joined)) if (key.length >= 3) out.add(key);
    }
  }
  return [...out];
}

/** Creditor references (ISO 11649, checked) in a text, also when printed in groups of four. */
export function creditorReferencesIn(text: string): string[] {
  const upper = text.toUpperCase();
  const out = new Set<string>();
  if (!upper.includes("RF")) return [];
  const pattern = /RF\s?\d\s?\d(?:\s?[A-Z0-9]){1,21}/g;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(upper))) {
    // The greedy run may swallow the next word: try the whole run, then each shorter one ending where a space was.
    const ends: string[] = [];
    let compact = "";
    for (const char of match[0]) {
      if (/\s/.test(char)) ends.unshift(compact);
      else compact += char;
    }
    ends.unshift(compact);
    const found = ends.find((candidate) => candidate.length >= 5 && isValidCreditorReference(candidate));
    if (found) out.add(found);
    pattern.lastIndex = match.index + 2;
  }
  return [...out];
}

export function compactReference(value: string): string {
  return value.toUpperCase().replace(/[^A-Z0-9]/g, "");
}
