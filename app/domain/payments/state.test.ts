import { PAYMENT_STATUSES, transitionPayment } from "./state";

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
