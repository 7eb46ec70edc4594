import {
  computeLateCharges,
  interestAmount,
  InvalidContractualRateError,
  validateContractualRate,
  type LateChargesInput,
  type LateChargesSettings,
} from "./late-charges";
import { MissingRateError } from "./rates";

const d = (day: string) => new Date(`${day}T00:00:00Z`);

function invoice(overrides: Partial<LateChargesInput> = {}): LateChargesInput {
  return { debtorKind: "BUSINESS", currency: "EUR", dueDate: d("2025-05-15"), amount: 1_000_000, payments: [], ...overrides };
}

const FR: LateChargesSettings = { jurisdiction: "FR" };

/** Compact view of the periods for assertions. */
const periods = (result: ReturnType<typeof computeLateCharges>) =>
  result.interest.periods.map((p) => ({
    from: p.from.toISOString().slice(0, 10),
    to: p.to.toISOString().slice(0, 10),
    days: p.days,
    principal: p.principal,
    rateBps: p.rateBps,
    amount: p.amount,
  }));

describe("interest arithmetic", () => {
  it("L441-10: principal × rate × days / 365, rounded half-up to the cent", () => {
    // 1 825 cents × 10.00 % × 1 day / 365 = 0.5 cent → 1 cent; 1 824 cents → 0.4997 → 0.
    expect(interestAmount(1_825, 1000, 1)).toBe(1);
    expect(interestAmount(1_824, 1000, 1)).toBe(0);
    expect(interestAmount(0, 1215, 30)).toBe(0);
    // Exact for amounts whose product exceeds 2^53: 1e12 cents × 15 % × 3650 days / 365 = 1.5e12.
    expect(interestAmount(1_000_000_000_000, 1500, 3650)).toBe(1_500_000_000_000);
  });
});

