import { checkSmsWindow, nextSmsOpening, normalizePhone, DEFAULT_SMS_WINDOW } from "~/domain/sms";
import { useTestDatabase } from "../../testing/db";
import { makeCreditor } from "../../testing/factories";
import { DebtorContactSchema } from "../backoffice/debtors.server";
import { readSmsHours, saveSmsHours } from "./sms-settings.server";

const database = useTestDatabase();

describe("SMS sending hours", () => {
  it("default to Monday–Saturday 09:00–19:00, never Sunday", async () => {
    const { creditor } = await makeCreditor(database.get().prisma);
    expect(await readSmsHours(database.get().prisma, creditor.id)).toEqual({
      start: "09:00",
      end: "19:00",
      days: [1, 2, 3, 4, 5, 6],
      timeZone: "Europe/Paris",
    });
  });

  it("refuse night hours and say why, keeping what was typed; save sound ones", async () => {
    const db = database.get().prisma;
    const { creditor } = await makeCreditor(db);
    expect(await saveSmsHours(db, creditor.id, { start: "07:00", end: "21:30", days: ["1", "7"] })).toEqual({
      ok: false,
      fieldErrors: { start: "sms.errors.night" },
      values: { start: "07:00", end: "21:30", days: [1, 7] },
    });
    expect(await saveSmsHours(db, creditor.id, { start: "10:00", end: "21:30", days: ["1"] })).toMatchObject({
      fieldErrors: { end: "sms.errors.night" },
    });
    expect(await saveSmsHours(db, creditor.id, { start: "10:00", end: "09:00", days: ["1"] })).toMatchObject({
      fieldErrors: { end: "sms.errors.order" },
    });
    expect(await saveSmsHours(db, creditor.id, { start: "9h", end: "nope", days: [] })).toMatchObject({
      fieldErrors: { end: "sms.errors.time", days: "sms.errors.days" },
    });
    expect((await readSmsHours(db, creditor.id)).start).toBe("09:00");
    expect(await saveSmsHours(db, creditor.id, { start: "08:30", end: "18:00", days: ["5", "1", "1"] })).toEqual({ ok: true });
    expect(await readSmsHours(db, creditor.id)).toMatchObject({ start: "08:30", end: "18:00", days: [1, 5] });
  });
});

describe("the SMS clock", () => {
  it("opens on the creditor's zone: Réunion (UTC+4) on Saturday 19:30 waits for Monday 09:00", () => {
    const saturdayEvening = new Date("2026-03-28T15:30:00Z"); // 19:30 in Saint-Denis
    expect(nextSmsOpening("Indian/Reunion", saturdayEvening, DEFAULT_SMS_WINDOW)).toEqual(new Date("2026-03-30T05:00:00Z"));
    const inside = new Date("2026-03-30T06:00:00Z");
    expect(nextSmsOpening("Indian/Reunion", inside, DEFAULT_SMS_WINDOW)).toBe(inside);
    expect(checkSmsWindow(DEFAULT_SMS_WINDOW)).toEqual({ ok: true });
  });
});

describe("phone numbers where they are written", () => {
  it("the debtor contact form stores E.164 and refuses what is not a number", () => {
    const base = { name: "A", locale: "fr", country: "FR" };
    expect(DebtorContactSchema.parse({ ...base, phone: "06 12 34 56 78" }).phone).toBe("+33612345678");
    expect(DebtorContactSchema.safeParse({ ...base, phone: "06 12" }).success).toBe(false);
    expect(normalizePhone("+44 7911 123456")).toBe("+447911123456");
    expect(normalizePhone("0690 12 34 56", "GP")).toBe("+590690123456");
  });
});
