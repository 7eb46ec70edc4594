import { applyDunningEvent, describeTransition, promisePauseUntil, type DunningEvent } from "./events";
import { advanceDunning, dueAction, type DunningState } from "./state";
import { day, DUE, J, LEVELS, stateAt } from "./test-factories";

const ctx = (now: Date) => ({ dueDate: DUE, levels: LEVELS, now });

function apply(state: DunningState, event: DunningEvent, now: Date): DunningState {
  const result = applyDunningEvent(state, event, ctx(now));
  if (!result.ok) throw new Error(result.message);
  return result.state;
}

/** What the tick would send at that instant. */
const next = (state: DunningState, now: Date) => dueAction(state, DUE, LEVELS, now)?.templateKey ?? null;

/** First reminder (J+1) sent, 100.00 € owed, second reminder scheduled on J+15. */
const reminded = stateAt(2);

// At least one test per row of the ARCHITECTURE §4 table, due date 2026-03-31.
describe("feedback table (ARCHITECTURE §4)", () => {
  it("payment SUCCEEDED covering the balance → PAID, dunning stops", () => {
    const s = apply(reminded, { type: "PAYMENT_SUCCEEDED", balanceAfter: 0, amountPaidAfter: 100_00 }, J(5));
    expect(s).toMatchObject({ status: "PAID", stoppedAt: J(5), nextActionAt: null, pauseReason: null });
    expect(next(s, J(40))).toBeNull();
  });

  it("partial payment → balance lowered, PARTIALLY_PAID, dunning continues at its level", () => {
    const s = apply(reminded, { type: "PAYMENT_PARTIAL", balanceAfter: 40_00, amountPaidAfter: 60_00 }, J(5));
    expect(s).toMatchObject({ status: "PARTIALLY_PAID", level: 2, nextActionAt: day(15) });
    expect(next(s, J(15))).toBe("second_reminder");
  });

  it("a SUCCEEDED payment that leaves a balance is treated as partial", () => {
    const s = apply(reminded, { type: "PAYMENT_SUCCEEDED", balanceAfter: 40_00, amountPaidAfter: 60_00 }, J(5));
    expect(s).toMatchObject({ status: "PARTIALLY_PAID", level: 2, stoppedAt: null });
  });

  it("payment PROCESSING (SEPA debit) → pause PAYMENT_PROCESSING; success then stops dunning", () => {
    const processing = apply(reminded, { type: "PAYMENT_PROCESSING" }, J(5));
    expect(processing).toMatchObject({ pauseReason: "PAYMENT_PROCESSING", pausedUntil: null, nextActionAt: day(15) });
    expect(next(processing, J(20))).toBeNull();
    const paid = apply(processing, { type: "PAYMENT_SUCCEEDED", balanceAfter: 0, amountPaidAfter: 100_00 }, J(9));
    expect(paid).toMatchObject({ status: "PAID", pauseReason: null });
  });

  it("a PROCESSING pause may carry a safety end, after which dunning runs again", () => {
    const processing = apply(reminded, { type: "PAYMENT_PROCESSING", until: day(19) }, J(5));
    expect(next(processing, J(18))).toBeNull();
    expect(next(processing, J(19))).toBe("call_overdue");
  });

  it("payment FAILED → pause lifted, balance restored, next level due now", () => {
    const processing = apply(reminded, { type: "PAYMENT_PROCESSING" }, J(5));
    const s = apply(processing, { type: "PAYMENT_FAILED", balanceAfter: 100_00, amountPaidAfter: 0 }, J(8));
    expect(s).toMatchObject({ status: "OPEN", level: 2, pauseReason: null, nextActionAt: day(8) });
    expect(next(s, J(8))).toBe("second_reminder");
  });

  it("payment FAILED after an earlier partial payment → back to PARTIALLY_PAID", () => {
    const partial = apply(reminded, { type: "PAYMENT_PARTIAL", balanceAfter: 70_00, amountPaidAfter: 30_00 }, J(4));
    const processing = apply(partial, { type: "PAYMENT_PROCESSING" }, J(5));
    const s = apply(processing, { type: "PAYMENT_FAILED", balanceAfter: 70_00, amountPaidAfter: 30_00 }, J(8));
    expect(s).toMatchObject({ status: "PARTIALLY_PAID", pauseReason: null, nextActionAt: day(8) });
  });

  it("payment CHARGED_BACK on a paid invoice → reopened, next level due now", () => {
    const paid = apply(stateAt(3), { type: "PAYMENT_SUCCEEDED", balanceAfter: 0, amountPaidAfter: 100_00 }, J(16));
    const s = apply(paid, { type: "PAYMENT_CHARGED_BACK", balanceAfter: 100_00, amountPaidAfter: 0 }, J(25));
    expect(s).toMatchObject({ status: "OPEN", level: 3, stoppedAt: null, nextActionAt: day(25) });
    expect(next(s, J(25))).toBe("call_overdue");
  });

  it("plan PROPOSED → pause PLAN_REVIEW", () => {
    const s = apply(reminded, { type: "PLAN_PROPOSED" }, J(5));
    expect(s).toMatchObject({ pauseReason: "PLAN_REVIEW", pausedUntil: null });
    expect(next(s, J(20))).toBeNull();
  });

  it("plan REJECTED → pause lifted, resume at the current level on its calendar", () => {
    const review = apply(reminded, { type: "PLAN_PROPOSED" }, J(5));
    expect(apply(review, { type: "PLAN_REJECTED" }, J(7))).toMatchObject({ pauseReason: null, level: 2, nextActionAt: day(15) });
  });

  it("plan REJECTED after J+16 → due today; the missed J+15 email is not replayed, the J+16 call runs", () => {
    const review = apply(reminded, { type: "PLAN_PROPOSED" }, J(5));
    const s = apply(review, { type: "PLAN_REJECTED" }, J(20));
    expect(s).toMatchObject({ pauseReason: null, level: 2, nextActionAt: day(20) });
    expect(next(s, J(20))).toBe("call_overdue");
  });

  it("plan ACTIVE → dunning replaced by installment reminders: paused with no end", () => {
    const s = apply(apply(reminded, { type: "PLAN_PROPOSED" }, J(5)), { type: "PLAN_ACTIVATED" }, J(6));
    expect(s).toMatchObject({ pauseReason: "PLAN_ACTIVE", pausedUntil: null });
    expect(next(s, J(200))).toBeNull();
  });

  it("installment missed → plan DEFAULTED, pause lifted, the next level up due now", () => {
    const active = apply(reminded, { type: "PLAN_ACTIVATED" }, J(5));
    const s = apply(active, { type: "PLAN_DEFAULTED" }, J(10));
    expect(s).toMatchObject({ pauseReason: null, level: 2, nextActionAt: day(10) });
    expect(next(s, J(10))).toBe("second_reminder");
  });

  it("plan DEFAULTED long after the due date → the latest level whose day has come", () => {
    const active = apply(reminded, { type: "PLAN_ACTIVATED" }, J(5));
    expect(next(apply(active, { type: "PLAN_DEFAULTED" }, J(40)), J(40))).toBe("penalties_notice");
  });

  it("plan COMPLETED → PAID, dunning stops", () => {
    const active = apply(reminded, { type: "PLAN_ACTIVATED" }, J(5));
    expect(apply(active, { type: "PLAN_COMPLETED" }, J(95))).toMatchObject({ status: "PAID", stoppedAt: J(95), pauseReason: null });
  });

  it("plan CANCELLED → the plan's pause is lifted", () => {
    const active = apply(reminded, { type: "PLAN_ACTIVATED" }, J(5));
    expect(apply(active, { type: "PLAN_CANCELLED" }, J(20))).toMatchObject({ pauseReason: null, nextActionAt: day(20) });
  });

  it("dispute OPEN → pause DISPUTE on that invoice only", () => {
    const other = stateAt(2);
    const s = apply(reminded, { type: "DISPUTE_OPENED" }, J(5));
    expect(s.pauseReason).toBe("DISPUTE");
    expect(next(s, J(20))).toBeNull();
    expect(next(other, J(20))).toBe("call_overdue");
  });

  it("dispute RESOLVED_CREDIT → cancelled when nothing is left", () => {
    const disputed = apply(reminded, { type: "DISPUTE_OPENED" }, J(5));
    const s = apply(disputed, { type: "DISPUTE_RESOLVED_CREDIT", balanceAfter: 0, amountPaidAfter: 0 }, J(9));
    expect(s).toMatchObject({ status: "CANCELLED", stoppedAt: J(9), pauseReason: null, nextActionAt: null });
  });

  it("dispute RESOLVED_CREDIT → PAID when payments and the credit cover it together", () => {
    const disputed = apply(reminded, { type: "DISPUTE_OPENED" }, J(5));
    expect(apply(disputed, { type: "DISPUTE_RESOLVED_CREDIT", balanceAfter: 0, amountPaidAfter: 60_00 }, J(9)).status).toBe("PAID");
  });

  it("dispute RESOLVED_CREDIT → invoice adjusted, dunning continues on the rest", () => {
    const disputed = apply(reminded, { type: "DISPUTE_OPENED" }, J(5));
    const s = apply(disputed, { type: "DISPUTE_RESOLVED_CREDIT", balanceAfter: 30_00, amountPaidAfter: 0 }, J(9));
    expect(s).toMatchObject({ status: "OPEN", level: 2, pauseReason: null, nextActionAt: day(15) });
  });

  it("dispute RESOLVED_REJECTED → pause lifted, dunning resumes", () => {
    const disputed = apply(reminded, { type: "DISPUTE_OPENED" }, J(5));
    const s = apply(disputed, { type: "DISPUTE_RESOLVED_REJECTED" }, J(9));
    expect(s).toMatchObject({ pauseReason: null, level: 2, nextActionAt: day(15) });
    expect(next(s, J(15))).toBe("second_reminder");
  });

  it("promise to pay → pause PROMISE until the date + grace; the tick skips it until then", () => {
    // Promised for J+10 with 3 grace days: paused through J+13.
    const until = promisePauseUntil(day(10), 3);
    expect(until).toEqual(day(14));
    const s = apply(reminded, { type: "PROMISE_MADE", until }, J(3));
    expect(s).toMatchObject({ pauseReason: "PROMISE", pausedUntil: day(14) });
    const overdue = { ...s, nextActionAt: day(12) };
    expect(next(overdue, J(13))).toBeNull();
    expect(next(overdue, J(14))).toBe("second_reminder");
  });

  it("a promise must end in the future", () => {
    expect(applyDunningEvent(reminded, { type: "PROMISE_MADE", until: J(2) }, ctx(J(3)))).toMatchObject({ ok: false, code: "invalid" });
  });

  it("promise broken → pause lifted, next level due now", () => {
    const promised = apply(reminded, { type: "PROMISE_MADE", until: day(13) }, J(3));
    const s = apply(promised, { type: "PROMISE_BROKEN" }, J(13));
    expect(s).toMatchObject({ pauseReason: null, nextActionAt: day(13) });
    expect(next(s, J(13))).toBe("second_reminder");
  });

  it("promise broken after the tick already escalated on the pause's expiry → nothing more", () => {
    const promised = apply(stateAt(2, { nextActionAt: day(12) }), { type: "PROMISE_MADE", until: day(13) }, J(3));
    const ticked = advanceDunning(promised, LEVELS, DUE, J(13, 1));
    if (!ticked.ok) throw new Error(ticked.message);
    const result = applyDunningEvent(ticked.state, { type: "PROMISE_BROKEN" }, ctx(J(13)));
    expect(result).toMatchObject({ ok: true, transition: { changed: false } });
  });

  it("promise kept → pause lifted", () => {
    const promised = apply(reminded, { type: "PROMISE_MADE", until: day(13) }, J(3));
    expect(apply(promised, { type: "PROMISE_KEPT" }, J(10))).toMatchObject({ pauseReason: null, nextActionAt: day(15) });
  });

  it("staff manual pause / resume, each with a reason", () => {
    expect(applyDunningEvent(reminded, { type: "MANUAL_PAUSE", note: "  " }, ctx(J(3)))).toMatchObject({
      ok: false,
      code: "note_required",
    });
    const paused = apply(reminded, { type: "MANUAL_PAUSE", note: "Client en redressement judiciaire" }, J(3));
    expect(paused).toMatchObject({ pauseReason: "MANUAL", pausedUntil: null });
    expect(next(paused, J(20))).toBeNull();
    expect(applyDunningEvent(paused, { type: "MANUAL_RESUME", note: "" }, ctx(J(20)))).toMatchObject({ ok: false, code: "note_required" });
    const resumed = apply(paused, { type: "MANUAL_RESUME", note: "Plan de continuation adopté" }, J(20));
    expect(resumed).toMatchObject({ pauseReason: null, level: 2, nextActionAt: day(20) });
  });

  it("a manual pause may end on a date", () => {
    const paused = apply(reminded, { type: "MANUAL_PAUSE", note: "Congés du comptable", until: day(25) }, J(3));
    expect(next(paused, J(24))).toBeNull();
    expect(next(paused, J(25))).toBe("call_overdue");
  });

  it("collective proceedings OPENED → paused with no end; staff cannot resume it by hand; CLOSED resumes", () => {
    const held = apply(reminded, { type: "INSOLVENCY_OPENED" }, J(3));
    expect(held).toMatchObject({ pauseReason: "INSOLVENCY", pausedUntil: null });
    expect(next(held, J(60))).toBeNull();
    expect(applyDunningEvent(held, { type: "MANUAL_RESUME", note: "On relance quand même" }, ctx(J(20)))).toMatchObject({
      ok: false,
      code: "invalid",
    });
    // A weaker pause arriving meanwhile (a promise, a manual pause) does not replace it.
    expect(apply(held, { type: "MANUAL_PAUSE", note: "Congés" }, J(4))).toMatchObject({ pauseReason: "INSOLVENCY" });
    expect(apply(held, { type: "MEDIATION_ENDED" }, J(5))).toMatchObject({ pauseReason: "INSOLVENCY" });
    const closed = apply(held, { type: "INSOLVENCY_CLOSED" }, J(20));
    expect(closed).toMatchObject({ pauseReason: null, level: 2 });
  });

  it("mediation STARTED → paused until it ENDS; it outranks a manual pause but not collective proceedings", () => {
    const manual = apply(reminded, { type: "MANUAL_PAUSE", note: "Attente" }, J(2));
    const mediating = apply(manual, { type: "MEDIATION_STARTED" }, J(3));
    expect(mediating).toMatchObject({ pauseReason: "MEDIATION", pausedUntil: null });
    expect(next(mediating, J(40))).toBeNull();
    expect(apply(mediating, { type: "INSOLVENCY_OPENED" }, J(4))).toMatchObject({ pauseReason: "INSOLVENCY" });
    const ended = apply(mediating, { type: "MEDIATION_ENDED" }, J(20));
    expect(ended).toMatchObject({ pauseReason: null, level: 2 });
    expect(next(ended, J(20))).toBe("call_overdue");
  });
});