describe("B2B, France (C. com. L441-10)", () => {
  it("L441-10 II: runs from the day after the due date, split at the semester change (13.15 % then 12.15 %), plus the €40 of D441-5", () => {
    // 10 000,00 € due 2025-05-15, asOf 2025-08-20, no reminder needed.
    // H1 2025: 16 May → 30 Jun = 46 days at 3.15 + 10 = 13.15 %:
    //   1 000 000 × 1315 × 46 / 3 650 000 = 16 572.60 → 16 573 cents (165,73 €)
    // H2 2025: 1 Jul → 20 Aug = 51 days at 2.15 + 10 = 12.15 %:
    //   1 000 000 × 1215 × 51 / 3 650 000 = 16 976.71 → 16 977 cents (169,77 €)
    // Interest 335,50 € + indemnity 40,00 € = 375,50 €.
    const result = computeLateCharges(invoice(), d("2025-08-20"), FR);
    expect(periods(result)).toEqual([
      { from: "2025-05-16", to: "2025-06-30", days: 46, principal: 1_000_000, rateBps: 1315, amount: 16_573 },
      { from: "2025-07-01", to: "2025-08-20", days: 51, principal: 1_000_000, rateBps: 1215, amount: 16_977 },
    ]);
    expect(result.interest.periods.every((p) => p.basis === "L441-10" && !p.estimated)).toBe(true);
    expect(result.interest.total).toBe(33_550);
    expect(result.indemnity).toEqual({ amount: 4000, currency: "EUR", basis: "C. com. L441-10 II, D441-5", waived: false });
    expect(result.total).toBe(37_550);
    expect(result).toMatchObject({ late: true, estimated: false, currency: "EUR", warnings: [] });
  });

  it("L441-10 II: a partial payment lowers the principal from the next day; the €40 stays owed in full", () => {
    // 10 000,00 € due 2025-03-31; 4 000,00 € paid 2025-04-30; asOf 2025-05-31; 13.15 % all along (H1 2025).
    // 1 Apr → 30 Apr (payment day counted at the old principal) = 30 days on 1 000 000:
    //   1 000 000 × 1315 × 30 / 3 650 000 = 10 808.22 → 10 808
    // 1 May → 31 May = 31 days on 600 000:
    //   600 000 × 1315 × 31 / 3 650 000 = 6 701.10 → 6 701
    // Interest 175,09 € + 40,00 € = 215,09 €.
    const result = computeLateCharges(
      invoice({ dueDate: d("2025-03-31"), payments: [{ date: d("2025-04-30"), amount: 400_000 }] }),
      d("2025-05-31"),
      FR,
    );
    expect(periods(result)).toEqual([
      { from: "2025-04-01", to: "2025-04-30", days: 30, principal: 1_000_000, rateBps: 1315, amount: 10_808 },
      { from: "2025-05-01", to: "2025-05-31", days: 31, principal: 600_000, rateBps: 1315, amount: 6_701 },
    ]);
    expect(result.interest.total).toBe(17_509);
    expect(result.indemnity?.amount).toBe(4000);
    expect(result.total).toBe(21_509);
  });

  it("L441-10 II: a payment on the due date is on time and lowers the principal that runs late", () => {
    // 2 500,00 € of 10 000,00 € paid on the due date 2025-03-31; asOf 2025-04-10.
    // 1 Apr → 10 Apr = 10 days: 750 000 × 1315 × 10 / 3 650 000 = 2 702.05 → 2 702
    const result = computeLateCharges(
      invoice({ dueDate: d("2025-03-31"), payments: [{ date: d("2025-03-31"), amount: 250_000 }] }),
      d("2025-04-10"),
      FR,
    );
    expect(periods(result)).toEqual([{ from: "2025-04-01", to: "2025-04-10", days: 10, principal: 750_000, rateBps: 1315, amount: 2_702 }]);
    expect(result.total).toBe(2_702 + 4000);
  });

  it("L441-10 II, D441-5: an invoice fully paid late still owes the €40 and the interest up to the payment day", () => {
    // 1 200,00 € due 2025-06-30, paid in full 2025-07-10, asOf 2025-09-01.
    // 1 Jul → 10 Jul = 10 days at 12.15 %: 120 000 × 1215 × 10 / 3 650 000 = 399.45 → 399
    // Interest 3,99 € + 40,00 € = 43,99 €.
    const result = computeLateCharges(
      invoice({ dueDate: d("2025-06-30"), amount: 120_000, payments: [{ date: d("2025-07-10"), amount: 120_000 }] }),
      d("2025-09-01"),
      FR,
    );
    expect(periods(result)).toEqual([{ from: "2025-07-01", to: "2025-07-10", days: 10, principal: 120_000, rateBps: 1215, amount: 399 }]);
    expect(result.indemnity?.amount).toBe(4000);
    expect(result.total).toBe(4_399);
  });

  it("L441-10 II: paid in full on the due date → not late, nothing owed", () => {
    const result = computeLateCharges(invoice({ payments: [{ date: d("2025-05-15"), amount: 1_000_000 }] }), d("2025-08-20"), FR);
    expect(result).toMatchObject({ late: false, total: 0, indemnity: null, interest: { total: 0, periods: [] } });
  });

  it("L441-10 II: nothing before or on the due date; payments after asOf are ignored", () => {
    expect(computeLateCharges(invoice(), d("2025-05-15"), FR)).toMatchObject({ late: false, total: 0 });
    const result = computeLateCharges(invoice({ payments: [{ date: d("2025-06-01"), amount: 1_000_000 }] }), d("2025-05-20"), FR);
    // 16 → 20 May = 5 days: 1 000 000 × 1315 × 5 / 3 650 000 = 1 801.37 → 1 801
    expect(result.interest.total).toBe(1_801);
  });

  it("L441-10 II: 365-day divisor even in a leap year (29 February counts as a day at 1/365 of the rate)", () => {
    // Due 2024-02-28, asOf 2024-03-01: 29 Feb + 1 Mar = 2 days at 4.50 + 10 = 14.50 %:
    //   1 000 000 × 1450 × 2 / 3 650 000 = 794.52 → 795
    expect(computeLateCharges(invoice({ dueDate: d("2024-02-28") }), d("2024-03-01"), FR).interest.total).toBe(795);
    // Due 2023-12-31, asOf 2024-12-31: 366 days.
    // H1 2024: 182 days at 14.50 %: 1 000 000 × 1450 × 182 / 3 650 000 = 72 301.37 → 72 301
    // H2 2024: 184 days at 14.25 %: 1 000 000 × 1425 × 184 / 3 650 000 = 71 835.62 → 71 836
    const year = computeLateCharges(invoice({ dueDate: d("2023-12-31") }), d("2024-12-31"), FR);
    expect(periods(year).map((p) => [p.days, p.rateBps, p.amount])).toEqual([
      [182, 1450, 72_301],
      [184, 1425, 71_836],
    ]);
    expect(year.interest.total).toBe(144_137);
  });

  it("L441-10 II: a contractual rate replaces ECB + 10 points", () => {
    // 15.00 % over the same 46 + 51 days as the first example:
    //   1 000 000 × 1500 × 46 / 3 650 000 = 18 904.11 → 18 904
    //   1 000 000 × 1500 × 51 / 3 650 000 = 20 958.90 → 20 959
    const result = computeLateCharges(invoice(), d("2025-08-20"), { jurisdiction: "FR", contractualRateBps: 1500 });
    expect(periods(result).map((p) => [p.rateBps, p.amount])).toEqual([
      [1500, 18_904],
      [1500, 20_959],
    ]);
    expect(result.interest.total).toBe(39_863);
  });

  it("L441-10 II: a contractual rate below 3 × the legal interest rate is rejected", () => {
    // H1 2025: 3 × 3.71 % = 11.13 %. H1 2026: 3 × 2.62 % = 7.86 %.
    const rejected = validateContractualRate(1000, d("2025-03-01"));
    expect(rejected).toMatchObject({ ok: false, semester: "2025-H1", floorBps: 1113 });
    expect(!rejected.ok && rejected.message).toBe(
      "Contractual late rate 10.00 % is below the legal minimum for 2025-H1: 3 × the legal interest rate 3.71 % = 11.13 % (C. com. L441-10 II).",
    );
    expect(validateContractualRate(1113, d("2025-03-01"))).toMatchObject({ ok: true, floorBps: 1113 });
    expect(validateContractualRate(786, d("2026-01-01"))).toMatchObject({ ok: true, floorBps: 786 });
    expect(validateContractualRate(785, d("2026-01-01")).ok).toBe(false);
  });

  it("L441-10 II: computeLateCharges throws a typed error for a contractual rate below the floor of any semester charged", () => {
    // 10.00 % clears H2 2025 (3 × 2.76 = 8.28 %) but not H1 2025 (3 × 3.71 = 11.13 %): due 2025-06-15 runs through June.
    const run = () =>
      computeLateCharges(invoice({ dueDate: d("2025-06-15") }), d("2025-07-15"), { jurisdiction: "FR", contractualRateBps: 1000 });
    expect(run).toThrow(InvalidContractualRateError);
    expect(run).toThrow(/2025-H1/);
    const error = (() => {
      try {
        run();
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toMatchObject({ code: "CONTRACTUAL_RATE_BELOW_FLOOR", rateBps: 1000, floorBps: 1113, semester: "2025-H1" });
    expect(() =>
      computeLateCharges(invoice({ dueDate: d("2025-07-15") }), d("2025-08-15"), { jurisdiction: "FR", contractualRateBps: 1000 }),
    ).not.toThrow();
  });

  it("D441-5: the €40 is fixed in euros — omitted with a warning on a non-EUR invoice, interest still computed", () => {
    const result = computeLateCharges(invoice({ currency: "USD" }), d("2025-08-20"), FR);
    expect(result.indemnity).toBeNull();
    expect(result.interest.total).toBe(33_550);
    expect(result.total).toBe(33_550);
    expect(result.warnings).toEqual([expect.stringMatching(/not added to a USD invoice/)]);
  });

  it("L441-10: waived items are still shown, flagged, and left out of the total", () => {
    const indemnityWaived = computeLateCharges(invoice(), d("2025-08-20"), { jurisdiction: "FR", indemnityWaived: true });
    expect(indemnityWaived.indemnity).toMatchObject({ amount: 4000, waived: true });
    expect(indemnityWaived.total).toBe(33_550);
    const both = computeLateCharges(invoice(), d("2025-08-20"), { jurisdiction: "FR", indemnityWaived: true, interestWaived: true });
    expect(both.interest).toMatchObject({ total: 33_550, waived: true });
    expect(both.total).toBe(0);
  });

  it("L441-10 II: a semester past the rate table uses the latest known ECB rate, flagged estimated (or throws on request)", () => {
    // Due 2026-06-20, asOf 2026-07-10. 21 → 30 Jun = 10 days at 2.15 + 10 = 12.15 %: 3 328.77 → 3 329.
    // 1 → 10 Jul 2026 has no ECB value yet: 2026-H1's 2.15 % stands in → 3 329, estimated.
    const input = invoice({ dueDate: d("2026-06-20") });
    const result = computeLateCharges(input, d("2026-07-10"), FR);
    expect(result.interest.periods.map((p) => [p.amount, p.estimated])).toEqual([
      [3_329, false],
      [3_329, true],
    ]);
    expect(result.estimated).toBe(true);
    expect(result.warnings).toEqual([expect.stringMatching(/No rate recorded yet for 2026-H2.*latest known value \(2026-H1, 2\.15 %\)/)]);
    expect(() => computeLateCharges(input, d("2026-07-10"), { jurisdiction: "FR", onMissingRate: "throw" })).toThrow(MissingRateError);

    // A contractual 10.00 % is not an estimate; only its floor check for 2026-H2 borrows 2026-H1's 3 × 2.62 % = 7.86 %.
    // 10 days: 1 000 000 × 1000 × 10 / 3 650 000 = 2 739.73 → 2 740, twice.
    const contractual = computeLateCharges(input, d("2026-07-10"), { jurisdiction: "FR", contractualRateBps: 1000 });
    expect(contractual.interest.periods.map((p) => [p.amount, p.estimated])).toEqual([
      [2_740, false],
      [2_740, false],
    ]);
    expect(contractual.warnings).toEqual([expect.stringMatching(/checked against the latest known one \(2026-H1, floor 7\.86 %\)/)]);
  });

  it("rejects amounts that are not whole minor units", () => {
    expect(() => computeLateCharges(invoice({ amount: 100.5 }), d("2025-08-20"), FR)).toThrow(RangeError);
    expect(() => computeLateCharges(invoice({ payments: [{ date: d("2025-06-01"), amount: -5 }] }), d("2025-08-20"), FR)).toThrow(
      RangeError,
    );
  });
});

describe("consumer debtor (Code civil 1231-6, 1344-1; C. consom. / CPCE L111-8)", () => {
  it("C. civ. 1231-6 / 1344-1: no formal notice → no interest at all; CPCE L111-8 → never the €40", () => {
    const result = computeLateCharges(invoice({ debtorKind: "CONSUMER" }), d("2025-08-20"), FR);
    expect(result).toMatchObject({ late: true, total: 0, indemnity: null, interest: { total: 0, periods: [] } });
    expect(result.warnings).toEqual([expect.stringMatching(/formal notice \(mise en demeure\)/)]);
  });

  it("C. civ. 1231-6: legal rate (professional creditor) from the day after the mise en demeure, never the commercial rate", () => {
    // 1 000,00 € due 2025-05-15; mise en demeure 2025-06-20; asOf 2025-07-20.
    // 21 Jun → 30 Jun = 10 days at 3.71 % (H1 2025): 100 000 × 371 × 10 / 3 650 000 = 101.64 → 102
    // 1 Jul → 20 Jul = 20 days at 2.76 % (H2 2025): 100 000 × 276 × 20 / 3 650 000 = 151.23 → 151
    // Interest 2,53 €; no €40.
    const result = computeLateCharges(
      invoice({ debtorKind: "CONSUMER", amount: 100_000, formalNoticeAt: d("2025-06-20") }),
      d("2025-07-20"),
      { jurisdiction: "FR", contractualRateBps: 1500 },
    );
    expect(periods(result)).toEqual([
      { from: "2025-06-21", to: "2025-06-30", days: 10, principal: 100_000, rateBps: 371, amount: 102 },
      { from: "2025-07-01", to: "2025-07-20", days: 20, principal: 100_000, rateBps: 276, amount: 151 },
    ]);
    expect(result.interest.periods.every((p) => p.basis === "legal-rate")).toBe(true);
    expect(result.indemnity).toBeNull();
    expect(result.total).toBe(253);
    expect(result.warnings).toEqual([expect.stringMatching(/contractual late rate is ignored/)]);
  });

  it("C. civ. 1344-1: a notice sent before the due date only takes effect from the due date", () => {
    // Notice 2025-05-01, due 2025-05-15, asOf 2025-05-25: 16 → 25 May = 10 days at 3.71 %:
    //   100 000 × 371 × 10 / 3 650 000 = 101.64 → 102
    const result = computeLateCharges(
      invoice({ debtorKind: "CONSUMER", amount: 100_000, formalNoticeAt: d("2025-05-01") }),
      d("2025-05-25"),
      FR,
    );
    expect(periods(result)).toEqual([{ from: "2025-05-16", to: "2025-05-25", days: 10, principal: 100_000, rateBps: 371, amount: 102 }]);
  });
});

describe("EU jurisdiction (Directive 2011/7/EU)", () => {
  it("Directive 2011/7/EU art. 2(6), art. 6: reference rate + 8 points and €40, B2B", () => {
    // Same invoice as the first French example.
    // H1 2025: 3.15 + 8 = 11.15 %, 46 days: 1 000 000 × 1115 × 46 / 3 650 000 = 14 052.05 → 14 052
    // H2 2025: 2.15 + 8 = 10.15 %, 51 days: 1 000 000 × 1015 × 51 / 3 650 000 = 14 182.19 → 14 182
    // Interest 282,34 € + 40,00 € = 322,34 €.
    const result = computeLateCharges(invoice(), d("2025-08-20"), { jurisdiction: "EU" });
    expect(periods(result).map((p) => [p.days, p.rateBps, p.amount])).toEqual([
      [46, 1115, 14_052],
      [51, 1015, 14_182],
    ]);
    expect(result.interest.periods.every((p) => p.basis === "directive-2011/7")).toBe(true);
    expect(result.indemnity).toMatchObject({ amount: 4000, basis: "Directive 2011/7/EU art. 6" });
    expect(result.total).toBe(32_234);
  });

  it("Directive 2011/7/EU art. 7: a contractual rate below the statutory one is used but warned about", () => {
    const result = computeLateCharges(invoice({ dueDate: d("2025-07-15") }), d("2025-07-25"), {
      jurisdiction: "EU",
      contractualRateBps: 500,
    });
    expect(result.interest.periods.map((p) => p.rateBps)).toEqual([500]);
    expect(result.warnings).toEqual([expect.stringMatching(/grossly unfair/)]);
  });

  it("Directive 2011/7/EU art. 1: consumers are out of scope — no interest, no €40", () => {
    const result = computeLateCharges(invoice({ debtorKind: "CONSUMER", formalNoticeAt: d("2025-06-01") }), d("2025-08-20"), {
      jurisdiction: "EU",
    });
    expect(result).toMatchObject({ total: 0, indemnity: null, interest: { total: 0 } });
    expect(result.warnings).toEqual([expect.stringMatching(/commercial transactions only/)]);
  });
});
