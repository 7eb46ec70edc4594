import { addMonthsClamped } from "../legal/calendar";

/**
 * Reading BODACC collective-proceedings announcements (pure). A judgment's
 * `nature` is free French text ("Jugement d'ouverture d'une procédure de
 * redressement judiciaire", "Jugement de conversion en liquidation
 * judiciaire", "Jugement de clôture pour insuffisance d'actif"…); its `famille`
 * names the step ("Jugement d'ouverture", "Jugement de clôture"…).
 */
export type ProceedingKind = "SAUVEGARDE" | "REDRESSEMENT" | "LIQUIDATION";
export type JudgmentStep = "OPENING" | "CONVERSION" | "CLOSURE" | "OTHER";

export type Judgment = { step: JudgmentStep; kind: ProceedingKind | null };

const fold = (text: string) =>
  text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();

/**
 * The step and the kind of procedure a judgment names. Liquidation is tested
 * before redressement: a conversion ("…de la procédure de redressement en
 * liquidation judiciaire") names both, and the company ends in liquidation.
 */
export function classifyJudgment(judgment: { nature?: string | null; famille?: string | null }): Judgment {
  const nature = fold(judgment.nature ?? "");
  const famille = fold(judgment.famille ?? "");
  const both = `${famille} ${nature}`;
  const kind: ProceedingKind | null = /liquidation/.test(nature)
    ? "LIQUIDATION"
    : /redressement/.test(nature)
      ? "REDRESSEMENT"
      : /sauvegarde/.test(nature)
        ? "SAUVEGARDE"
        : null;
  const step: JudgmentStep = /cloture/.test(both)
    ? "CLOSURE"
    : /conversion/.test(both)
      ? "CONVERSION"
      : /jugement d'ouverture/.test(both) || /^ouverture/.test(nature)
        ? "OPENING"
        : "OTHER";
  return { step, kind };
}

/** Claims are declared within two months of the BODACC publication of the opening judgment (L622-24, R622-24). */
export function claimDeadline(publishedOn: Date): Date {
  return addMonthsClamped(publishedOn, 2);
}

/**
 * The mandataire judiciaire (or liquidateur) as the announcement's complement
 * names it ("…désignant mandataire judiciaire SELARL Martin, 3 rue…"): a name
 * that starts like one (SELARL, SCP, Maître…) up to the next comma. Null when
 * none is found — the declaration then leaves the line to fill in.
 */
export function mandataireFrom(complement: string | null | undefined): string | null {
  if (!complement) return null;
  const m = /(?:mandataire judiciaire|liquidateur(?: judiciaire)?)\s*:?\s*((?:SELARL|SELAS|SELAFA|SCP|SAS|Ma[iî]tre|Me)\s[^,;]+)/i.exec(
    complement,
  );
  const name = m?.[1]?.trim().replace(/\s+/g, " ");
  return name ? name.slice(0, 300) : null;
}

/** Nine digits of a SIREN from a debtor's legal id (a SIRET's first nine); null when it is neither. */
export function sirenOf(legalId: string | null | undefined): string | null {
  const digits = (legalId ?? "").replace(/[\s.]/g, "");
  if (/^\d{9}$/.test(digits)) return digits;
  if (/^\d{14}$/.test(digits)) return digits.slice(0, 9);
  return null;
}
