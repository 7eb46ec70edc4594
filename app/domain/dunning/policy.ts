import type { DunningChannel, DunningLevelSpec } from "./types";

/**
 * The default calendar, as French credit-management practice recommends.
 * J+45 (mise en demeure) is ONE LETTER level whose sender does two things:
 * a "send by registered post" task for staff AND the same formal notice by
 * email, so the debtor reads it at once. One level keeps one outbox key and
 * one step in the escalation, and the two can never drift apart.
 */
export const DEFAULT_POLICY_LEVELS: readonly DunningLevelSpec[] = [
  { position: 0, offsetDays: -8, channel: "EMAIL", templateKey: "courtesy_reminder", tone: "CORDIAL" },
  { position: 1, offsetDays: -3, channel: "CALL_TASK", templateKey: "call_before_due", tone: "CORDIAL" },
  { position: 2, offsetDays: 1, channel: "EMAIL", templateKey: "first_reminder", tone: "STANDARD" },
  { position: 3, offsetDays: 15, channel: "EMAIL", templateKey: "second_reminder", tone: "STANDARD" },
  { position: 4, offsetDays: 16, channel: "CALL_TASK", templateKey: "call_overdue", tone: "STANDARD" },
  { position: 5, offsetDays: 30, channel: "EMAIL", templateKey: "penalties_notice", tone: "FIRM" },
  { position: 6, offsetDays: 45, channel: "LETTER", templateKey: "formal_notice", tone: "FIRM" },
  { position: 7, offsetDays: 60, channel: "HANDOFF", templateKey: "litigation_handoff", tone: "FIRM" },
];

/**
 * Which template keys each channel accepts. A template belongs to exactly one
 * channel: an email body on a call level would become a call task nobody can
 * act on, and a reminder email on the LETTER level would skip the formal notice.
 */
export const TEMPLATES_BY_CHANNEL: Readonly<Record<DunningChannel, readonly string[]>> = {
  EMAIL: ["courtesy_reminder", "first_reminder", "second_reminder", "penalties_notice"],
  CALL_TASK: ["call_before_due", "call_overdue"],
  LETTER: ["formal_notice"],
  HANDOFF: ["litigation_handoff"],
  SMS: ["sms_reminder"],
  MEDIATION: ["mediation_referral"],
};

export const KNOWN_TEMPLATE_KEYS: readonly string[] = Object.values(TEMPLATES_BY_CHANNEL).flat();

export const POLICY_LIMITS = { minOffset: -90, maxOffset: 365, maxLevels: 20 } as const;

export type PolicyErrorCode =
  | "empty"
  | "too_many"
  | "not_integer"
  | "offset_range"
  | "duplicate_offset"
  | "unknown_channel"
  | "unknown_template"
  | "template_channel"
  | "handoff_not_last"
  | "offset_order"
  | "letter_twice"
  | "letter_needs_profile";

export type PolicyCheckOptions = {
  /** The editor's rows must already be in calendar order (offsets strictly increasing), rather than being sorted. */
  inOrder?: boolean;
  /** Whether the creditor's legal identity (legal name, SIREN, address) is complete: a mise en demeure cannot be sent without it. */
  companyProfileComplete?: boolean;
};

/** `path` points into the input as given (`levels.3.offsetDays`); the UI translates by `code`. */
export type PolicyError = { path: string; code: PolicyErrorCode; message: string };

export type PolicyValidation = { ok: true; levels: DunningLevelSpec[] } | { ok: false; errors: PolicyError[] };

/**
 * Checks a policy and returns its levels sorted by offset with positions
 * renumbered 0..n-1 (the input positions are ignored). Every problem is
 * reported at once, so a form can show them all.
 */
