import {
  ECB_MRO_RATES,
  FR_LEGAL_RATES,
  MissingRateError,
  hasRate,
  legalRateFor,
  ecbMainRefinancingRate,
  latestKnown,
  legalInterestRate,
  rateFor,
  rateOrLatestKnown,
  semesterEnd,
  semesterOf,
  semesterStart,
  type RateEntry,
} from "./rates";

const d = (day: string) => new Date(`${day}T00:00:00Z`);

describe("semesters", () => {
  it("L441-10 II: January–June is H1, July–December is H2 (UTC calendar day)", () => {
    expect(semesterOf(d("2025-01-01"))).toBe("2025-H1");
    expect(semesterOf(new Date("2025-06-30T23:59:59Z"))).toBe("2025-H1");
    expect(semesterOf(d("2025-07-01"))).toBe("2025-H2");
    expect(semesterOf(d("2025-12-31"))).toBe("2025-H2");
    expect(semesterStart("2025-H2")).toEqual(d("2025-07-01"));
    expect(semesterEnd("2025-H1")).toEqual(d("2025-06-30"));
    expect(semesterEnd("2024-H2")).toEqual(d("2024-12-31"));
  });
});

describe("rate tables", () => {
  const contiguous = (rows: readonly RateEntry[]) =>
    rows.every((row, i) => {
      const next = rows[i + 1];
      return !next || semesterOf(new Date(semesterEnd(row.semester).getTime() + 86_400_000)) === next.semester;
    });

  it("every value is an integer rate in basis points with its official source, semesters in order without gaps", () => {
    for (const rows of [ECB_MRO_RATES, FR_LEGAL_RATES]) {
      expect(rows[0]?.semester).toBe("2023-H1");
      expect(contiguous(rows)).toBe(true);
      for (const row of rows) {
        expect(Number.isInteger(row.bps) && row.bps > 0).toBe(true);
        expect(row.source.length).toBeGreaterThan(10);
      }
    }
  });

  it("L441-10 II: ECB rate in force on 1 January / 1 July, as in ARCHITECTURE §9", () => {
    // 4.50 % on 1 Jan 2024, 4.25 % on 1 Jul 2024, 3.15 % on 1 Jan 2025, 2.15 % on 1 Jul 2025.
    expect(ecbMainRefinancingRate(d("2024-03-01")).bps).toBe(450);
    expect(ecbMainRefinancingRate(d("2024-09-01")).bps).toBe(425);
    expect(ecbMainRefinancingRate(d("2025-03-01")).bps).toBe(315);
    expect(ecbMainRefinancingRate(d("2025-09-01")).bps).toBe(215);
    expect(ecbMainRefinancingRate(d("2023-01-01")).bps).toBe(250);
    expect(ecbMainRefinancingRate(d("2023-07-01")).bps).toBe(400);
    // So the L441-10 default rates: 14.25 % (H2 2024), 13.15 % (H1 2025), 12.15 % (H2 2025).
    expect(ecbMainRefinancingRate(d("2024-12-31")).bps + 1000).toBe(1425);
    expect(ecbMainRefinancingRate(d("2025-06-30")).bps + 1000).toBe(1315);
    expect(ecbMainRefinancingRate(d("2025-07-01")).bps + 1000).toBe(1215);
  });

  it("C. monét. fin. L313-2: legal interest rate for a professional creditor per semester", () => {
    const expected = { "2023-H1": 206, "2023-H2": 422, "2024-H1": 507, "2024-H2": 492, "2025-H1": 371, "2025-H2": 276, "2026-H1": 262 };
    expect(Object.fromEntries(FR_LEGAL_RATES.map((r) => [r.semester, r.bps]))).toEqual(expected);
    expect(legalInterestRate(d("2026-03-01"))).toMatchObject({ bps: 262, estimated: false, verified: true });
  });

  it("a semester with no recorded value raises MissingRateError rather than guessing", () => {
    expect(() => rateFor("ECB_MRO", d("2026-07-01"))).toThrow(MissingRateError);
    expect(() => legalInterestRate(d("2026-08-15"))).toThrow(/No French legal interest rate .* recorded for 2026-H2/);
    expect(() => rateOrLatestKnown("ECB_MRO", d("2022-12-31"))).toThrow(MissingRateError);
  });

  it("latestKnown stands in for a future semester, flagged estimated so callers can show it", () => {
    expect(rateOrLatestKnown("ECB_MRO", d("2026-07-01"))).toMatchObject({
      semester: "2026-H2",
      valueFrom: "2026-H1",
      bps: 215,
      estimated: true,
    });
    expect(rateOrLatestKnown("ECB_MRO", d("2026-01-01"))).toMatchObject({ semester: "2026-H1", estimated: false });
    expect(latestKnown("FR_LEGAL_PROFESSIONAL")).toMatchObject({ valueFrom: "2026-H1", bps: 262, estimated: true });
  });
});

describe("stored semester rates (RateBook) over the code tables", () => {
  it("a stored value extends the table (no longer estimated) and replaces a code value for its semester; the past stays the code's otherwise", () => {
    const book = {
      ECB_MRO: [{ semester: "2026-H2" as const, bps: 200, source: "ECB Data Portal FM.B.U2.EUR.4F.KR.MRR_FR.LEV", verified: true }],
    };
    expect(rateOrLatestKnown("ECB_MRO", d("2026-12-01"))).toMatchObject({ bps: 215, estimated: true });
    expect(rateOrLatestKnown("ECB_MRO", d("2026-12-01"), book)).toMatchObject({ semester: "2026-H2", bps: 200, estimated: false });
    expect(hasRate("ECB_MRO", d("2026-12-01"))).toBe(false);
    expect(hasRate("ECB_MRO", d("2026-12-01"), book)).toBe(true);
    expect(rateFor("ECB_MRO", d("2025-03-01"), book).bps).toBe(315);
    expect(
      legalRateFor(d("2026-12-01"), { FR_LEGAL_PROFESSIONAL: [{ semester: "2026-H2", bps: 250, source: "arrêté", verified: false }] }),
    ).toMatchObject({ bps: 250, estimated: false });
  });
});

describe("what staff type on the rates page", () => {
  it("percentages the French way or with a point, two decimals at most, 0 to 100", async () => {
    const { parseRatePercent, parseSemesterKey } = await import("./rates");
    expect(["2,15", "2.15", " 2,15 % ", "0", "3,5", "100"].map(parseRatePercent)).toEqual([215, 215, 215, 0, 350, 10_000]);
    expect(["", "abc", "2,155", "-1", "100,01", "2,1,5", "1e2"].map(parseRatePercent)).toEqual([null, null, null, null, null, null, null]);
    expect(parseSemesterKey("2026-H2")).toBe("2026-H2");
    expect(["2026-H3", "2026H1", "26-H1", ""].map(parseSemesterKey)).toEqual([null, null, null, null]);
  });
});
