import { DEFAULT_POLICY_LEVELS, validatePolicy } from "./policy";
import { computeRiskSegment, toneFor } from "./segment";

describe("policy validation", () => {
  it("accepts the default French calendar", () => {
    const result = validatePolicy(DEFAULT_POLICY_LEVELS);
    expect(result.ok && result.levels.map((l) => l.offsetDays)).toEqual([-8, -3, 1, 15, 16, 30, 45, 60]);
  });

  it("sorts by offset and renumbers positions", () => {
    const result = validatePolicy([
      { position: 0, offsetDays: 10, channel: "EMAIL", templateKey: "second_reminder" },
      { position: 1, offsetDays: 1, channel: "EMAIL", templateKey: "first_reminder" },
    ]);
    expect(result.ok && result.levels.map((l) => [l.position, l.offsetDays])).toEqual([[0, 1], [1, 10]]);
  });

  it("refuses an empty policy, overlapping offsets, unknown or mismatched templates", () => {
    expect(validatePolicy([])).toMatchObject({ ok: false, errors: [{ code: "empty" }] });
    const result = validatePolicy([
      { position: 0, offsetDays: 1, channel: "EMAIL", templateKey: "first_reminder" },
      { position: 1, offsetDays: 1, channel: "EMAIL", templateKey: "second_reminder" },
      { position: 2, offsetDays: 5, channel: "EMAIL", templateKey: "nope" },
      { position: 3, offsetDays: 9, channel: "CALL_TASK", templateKey: "first_reminder" },
      { position: 4, offsetDays: 900, channel: "HANDOFF", templateKey: "litigation_handoff" },
    ]);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.map((e) => [e.path, e.code])).toEqual([
        ["levels.1.offsetDays", "duplicate_offset"],
        ["levels.2.templateKey", "unknown_template"],
        ["levels.3.templateKey", "template_channel"],
        ["levels.4.offsetDays", "offset_range"],
      ]);
      expect(result.errors[0]!.message).toBe("Levels 1 and 2 fall on the same day (J+1).");
    }
  });
});

describe("risk segment and tone", () => {
  const asOf = new Date("2026-06-30T00:00:00Z");
  const inv = (due: string, paid: string | null) => ({ dueDate: new Date(due), paidAt: paid ? new Date(paid) : null });

  it("two late invoices in 12 months make a late payer", () => {
    expect(computeRiskSegment([inv("2026-01-31", "2026-02-20"), inv("2026-03-31", null), inv("2026-05-31", "2026-05-30")], asOf)).toBe("LATE_PAYER");
  });

  it("three on-time payments and none late make a good payer", () => {
    expect(computeRiskSegment([inv("2026-01-31", "2026-02-03"), inv("2026-02-28", "2026-02-27"), inv("2026-04-30", "2026-04-30")], asOf)).toBe("GOOD");
  });

  it("history older than 12 months is ignored", () => {
    expect(computeRiskSegment([inv("2025-01-31", "2025-04-01"), inv("2025-02-28", "2025-05-01")], asOf)).toBe("STANDARD");
  });

  it("the segment shifts the level's tone by one step", () => {
    expect(toneFor("GOOD", "STANDARD")).toBe("CORDIAL");
    expect(toneFor("LATE_PAYER", "STANDARD")).toBe("FIRM");
    expect(toneFor("LATE_PAYER", "FIRM")).toBe("FIRM");
    expect(toneFor("STANDARD", null)).toBe("STANDARD");
  });
});
