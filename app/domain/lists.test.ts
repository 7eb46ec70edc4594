import { ariaSort, csvCell, csvDecimal, csvDocument, parseAmountBound, parseSort, sortLink } from "./lists";

describe("list order in the address", () => {
  const columns = ["name", "amount"] as const;
  const fallback = { sort: "name", dir: "asc" } as const;

  it("reads a known column and direction, falls back on anything else", () => {
    expect(parseSort(new URLSearchParams("sort=amount&dir=desc"), columns, fallback)).toEqual({ sort: "amount", dir: "desc" });
    expect(parseSort(new URLSearchParams("sort=amount&dir=sideways"), columns, fallback)).toEqual({ sort: "amount", dir: "asc" });
    expect(parseSort(new URLSearchParams("sort=password"), columns, fallback)).toEqual(fallback);
  });

  it("a header link keeps the filters, flips the direction of the sorted column and goes back to page 1", () => {
    const link = new URLSearchParams(sortLink("?q=acme&page=3&sort=amount&dir=asc", "amount", { sort: "amount", dir: "asc" }).slice(1));
    expect(Object.fromEntries(link)).toEqual({ q: "acme", sort: "amount", dir: "desc" });
    expect(sortLink("?sort=amount&dir=desc", "name", { sort: "amount", dir: "desc" })).toBe("?sort=name&dir=asc");
    expect(ariaSort("amount", { sort: "amount", dir: "desc" })).toBe("descending");
    expect(ariaSort("name", { sort: "amount", dir: "desc" })).toBeUndefined();
  });

  it("amount bounds are typed as people type them; unreadable is no bound", () => {
    expect(parseAmountBound("1 000", "EUR")).toBe(100_000);
    expect(parseAmountBound("1234,5", "EUR")).toBe(123_450);
    expect(parseAmountBound("", "EUR")).toBeNull();
    expect(parseAmountBound("beaucoup", "EUR")).toBeNull();
  });
});

describe("CSV for a French spreadsheet", () => {
  it("writes amounts as plain decimals in the currency's minor digits", () => {
    expect(csvDecimal(123_456, "EUR", ",")).toBe("1234,56");
    expect(csvDecimal(-5, "EUR", ".")).toBe("-0.05");
    expect(csvDecimal(1500, "JPY", ",")).toBe("1500");
  });

  it("starts with a BOM, separates with ';', quotes when needed and defuses formulas but not negative numbers", () => {
    const csv = csvDocument(
      ["Client", "Reste dû"],
      [
        ["Dupont; fils", "-12,50"],
        ['=HYPERLINK("x")', "3,00"],
      ],
    );
    expect(csv.startsWith("\uFEFFClient;Reste dû\r\n")).toBe(true);
    expect(csv).toContain('"Dupont; fils";-12,50\r\n');
    expect(csv).toContain(`"'=HYPERLINK(""x"")";3,00\r\n`);
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell(null)).toBe("");
  });
});
