import { addDays } from "../clock";
import { DEFAULT_POLICY_LEVELS as LEVELS } from "./policy";
import { advanceDunning, applyDunningEvent, dueAction, initialDunningState, type DunningEvent, type DunningState } from "./state";

const DUE = new Date("2026-03-31T00:00:00Z");
const J = (n: number, hour = 9) => new Date(addDays(DUE, n).getTime() + hour * 3_600_000);
const day = (n: number) => addDays(DUE, n);
const ctx = (now: Date) => ({ dueDate: DUE, levels: LEVELS, now });

/** The state of an invoice whose levels up to `level` ran, next on its calendar date. */
function at(level: number, extra: Partial<DunningState> = {}): DunningState {
  return {
    status: "OPEN", level, nextActionAt: LEVELS[level + 1] ? day(LEVELS[level + 1]!.offsetDays) : null,
    pauseReason: null, pausedUntil: null, stoppedAt: null, lastActionAt: null, ...extra,
  };
}

function apply(state: DunningState, event: DunningEvent, now: Date) {
  const result = applyDunningEvent(state, event, ctx(now));
  if (!result.ok) throw new Error(result.message);
  return result.state;
}

describe("initial state and the calendar", () => {
  it("a new invoice waits for J-8", () => {
    const s = initialDunningState(DUE, LEVELS, J(-20));
    expect(s).toMatchObject({ level: -1, nextActionAt: day(-8) });
  });

  it("an invoice loaded at J+20 starts at the latest due level (J+16 call), not at J-8", () => {
    const s = initialDunningState(DUE, LEVELS, J(20));
    expect(s.level).toBe(3);
    expect(s.nextActionAt).toEqual(day(20));
    expect(dueAction(s, LEVELS, J(20), DUE)?.templateKey).toBe("call_overdue");
  });

  it("walks J-8 … J+60 one level at a time", () => {
    let s = initialDunningState(DUE, LEVELS, J(-20));
    const done: string[] = [];
    for (let d = -20; d <= 70; d++) {
      const step = advanceDunning(s, LEVELS, DUE, J(d));
      if (step) {
        done.push(`${d}:${step.executed.templateKey}`);
        s = step.state;
      }
    }
    expect(done).toEqual([
      "-8:courtesy_reminder", "-3:call_before_due", "1:first_reminder", "15:second_reminder",
      "16:call_overdue", "30:penalties_notice", "45:formal_notice", "60:litigation_handoff",
    ]);
    expect(s.nextActionAt).toBeNull();
  });
});

