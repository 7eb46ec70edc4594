import { addMonths, buildSchedule, isMissed, planBounds, ruleViolations, scheduleErrors } from "./plan";

const NOW = new Date("2026-01-15T10:00:00Z");
const rules = { maxInstallments: 6, maxMonths: 6, minInstallment: 50_00, minDownPaymentPc: 0 };
const bounds = planBounds(rules);

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
    expect(scheduleErrors(s, 1000_00, NOW, bounds)).toEqual([]);
  });

  it("refuses schedules that do not add up, start in the past, go backwards or hold zero", () => {
    const base = {
      downPayment: 0,
      installments: [
        { dueDate: new Date("2026-02-01"), amount: 500_00 },
        { dueDate: new Date("2026-03-01"), amount: 400_00 },
      ],
    };
    expect(scheduleErrors(base, 1000_00, NOW, bounds)).toEqual(["sum_mismatch"]);
    const past = { downPayment: 0, installments: [{ dueDate: new Date("2026-01-10"), amount: 1000_00 }] };
    expect(scheduleErrors(past, 1000_00, NOW, bounds)).toEqual(["date_in_past"]);
    const backwards = {
      downPayment: 0,
      installments: [
        { dueDate: new Date("2026-03-01"), amount: 500_00 },
        { dueDate: new Date("2026-02-01"), amount: 500_00 },
      ],
    };
    expect(scheduleErrors(backwards, 1000_00, NOW, bounds)).toEqual(["dates_not_increasing"]);
    const zero = {
      downPayment: 0,
      installments: [
        { dueDate: new Date("2026-02-01"), amount: 1000_00 },
        { dueDate: new Date("2026-03-01"), amount: 0 },
      ],
    };
    expect(scheduleErrors(zero, 1000_00, NOW, bounds)).toEqual(["amount_not_positive"]);
    expect(scheduleErrors({ downPayment: 0, installments: [] }, 1000_00, NOW, bounds)).toContain("no_installments");
  });

  it("refuses a first installment beyond 45 days and a plan longer than twice the creditor's length", () => {
    const tenYears = buildSchedule({ total: 900_00, count: 3, firstDate: new Date("2036-01-15T00:00:00Z") });
    expect(scheduleErrors(tenYears, 900_00, NOW, bounds)).toEqual(["first_date_too_far", "duration_too_long"]);
    expect(
      scheduleErrors(buildSchedule({ total: 900_00, count: 1, firstDate: new Date("2026-03-01T00:00:00Z") }), 900_00, NOW, bounds),
    ).toEqual([]);
    expect(
      scheduleErrors(buildSchedule({ total: 900_00, count: 1, firstDate: new Date("2026-03-02T00:00:00Z") }), 900_00, NOW, bounds),
    ).toEqual(["first_date_too_far"]);
    // 6 auto-approved months → 12 at most: 12 monthly installments from 15 Feb end on 15 Jan 2027 (fine), 13 do not.
    expect(
      scheduleErrors(buildSchedule({ total: 1200_00, count: 12, firstDate: new Date("2026-02-15T00:00:00Z") }), 1200_00, NOW, bounds),
    ).toEqual([]);
    expect(
      scheduleErrors(buildSchedule({ total: 1300_00, count: 13, firstDate: new Date("2026-02-15T00:00:00Z") }), 1300_00, NOW, bounds),
    ).toEqual(["duration_too_long"]);
    // A direct call with a hand-written schedule is bounded the same way.
    const spread = {
      downPayment: 0,
      installments: [
        { dueDate: new Date("2026-02-01"), amount: 100_00 },
        { dueDate: new Date("2031-02-01"), amount: 100_00 },
      ],
    };
    expect(scheduleErrors(spread, 200_00, NOW, bounds)).toEqual(["duration_too_long"]);
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
