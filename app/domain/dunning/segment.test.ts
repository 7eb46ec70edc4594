import { computeRiskSegment, toneFor } from "./segment";

const asOf = new Date("2026-06-30T12:00:00Z");
const inv = (due: string, paid: string | null) => ({
  dueDate: new Date(`${due}T00:00:00Z`),
  paidAt: paid ? new Date(`${paid}T10:00:00Z`) : null,
});

describe("computeRiskSegment", () => {
  it("two late invoices in 12 months make a late payer (paid late, or still unpaid)", () => {
    expect(computeRiskSegment([inv("2026-01-31", "2026-02-20"), inv("2026-03-31", null), inv("2026-05-31", "2026-05-30")], asOf)).toBe(
      "LATE_PAYER",
    );
  });

  it("five days late is tolerated, six is late", () => {
    const onTime = [inv("2026-01-31", "2026-02-05"), inv("2026-02-28", "2026-03-05"), inv("2026-04-30", "2026-05-05")];
    expect(computeRiskSegment(onTime, asOf)).toBe("GOOD");
    expect(computeRiskSegment([inv("2026-01-31", "2026-02-06"), inv("2026-02-28", "2026-03-06")], asOf)).toBe("LATE_PAYER");
  });

  it("three on-time payments and none late make a good payer; one late keeps it standard", () => {
    const onTime = [inv("2026-01-31", "2026-02-03"), inv("2026-02-28", "2026-02-27"), inv("2026-04-30", "2026-04-30")];
    expect(computeRiskSegment(onTime, asOf)).toBe("GOOD");
    expect(computeRiskSegment([...onTime, inv("2026-05-31", "2026-06-20")], asOf)).toBe("STANDARD");
  });

  it("too little history is standard; an unpaid invoice not yet 5 days late is not judged", () => {
    expect(computeRiskSegment([], asOf)).toBe("STANDARD");
    expect(computeRiskSegment([inv("2026-01-31", "2026-02-01"), inv("2026-02-28", "2026-02-28"), inv("2026-06-27", null)], asOf)).toBe(
      "STANDARD",
    );
  });

  it("ignores invoices due more than 12 months ago or not yet due", () => {
    expect(computeRiskSegment([inv("2025-05-31", "2025-09-01"), inv("2025-06-29", "2025-09-01")], asOf)).toBe("STANDARD");
    expect(computeRiskSegment([inv("2025-06-30", null), inv("2025-07-31", null)], asOf)).toBe("LATE_PAYER");
    expect(computeRiskSegment([inv("2026-07-31", null), inv("2026-08-31", null)], asOf)).toBe("STANDARD");
  });

  it("judges as of the given date: a payment made later counts as unpaid then", () => {
    const history = [inv("2026-05-01", "2026-07-15"), inv("2026-05-15", "2026-07-15")];
    expect(computeRiskSegment(history, asOf)).toBe("LATE_PAYER");
  });
});

describe("toneFor", () => {
  it("the segment shifts the level's base tone by one step, clamped", () => {
    expect(toneFor("GOOD", "STANDARD")).toBe("CORDIAL");
    expect(toneFor("GOOD", "CORDIAL")).toBe("CORDIAL");
    expect(toneFor("GOOD", "FIRM")).toBe("STANDARD");
    expect(toneFor("LATE_PAYER", "CORDIAL")).toBe("STANDARD");
    expect(toneFor("LATE_PAYER", "STANDARD")).toBe("FIRM");
    expect(toneFor("LATE_PAYER", "FIRM")).toBe("FIRM");
    expect(toneFor("STANDARD", "FIRM")).toBe("FIRM");
  });

  it("a level without a tone counts as STANDARD", () => {
    expect(toneFor("STANDARD", null)).toBe("STANDARD");
    expect(toneFor("GOOD", undefined)).toBe("CORDIAL");
  });
});
