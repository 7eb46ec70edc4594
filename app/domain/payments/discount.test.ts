import { describe, expect, it } from "vitest";
import {
  discountForPayment,
  discountOfferOn,
  discountOn,
  formatDiscountRate,
  parseDiscountSetting,
  resolveDiscountTerms,
  type DiscountInvoice,
} from "./discount";

const day = (iso: string) => new Date(`${iso}T00:00:00.000Z`);

// 1 234,56 € issued 1 March, due 31 March, 2 % within 8 days → until 9 March.
const invoice = (over: Partial<DiscountInvoice> = {}): DiscountInvoice => ({
  amount: 123_456,
  amountPaid: 0,
  amountCredited: 0,
  dueDate: day("2026-03-31"),
  discountRateBps: 200,
  discountUntil: day("2026-03-09"),
  discountAppliedAt: null,
  ...over,
});

describe("resolveDiscountTerms", () => {
  it("freezes the rate and the last day: issue date + window", () => {
    expect(resolveDiscountTerms({ rateBps: 200, days: 8 }, { issueDate: day("2026-03-01"), dueDate: day("2026-03-31") })).toEqual({
      discountRateBps: 200,
      discountUntil: day("2026-03-09"),
    });
  });
  it("never runs past the due date", () => {
    expect(
      resolveDiscountTerms({ rateBps: 200, days: 8 }, { issueDate: day("2026-03-01"), dueDate: day("2026-03-05") })?.discountUntil,
    ).toEqual(day("2026-03-05"));
  });
  it("is off when the creditor offers none", () => {
    expect(resolveDiscountTerms({ rateBps: null, days: 8 }, { issueDate: day("2026-03-01"), dueDate: day("2026-03-31") })).toBeNull();
    expect(resolveDiscountTerms({ rateBps: 0, days: 8 }, { issueDate: day("2026-03-01"), dueDate: day("2026-03-31") })).toBeNull();
  });
});

describe("discountOn (TTC, half up to the cent)", () => {
  it("1 234,56 € at 2 % → 24,69 €", () => expect(discountOn(123_456, 200)).toBe(2_469));
  it("rounds half up: 0,25 € at 2 % = 0,005 → 0,01 €; 0,24 € → 0,00 €", () => {
    expect(discountOn(25, 200)).toBe(1);
    expect(discountOn(24, 200)).toBe(0);
  });
  it("1 000,00 € at 1,5 % → 15,00 €", () => expect(discountOn(100_000, 150)).toBe(1_500));
  it("refuses floats and silly rates", () => {
    expect(() => discountOn(12.5, 200)).toThrow(RangeError);
    expect(() => discountOn(100, 6_000)).toThrow(RangeError);
  });
});

describe("discountOfferOn", () => {
  it("offers 24,69 € off, 1 209,87 € to pay, up to and including the last day", () => {
    expect(discountOfferOn(invoice(), day("2026-03-05"))).toEqual({
      rateBps: 200,
      until: day("2026-03-09"),
      discount: 2_469,
      toPay: 120_987,
    });
    expect(discountOfferOn(invoice(), day("2026-03-09"))?.toPay).toBe(120_987);
  });
  it("is gone the day after the last day", () => expect(discountOfferOn(invoice(), day("2026-03-10"))).toBeNull());
  it("is never offered on an overdue invoice, whatever its stored terms say", () => {
    const due = invoice({ dueDate: day("2026-03-04"), discountUntil: day("2026-03-09") });
    expect(discountOfferOn(due, day("2026-03-04"))).not.toBeNull();
    expect(discountOfferOn(due, day("2026-03-05"))).toBeNull();
  });
  it("is not offered twice, nor without terms", () => {
    expect(discountOfferOn(invoice({ discountAppliedAt: new Date() }), day("2026-03-05"))).toBeNull();
    expect(discountOfferOn(invoice({ discountRateBps: null, discountUntil: null }), day("2026-03-05"))).toBeNull();
  });
  it("takes the discount on the total, off what is left after a part payment", () => {
    // 1 234,56 − 200,00 paid = 1 034,56; less 24,69 → 1 009,87
    expect(discountOfferOn(invoice({ amountPaid: 20_000 }), day("2026-03-05"))?.toPay).toBe(100_987);
  });
  it("is not offered when the discount would leave nothing to pay", () => {
    expect(discountOfferOn(invoice({ amountPaid: 121_000 }), day("2026-03-05"))).toBeNull();
  });
});

describe("discountForPayment", () => {
  it("pays 1 209,87 € on day 5 → settled with a 24,69 € credit", () => {
    expect(discountForPayment(invoice(), 120_987, day("2026-03-05"))).toEqual({ discount: 2_469 });
  });
  it("one cent short → no discount (an ordinary part payment)", () => {
    expect(discountForPayment(invoice(), 120_986, day("2026-03-05"))).toBeNull();
  });
  it("the discounted amount paid late → no discount", () => {
    expect(discountForPayment(invoice(), 120_987, day("2026-03-10"))).toBeNull();
  });
  it("the full amount paid in time still earns the discount (the debtor's right; the excess is an overpayment)", () => {
    expect(discountForPayment(invoice(), 123_456, day("2026-03-05"))).toEqual({ discount: 2_469 });
  });
});

describe("formatDiscountRate", () => {
  it("writes the rate as people read it", () => {
    expect(formatDiscountRate(200, "fr")).toBe("2 %");
    expect(formatDiscountRate(150, "en")).toBe("1.5%");
    expect(formatDiscountRate(150, "fr")).toBe("1,5 %");
  });
});

describe("parseDiscountSetting", () => {
  it("reads 2, 1,5 and 1.5 % as basis points; empty is no discount", () => {
    expect(parseDiscountSetting({ rate: "2", days: "8" })).toEqual({ ok: true, rateBps: 200, days: 8 });
    expect(parseDiscountSetting({ rate: "1,5 %", days: "10" })).toEqual({ ok: true, rateBps: 150, days: 10 });
    expect(parseDiscountSetting({ rate: "1.5", days: "10" })).toEqual({ ok: true, rateBps: 150, days: 10 });
    expect(parseDiscountSetting({ rate: "", days: "8" })).toEqual({ ok: true, rateBps: null, days: 8 });
  });
  it("refuses 0, above 50 %, words, and a window outside 0–90 days, naming each field", () => {
    expect(parseDiscountSetting({ rate: "0", days: "8" })).toEqual({ ok: false, fieldErrors: { rate: "discount.settings.errors.rate" } });
    expect(parseDiscountSetting({ rate: "60", days: "8" })).toMatchObject({ ok: false });
    expect(parseDiscountSetting({ rate: "deux", days: "91" })).toEqual({
      ok: false,
      fieldErrors: { rate: "discount.settings.errors.rate", days: "intake.settings.errors.range" },
    });
  });
});
