import { allocateAsAsked, allocatePayment, checkPaymentAmount } from "./allocation";

describe("allocation", () => {
  const items = [
    { id: "b", dueDate: new Date("2026-03-01"), balance: 300_00 },
    { id: "a", dueDate: new Date("2026-01-15"), balance: 100_00 },
    { id: "c", dueDate: new Date("2026-05-01"), balance: 50_00 },
  ];

  it("pays the oldest invoice first by default", () => {
    expect(allocatePayment(250_00, items)).toEqual({
      allocations: [
        { invoiceId: "a", amount: 100_00 },
        { invoiceId: "b", amount: 150_00 },
      ],
      unallocated: 0,
    });
  });

  it("pays the invoices the debtor ticked first, and reports what is left over", () => {
    expect(allocatePayment(500_00, items, ["c"])).toEqual({
      allocations: [
        { invoiceId: "c", amount: 50_00 },
        { invoiceId: "a", amount: 100_00 },
        { invoiceId: "b", amount: 300_00 },
      ],
      unallocated: 50_00,
    });
  });

  it("leaves settled invoices and credit balances out, and an amount of zero allocates nothing", () => {
    const withCredit = [
      ...items,
      { id: "d", dueDate: new Date("2025-12-01"), balance: 0 },
      { id: "e", dueDate: new Date("2025-11-01"), balance: -20_00 },
    ];
    expect(allocatePayment(120_00, withCredit)).toEqual({
      allocations: [
        { invoiceId: "a", amount: 100_00 },
        { invoiceId: "b", amount: 20_00 },
      ],
      unallocated: 0,
    });
    expect(allocatePayment(0, items)).toEqual({ allocations: [], unallocated: 0 });
  });

  it("splits equal due dates in a stable order (the invoice id)", () => {
    const sameDay = [
      { id: "y", dueDate: new Date("2026-01-01"), balance: 10_00 },
      { id: "x", dueDate: new Date("2026-01-01"), balance: 10_00 },
    ];
    expect(allocatePayment(15_00, sameDay).allocations).toEqual([
      { invoiceId: "x", amount: 10_00 },
      { invoiceId: "y", amount: 5_00 },
    ]);
  });

  it("refuses fractional or negative amounts", () => {
    expect(() => allocatePayment(10.5, items)).toThrow(RangeError);
    expect(() => allocatePayment(-1, items)).toThrow(RangeError);
    expect(() => allocatePayment(10_00, [{ id: "a", dueDate: new Date("2026-01-01"), balance: 1.5 }])).toThrow(RangeError);
  });

  it("checks the amount against the selection and the creditor's partial-payment rules", () => {
    const rules = { allowPartialPayments: true, minPartialAmount: 10_00 };
    expect(checkPaymentAmount(null, 400_00, rules)).toEqual({ ok: true, amount: 400_00 });
    expect(checkPaymentAmount(400_01, 400_00, rules)).toEqual({ ok: false, code: "amount_too_high" });
    expect(checkPaymentAmount(0, 400_00, rules)).toEqual({ ok: false, code: "amount_invalid" });
    expect(checkPaymentAmount(-5_00, 400_00, rules)).toEqual({ ok: false, code: "amount_invalid" });
    expect(checkPaymentAmount(9_99, 400_00, rules)).toEqual({ ok: false, code: "partial_too_small" });
    expect(checkPaymentAmount(150_00, 400_00, rules)).toEqual({ ok: true, amount: 150_00 });
    expect(checkPaymentAmount(150_00, 400_00, { ...rules, allowPartialPayments: false })).toEqual({
      ok: false,
      code: "partial_not_allowed",
    });
    expect(checkPaymentAmount(null, 0, rules)).toEqual({ ok: false, code: "nothing_selected" });
  });
});

describe("allocateAsAsked (staff said what each invoice takes)", () => {
  const items = [
    { id: "old", dueDate: new Date("2026-01-01"), balance: 300_00 },
    { id: "new", dueDate: new Date("2026-02-01"), balance: 200_00 },
  ];
  it("books the amounts asked, not oldest first; the rest is unallocated", () => {
    expect(
      allocateAsAsked(300_00, items, [
        { invoiceId: "old", amount: 50_00 },
        { invoiceId: "new", amount: 200_00 },
      ]),
    ).toEqual({
      allocations: [
        { invoiceId: "old", amount: 50_00 },
        { invoiceId: "new", amount: 200_00 },
      ],
      unallocated: 50_00,
    });
  });
  it("never more than an invoice still owes, nor than the payment holds; unknown invoices take nothing", () => {
    expect(
      allocateAsAsked(250_00, items, [
        { invoiceId: "new", amount: 240_00 },
        { invoiceId: "old", amount: 100_00 },
        { invoiceId: "gone", amount: 10_00 },
      ]),
    ).toEqual({
      allocations: [
        { invoiceId: "new", amount: 200_00 },
        { invoiceId: "old", amount: 50_00 },
      ],
      unallocated: 0,
    });
  });
});
