import { DEFAULT_POLICY_LEVELS, KNOWN_TEMPLATE_KEYS, POLICY_LIMITS, validatePolicy } from "./policy";
import type { DunningLevelSpec } from "./types";

const level = (offsetDays: number, channel: DunningLevelSpec["channel"], templateKey: string): DunningLevelSpec => ({
  position: 0,
  offsetDays,
  channel,
  templateKey,
});

const codes = (levels: DunningLevelSpec[], known?: readonly string[]) => {
  const result = validatePolicy(levels, known);
  return result.ok ? [] : result.errors.map((e) => [e.path, e.code]);
};

describe("the default policy", () => {
  it("is the French calendar J-8 … J+60 and is valid", () => {
    const result = validatePolicy(DEFAULT_POLICY_LEVELS, KNOWN_TEMPLATE_KEYS);
    expect(result.ok && result.levels.map((l) => `${l.offsetDays}:${l.channel}:${l.templateKey}`)).toEqual([
      "-8:EMAIL:courtesy_reminder",
      "-3:CALL_TASK:call_before_due",
      "1:EMAIL:first_reminder",
      "15:EMAIL:second_reminder",
      "16:CALL_TASK:call_overdue",
      "30:EMAIL:penalties_notice",
      "45:LETTER:formal_notice",
      "60:HANDOFF:litigation_handoff",
    ]);
  });
});

describe("validatePolicy", () => {
  it("sorts by offset and renumbers positions 0..n-1", () => {
    const result = validatePolicy([
      { position: 5, offsetDays: 10, channel: "EMAIL", templateKey: "second_reminder", tone: "FIRM" },
      { position: 5, offsetDays: 1, channel: "EMAIL", templateKey: "first_reminder" },
    ]);
    expect(result.ok && result.levels).toEqual([
      { position: 0, offsetDays: 1, channel: "EMAIL", templateKey: "first_reminder" },
      { position: 1, offsetDays: 10, channel: "EMAIL", templateKey: "second_reminder", tone: "FIRM" },
    ]);
  });

  it("refuses an empty policy and more than 20 levels", () => {
    expect(codes([])).toEqual([["levels", "empty"]]);
    const many = Array.from({ length: POLICY_LIMITS.maxLevels + 1 }, (_, i) => level(i, "EMAIL", "first_reminder"));
    expect(codes(many)).toEqual([["levels", "too_many"]]);
    expect(codes(many.slice(0, POLICY_LIMITS.maxLevels))).toEqual([]);
  });

  it("refuses two levels on the same day, with a plain-English message", () => {
    const result = validatePolicy([level(1, "EMAIL", "first_reminder"), level(1, "CALL_TASK", "call_overdue")]);
    expect(result).toEqual({
      ok: false,
      errors: [{ path: "levels.1.offsetDays", code: "duplicate_offset", message: "Levels 1 and 2 fall on the same day (J+1)." }],
    });
  });

  it("refuses offsets outside -90 … +365 days and fractional ones", () => {
    expect(
      codes([level(-91, "EMAIL", "courtesy_reminder"), level(366, "EMAIL", "first_reminder"), level(1.5, "EMAIL", "second_reminder")]),
    ).toEqual([
      ["levels.0.offsetDays", "offset_range"],
      ["levels.1.offsetDays", "offset_range"],
      ["levels.2.offsetDays", "not_integer"],
    ]);
    expect(codes([level(-90, "EMAIL", "courtesy_reminder"), level(365, "HANDOFF", "litigation_handoff")])).toEqual([]);
  });

  it("refuses unknown templates and channels, and templates on another channel's level", () => {
    expect(
      codes([
        level(1, "EMAIL", "nope"),
        level(2, "CALL_TASK", "first_reminder"),
        level(3, "EMAIL", "formal_notice"),
        level(4, "FAX" as DunningLevelSpec["channel"], "first_reminder"),
      ]),
    ).toEqual([
      ["levels.0.templateKey", "unknown_template"],
      ["levels.1.templateKey", "template_channel"],
      ["levels.2.templateKey", "template_channel"],
      ["levels.3.channel", "unknown_channel"],
    ]);
  });

  it("only accepts the template keys the caller knows", () => {
    expect(codes([level(1, "EMAIL", "first_reminder")], ["second_reminder"])).toEqual([["levels.0.templateKey", "unknown_template"]]);
  });

  it("refuses a level after the hand-off to litigation", () => {
    expect(codes([level(60, "HANDOFF", "litigation_handoff"), level(75, "EMAIL", "second_reminder")])).toEqual([
      ["levels.0.channel", "handoff_not_last"],
    ]);
  });

  it("reports every problem at once", () => {
    expect(codes([level(1, "EMAIL", "nope"), level(1, "EMAIL", "first_reminder"), level(400, "EMAIL", "second_reminder")])).toHaveLength(3);
  });
});

describe("validatePolicy for the editor", () => {
  const check = (levels: DunningLevelSpec[], opts: Parameters<typeof validatePolicy>[2]) => {
    const result = validatePolicy(levels, KNOWN_TEMPLATE_KEYS, opts);
    return result.ok ? [] : result.errors.map((e) => [e.path, e.code]);
  };

  it("wants the rows in calendar order when asked (the sorted form is the default)", () => {
    const rows = [level(15, "EMAIL", "second_reminder"), level(1, "EMAIL", "first_reminder")];
    expect(check(rows, { inOrder: true })).toEqual([["levels.1.offsetDays", "offset_order"]]);
    expect(check(rows, {})).toEqual([]);
  });

  it("allows one formal notice only", () => {
    const rows = [level(30, "LETTER", "formal_notice"), level(45, "LETTER", "formal_notice"), level(60, "HANDOFF", "litigation_handoff")];
    expect(check(rows, { inOrder: true })).toEqual([["levels.1.channel", "letter_twice"]]);
  });

  it("refuses a formal notice while the company profile is incomplete", () => {
    const rows = [level(1, "EMAIL", "first_reminder"), level(45, "LETTER", "formal_notice")];
    expect(check(rows, { companyProfileComplete: false })).toEqual([["levels.1.channel", "letter_needs_profile"]]);
    expect(check(rows, { companyProfileComplete: true })).toEqual([]);
    expect(check([level(1, "EMAIL", "first_reminder")], { companyProfileComplete: false })).toEqual([]);
  });
});
