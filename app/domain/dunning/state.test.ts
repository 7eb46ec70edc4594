import {
  advanceDunning,
  carryLevel,
  dueAction,
  dueNow,
  initialDunningState,
  isPaused,
  pauseDunning,
  rescheduleDunning,
  resumeDunning,
  scheduleNext,
  stopDunning,
  type DunningState,
} from "./state";
import { day, DUE, J, LEVELS, stateAt } from "./test-factories";

function unwrap<T extends { ok: boolean }>(result: T): Extract<T, { ok: true }> {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result as Extract<T, { ok: true }>;
}

describe("initialDunningState", () => {
  it("a new invoice waits for J-8", () => {
    const s = initialDunningState(DUE, LEVELS, J(-20));
    expect(s).toMatchObject({ status: "OPEN", level: -1, nextActionAt: day(-8), pauseReason: null, stoppedAt: null });
    expect(dueAction(s, DUE, LEVELS, J(-9))).toBeNull();
    expect(dueAction(s, DUE, LEVELS, J(-8))?.templateKey).toBe("courtesy_reminder");
  });

  it("an invoice loaded at J+30 starts at the penalties notice, not by replaying J-8 … J+16", () => {
    const s = initialDunningState(DUE, LEVELS, J(30));
    expect(s).toMatchObject({ level: 4, nextActionAt: day(30) });
    expect(dueAction(s, DUE, LEVELS, J(30))?.templateKey).toBe("penalties_notice");
  });

  it("an invoice loaded at J+20 starts with the J+16 call", () => {
    const s = initialDunningState(DUE, LEVELS, J(20));
    expect(s).toMatchObject({ level: 3, nextActionAt: day(20) });
    expect(dueAction(s, DUE, LEVELS, J(20))?.templateKey).toBe("call_overdue");
  });

  it("catch-up is literal: an invoice loaded at J+70 goes straight to the hand-off (mirrors the tick SQL)", () => {
    const s = initialDunningState(DUE, LEVELS, J(70));
    expect(dueAction(s, DUE, LEVELS, J(70))?.templateKey).toBe("litigation_handoff");
  });

  it("a policy without levels never acts", () => {
    expect(initialDunningState(DUE, [], J(0)).nextActionAt).toBeNull();
  });
});

describe("the calendar", () => {
  it("walks J-8 … J+60 one level on each level's day, then stops scheduling", () => {
    let s = initialDunningState(DUE, LEVELS, J(-20));
    const done: string[] = [];
    for (let d = -20; d <= 70; d++) {
      const step = advanceDunning(s, LEVELS, DUE, J(d));
      if (step.ok) {
        done.push(`J${d >= 0 ? "+" : ""}${d}:${step.executed.templateKey}`);
        s = step.state;
      }
    }
    expect(done).toEqual([
      "J-8:courtesy_reminder",
      "J-3:call_before_due",
      "J+1:first_reminder",
      "J+15:second_reminder",
      "J+16:call_overdue",
      "J+30:penalties_notice",
      "J+45:formal_notice",
      "J+60:litigation_handoff",
    ]);
    expect(s).toMatchObject({ level: 7, nextActionAt: null, lastActionAt: J(60) });
  });

  it("scheduleNext gives the next level's day, today when it has passed, null after the last", () => {
    expect(scheduleNext(stateAt(2), DUE, LEVELS, J(5))).toEqual(day(15));
    expect(scheduleNext(stateAt(2), DUE, LEVELS, J(20))).toEqual(day(20));
    expect(scheduleNext(stateAt(7), DUE, LEVELS, J(70))).toBeNull();
  });

  it("advancing says why nothing ran", () => {
    expect(advanceDunning(stateAt(2), LEVELS, DUE, J(14))).toMatchObject({ ok: false, code: "not_due" });
    expect(advanceDunning(stateAt(2, { pauseReason: "DISPUTE" }), LEVELS, DUE, J(20))).toMatchObject({ ok: false, code: "paused" });
    expect(advanceDunning(stateAt(2, { status: "PAID", stoppedAt: J(3) }), LEVELS, DUE, J(20))).toMatchObject({
      ok: false,
      code: "settled",
    });
    // Due but nothing left: the tick clears nextActionAt (see its `settled` CTE).
    expect(advanceDunning(stateAt(7, { nextActionAt: day(61) }), LEVELS, DUE, J(62))).toMatchObject({ ok: false, code: "exhausted" });
    // A paused or not-yet-due settled row is left alone by the tick: it says so before "settled".
    expect(advanceDunning(stateAt(2, { status: "PAID", pauseReason: "DISPUTE" }), LEVELS, DUE, J(20))).toMatchObject({
      ok: false,
      code: "paused",
    });
    expect(advanceDunning(stateAt(2, { status: "PAID" }), LEVELS, DUE, J(14))).toMatchObject({ ok: false, code: "not_due" });
  });

  it("an expired pause no longer holds; the tick clears it when it runs the level", () => {
    const s = stateAt(2, { pauseReason: "PROMISE", pausedUntil: day(18) });
    expect(dueAction(s, DUE, LEVELS, J(17))).toBeNull();
    const step = unwrap(advanceDunning(s, LEVELS, DUE, J(18)));
    expect(step.executed.templateKey).toBe("call_overdue");
    expect(step.state).toMatchObject({ level: 4, pauseReason: null, pausedUntil: null, nextActionAt: day(30) });
  });

  it("a settled status stops the tick even without stoppedAt (status changed elsewhere)", () => {
    expect(dueAction(stateAt(2, { status: "WRITTEN_OFF" }), DUE, LEVELS, J(20))).toBeNull();
  });
});

