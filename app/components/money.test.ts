import { formatDate, formatDateTime } from "./money";

describe("dates in the back-office", () => {
  it("shows a moment on the French clock: 23:30 UTC on 29 November is 00:30 on the 30th in Paris (UTC+1 in winter)", () => {
    expect(formatDateTime("2026-11-29T23:30:00Z", "fr")).toMatch(/^30 nov\. 2026.*00:30$/);
    expect(formatDateTime("2026-11-29T23:30:00Z", "en")).toMatch(/^30 Nov 2026.*00:30$/);
  });

  it("follows summer time (UTC+2 in July)", () => {
    expect(formatDateTime("2026-07-14T08:00:00Z", "fr")).toMatch(/10:00$/);
  });

  it("keeps calendar dates (due dates, stored as UTC midnight) on their day", () => {
    expect(formatDate("2026-11-30T00:00:00Z", "fr")).toBe("30 nov. 2026");
    expect(formatDate("2026-11-30", "en")).toBe("30 Nov 2026");
  });
});

describe("French ordinal for the first of the month", () => {
  it("writes 1er in French, 1 in English, and leaves other days alone", () => {
    expect(formatDate("2026-03-01", "fr")).toBe("1er mars 2026");
    expect(formatDate("2026-03-01", "en")).toBe("1 Mar 2026");
    expect(formatDate("2026-03-11", "fr")).toBe("11 mars 2026");
    expect(formatDate("2026-03-21", "fr")).toBe("21 mars 2026");
    expect(formatDateTime("2026-02-28T23:30:00Z", "fr")).toMatch(/^1er mars 2026.*00:30$/);
  });
});
