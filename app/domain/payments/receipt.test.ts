import { paymentMethodKind, paymentReference } from "./receipt";

describe("payment reference", () => {
  it("is stable, readable and in the PAY-XXXX-XXXX shape", () => {
    const ref = paymentReference("cmi3x9k2a0001abcd");
    expect(ref).toMatch(/^PAY-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(paymentReference("cmi3x9k2a0001abcd")).toBe(ref);
    expect(ref).not.toContain("cmi3");
  });

  it("differs between payments (no collision over 20 000 ids)", () => {
    const refs = new Set(Array.from({ length: 20_000 }, (_, i) => paymentReference(`cmi3x9k2a${String(i).padStart(8, "0")}`)));
    expect(refs.size).toBe(20_000);
  });
});

describe("payment method", () => {
  it("says how the debtor paid", () => {
    expect(paymentMethodKind("STRIPE", "card")).toBe("card");
    expect(paymentMethodKind("STRIPE", "sepa_debit")).toBe("sepa_debit");
    expect(paymentMethodKind("GOCARDLESS", "gocardless")).toBe("direct_debit");
    expect(paymentMethodKind("TRANSFER", null)).toBe("transfer");
    expect(paymentMethodKind("MANUAL", null)).toBe("other");
  });
});
