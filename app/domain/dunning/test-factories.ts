import { addDays } from "../clock";
import { DEFAULT_POLICY_LEVELS } from "./policy";
import type { DunningState } from "./state";

/** Test timeline around one due date: J(n) is J+n at 09:00 UTC, day(n) its midnight. */
export const DUE = new Date("2026-03-31T00:00:00Z");
export const LEVELS = DEFAULT_POLICY_LEVELS;
export const day = (n: number) => addDays(DUE, n);
export const J = (n: number, hour = 9) => new Date(day(n).getTime() + hour * 3_600_000);

/** An open invoice whose levels up to `level` ran, the next one scheduled on its calendar day. */
export function stateAt(level: number, extra: Partial<DunningState> = {}): DunningState {
  const next = LEVELS[level + 1];
  return {
    status: "OPEN",
    level,
    nextActionAt: next ? day(next.offsetDays) : null,
    pauseReason: null,
    pausedUntil: null,
    stoppedAt: null,
    lastActionAt: null,
    ...extra,
  };
}
