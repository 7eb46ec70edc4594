import { PAYMENT_STATUSES, transitionPayment } from "./state";
import { allocatePayment, checkPaymentAmount } from "./allocation";

describe("payment state machine", () => {
  it("walks the card path and the asynchronous SEPA path", () => {
    expect(transitionPayment("CREATED", "REQUIRES_ACTION")).toMatchObject({ changed: true, effect: "none" });
    expect(transitionPayment("REQUIRES_ACTION", "SUCCEEDED")).toMatchObject({ changed: true, effect: "settled" });
    expect(transitionPayment("REQUIRES_ACTION", "PROCESSING")).toMatchObject({ changed: true, effect: "pending" });
    expect(transitionPayment("PROCESSING", "SUCCEEDED")).toMatchObject({ changed: true, effect: "settled" });
    expect(transitionPayment("PROCESSING", "FAILED")).toMatchObject({ changed: true, effect: "failed" });
  });

  it("never moves back: a late 'processing' after 'succeeded' is stale, a redelivery is a duplicate", () => {
    expect(transitionPayment("SUCCEEDED", "PROCESSING")).toEqual({ changed: false, from: "SUCCEEDED", reason: "stale" });
    expect(transitionPayment("SUCCEEDED", "SUCCEEDED")).toEqual({ changed: false, from: "SUCCEEDED", reason: "duplicate" });
    expect(transitionPayment("REFUNDED", "SUCCEEDED")).toMatchObject({ changed: false, reason: "stale" });
    expect(transitionPayment("FAILED", "REQUIRES_ACTION")).toMatchObject({ changed: false, reason: "stale" });
  });

  it("keeps the first outcome, and reverses only money that arrived", () => {
    expect(transitionPayment("SUCCEEDED", "FAILED")).toMatchObject({ changed: false, reason: "not_allowed" });
    expect(transitionPayment("CANCELED", "SUCCEEDED")).toMatchObject({ changed: false, reason: "not_allowed" });
    expect(transitionPayment("PROCESSING", "CHARGED_BACK")).toMatchObject({ changed: false, reason: "not_allowed" });
    expect(transitionPayment("SUCCEEDED", "CHARGED_BACK")).toMatchObject({ changed: true, effect: "reversed" });
    expect(transitionPayment("SUCCEEDED", "REFUNDED")).toMatchObject({ changed: true, effect: "reversed" });
    expect(transitionPayment("REFUNDED", "CHARGED_BACK")).toMatchObject({ changed: false });
  });

  it("lifts a dunning pause only for a payment that had paused it", () => {
    expect(transitionPayment("REQUIRES_ACTION", "CANCELED")).toMatchObject({ changed: true, effect: "none" });
    expect(transitionPayment("PROCESSING", "CANCELED")).toMatchObject({ changed: true, effect: "failed" });
  });

  it("is forward-only over every pair of statuses", () => {
    const order = ["CREATED", "REQUIRES_ACTION", "PROCESSING", "SUCCEEDED", "REFUNDED"];
    for (const from of PAYMENT_STATUSES) {
      for (const to of PAYMENT_STATUSES) {
        const t = transitionPayment(from, to);
        if (t.changed && order.includes(from) && order.includes(to)) expect(order.indexOf(to)).toBeGreaterThan(order.indexOf(from));
      }
    }
  });
});

describe("allocation", () => {
  const items = [
    { id: "b", dueDate: new Date("2026-03-01"), balance: 300_00 },
    { id: "a", dueDate: new Date("2026-01-15"), balance: 100_00 },
    { id: "c", dueDate: new Date("2026-05-01"), balance: 50_00 },
  ];

  it("pays the oldest invoice first by default", () => {
    expect(allocatePayment(250_00, items)).toEqual({ allocations: [{ invoiceId: "a", amount: 100_00 }, { invoiceId: "b", amount: 150_00 }], unallocated: 0 });
  });

  it("pays the invoices the debtor ticked first, and reports what is left over", () => {
    expect(allocatePayment(500_00, items, ["c"])).toEqual({
      allocations: [{ invoiceId: "c", amount: 50_00 }, { invoiceId: "a", amount: 100_00 }, { invoiceId: "b", amount: 300_00 }],
      unallocated: 50_00,
    });
  });

  it("refuses fractional or negative amounts", () => {
    expect(() => allocatePayment(10.5, items)).toThrow(RangeError);
    expect(() => allocatePayment(-1, items)).toThrow(RangeError);
  });

  it("checks the amount against the selection and the creditor's partial-payment rules", () => {
    const rules = { allowPartialPayments: true, minPartialAmount: 10_00 };
    expect(checkPaymentAmount(null, 400_00, rules)).toEqual({ ok: true, amount: 400_00 });
    expect(checkPaymentAmount(400_01, 400_00, rules)).toEqual({ ok: false, code: "amount_too_high" });
    expect(checkPaymentAmount(0, 400_00, rules)).toEqual({ ok: false, code: "amount_invalid" });
    expect(checkPaymentAmount(-5_00, 400_00, rules)).toEqual({ ok: false, code: "amount_invalid" });
    expect(checkPaymentAmount(9_99, 400_00, rules)).toEqual({ ok: false, code: "partial_too_small" });
    expect(checkPaymentAmount(150_00, 400_00, rules)).toEqual({ ok: true, amount: 150_00 });
    expect(checkPaymentAmount(150_00, 400_00, { ...rules, allowPartialPayments: false })).toEqual({ ok: false, code: "partial_not_allowed" });
    expect(checkPaymentAmount(null, 0, rules)).toEqual({ ok: false, code: "nothing_selected" });
  });
});