describe("pause precedence", () => {
  it("a failed payment does not lift a dispute, but its escalation waits behind it", () => {
    const disputed = apply(reminded, { type: "DISPUTE_OPENED" }, J(5));
    const s = apply(disputed, { type: "PAYMENT_FAILED", balanceAfter: 100_00, amountPaidAfter: 0 }, J(6));
    expect(s).toMatchObject({ pauseReason: "DISPUTE", nextActionAt: day(6) });
    expect(next(s, J(6))).toBeNull();
    expect(next(apply(s, { type: "DISPUTE_RESOLVED_REJECTED" }, J(9)), J(9))).toBe("second_reminder");
  });

  it("a promise does not replace a dispute; a dispute replaces a promise", () => {
    const disputed = apply(reminded, { type: "DISPUTE_OPENED" }, J(5));
    expect(apply(disputed, { type: "PROMISE_MADE", until: day(20) }, J(6)).pauseReason).toBe("DISPUTE");
    const promised = apply(reminded, { type: "PROMISE_MADE", until: day(20) }, J(5));
    expect(apply(promised, { type: "DISPUTE_OPENED" }, J(6))).toMatchObject({ pauseReason: "DISPUTE", pausedUntil: null });
  });

  it("a plan rejection does not lift a manual pause", () => {
    const paused = apply(reminded, { type: "MANUAL_PAUSE", note: "Attente retour avocat" }, J(5));
    expect(apply(paused, { type: "PLAN_REJECTED" }, J(6)).pauseReason).toBe("MANUAL");
  });
});

