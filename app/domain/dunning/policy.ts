import type { DunningChannel, DunningLevelSpec } from "./types";

/**
 * The default calendar, as French credit-management practice recommends.
 * J+45 is a LETTER level: the sender creates the "send by registered post"
 * task AND emails the same mise en demeure, so the debtor reads it at once.
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

/** Which template keys a channel accepts: an email template on a call level makes no sense. */
export const TEMPLATES_BY_CHANNEL: Record<DunningChannel, readonly string[]> = {
  EMAIL: ["courtesy_reminder", "first_reminder", "second_reminder", "penalties_notice"],
  CALL_TASK: ["call_before_due", "call_overdue"],
  LETTER: ["formal_notice"],
  HANDOFF: ["litigation_handoff"],
};

export const KNOWN_TEMPLATE_KEYS: readonly string[] = Object.values(TEMPLATES_BY_CHANNEL).flat();

export const POLICY_LIMITS = { minOffset: -90, maxOffset: 365, maxLevels: 20 } as const;

export type PolicyError = {
  path: string;
  code: "empty" | "too_many" | "duplicate_offset" | "offset_range" | "unknown_template" | "template_channel" | "not_integer";
  message: string;
};

export type PolicyValidation = { ok: true; levels: DunningLevelSpec[] } | { ok: false; errors: PolicyError[] };

/** Checks a policy and returns its levels sorted by offset with positions 0..n-1. */
export function validatePolicy(levels: readonly DunningLevelSpec[], knownTemplateKeys: readonly string[] = KNOWN_TEMPLATE_KEYS): PolicyValidation {
  const errors: PolicyError[] = [];
  if (levels.length === 0) errors.push({ path: "levels", code: "empty", message: "A policy needs at least one level." });
  if (levels.length > POLICY_LIMITS.maxLevels) {
    errors.push({ path: "levels", code: "too_many", message: `A policy has at most ${POLICY_LIMITS.maxLevels} levels.` });
  }
  const seen = new Map<number, number>();
  levels.forEach((level, i) => {
    const path = `levels.${i}`;
    if (!Number.isInteger(level.offsetDays)) {
      errors.push({ path: `${path}.offsetDays`, code: "not_integer", message: "The offset must be a whole number of days." });
      return;
    }
    if (level.offsetDays < POLICY_LIMITS.minOffset || level.offsetDays > POLICY_LIMITS.maxOffset) {
      errors.push({
        path: `${path}.offsetDays`, code: "offset_range",
        message: `The offset must be between ${POLICY_LIMITS.minOffset} and +${POLICY_LIMITS.maxOffset} days.`,
      });
    }
    const other = seen.get(level.offsetDays);
    if (other !== undefined) {
      errors.push({ path: `${path}.offsetDays`, code: "duplicate_offset", message: `Levels ${other + 1} and ${i + 1} fall on the same day (J${fmt(level.offsetDays)}).` });
    } else seen.set(level.offsetDays, i);
    if (!knownTemplateKeys.includes(level.templateKey)) {
      errors.push({ path: `${path}.templateKey`, code: "unknown_template", message: `Unknown template "${level.templateKey}".` });
    } else if (!TEMPLATES_BY_CHANNEL[level.channel]?.includes(level.templateKey)) {
      errors.push({ path: `${path}.templateKey`, code: "template_channel", message: `Template "${level.templateKey}" cannot be used on a ${level.channel} level.` });
    }
  });
  if (errors.length > 0) return { ok: false, errors };
  const sorted = [...levels].sort((a, b) => a.offsetDays - b.offsetDays).map((l, position) => ({ ...l, position }));
  return { ok: true, levels: sorted };
}

const fmt = (offset: number) => (offset >= 0 ? `+${offset}` : String(offset));
