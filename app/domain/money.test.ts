import { addMoney, CurrencyMismatchError, formatMoney, minorDigits, money, parseMoneyInput, splitEvenly, subtractMoney } from "./money";

/** Intl uses no-break spaces in French; compare with plain ones. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

describe("money", () => {
  it("refuses floats and bad currencies", () => {
    expect(() => money(10.5, "EUR")).toThrow(/whole number/);
    expect(() => money(10, "euro")).toThrow(/ISO 4217/);
  });

  it("adds and subtracts only the same currency", () => {
    expect(addMoney(money(150, "EUR"), money(250, "EUR"))).toEqual({ amount: 400, currency: "EUR" });
    expect(subtractMoney(money(150, "EUR"), money(250, "EUR"))).toEqual({ amount: -100, currency: "EUR" });
    expect(() => addMoney(money(1, "EUR"), money(1, "USD"))).toThrow(CurrencyMismatchError);
    expect(() => subtractMoney(money(1, "EUR"), money(1, "JPY"))).toThrow(CurrencyMismatchError);
  });

  it("knows the ISO 4217 minor units, independent of ICU", () => {
    expect([minorDigits("EUR"), minorDigits("JPY"), minorDigits("BHD"), minorDigits("HUF")]).toEqual([2, 0, 3, 2]);
  });
});

describe("splitEvenly", () => {
  it("sums exactly, the remainder cents one each on the first parts", () => {
    expect(splitEvenly(100_00, 3)).toEqual([33_34, 33_33, 33_33]);
    expect(splitEvenly(100_02, 3)).toEqual([33_34, 33_34, 33_34]);
    expect(splitEvenly(2, 3)).toEqual([1, 1, 0]);
    expect(splitEvenly(1_234_567, 7).reduce((a, b) => a + b, 0)).toBe(1_234_567);
  });

  it("refuses a negative or fractional total and a part count below one", () => {
    expect(() => splitEvenly(-1, 2)).toThrow(RangeError);
    expect(() => splitEvenly(1.5, 2)).toThrow(RangeError);
    expect(() => splitEvenly(100, 0)).toThrow(RangeError);
  });
});

describe("formatMoney", () => {
  it("formats French and English style", () => {
    expect(plain(formatMoney(123456, "EUR", "fr"))).toBe("1 234,56 €");
    expect(formatMoney(123456, "EUR", "en")).toBe("€1,234.56");
    expect(formatMoney(1234, "JPY", "en")).toBe("JP¥1,234");
    expect(plain(formatMoney(1234, "BHD", "fr"))).toBe("1,234 BHD");
    expect(plain(formatMoney(-5, "EUR", "fr"))).toBe("-0,05 €");
  });

  it("is exact for amounts a float division would round", () => {
    expect(plain(formatMoney(9_007_199_254_740_991, "EUR", "fr"))).toBe("90 071 992 547 409,91 €");
  });
});

describe("parseMoneyInput", () => {
  it("reads comma or point decimals, spaces as thousands", () => {
    expect(parseMoneyInput("12,50", "EUR")).toEqual({ ok: true, amount: 1250 });
    expect(parseMoneyInput("12.50", "EUR")).toEqual({ ok: true, amount: 1250 });
    expect(parseMoneyInput("1 234,56", "EUR")).toEqual({ ok: true, amount: 123456 });
    expect(parseMoneyInput("1\u202f234,5", "EUR")).toEqual({ ok: true, amount: 123450 });
    expect(parseMoneyInput("12 €", "EUR")).toEqual({ ok: true, amount: 1200 });
    expect(parseMoneyInput("0,07", "EUR")).toEqual({ ok: true, amount: 7 });
    expect(parseMoneyInput("1500", "JPY")).toEqual({ ok: true, amount: 1500 });
  });

  it("refuses negatives, more decimals than the currency has, and garbage", () => {
    expect(parseMoneyInput("-5", "EUR")).toEqual({ ok: false, error: "negative" });
    expect(parseMoneyInput("\u22125,00", "EUR")).toEqual({ ok: false, error: "negative" });
    expect(parseMoneyInput("1,234", "EUR")).toEqual({ ok: false, error: "precision" });
    expect(parseMoneyInput("12,5", "JPY")).toEqual({ ok: false, error: "precision" });
    expect(parseMoneyInput("abc", "EUR")).toEqual({ ok: false, error: "format" });
    expect(parseMoneyInput("1.234,56", "EUR")).toEqual({ ok: false, error: "format" });
    expect(parseMoneyInput("12,", "EUR")).toEqual({ ok: false, error: "format" });
    expect(parseMoneyInput("1e3", "EUR")).toEqual({ ok: false, error: "format" });
    expect(parseMoneyInput("  ", "EUR")).toEqual({ ok: false, error: "empty" });
    expect(parseMoneyInput("99999999999999999", "EUR")).toEqual({ ok: false, error: "too_large" });
  });
});
