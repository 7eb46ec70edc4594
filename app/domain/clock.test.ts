import { formatMomentIn, isValidTimeZone, middayIn, timeZoneChoices, todayIn, wallClockIn } from "./clock";

const at = (iso: string) => new Date(iso);
const day = (d: Date) => d.toISOString();

describe("todayIn: the creditor's calendar date, as a UTC midnight", () => {
  it("Europe/Paris around the March and October DST changes", () => {
    // 2026-03-29: clocks go from 02:00 to 03:00 (UTC+1 → UTC+2).
    expect(day(todayIn("Europe/Paris", at("2026-03-28T22:59:59Z")))).toBe("2026-03-28T00:00:00.000Z");
    expect(day(todayIn("Europe/Paris", at("2026-03-28T23:00:00Z")))).toBe("2026-03-29T00:00:00.000Z");
    // After the change, midnight is 22:00 UTC.
    expect(day(todayIn("Europe/Paris", at("2026-03-29T21:59:59Z")))).toBe("2026-03-29T00:00:00.000Z");
    expect(day(todayIn("Europe/Paris", at("2026-03-29T22:00:00Z")))).toBe("2026-03-30T00:00:00.000Z");
    // 2026-10-25: back to UTC+1; that evening midnight is 23:00 UTC again.
    expect(day(todayIn("Europe/Paris", at("2026-10-24T22:00:00Z")))).toBe("2026-10-25T00:00:00.000Z");
    expect(day(todayIn("Europe/Paris", at("2026-10-25T22:30:00Z")))).toBe("2026-10-25T00:00:00.000Z");
    expect(day(todayIn("Europe/Paris", at("2026-10-25T23:00:00Z")))).toBe("2026-10-26T00:00:00.000Z");
  });

  it("UTC+11 (Nouméa) is already tomorrow in the UTC afternoon", () => {
    expect(day(todayIn("Pacific/Noumea", at("2026-01-14T12:59:59Z")))).toBe("2026-01-14T00:00:00.000Z");
    expect(day(todayIn("Pacific/Noumea", at("2026-01-14T13:00:00Z")))).toBe("2026-01-15T00:00:00.000Z");
  });

  it("UTC-4 (Guadeloupe) is still yesterday until 04:00 UTC", () => {
    expect(day(todayIn("America/Guadeloupe", at("2026-01-15T02:00:00Z")))).toBe("2026-01-14T00:00:00.000Z");
    expect(day(todayIn("America/Guadeloupe", at("2026-01-15T03:59:59Z")))).toBe("2026-01-14T00:00:00.000Z");
    expect(day(todayIn("America/Guadeloupe", at("2026-01-15T04:00:00Z")))).toBe("2026-01-15T00:00:00.000Z");
  });

  it("the year turns on the local clock", () => {
    expect(day(todayIn("Indian/Reunion", at("2026-12-31T20:00:00Z")))).toBe("2027-01-01T00:00:00.000Z");
    expect(day(todayIn("America/Cayenne", at("2027-01-01T02:00:00Z")))).toBe("2026-12-31T00:00:00.000Z");
  });
});

describe("wallClockIn", () => {
  it("reads the local clock, DST included", () => {
    expect(wallClockIn("Europe/Paris", at("2026-07-14T08:00:00.250Z")).toISOString()).toBe("2026-07-14T10:00:00.250Z");
    expect(wallClockIn("Europe/Paris", at("2026-01-14T08:00:00Z")).toISOString()).toBe("2026-01-14T09:00:00.000Z");
    expect(wallClockIn("America/Guadeloupe", at("2026-01-15T02:00:00Z")).toISOString()).toBe("2026-01-14T22:00:00.000Z");
    expect(wallClockIn("Pacific/Noumea", at("2026-01-14T23:30:00Z")).toISOString()).toBe("2026-01-15T10:30:00.000Z");
  });
});

describe("middayIn", () => {
  it("is noon of that date on the local clock", () => {
    const day = at("2026-01-15T00:00:00Z");
    expect(middayIn("Europe/Paris", day).toISOString()).toBe("2026-01-15T11:00:00.000Z");
    expect(middayIn("Europe/Paris", at("2026-07-15T00:00:00Z")).toISOString()).toBe("2026-07-15T10:00:00.000Z");
    expect(middayIn("America/Guadeloupe", day).toISOString()).toBe("2026-01-15T16:00:00.000Z");
    expect(middayIn("Pacific/Noumea", day).toISOString()).toBe("2026-01-15T01:00:00.000Z");
    for (const zone of ["Europe/Paris", "America/Guadeloupe", "Pacific/Noumea", "Pacific/Kiritimati"])
      expect(todayIn(zone, middayIn(zone, day)).toISOString()).toBe(day.toISOString());
  });
});

describe("time zone names", () => {
  it("accepts IANA zones and refuses the rest", () => {
    expect(isValidTimeZone("America/Guadeloupe")).toBe(true);
    expect(isValidTimeZone("UTC")).toBe(true);
    expect(isValidTimeZone("Europe/Pariss")).toBe(false);
    expect(isValidTimeZone("+02:00")).toBe(false);
    expect(isValidTimeZone("")).toBe(false);
  });
  it("lists the French zones first, each zone once", () => {
    const choices = timeZoneChoices();
    expect(choices.slice(0, 5)).toEqual(["Europe/Paris", "America/Guadeloupe", "America/Martinique", "Indian/Reunion", "America/Cayenne"]);
    expect(new Set(choices).size).toBe(choices.length);
    expect(choices).toContain("Asia/Tokyo");
  });
});

describe("formatMomentIn", () => {
  it("shows a moment on the creditor's clock", () => {
    const moment = at("2026-01-15T02:00:00Z");
    expect(formatMomentIn(moment, { locale: "fr", timeZone: "Europe/Paris", style: "short" }).text).toBe("15/01/2026 03:00");
    expect(formatMomentIn(moment, { locale: "fr", timeZone: "America/Guadeloupe", style: "short" }).text).toBe("14/01/2026 22:00");
    expect(formatMomentIn(moment, { locale: "en", timeZone: "Pacific/Noumea" }).text).toMatch(/^15 Jan 2026.*13:00$/);
  });
});