// One test (at least) per row of ARCHITECTURE §4.
describe("feedback table (ARCHITECTURE §4)", () => {
  it("payment SUCCEEDED covering the balance → PAID, dunning stops", () => {
    const s = apply(at(2), { type: "PAYMENT_SUCCEEDED", balanceAfter: 0, amountPaidAfter: 100_00 }, J(5));
    expect(s).toMatchObject({ status: "PAID", nextActionAt: null, stoppedAt: J(5) });
    expect(dueAction(s, LEVELS, J(40), DUE)).toBeNull();
  });

  it("partial payment → balance lowered, dunning continues at its level", () => {
    const s = apply(at(2), { type: "PAYMENT_SUCCEEDED", balanceAfter: 40_00, amountPaidAfter: 60_00 }, J(5));
    expect(s).toMatchObject({ status: "PARTIALLY_PAID", level: 2, nextActionAt: day(15) });
  });

  it("payment PROCESSING (SEPA / bank debit) → pause PAYMENT_PROCESSING", () => {
    const s = apply(at(2), { type: "PAYMENT_PROCESSING" }, J(5));
    expect(s.pauseReason).toBe("PAYMENT_PROCESSING");
    expect(dueAction(s, LEVELS, J(20), DUE)).toBeNull();
  });

  it("payment FAILED → pause lifted, balance restored, next level due now", () => {
    const processing = apply(at(2), { type: "PAYMENT_PROCESSING" }, J(5));
    const s = apply(processing, { type: "PAYMENT_FAILED", balanceAfter: 100_00, amountPaidAfter: 0 }, J(8));
    expect(s).toMatchObject({ status: "OPEN", pauseReason: null, nextActionAt: J(8) });
    expect(dueAction(s, LEVELS, J(8), DUE)?.templateKey).toBe("second_reminder");
  });

  it("CHARGED_BACK on a paid invoice reopens it and makes the next level due now", () => {
    const paid = apply(at(3), { type: "PAYMENT_SUCCEEDED", balanceAfter: 0, amountPaidAfter: 100_00 }, J(16));
    const s = apply(paid, { type: "PAYMENT_CHARGED_BACK", balanceAfter: 100_00, amountPaidAfter: 0 }, J(25));
    expect(s).toMatchObject({ status: "OPEN", stoppedAt: null, nextActionAt: J(25) });
  });

  it("plan PROPOSED → pause PLAN_REVIEW", () => {
    expect(apply(at(2), { type: "PLAN_PROPOSED" }, J(5)).pauseReason).toBe("PLAN_REVIEW");
  });

  it("plan REJECTED → pause lifted, resume at the current level", () => {
    const review = apply(at(2), { type: "PLAN_PROPOSED" }, J(5));
    const s = apply(review, { type: "PLAN_REJECTED" }, J(20));
    // Resumes at the same level, due now; the J+15 email missed during the review
    // is not replayed: the latest level whose date has come (J+16 call) runs.
    expect(s).toMatchObject({ pauseReason: null, level: 2, nextActionAt: day(20) });
    expect(dueAction(s, LEVELS, J(20), DUE)?.templateKey).toBe("call_overdue");
  });

  it("plan ACTIVE → dunning replaced by installment reminders (paused, no end)", () => {
    const s = apply(apply(at(2), { type: "PLAN_PROPOSED" }, J(5)), { type: "PLAN_ACTIVATED" }, J(6));
    expect(s).toMatchObject({ pauseReason: "PLAN_ACTIVE", pausedUntil: null });
    expect(dueAction(s, LEVELS, J(200), DUE)).toBeNull();
  });

  it("installment missed → plan DEFAULTED, dunning resumes one level up, due now", () => {
    const active = apply(at(2), { type: "PLAN_ACTIVATED" }, J(5));
    const s = apply(active, { type: "PLAN_DEFAULTED" }, J(40));
    expect(s).toMatchObject({ pauseReason: null, level: 3, nextActionAt: J(40) });
    expect(dueAction(s, LEVELS, J(40), DUE)?.templateKey).toBe("penalties_notice");
  });

  it("plan COMPLETED → PAID", () => {
    expect(apply(apply(at(2), { type: "PLAN_ACTIVATED" }, J(5)), { type: "PLAN_COMPLETED" }, J(90)).status).toBe("PAID");
  });

  it("dispute OPEN → pause DISPUTE on that invoice only", () => {
    const s = apply(at(2), { type: "DISPUTE_OPENED" }, J(5));
    expect(s.pauseReason).toBe("DISPUTE");
    expect(at(2).pauseReason).toBeNull();
  });

  it("dispute RESOLVED_CREDIT → invoice adjusted (continues) or cancelled (nothing left)", () => {
    const disputed = apply(at(2), { type: "DISPUTE_OPENED" }, J(5));
    expect(apply(disputed, { type: "DISPUTE_RESOLVED_CREDIT", balanceAfter: 0, amountPaidAfter: 0 }, J(9)).status).toBe("CANCELLED");
    const adjusted = apply(disputed, { type: "DISPUTE_RESOLVED_CREDIT", balanceAfter: 30_00, amountPaidAfter: 0 }, J(9));
    expect(adjusted).toMatchObject({ status: "OPEN", pauseReason: null, nextActionAt: day(15) });
  });

  it("dispute RESOLVED_REJECTED → pause lifted", () => {
    const s = apply(apply(at(2), { type: "DISPUTE_OPENED" }, J(5)), { type: "DISPUTE_RESOLVED_REJECTED" }, J(9));
    expect(s).toMatchObject({ pauseReason: null, nextActionAt: day(15) });
  });

  it("promise to pay → pause PROMISE until date + grace; the tick ignores it until then", () => {
    const s = apply(at(2), { type: "PROMISE_MADE", until: day(13) }, J(3));
    expect(s).toMatchObject({ pauseReason: "PROMISE", pausedUntil: day(13) });
    expect(dueAction({ ...s, nextActionAt: day(10) }, LEVELS, J(11), DUE)).toBeNull();
  });

  it("promise broken → next level due now", () => {
    const promised = apply(at(2), { type: "PROMISE_MADE", until: day(13) }, J(3));
    const s = apply(promised, { type: "PROMISE_BROKEN" }, J(14));
    expect(s).toMatchObject({ pauseReason: null, nextActionAt: J(14) });
    expect(dueAction(s, LEVELS, J(14), DUE)?.templateKey).toBe("second_reminder");
  });

  it("staff manual pause / resume need a reason", () => {
    const refused = applyDunningEvent(at(2), { type: "MANUAL_PAUSE", note: "  " }, ctx(J(3)));
    expect(refused).toMatchObject({ ok: false, code: "note_required" });
    const paused = apply(at(2), { type: "MANUAL_PAUSE", note: "Client en redressement judiciaire" }, J(3));
    expect(paused.pauseReason).toBe("MANUAL");
    const resumed = apply(paused, { type: "MANUAL_RESUME", note: "Plan de continuation adopté" }, J(20));
    expect(resumed).toMatchObject({ pauseReason: null, nextActionAt: day(20) });
  });
});

