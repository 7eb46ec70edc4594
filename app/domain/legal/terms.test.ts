import { checkPaymentTerms } from "./terms";

const d = (day: string) => new Date(`${day}T00:00:00Z`);
const iso = (date: Date) => date.toISOString().slice(0, 10);

describe("payment terms (C. com. L441-10 I)", () => {
  it("L441-10 I: computes the 60-day and both 45-days-end-of-month ceilings", () => {
    // Issued 15 Jan 2025:
    //   60 days            → 15 Jan + 60 = 16 Mar 2025
    //   +45 days, then EOM → 1 Mar → 31 Mar 2025 (usual practice)
    //   EOM, then +45 days → 31 Jan + 45 = 17 Mar 2025
    const check = checkPaymentTerms(d("2025-01-15"), d("2025-03-16"));
    expect(Object.fromEntries(Object.entries(check.ceilings).map(([k, v]) => [k, iso(v)]))).toEqual({
      "60_DAYS": "2025-03-16",
      END_OF_MONTH_AFTER_45_DAYS: "2025-03-31",
      "45_DAYS_AFTER_END_OF_MONTH": "2025-03-17",
    });
    expect(iso(check.latestAllowed)).toBe("2025-03-31");
    expect(check).toMatchObject({ ok: true, termDays: 60, flags: [] });
    expect(check.satisfiedBy).toEqual(["60_DAYS", "END_OF_MONTH_AFTER_45_DAYS", "45_DAYS_AFTER_END_OF_MONTH"]);
  });

  it("L441-10 I: beyond 60 days but within 45 days end of month is lawful only with an express clause", () => {
    const check = checkPaymentTerms(d("2025-01-15"), d("2025-03-31"));
    expect(check.ok).toBe(true);
    expect(check.satisfiedBy).toEqual(["END_OF_MONTH_AFTER_45_DAYS"]);
    expect(check.flags.map((f) => f.code)).toEqual(["NEEDS_EXPRESS_45_DAYS_EOM_CLAUSE"]);
  });

  it("L441-10 I: a due date beyond both ceilings is flagged", () => {
    const check = checkPaymentTerms(d("2025-01-15"), d("2025-04-01"));
    expect(check.ok).toBe(false);
    expect(check.satisfiedBy).toEqual([]);
    expect(check.flags).toEqual([
      {
        code: "EXCEEDS_LEGAL_MAXIMUM",
        message:
          "Payment term of 76 days exceeds both legal ceilings: 60 days from issue and 45 days end of month (latest allowed 2025-03-31), C. com. L441-10 I.",
      },
    ]);
  });

  it("L441-10 I: an end-of-month issue date — 60 days is the later ceiling", () => {
    // Issued 31 Jan 2025: 60 days → 1 Apr; +45 → 17 Mar → EOM 31 Mar; EOM 31 Jan + 45 → 17 Mar.
    const check = checkPaymentTerms(d("2025-01-31"), d("2025-04-01"));
    expect(iso(check.latestAllowed)).toBe("2025-04-01");
    expect(check.satisfiedBy).toEqual(["60_DAYS"]);
    expect(checkPaymentTerms(d("2025-01-31"), d("2025-04-02")).ok).toBe(false);
  });

  it("L441-10 I: a due date before the issue date is flagged", () => {
    const check = checkPaymentTerms(d("2025-01-15"), d("2025-01-10"));
    expect(check.ok).toBe(false);
    expect(check.flags.map((f) => f.code)).toEqual(["DUE_BEFORE_ISSUE"]);
  });
});
