import { agingBucket, agingSeries, cei, dso, weekStartUTC, weeklySeries } from "./kpis";

describe("KPIs", () => {
  it("puts invoices in overdue buckets by days past due", () => {
    expect([-5, 0, 1, 30, 31, 60, 61, 90, 91, 400].map(agingBucket)).toEqual([
      "notDue",
      "notDue",
      "d1_30",
      "d1_30",
      "d31_60",
      "d31_60",
      "d61_90",
      "d61_90",
      "d90plus",
      "d90plus",
    ]);
    expect(agingSeries([{ bucket: "d31_60", amount: 5, count: 1 }]).map((b) => b.amount)).toEqual([0, 0, 5, 0, 0]);
  });

  it("DSO = receivables / credit sales of the window × days", () => {
    expect(dso(30_000, 90_000, 90)).toBe(30);
    expect(dso(10_000, 30_000)).toBe(30);
    expect(dso(1, 0)).toBeNull();
  });

  it("CEI = collected / collectable, bounded 0–100", () => {
    // Start 100, invoiced 50, end 60 of which 20 not due: collected 90 of 130 collectable.
    expect(cei({ begin: 100, sales: 50, end: 60, endCurrent: 20 })).toBe(69.2);
    expect(cei({ begin: 100, sales: 0, end: 0, endCurrent: 0 })).toBe(100);
    expect(cei({ begin: 0, sales: 0, end: 0, endCurrent: 0 })).toBeNull();
  });

  it("weeks start on Monday (UTC) and the series is zero-filled, oldest first", () => {
    expect(weekStartUTC(new Date("2026-04-02T10:00:00Z")).toISOString()).toBe("2026-03-30T00:00:00.000Z");
    expect(weekStartUTC(new Date("2026-04-05T23:59:00Z")).toISOString()).toBe("2026-03-30T00:00:00.000Z");
    const series = weeklySeries([{ week: new Date("2026-03-23T00:00:00Z"), amount: 7 }], new Date("2026-04-02T10:00:00Z"), 3);
    expect(series.map((w) => [w.week.toISOString().slice(0, 10), w.amount])).toEqual([
      ["2026-03-16", 0],
      ["2026-03-23", 7],
      ["2026-03-30", 0],
    ]);
  });
});
