import { addMoney, allocateInOrder, CurrencyMismatchError, formatMoney, money, parseMoneyInput, splitEvenly } from "./money";

describe("money", () => {
  it("refuses floats and bad currencies", () => {
    expect(() => money(10.5, "EUR")).toThrow(/whole number/);
    expect(() => money(10, "euro")).toThrow(/ISO 4217/);
  });

  it("adds only the same currency", () => {
    expect(addMoney(money(150, "EUR"), money(250, "EUR"))).toEqual({ amount: 400, currency: "EUR" });
    expect(() => addMoney(money(1, "EUR"), money(1, "USD"))).toThrow(CurrencyMismatchError);
  });

  it("splits exactly, remainder cents on the first parts", () => {
    expect(splitEvenly(100_00, 3)).toEqual([33_34, 33_33, 33_33]);
    expect(splitEvenly(2, 3)).toEqual([1, 1, 0]);
    expect(splitEvenly(360_000, 3).reduce((a, b) => a + b, 0)).toBe(360_000);
  });

  it("allocates in the order given and reports what is left", () => {
    expect(allocateInOrder(150, [100, 100])).toEqual({ parts: [100, 50], unallocated: 0 });
    expect(allocateInOrder(250, [100, 100])).toEqual({ parts: [100, 100], unallocated: 50 });
  });

  it("formats French and English style", () => {
    expect(formatMoney(123456, "EUR", "fr").replace(/\s/g, " ")).toBe("1 234,56 €");
    expect(formatMoney(123456, "EUR", "en")).toBe("€1,234.56");
    expect(formatMoney(1234, "JPY", "en")).toBe("JP¥1,234");
  });

  it("parses what people type", () => {
    expect(parseMoneyInput("12,50", "EUR")).toEqual({ ok: true, amount: 1250 });
    expect(parseMoneyInput("1 234.5", "EUR")).toEqual({ ok: true, amount: 123450 });
    expect(parseMoneyInput("12 €", "EUR")).toEqual({ ok: true, amount: 1200 });
    expect(parseMoneyInput("-5", "EUR")).toEqual({ ok: false, error: "negative" });
    expect(parseMoneyInput("1,234", "EUR")).toEqual({ ok: false, error: "precision" });
    expect(parseMoneyInput("abc", "EUR")).toEqual({ ok: false, error: "format" });
    expect(parseMoneyInput("  ", "EUR")).toEqual({ ok: false, error: "empty" });
  });
});