describe("pauseDunning", () => {
  it("pauses without touching the calendar", () => {
    const s = unwrap(pauseDunning(stateAt(2), "DISPUTE", null, J(5))).state;
    expect(s).toMatchObject({ pauseReason: "DISPUTE", pausedUntil: null, nextActionAt: day(15) });
  });

  it("a weaker pause is dropped while a stronger one holds; a stronger one replaces it", () => {
    const disputed = stateAt(2, { pauseReason: "DISPUTE" });
    expect(unwrap(pauseDunning(disputed, "PROMISE", day(20), J(5))).state).toBe(disputed);
    const promised = stateAt(2, { pauseReason: "PROMISE", pausedUntil: day(20) });
    expect(unwrap(pauseDunning(promised, "DISPUTE", null, J(5))).state).toMatchObject({ pauseReason: "DISPUTE", pausedUntil: null });
  });

  it("an expired stronger pause no longer blocks a new one", () => {
    const expired = stateAt(2, { pauseReason: "MANUAL", pausedUntil: day(4) });
    expect(unwrap(pauseDunning(expired, "PROMISE", day(20), J(5))).state.pauseReason).toBe("PROMISE");
  });

  it("refuses an end in the past and a settled invoice", () => {
    expect(pauseDunning(stateAt(2), "PROMISE", J(4), J(5))).toMatchObject({ ok: false, code: "invalid" });
    expect(pauseDunning(stateAt(2, { status: "PAID", stoppedAt: J(3) }), "DISPUTE", null, J(5))).toMatchObject({
      ok: false,
      code: "settled",
    });
  });
});

describe("resumeDunning and dueNow", () => {
  const paused: DunningState = stateAt(2, { pauseReason: "DISPUTE" });

  it("keeps the level and a future next action", () => {
    expect(unwrap(resumeDunning(paused, J(5))).state).toMatchObject({ level: 2, pauseReason: null, nextActionAt: day(15) });
  });

  it("a next action whose day passed during the pause becomes due today", () => {
    expect(unwrap(resumeDunning(paused, J(20))).state.nextActionAt).toEqual(day(20));
  });

  it("lifts only the pause it names", () => {
    expect(unwrap(resumeDunning(paused, J(5), { reason: "PROMISE" })).state).toBe(paused);
  });

  it("advance makes the next level due now, and is kept under a pause that still holds", () => {
    expect(unwrap(resumeDunning(paused, J(5), { advance: true })).state).toMatchObject({ pauseReason: null, nextActionAt: day(5) });
    const held = unwrap(resumeDunning(paused, J(5), { reason: "PROMISE", advance: true })).state;
    expect(held).toMatchObject({ pauseReason: "DISPUTE", nextActionAt: day(5) });
    expect(dueAction(held, DUE, LEVELS, J(5))).toBeNull();
  });

  it("dueNow does nothing once the last level ran, and refuses a settled invoice", () => {
    expect(unwrap(dueNow(stateAt(7), J(70))).state.nextActionAt).toBeNull();
    expect(unwrap(dueNow(stateAt(2), J(5))).state.nextActionAt).toEqual(day(5));
    expect(dueNow(stateAt(2, { status: "CANCELLED", stoppedAt: J(3) }), J(5))).toMatchObject({ ok: false, code: "settled" });
  });
});

describe("on the creditor's clock (decision 012)", () => {
  // 02:00 UTC on day 15 is still day 14 at 22:00 in Guadeloupe, already day 15 at 03:00 in Paris.
  const at = new Date(day(15).getTime() + 2 * 3_600_000);
  const waiting = stateAt(2, { nextActionAt: day(15) });
  it("a level falling on the 15th is not due in Guadeloupe yet, and is in Paris", () => {
    expect(advanceDunning(waiting, LEVELS, DUE, at, "America/Guadeloupe")).toMatchObject({ ok: false, code: "not_due" });
    expect(advanceDunning(waiting, LEVELS, DUE, at, "Europe/Paris")).toMatchObject({ ok: true, executed: { offsetDays: 15 } });
  });
  it("'due now' is the creditor's today, and a pause ends on its local day", () => {
    expect(unwrap(dueNow(stateAt(2, { nextActionAt: day(30) }), at, "America/Guadeloupe")).state.nextActionAt).toEqual(day(14));
    const paused = stateAt(2, { pauseReason: "PROMISE", pausedUntil: day(15) });
    expect(isPaused(paused, at, "America/Guadeloupe")).toBe(true);
    expect(isPaused(paused, at, "Europe/Paris")).toBe(false);
  });
});

