import { invoiceTotals, vatOn } from "./invoice-lines";

describe("invoice totals from lines", () => {
  it("adds VAT per rate on the rate's total, rounded half up", () => {
    const totals = invoiceTotals([
      { net: 100_00, vatRate: "20" },
      { net: 33_33, vatRate: "20" },
      { net: 10_01, vatRate: "5.5" },
      { net: 50_00, vatRate: null },
    ]);
    expect(totals.groups).toEqual([
      { rate: "20", base: 133_33, vat: 26_67 },
      { rate: "5.5", base: 10_01, vat: 55 },
      { rate: null, base: 50_00, vat: 0 },
    ]);
    expect(totals).toMatchObject({ net: 193_34, vat: 27_22, gross: 220_56 });
  });

  it("reads a comma as the decimal mark and refuses what is not a rate", () => {
    expect(vatOn(1_000_00, "5,5")).toBe(55_00);
    expect(vatOn(-10_00, "20")).toBe(-2_00);
    expect(() => vatOn(100, "vingt")).toThrow(RangeError);
  });
});
