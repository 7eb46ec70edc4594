/**
 * What a formal notice (mise en demeure) needs of the creditor's identity: it
 * names the creditor with its legal name, SIREN and address (C. com. R123-237).
 * The policy editor refuses a LETTER level without them; the go-live checklist
 * lists the missing ones. One list, so the two never disagree.
 */
export const LETTER_PROFILE_FIELDS = ["legalName", "siren", "addressLine1", "postalCode", "city"] as const;
export type LetterProfileField = (typeof LETTER_PROFILE_FIELDS)[number];

export type LetterProfile = Partial<Record<LetterProfileField, string | null>>;

/** The fields still empty, in the settings form's order. */
export function letterProfileGaps(creditor: LetterProfile): LetterProfileField[] {
  return LETTER_PROFILE_FIELDS.filter((field) => !creditor[field]?.trim());
}

export const isLetterProfileComplete = (creditor: LetterProfile) => letterProfileGaps(creditor).length === 0;