describe("stopDunning", () => {
  it("stops with a settled status, clearing the pause and the schedule", () => {
    const s = unwrap(stopDunning(stateAt(2, { pauseReason: "DISPUTE" }), "CANCELLED", J(5))).state;
    expect(s).toMatchObject({ status: "CANCELLED", stoppedAt: J(5), nextActionAt: null, pauseReason: null });
  });

  it("is idempotent for the same status, refuses another one or a non-settled status", () => {
    const paid = unwrap(stopDunning(stateAt(2), "PAID", J(5))).state;
    expect(unwrap(stopDunning(paid, "PAID", J(6))).state).toBe(paid);
    expect(stopDunning(paid, "WRITTEN_OFF", J(6))).toMatchObject({ ok: false, code: "settled" });
    expect(stopDunning(stateAt(2), "OPEN", J(6))).toMatchObject({ ok: false, code: "invalid" });
  });
});

describe("rescheduleDunning", () => {
  const NEW_DUE = day(30);

  it("a due date moved later moves the next level with it", () => {
    const s = initialDunningState(DUE, LEVELS, J(-20));
    expect(rescheduleDunning(s, NEW_DUE, LEVELS, J(-20))).toMatchObject({ level: -1, nextActionAt: day(30 - 8) });
  });

  it("a due date moved into the past makes the next level due today; the tick then runs the latest level whose day came", () => {
    const s = stateAt(1); // J-3 call done, J+1 next
    const moved = rescheduleDunning(s, day(-20), LEVELS, J(0));
    expect(moved).toMatchObject({ level: 1, nextActionAt: day(0) });
    expect(dueAction(moved, day(-20), LEVELS, J(0))?.templateKey).toBe("call_overdue"); // J+16 of the new date
  });

  it("keeps the level (nothing replayed), the pause and the status", () => {
    const s = stateAt(3, { pauseReason: "DISPUTE", status: "PARTIALLY_PAID" });
    expect(rescheduleDunning(s, NEW_DUE, LEVELS, J(20))).toMatchObject({
      level: 3,
      pauseReason: "DISPUTE",
      status: "PARTIALLY_PAID",
      nextActionAt: day(30 + 16),
    });
  });

  it("an action already due stays due (an event's due-now is not pushed to midnight)", () => {
    const s = stateAt(2, { nextActionAt: J(5, 7) });
    expect(rescheduleDunning(s, day(-20), LEVELS, J(5)).nextActionAt).toEqual(J(5, 7));
    // …but a due date moved far enough ahead postpones it.
    expect(rescheduleDunning(s, NEW_DUE, LEVELS, J(5)).nextActionAt).toEqual(day(30 + 15));
  });

  it("is the identity on an unchanged calendar, and on a settled invoice", () => {
    expect(rescheduleDunning(stateAt(2), DUE, LEVELS, J(5))).toEqual(stateAt(2));
    const paid = unwrap(stopDunning(stateAt(2), "PAID", J(5))).state;
    expect(rescheduleDunning(paid, NEW_DUE, LEVELS, J(6))).toBe(paid);
  });

  it("on another policy the level is carried by day: nothing replayed, nothing skipped", () => {
    const short = [
      { position: 0, offsetDays: 0, channel: "EMAIL" as const, templateKey: "first_reminder" },
      { position: 1, offsetDays: 20, channel: "EMAIL" as const, templateKey: "second_reminder" },
    ];
    // J+1 reminder done on the default calendar: J+0 of the short one counts as done, J+20 follows.
    expect(carryLevel(2, LEVELS, short)).toBe(0);
    expect(carryLevel(-1, LEVELS, short)).toBe(-1);
    expect(carryLevel(1, LEVELS, short)).toBe(-1);
    expect(rescheduleDunning(stateAt(2), DUE, short, J(5), { fromLevels: LEVELS })).toMatchObject({ level: 0, nextActionAt: day(20) });
    // The hand-off done: everything on the short policy is behind it.
    expect(rescheduleDunning(stateAt(7), DUE, short, J(70), { fromLevels: LEVELS })).toMatchObject({ level: 1, nextActionAt: null });
  });

  it("a policy shortened under the state ends its calendar", () => {
    expect(rescheduleDunning(stateAt(5), DUE, LEVELS.slice(0, 3), J(31))).toMatchObject({ level: 2, nextActionAt: null });
  });
});