export function validatePolicy(
  levels: readonly DunningLevelSpec[],
  knownTemplateKeys: readonly string[] = KNOWN_TEMPLATE_KEYS,
  opts: PolicyCheckOptions = {},
): PolicyValidation {
  const errors: PolicyError[] = [];
  if (levels.length === 0) errors.push({ path: "levels", code: "empty", message: "A policy needs at least one level." });
  if (levels.length > POLICY_LIMITS.maxLevels) {
    errors.push({ path: "levels", code: "too_many", message: `A policy has at most ${POLICY_LIMITS.maxLevels} levels.` });
  }

  const byOffset = new Map<number, number>();
  levels.forEach((level, i) => {
    const path = `levels.${i}`;
    if (!Number.isInteger(level.offsetDays)) {
      errors.push({ path: `${path}.offsetDays`, code: "not_integer", message: "The offset must be a whole number of days." });
    } else if (level.offsetDays < POLICY_LIMITS.minOffset || level.offsetDays > POLICY_LIMITS.maxOffset) {
      errors.push({
        path: `${path}.offsetDays`,
        code: "offset_range",
        message: `The offset must be between ${POLICY_LIMITS.minOffset} and +${POLICY_LIMITS.maxOffset} days.`,
      });
    } else {
      // Two levels on the same day: the engine runs at most one step a day, so the second would silently slip.
      const other = byOffset.get(level.offsetDays);
      if (other === undefined) byOffset.set(level.offsetDays, i);
      else {
        errors.push({
          path: `${path}.offsetDays`,
          code: "duplicate_offset",
          message: `Levels ${other + 1} and ${i + 1} fall on the same day (J${signed(level.offsetDays)}).`,
        });
      }
    }

    const accepted = Object.hasOwn(TEMPLATES_BY_CHANNEL, level.channel) ? TEMPLATES_BY_CHANNEL[level.channel] : undefined;
    if (!accepted) {
      errors.push({ path: `${path}.channel`, code: "unknown_channel", message: `Unknown channel "${level.channel}".` });
    } else if (!knownTemplateKeys.includes(level.templateKey)) {
      errors.push({ path: `${path}.templateKey`, code: "unknown_template", message: `Unknown template "${level.templateKey}".` });
    } else if (!accepted.includes(level.templateKey)) {
      errors.push({
        path: `${path}.templateKey`,
        code: "template_channel",
        message: `Template "${level.templateKey}" cannot be used on a ${level.channel} level.`,
      });
    }
  });

  // The hand-off gives the file to litigation: no reminder may follow it.
  const lastOffset = Math.max(...levels.map((l) => l.offsetDays));
  levels.forEach((level, i) => {
    if (level.channel === "HANDOFF" && level.offsetDays < lastOffset) {
      errors.push({ path: `levels.${i}.channel`, code: "handoff_not_last", message: "The hand-off to litigation must be the last level." });
    }
  });

  if (opts.inOrder) {
    levels.forEach((level, i) => {
      const previous = levels[i - 1];
      if (previous && Number.isInteger(level.offsetDays) && level.offsetDays < previous.offsetDays) {
        errors.push({
          path: `levels.${i}.offsetDays`,
          code: "offset_order",
          message: `Level ${i + 1} must come after level ${i} (offsets increase).`,
        });
      }
    });
  }

  // One formal notice: a second mise en demeure before the hand-off only delays litigation and weakens the first.
  const letters = levels.map((l, i) => ({ l, i })).filter(({ l }) => l.channel === "LETTER");
  for (const { i } of letters.slice(1)) {
    errors.push({
      path: `levels.${i}.channel`,
      code: "letter_twice",
      message: "A policy has at most one formal notice (LETTER) before the hand-off.",
    });
  }
  if (opts.companyProfileComplete === false) {
    for (const { i } of letters.slice(0, 1)) {
      errors.push({
        path: `levels.${i}.channel`,
        code: "letter_needs_profile",
        message: "A formal notice needs the company profile complete (legal name, SIREN, address).",
      });
    }
  }

  if (errors.length > 0) return { ok: false, errors };
  const sorted = [...levels].sort((a, b) => a.offsetDays - b.offsetDays).map((level, position) => ({ ...level, position }));
  return { ok: true, levels: sorted };
}

const signed = (offset: number) => (offset >= 0 ? `+${offset}` : String(offset));
