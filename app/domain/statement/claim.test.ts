import { computeClaim, type ClaimInvoiceInput } from "./claim";

const invoice = (over: Partial<ClaimInvoiceInput>): ClaimInvoiceInput => ({
  id: "i",
  number: "F-1",
  issueDate: new Date("2026-03-10"),
  dueDate: new Date("2026-04-09"),
  amount: 840_50,
  amountPaid: 0,
  amountCredited: 0,
  currency: "EUR",
  payments: [],
  ...over,
});
const AS_OF = new Date("2026-05-15T09:00:00Z");

describe("computeClaim", () => {
  it("business: interest split at a partial payment, €40 in full, balance unchanged by the charges", () => {
    const claim = computeClaim([invoice({ amountPaid: 300_00, payments: [{ date: new Date("2026-04-20"), amount: 300_00 }] })], AS_OF, {
      debtorKind: "BUSINESS",
      jurisdiction: "FR",
      contractualRateBps: null,
    });
    // 12.15 % (2026-H1). 10 → 20 April: 11 days on 840.50 → 840.50 × 12.15 % × 11 / 365 = 3.0776 → 3.08.
    // 21 April → 15 May: 25 days on 540.50 → 540.50 × 12.15 % × 25 / 365 = 4.4980 → 4.50.
    expect(claim.lines[0]!.charges!.interest.periods.map((p) => [p.days, p.principal, p.amount])).toEqual([
      [11, 840_50, 3_08],
      [25, 540_50, 4_50],
    ]);
    expect(claim).toMatchObject({ principal: 540_50, interest: 7_58, indemnity: 40_00, indemnityCount: 1, total: 540_50 + 7_58 + 40_00 });
  });

  it("consumer: nothing before a formal notice, legal rate after it, never the €40", () => {
    const settings = { debtorKind: "CONSUMER" as const, jurisdiction: "FR" as const, contractualRateBps: null };
    expect(computeClaim([invoice({})], AS_OF, settings)).toMatchObject({ interest: 0, indemnity: 0, total: 840_50 });
    // Notice on 5 May: 10 days at 2.62 % → 840.50 × 2.62 % × 10 / 365 = 0.6033 → 0.60.
    const after = computeClaim([invoice({})], AS_OF, { ...settings, formalNoticeAt: new Date("2026-05-05") });
    expect(after).toMatchObject({ interest: 60, indemnity: 0, total: 841_10 });
  });

  it("leaves out invoices in another currency than the first, and charges nothing before the due date", () => {
    const claim = computeClaim(
      [invoice({ dueDate: new Date("2026-06-30") }), invoice({ id: "u", number: "F-USD", currency: "USD" })],
      AS_OF,
      { debtorKind: "BUSINESS", jurisdiction: "FR", contractualRateBps: null },
    );
    expect(claim.lines.map((l) => l.number)).toEqual(["F-1"]);
    expect(claim).toMatchObject({ interest: 0, indemnity: 0, total: 840_50 });
  });
});