describe("settled invoices", () => {
  const paid = apply(reminded, { type: "PAYMENT_SUCCEEDED", balanceAfter: 0, amountPaidAfter: 100_00 }, J(5));

  it("refuse requests from people", () => {
    for (const event of [{ type: "DISPUTE_OPENED" }, { type: "PLAN_PROPOSED" }, { type: "PROMISE_MADE", until: day(20) }] as const) {
      expect(applyDunningEvent(paid, event, ctx(J(6)))).toMatchObject({ ok: false, code: "settled" });
    }
  });

  it("absorb late or duplicate facts without change", () => {
    const duplicate = applyDunningEvent(paid, { type: "PAYMENT_SUCCEEDED", balanceAfter: 0, amountPaidAfter: 100_00 }, ctx(J(6)));
    expect(duplicate).toMatchObject({ ok: true, state: paid, transition: { changed: false } });
    expect(apply(paid, { type: "PAYMENT_PROCESSING" }, J(6))).toBe(paid);
  });

  it("a chargeback does not resurrect a cancelled or written-off invoice", () => {
    const cancelled = apply(reminded, { type: "INVOICE_CANCELLED" }, J(5));
    expect(apply(cancelled, { type: "PAYMENT_CHARGED_BACK", balanceAfter: 100_00, amountPaidAfter: 0 }, J(9))).toBe(cancelled);
  });

  it("cancelling or writing off: once, and not a paid invoice", () => {
    const writtenOff = apply(stateAt(7), { type: "INVOICE_WRITTEN_OFF" }, J(200));
    expect(writtenOff).toMatchObject({ status: "WRITTEN_OFF", stoppedAt: J(200) });
    expect(applyDunningEvent(writtenOff, { type: "INVOICE_WRITTEN_OFF" }, ctx(J(201)))).toMatchObject({
      ok: true,
      transition: { changed: false },
    });
    expect(applyDunningEvent(paid, { type: "INVOICE_CANCELLED" }, ctx(J(6)))).toMatchObject({ ok: false, code: "settled" });
  });
});

describe("describeTransition", () => {
  it("summarises the change for the audit trail", () => {
    const result = applyDunningEvent(reminded, { type: "DISPUTE_OPENED" }, ctx(J(5)));
    expect(result.ok && result.transition).toEqual({
      event: "DISPUTE_OPENED",
      from: { status: "OPEN", level: 2, pauseReason: null },
      to: { status: "OPEN", level: 2, pauseReason: "DISPUTE", nextActionAt: day(15) },
      changed: true,
    });
  });

  it("compares dates by value", () => {
    const copy = { ...reminded, nextActionAt: new Date(day(15)) };
    expect(describeTransition(reminded, copy, "PROMISE_KEPT").changed).toBe(false);
  });
});
