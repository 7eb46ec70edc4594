import { buildSchedule, overLimitDownPayment, ruleViolations } from "../installments/plan";
import { creditStanding, dueDateFromTerms, paymentTermsError } from "./policy";

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const iso = (d: Date) => d.toISOString().slice(0, 10);

describe("payment terms (C. com. L441-10 I)", () => {
  it("accepts up to 60 days net and 45 days end of month, refuses longer or fractional terms", () => {
    expect(paymentTermsError({ days: 30, basis: "NET" })).toBeNull();
    expect(paymentTermsError({ days: 60, basis: "NET" })).toBeNull();
    expect(paymentTermsError({ days: 61, basis: "NET" })).toBe("terms_too_long");
    expect(paymentTermsError({ days: 45, basis: "END_OF_MONTH" })).toBeNull();
    expect(paymentTermsError({ days: 46, basis: "END_OF_MONTH" })).toBe("terms_too_long");
    expect(paymentTermsError({ days: 0, basis: "NET" })).toBeNull();
    expect(paymentTermsError({ days: 30.5, basis: "NET" })).toBe("terms_not_whole_days");
    expect(paymentTermsError({ days: -1, basis: "NET" })).toBe("terms_not_whole_days");
  });

  it("gives the due date: N days from issue, or N days then the end of that month", () => {
    expect(iso(dueDateFromTerms(day("2026-01-10"), { days: 30, basis: "NET" }))).toBe("2026-02-09");
    expect(iso(dueDateFromTerms(day("2026-01-10"), { days: 60, basis: "NET" }))).toBe("2026-03-11");
    // 10 Jan + 45 days = 24 Feb → end of February.
    expect(iso(dueDateFromTerms(day("2026-01-10"), { days: 45, basis: "END_OF_MONTH" }))).toBe("2026-02-28");
    expect(iso(dueDateFromTerms(day("2027-12-20"), { days: 30, basis: "END_OF_MONTH" }))).toBe("2028-01-31");
    expect(iso(dueDateFromTerms(day("2028-01-20"), { days: 30, basis: "END_OF_MONTH" }))).toBe("2028-02-29");
    expect(iso(dueDateFromTerms(day("2026-03-31"), { days: 0, basis: "END_OF_MONTH" }))).toBe("2026-03-31");
  });
});

describe("credit standing", () => {
  it("counts only the limit's currency; exactly at the limit is within it", () => {
    const exposures = [
      { currency: "EUR", amount: 700_00 },
      { currency: "EUR", amount: 300_00 },
      { currency: "USD", amount: 5_000_00 },
    ];
    expect(creditStanding(1000_00, "EUR", exposures)).toEqual({
      limit: 1000_00,
      currency: "EUR",
      exposure: 1000_00,
      overBy: 0,
      over: false,
      otherCurrencies: [{ currency: "USD", amount: 5_000_00 }],
    });
    const over = creditStanding(999_99, "EUR", exposures);
    expect(over.over).toBe(true);
    expect(over.overBy).toBe(1);
  });

  it("without a limit nobody is over it", () => {
    expect(creditStanding(null, "EUR", [{ currency: "EUR", amount: 1_000_000_00 }])).toMatchObject({ over: false, overBy: 0 });
  });
});

describe("plan rule: over the credit limit, a minimum down payment or review", () => {
  const NOW = day("2026-01-15");
  const rules = { maxInstallments: 6, maxMonths: 6, minInstallment: 50_00, minDownPaymentPc: 0, overLimitMinDownPaymentPc: 30 };
  const plan = (downPayment: number) => buildSchedule({ total: 1000_00, count: 3, firstDate: day("2026-02-01"), downPayment });

  it("a debtor over its limit must put 30 % down to be accepted without review", () => {
    const over = { overCreditLimit: true };
    expect(overLimitDownPayment(1000_00, rules, over)).toBe(300_00);
    expect(ruleViolations(plan(0), 1000_00, rules, NOW, over)).toEqual(["over_limit_down_payment_too_small"]);
    expect(ruleViolations(plan(299_99), 1000_00, rules, NOW, over)).toEqual(["over_limit_down_payment_too_small"]);
    expect(ruleViolations(plan(300_00), 1000_00, rules, NOW, over)).toEqual([]);
  });

  it("rounds the required down payment up to the cent", () => {
    expect(overLimitDownPayment(100_01, rules, { overCreditLimit: true })).toBe(30_01);
  });

  it("does not apply within the limit, or when the creditor has no such rule", () => {
    expect(ruleViolations(plan(0), 1000_00, rules, NOW, { overCreditLimit: false })).toEqual([]);
    expect(ruleViolations(plan(0), 1000_00, rules, NOW)).toEqual([]);
    expect(ruleViolations(plan(0), 1000_00, { ...rules, overLimitMinDownPaymentPc: null }, NOW, { overCreditLimit: true })).toEqual([]);
    expect(overLimitDownPayment(1000_00, { overLimitMinDownPaymentPc: null }, { overCreditLimit: true })).toBe(0);
  });
});
