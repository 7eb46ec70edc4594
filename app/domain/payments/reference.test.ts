import { formatCreditorReference, isValidCreditorReference, toCreditorReference } from "./reference";

describe("ISO 11649 creditor reference", () => {
  it("matches the standard's worked example (RF18 539007547034)", () => {
    expect(toCreditorReference("539007547034")).toBe("RF18539007547034");
    expect(isValidCreditorReference("RF18 5390 0754 7034")).toBe(true);
  });

  it("detects a mistyped reference", () => {
    const ref = toCreditorReference("ATDU-C1001");
    expect(isValidCreditorReference(ref)).toBe(true);
    expect(isValidCreditorReference(ref.slice(0, -1) + (ref.endsWith("1") ? "2" : "1"))).toBe(false);
  });

  it("prints in groups of four", () => {
    expect(formatCreditorReference("RF18539007547034")).toBe("RF18 5390 0754 7034");
  });

  it("refuses an empty base", () => {
    expect(() => toCreditorReference("--")).toThrow(/at least one/);
  });
});
