/**
 * A creditor's own words for a dunning email: a subject and the paragraphs
 * above the invoice table, typed as plain text with named placeholders
 * (`{nom_debiteur}`, `{total_due}`…). Pure: checks what staff typed and fills
 * the placeholders with values the email computes. Nothing here is HTML: the
 * email renders every paragraph as text, so `<b>` reaches the debtor as
 * the four characters "<b>", never as markup.
 */

export type WordingLocale = "fr" | "en";

export const WORDING_PLACEHOLDERS = ["debtorName", "totalDue", "oldestDueDate", "daysLate", "creditorName", "invoiceNumbers"] as const;
export type WordingPlaceholder = (typeof WORDING_PLACEHOLDERS)[number];

/** The names staff type, per language. Both spellings are accepted in either language's email. */
export const PLACEHOLDER_NAMES: Readonly<Record<WordingLocale, Readonly<Record<WordingPlaceholder, string>>>> = {
  fr: {
    debtorName: "nom_debiteur",
    totalDue: "total_du",
    oldestDueDate: "echeance_plus_ancienne",
    daysLate: "jours_de_retard",
    creditorName: "nom_creancier",
    invoiceNumbers: "numeros_factures",
  },
  en: {
    debtorName: "debtor_name",
    totalDue: "total_due",
    oldestDueDate: "oldest_due_date",
    daysLate: "days_late",
    creditorName: "creditor_name",
    invoiceNumbers: "invoice_numbers",
  },
};

const BY_NAME = new Map<string, WordingPlaceholder>(
  (Object.values(PLACEHOLDER_NAMES) as Record<WordingPlaceholder, string>[]).flatMap((names) =>
    WORDING_PLACEHOLDERS.map((key) => [names[key], key] as const),
  ),
);

/** `{name}` as typed in the text, braces included. */
export const placeholderToken = (locale: WordingLocale, key: WordingPlaceholder) => `{${PLACEHOLDER_NAMES[locale][key]}}`;

export const WORDING_LIMITS = { subjectMax: 150, paragraphMax: 1000, paragraphsMax: 8, bodyMax: 4000 } as const;

export type Wording = { subject: string; paragraphs: string[] };

export type WordingErrorCode = "required" | "too_long" | "too_many_paragraphs" | "unknown_placeholder";
export type WordingError = { field: "subject" | "body"; code: WordingErrorCode; placeholder?: string; max?: number };

// Any `{…}` on one line is meant as a placeholder; a lone brace stays text.
const TOKEN = /\{([^{}\n]*)\}/g;

/** The placeholders of a text that are not known, as typed (`{nom_client}`), each once. */
export function unknownPlaceholders(text: string): string[] {
  const unknown = new Set<string>();
  for (const match of text.matchAll(TOKEN)) {
    if (!BY_NAME.has(normalise(match[1]!))) unknown.add(match[0]);
  }
  return [...unknown];
}

const normalise = (name: string) => name.trim().toLowerCase();

// Control characters other than tab and line feed have no place in an email (nor CR/LF in a subject header).
// eslint-disable-next-line no-control-regex -- the point is to match control characters
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/** A subject on one line: every run of whitespace (line breaks included) becomes one space. */
export function cleanSubject(subject: string): string {
  return subject.replace(/\r\n?/g, "\n").replace(CONTROL, "").replace(/\s+/g, " ").trim();
}

/** Paragraphs are separated by blank lines; a single line break stays inside its paragraph. */
export function splitParagraphs(body: string): string[] {
  return body
    .replace(/\r\n?/g, "\n")
    .replace(CONTROL, "")
    .split(/\n[ \t\u00a0]*\n/)
    .map((p) =>
      p
        .split("\n")
        .map((line) => line.trimEnd())
        .join("\n")
        .trim(),
    )
    .filter((p) => p.length > 0);
}

/** The text for the form: paragraphs back with a blank line between them. */
export const joinParagraphs = (paragraphs: readonly string[]) => paragraphs.join("\n\n");

/** Checks what staff typed; on success, the wording as stored (subject on one line, paragraphs split). */
export function parseWording(input: {
  subject?: string | null;
  body?: string | null;
}): { ok: true; wording: Wording } | { ok: false; errors: WordingError[] } {
  const errors: WordingError[] = [];
  const subject = cleanSubject(input.subject ?? "");
  if (!subject) errors.push({ field: "subject", code: "required" });
  else if (subject.length > WORDING_LIMITS.subjectMax) errors.push({ field: "subject", code: "too_long", max: WORDING_LIMITS.subjectMax });
  for (const placeholder of unknownPlaceholders(subject)) errors.push({ field: "subject", code: "unknown_placeholder", placeholder });

  const paragraphs = splitParagraphs(input.body ?? "");
  if (paragraphs.length === 0) errors.push({ field: "body", code: "required" });
  else if (paragraphs.length > WORDING_LIMITS.paragraphsMax)
    errors.push({ field: "body", code: "too_many_paragraphs", max: WORDING_LIMITS.paragraphsMax });
  else if (paragraphs.some((p) => p.length > WORDING_LIMITS.paragraphMax))
    errors.push({ field: "body", code: "too_long", max: WORDING_LIMITS.paragraphMax });
  else if (joinParagraphs(paragraphs).length > WORDING_LIMITS.bodyMax)
    errors.push({ field: "body", code: "too_long", max: WORDING_LIMITS.bodyMax });
  for (const placeholder of unknownPlaceholders(paragraphs.join("\n")))
    errors.push({ field: "body", code: "unknown_placeholder", placeholder });

  return errors.length ? { ok: false, errors } : { ok: true, wording: { subject, paragraphs } };
}

/** Replaces every known placeholder (either language's name) with its value; anything else is left as typed. */
export function fillPlaceholders(text: string, values: Readonly<Record<WordingPlaceholder, string>>): string {
  return text.replace(TOKEN, (whole, name: string) => {
    const key = BY_NAME.get(normalise(name));
    return key ? values[key] : whole;
  });
}
