import { addMonths, buildSchedule, isMissed, ruleViolations, scheduleErrors } from "./plan";

const NOW = new Date("2026-01-15T10:00:00Z");
const rules = { maxInstallments: 6, maxMonths: 6, minInstallment: 50_00, minDownPaymentPc: 0 };

describe("échéancier maths", () => {
  it("adds months without overflowing short months", () => {
    expect(addMonths(new Date("2026-01-31T00:00:00Z"), 1).toISOString().slice(0, 10)).toBe("2026-02-28");
    expect(addMonths(new Date("2028-01-31T00:00:00Z"), 1).toISOString().slice(0, 10)).toBe("2028-02-29");
    expect(addMonths(new Date("2026-11-30T00:00:00Z"), 3).toISOString().slice(0, 10)).toBe("2027-02-28");
  });

  it("builds equal monthly installments summing exactly to the balance after the down payment", () => {
    const s = buildSchedule({ total: 1000_00, count: 3, firstDate: new Date("2026-02-01T00:00:00Z"), downPayment: 100_01 });
    expect(s.installments.map((i) => i.amount)).toEqual([300_00, 300_00, 299_99]);
    expect(s.downPayment + s.installments.reduce((a, i) => a + i.amount, 0)).toBe(1000_00);
    expect(s.installments.map((i) => i.dueDate.toISOString().slice(0, 10))).toEqual(["2026-02-01", "2026-03-01", "2026-04-01"]);
    expect(scheduleErrors(s, 1000_00, NOW)).toEqual([]);
  });

  it("refuses schedules that do not add up, start in the past, go backwards or hold zero", () => {
    const base = { downPayment: 0, installments: [{ dueDate: new Date("2026-02-01"), amount: 500_00 }, { dueDate: new Date("2026-03-01"), amount: 400_00 }] };
    expect(scheduleErrors(base, 1000_00, NOW)).toEqual(["sum_mismatch"]);
    const past = { downPayment: 0, installments: [{ dueDate: new Date("2026-01-10"), amount: 1000_00 }] };
    expect(scheduleErrors(past, 1000_00, NOW)).toEqual(["date_in_past"]);
    const backwards = { downPayment: 0, installments: [{ dueDate: new Date("2026-03-01"), amount: 500_00 }, { dueDate: new Date("2026-02-01"), amount: 500_00 }] };
    expect(scheduleErrors(backwards, 1000_00, NOW)).toEqual(["dates_not_increasing"]);
    const zero = { downPayment: 0, installments: [{ dueDate: new Date("2026-02-01"), amount: 1000_00 }, { dueDate: new Date("2026-03-01"), amount: 0 }] };
    expect(scheduleErrors(zero, 1000_00, NOW)).toEqual(["amount_not_positive"]);
    expect(scheduleErrors({ downPayment: 0, installments: [] }, 1000_00, NOW)).toContain("no_installments");
  });

  it("within the creditor's rules → no violation (auto-accepted); outside → listed for review", () => {
    const ok = buildSchedule({ total: 1200_00, count: 4, firstDate: new Date("2026-02-01T00:00:00Z") });
    expect(ruleViolations(ok, 1200_00, rules, NOW)).toEqual([]);
    const long = buildSchedule({ total: 1200_00, count: 12, firstDate: new Date("2026-02-01T00:00:00Z") });
    expect(ruleViolations(long, 1200_00, rules, NOW)).toEqual(["too_many_installments", "too_long"]);
    const small = buildSchedule({ total: 120_00, count: 4, firstDate: new Date("2026-02-01T00:00:00Z") });
    expect(ruleViolations(small, 120_00, rules, NOW)).toEqual(["installment_too_small"]);
    const needsDown = ruleViolations(ok, 1200_00, { ...rules, minDownPaymentPc: 20 }, NOW);
    expect(needsDown).toEqual(["down_payment_too_small"]);
  });

  it("an installment is missed only after its grace days", () => {
    expect(isMissed(new Date("2026-01-10T00:00:00Z"), 5, NOW)).toBe(false);
    expect(isMissed(new Date("2026-01-09T00:00:00Z"), 5, NOW)).toBe(true);
  });
});
