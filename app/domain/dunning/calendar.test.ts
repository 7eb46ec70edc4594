import { addDays, daysBetween, fixedClock, isoDay, startOfDayUTC } from "../clock";

// The J±n arithmetic the dunning calendar rests on (app/domain/clock.ts).
describe("calendar days in UTC", () => {
  it("J+n crosses month ends, leap days and the European DST change unharmed", () => {
    const due = new Date("2026-03-31T00:00:00Z");
    expect(isoDay(addDays(due, 1))).toBe("2026-04-01");
    expect(isoDay(addDays(due, -8))).toBe("2026-03-23");
    expect(isoDay(addDays(due, 60))).toBe("2026-05-30");
    expect(addDays(new Date("2026-03-28T09:00:00Z"), 2).toISOString()).toBe("2026-03-30T09:00:00.000Z");
    expect(isoDay(addDays(new Date("2028-02-28T00:00:00Z"), 1))).toBe("2028-02-29");
    expect(() => addDays(due, 0.5)).toThrow(RangeError);
  });

  it("daysBetween counts calendar days, whatever the time of day", () => {
    expect(daysBetween(new Date("2026-03-31T23:59:00Z"), new Date("2026-04-01T00:01:00Z"))).toBe(1);
    expect(daysBetween(new Date("2026-04-01T00:01:00Z"), new Date("2026-04-01T23:59:00Z"))).toBe(0);
    expect(daysBetween(new Date("2026-04-15T08:00:00Z"), new Date("2026-03-31T20:00:00Z"))).toBe(-15);
  });

  it("startOfDayUTC is the UTC midnight", () => {
    expect(startOfDayUTC(new Date("2026-03-31T22:30:00+02:00")).toISOString()).toBe("2026-03-31T00:00:00.000Z");
  });

  it("a fixed clock always answers the same instant, and a copy", () => {
    const clock = fixedClock("2026-03-31T09:00:00Z");
    clock.now().setUTCFullYear(2000);
    expect(clock.now().toISOString()).toBe("2026-03-31T09:00:00.000Z");
    expect(() => fixedClock("not a date")).toThrow(RangeError);
  });
});
