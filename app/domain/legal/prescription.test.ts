import { prescriptionDate, prescriptionStart, prescriptionTaskFor, prescriptionWatch } from "./prescription";

const d = (day: string) => new Date(`${day}T00:00:00Z`);
const iso = (date: Date) => date.toISOString().slice(0, 10);

describe("prescription", () => {
  it("C. com. L110-4: 5 years from the due date for a business debtor", () => {
    expect(iso(prescriptionDate(d("2025-03-15"), "BUSINESS"))).toBe("2030-03-15");
  });

  it("C. consom. L218-2: 2 years from the due date for a professional's claim against a consumer", () => {
    expect(iso(prescriptionDate(d("2025-03-15"), "CONSUMER"))).toBe("2027-03-15");
  });

  it("C. pr. civ. 641: a term from 29 February ends on 28 February when the date does not exist", () => {
    expect(iso(prescriptionDate(d("2024-02-29"), "CONSUMER"))).toBe("2026-02-28");
    expect(iso(prescriptionDate(d("2024-02-29"), "BUSINESS"))).toBe("2029-02-28");
  });

  it("C. civ. 2231, 2240: an acknowledgment (e.g. a partial payment) starts a new period of the same length", () => {
    expect(iso(prescriptionDate(d("2025-03-15"), "CONSUMER", { interruptedAt: d("2025-09-01") }))).toBe("2027-09-01");
    // An earlier date than the due date changes nothing.
    expect(iso(prescriptionDate(d("2025-03-15"), "CONSUMER", { interruptedAt: d("2025-01-01") }))).toBe("2027-03-15");
  });

  it("C. consom. L218-2 / C. civ. 2229: stages by days left — WARN_90, WARN_30, ESCALATE at ≤ 15, EXPIRED after the last day", () => {
    // Consumer claim due 2025-03-15 → last day 2027-03-15.
    const stage = (asOf: string) => {
      const watch = prescriptionWatch(d("2025-03-15"), "CONSUMER", d(asOf));
      return [watch.daysLeft, watch.stage];
    };
    expect(stage("2026-12-14")).toEqual([91, "OK"]);
    expect(stage("2026-12-15")).toEqual([90, "WARN_90"]);
    expect(stage("2027-02-12")).toEqual([31, "WARN_90"]);
    expect(stage("2027-02-13")).toEqual([30, "WARN_30"]);
    expect(stage("2027-02-27")).toEqual([16, "WARN_30"]);
    expect(stage("2027-02-28")).toEqual([15, "ESCALATE"]);
    expect(stage("2027-03-15")).toEqual([0, "ESCALATE"]);
    expect(stage("2027-03-16")).toEqual([-1, "EXPIRED"]);
  });

  it("C. com. L110-4: the watch names its basis and expiry for a business debtor", () => {
    const watch = prescriptionWatch(d("2025-03-15"), "BUSINESS", new Date("2025-03-15T18:30:00Z"));
    expect(watch).toMatchObject({ daysLeft: 1826, stage: "OK", basis: "C. com. L110-4" });
    expect(iso(watch.expiresAt)).toBe("2030-03-15");
  });

  it("the period starts at the delivery / completion date when recorded, else at the due date, and says which", () => {
    expect(prescriptionStart({ dueDate: d("2025-03-15"), deliveredAt: d("2025-01-10") })).toEqual({
      date: d("2025-01-10"),
      startedFrom: "DELIVERY",
    });
    expect(prescriptionStart({ dueDate: d("2025-03-15"), deliveredAt: null })).toEqual({ date: d("2025-03-15"), startedFrom: "DUE_DATE" });
  });

  it("stages call for a REVIEW task at 90 and 30 days, the HANDOFF at ESCALATE, nothing when OK or barred", () => {
    expect(["OK", "WARN_90", "WARN_30", "ESCALATE", "EXPIRED"].map((s) => prescriptionTaskFor(s as never)?.kind ?? null)).toEqual([
      null,
      "REVIEW",
      "REVIEW",
      "HANDOFF",
      null,
    ]);
  });
});