describe("catching up after a pause", () => {
  it("a level whose date passed during a pause is not replayed: the latest due level runs", () => {
    const paused = apply(at(-1), { type: "MANUAL_PAUSE", note: "Litige commercial en cours de règlement" }, J(-10));
    const resumed = apply(paused, { type: "MANUAL_RESUME", note: "Accord trouvé" }, J(10));
    const step = advanceDunning(resumed, LEVELS, DUE, J(10));
    expect(step?.executed.templateKey).toBe("first_reminder");
    expect(step?.state).toMatchObject({ level: 2, nextActionAt: day(15) });
  });
});

describe("pause precedence and settled invoices", () => {
  it("a failed payment does not lift a dispute", () => {
    const disputed = apply(at(2), { type: "DISPUTE_OPENED" }, J(5));
    const s = apply(disputed, { type: "PAYMENT_FAILED", balanceAfter: 100_00, amountPaidAfter: 0 }, J(6));
    expect(s.pauseReason).toBe("DISPUTE");
  });

  it("a promise does not replace a dispute", () => {
    const disputed = apply(at(2), { type: "DISPUTE_OPENED" }, J(5));
    expect(apply(disputed, { type: "PROMISE_MADE", until: day(20) }, J(6)).pauseReason).toBe("DISPUTE");
  });

  it("refuses events on a settled invoice, except a payment reversal", () => {
    const paid = apply(at(2), { type: "PAYMENT_SUCCEEDED", balanceAfter: 0, amountPaidAfter: 100_00 }, J(5));
    expect(applyDunningEvent(paid, { type: "DISPUTE_OPENED" }, ctx(J(6)))).toMatchObject({ ok: false, code: "settled" });
  });

  it("describes the transition for the trace", () => {
    const result = applyDunningEvent(at(2), { type: "DISPUTE_OPENED" }, ctx(J(5)));
    expect(result.ok && result.transition).toEqual({
      event: "DISPUTE_OPENED",
      from: { status: "OPEN", level: 2, pauseReason: null },
      to: { status: "OPEN", level: 2, pauseReason: "DISPUTE", nextActionAt: day(15) },
    });
  });
});
