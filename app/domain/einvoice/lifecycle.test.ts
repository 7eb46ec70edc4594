import { describe, expect, it } from "vitest";
import { isLifecycleCode, LIFECYCLE_STATUSES, lifecycleEffect, lifecycleLabel, type LifecycleCode } from "./lifecycle";

const codes = Object.keys(LIFECYCLE_STATUSES).map(Number) as LifecycleCode[];

describe("e-invoice life cycle statuses", () => {
  it("lists 200 to 213 with the four mandatory ones, Encaissée emitted by the seller", () => {
    expect(codes).toEqual([200, 201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211, 212, 213]);
    expect(codes.filter((c) => LIFECYCLE_STATUSES[c].mandatory)).toEqual([200, 210, 212, 213]);
    expect(LIFECYCLE_STATUSES[212].emitter).toBe("seller");
    expect(isLifecycleCode("207")).toBe(true);
    expect(isLifecycleCode(214)).toBe(false);
  });

  it("has a French and an English label for every status, never the bare code", () => {
    for (const code of codes) {
      for (const locale of ["fr", "en"] as const) {
        const label = lifecycleLabel(code, locale);
        expect(label).not.toMatch(/\d|_/);
        expect(label.length).toBeGreaterThan(3);
      }
    }
    expect(lifecycleLabel(207, "fr")).toBe("En litige");
    expect(lifecycleLabel(212, "fr")).toBe("Encaissée");
  });
});

describe("lifecycleEffect", () => {
  it("refused and disputed open a dispute (which pauses dunning)", () => {
    expect(lifecycleEffect(210)).toEqual({ kind: "open_dispute", event: "DISPUTE_OPENED" });
    expect(lifecycleEffect(207)).toEqual({ kind: "open_dispute", event: "DISPUTE_OPENED" });
  });

  it("suspended is a manual-style pause, payment sent a pending payment", () => {
    expect(lifecycleEffect(208)).toEqual({ kind: "pause", event: "MANUAL_PAUSE" });
    expect(lifecycleEffect(211)).toEqual({ kind: "payment_pending", event: "PAYMENT_PROCESSING" });
  });

  it("rejected stops the reminders and asks for the invoice to be reissued", () => {
    expect(lifecycleEffect(213)).toEqual({ kind: "stop_and_task", task: "reissue_invoice" });
  });

  it("approved and the delivery statuses are only recorded", () => {
    for (const code of [200, 201, 202, 203, 204, 205, 206, 209, 212] as const) expect(lifecycleEffect(code)).toEqual({ kind: "record" });
  });
});
