import crypto from "node:crypto";
import { addDays, startOfDayUTC } from "~/domain/clock";
import {
  advanceDunning,
  PAUSE_STRENGTH,
  scheduleNext,
  TEMPLATES_BY_CHANNEL,
  type DunningChannel,
  type DunningLevelSpec,
  type DunningState,
  type InvoiceStatus,
  type PauseReason,
  type Tone,
} from "~/domain/dunning";
import { useTestDatabase } from "../../testing/db";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { runDunningTick } from "./tick.server";

const database = useTestDatabase();
const DUE = new Date("2026-03-31T00:00:00Z");

async function setup() {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db);
  const debtor = await makeDebtor(db, creditor.id);
  return { db, creditor, policy, debtor, ctx: { creditorId: creditor.id, debtorId: debtor.id, policy } };
}

describe("dunning tick", () => {
  it("walks the default French calendar J-8 … J+60, one outbox row per level", async () => {
    const { db, creditor, ctx } = await setup();
    const invoice = await makeInvoice(db, ctx, { dueDate: DUE, now: addDays(DUE, -20) });
    const executed: string[] = [];
    for (let day = -10; day <= 62; day++) {
      const now = addDays(DUE, day);
      const result = await runDunningTick(db, { now, creditorId: creditor.id });
      if (result.queued > 0) {
        const rows = await db.outboxMessage.findMany({ where: { creditorId: creditor.id, createdAt: now } });
        executed.push(...rows.map((r) => `J${day >= 0 ? "+" : ""}${day}:${r.channel}:${r.templateKey}`));
      }
    }
    expect(executed).toEqual([
      "J-8:EMAIL:courtesy_reminder",
      "J-3:CALL_TASK:call_before_due",
      "J+1:EMAIL:first_reminder",
      "J+15:EMAIL:second_reminder",
      "J+16:CALL_TASK:call_overdue",
      "J+30:EMAIL:penalties_notice",
      "J+45:LETTER:formal_notice",
      "J+60:HANDOFF:litigation_handoff",
    ]);
    const keys = await db.outboxMessage.findMany({ where: { invoiceId: invoice.id }, select: { idempotencyKey: true } });
    expect(keys.map((k) => k.idempotencyKey).sort()).toEqual(
      [0, 1, 2, 3, 4, 5, 6, 7].map((n) => `invoice:${invoice.id}:level:${n}`).sort(),
    );
    const state = await db.dunningState.findUniqueOrThrow({ where: { invoiceId: invoice.id } });
    expect(state.level).toBe(7);
    expect(state.nextActionAt).toBeNull();
  });

  it("running the same tick twice creates nothing the second time", async () => {
    const { db, creditor, ctx } = await setup();
    await makeInvoice(db, ctx, { dueDate: DUE, now: addDays(DUE, -20) });
    const now = addDays(DUE, 1);
    const first = await runDunningTick(db, { now, creditorId: creditor.id });
    const second = await runDunningTick(db, { now, creditorId: creditor.id });
    expect(first.queued).toBe(1);
    expect(second).toMatchObject({ scanned: 0, queued: 0 });
  });

  it("groups one debtor's invoices due the same day under one group key", async () => {
    const { db, creditor, ctx } = await setup();
    await makeInvoice(db, ctx, { dueDate: DUE, now: addDays(DUE, -20) });
    await makeInvoice(db, ctx, { dueDate: DUE, now: addDays(DUE, -20) });
    const other = await makeDebtor(db, creditor.id);
    await makeInvoice(db, { ...ctx, debtorId: other.id }, { dueDate: DUE, now: addDays(DUE, -20) });
    await runDunningTick(db, { now: addDays(DUE, 1), creditorId: creditor.id });
    const rows = await db.outboxMessage.findMany({ where: { creditorId: creditor.id } });
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((r) => r.groupKey)).size).toBe(2);
  });

  it("skips paused invoices until the pause ends, and settled invoices for good", async () => {
    const { db, creditor, ctx } = await setup();
    const paused = await makeInvoice(db, ctx, { dueDate: DUE, now: addDays(DUE, -20) });
    const paid = await makeInvoice(db, ctx, { dueDate: DUE, now: addDays(DUE, -20) });
    await db.dunningState.update({ where: { invoiceId: paused.id }, data: { pauseReason: "PROMISE", pausedUntil: addDays(DUE, 10) } });
    await db.invoice.update({ where: { id: paid.id }, data: { status: "PAID", amountPaid: paid.amount } });

    const early = await runDunningTick(db, { now: addDays(DUE, 1), creditorId: creditor.id });
    expect(early.queued).toBe(0);
    expect(early.settled).toBe(1);
    const later = await runDunningTick(db, { now: addDays(DUE, 10), creditorId: creditor.id });
    expect(later.queued).toBe(1);
    const state = await db.dunningState.findUniqueOrThrow({ where: { invoiceId: paused.id } });
    expect(state.pauseReason).toBeNull();
    // J+1 executed late on J+10; J+15 stays on its date.
    expect(state.nextActionAt?.toISOString()).toBe(addDays(DUE, 15).toISOString());
  });

  it("never touches another creditor's invoices when scoped", async () => {
    const a = await setup();
    const b = await setup();
    await makeInvoice(a.db, a.ctx, { dueDate: DUE, now: addDays(DUE, -20) });
    const bInvoice = await makeInvoice(b.db, b.ctx, { dueDate: DUE, now: addDays(DUE, -20) });
    await runDunningTick(a.db, { now: addDays(DUE, 1), creditorId: a.creditor.id });
    expect(await b.db.outboxMessage.count({ where: { creditorId: b.creditor.id } })).toBe(0);
    const state = await b.db.dunningState.findUniqueOrThrow({ where: { invoiceId: bInvoice.id } });
    expect(state.level).toBe(-1);
  });

  it("counts days on the creditor's clock: at 02:00 UTC on the 15th, Guadeloupe is still on the 14th, Paris is not", async () => {
    // The first reminder (J+1) of an invoice due on the 14th falls on the 15th.
    const due = new Date("2026-01-14T00:00:00Z");
    const db = database.get().prisma;
    const queuedAt = async (timeZone: string, now: Date) => {
      const { creditor, policy } = await makeCreditor(db, { timeZone });
      const debtor = await makeDebtor(db, creditor.id);
      const invoice = await makeInvoice(
        db,
        { creditorId: creditor.id, debtorId: debtor.id, policy },
        { dueDate: due, now: addDays(due, -2) },
      );
      // The J-3 call (level 1) has run: J+1 is next, on the 15th.
      await db.dunningState.update({ where: { invoiceId: invoice.id }, data: { level: 1, nextActionAt: addDays(due, 1) } });
      await runDunningTick(db, { now, creditorId: creditor.id });
      return db.outboxMessage.findMany({ where: { invoiceId: invoice.id }, select: { templateKey: true, groupKey: true } });
    };
    expect(await queuedAt("America/Guadeloupe", new Date("2026-01-15T02:00:00Z"))).toEqual([]);
    const paris = await queuedAt("Europe/Paris", new Date("2026-01-15T02:00:00Z"));
    expect(paris).toMatchObject([{ templateKey: "first_reminder" }]);
    expect(paris[0]!.groupKey).toMatch(/:2026-01-15$/);
    // At 04:00 UTC it is the 15th in Guadeloupe too.
    expect(await queuedAt("America/Guadeloupe", new Date("2026-01-15T04:00:00Z"))).toMatchObject([{ templateKey: "first_reminder" }]);
    // Nouméa (UTC+11) reaches the 15th at 13:00 UTC on the 14th.
    expect(await queuedAt("Pacific/Noumea", new Date("2026-01-14T13:30:00Z"))).toMatchObject([{ templateKey: "first_reminder" }]);
  });

  it("processes large sets in bounded batches", async () => {
    const { db, creditor, ctx } = await setup();
    for (let i = 0; i < 7; i++) await makeInvoice(db, ctx, { dueDate: DUE, now: addDays(DUE, -20) });
    const result = await runDunningTick(db, { now: addDays(DUE, 1), creditorId: creditor.id, batchSize: 3 });
    expect(result.batches).toBe(3);
    expect(result.queued).toBe(7);
  });
});

describe("dunning tick under concurrency", () => {
  it("two ticks running at once never queue the same reminder twice", async () => {
    const { db, creditor, ctx } = await setup();
    const n = 120;
    for (let i = 0; i < n; i++) await makeInvoice(db, ctx, { dueDate: DUE, now: addDays(DUE, -20) });
    const now = addDays(DUE, -8);
    const [a, b] = await Promise.all([
      runDunningTick(db, { now, creditorId: creditor.id, batchSize: 10 }),
      runDunningTick(db, { now, creditorId: creditor.id, batchSize: 10 }),
    ]);
    expect(a.queued + b.queued).toBe(n);
    expect(a.advanced + b.advanced).toBe(n);
    expect(await db.outboxMessage.count({ where: { creditorId: creditor.id } })).toBe(n);
    const levels = await db.dunningState.groupBy({ by: ["level"], where: { creditorId: creditor.id }, _count: true });
    expect(levels).toEqual([{ level: 0, _count: n }]);
  });
});

/** A small seeded PRNG (mulberry32): the same seed generates the same cases. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  return { next, int, pick, chance: (p: number) => next() < p };
}

type Rng = ReturnType<typeof prng>;
const CHANNELS = Object.keys(TEMPLATES_BY_CHANNEL) as DunningChannel[];
const TONES: Tone[] = ["CORDIAL", "STANDARD", "FIRM"];
const PAUSES = Object.keys(PAUSE_STRENGTH) as PauseReason[];
const SETTLED_STATUSES: InvoiceStatus[] = ["PAID", "CANCELLED", "WRITTEN_OFF"];

function randomLevels(rng: Rng): DunningLevelSpec[] {
  const offsets = new Set<number>();
  const count = rng.int(1, 8);
  while (offsets.size < count) offsets.add(rng.int(-30, 90));
  return [...offsets]
    .sort((a, b) => a - b)
    .map((offsetDays, position) => {
      const channel = rng.pick(CHANNELS);
      return { position, offsetDays, channel, templateKey: rng.pick(TEMPLATES_BY_CHANNEL[channel]), tone: rng.pick(TONES) };
    });
}

/** Instants that matter around `now`: exactly now, a millisecond either side, midnights, days away. */
function around(rng: Rng, now: Date): Date {
  const today = startOfDayUTC(now);
  return rng.pick([
    () => now,
    () => new Date(now.getTime() - 1),
    () => new Date(now.getTime() + 1),
    () => today,
    () => addDays(today, 1),
    () => addDays(today, rng.int(-40, 40)),
    () => new Date(now.getTime() + rng.int(-5, 5) * 86_400_000 + rng.int(-3_600_000, 3_600_000)),
  ])();
}

function randomState(rng: Rng, levels: DunningLevelSpec[], dueDate: Date, now: Date): DunningState {
  const status: InvoiceStatus = rng.chance(0.7) ? rng.pick(["OPEN", "PARTIALLY_PAID"] as const) : rng.pick(SETTLED_STATUSES);
  const level = rng.int(-1, levels.length - 1);
  const lastActionAt = level >= 0 && rng.chance(0.8) ? addDays(now, -rng.int(1, 60)) : null;
  if (SETTLED_STATUSES.includes(status) && rng.chance(0.5)) {
    // Stopped through the door (stopDunning): no schedule, no pause.
    return {
      status,
      level,
      nextActionAt: null,
      pauseReason: null,
      pausedUntil: null,
      stoppedAt: addDays(now, -rng.int(0, 30)),
      lastActionAt,
    };
  }
  const calendar = () =>
    scheduleNext(
      { status, level, nextActionAt: null, pauseReason: null, pausedUntil: null, stoppedAt: null, lastActionAt },
      dueDate,
      levels,
      addDays(now, -rng.int(0, 20)),
    );
  const nextActionAt = rng.pick([() => null, calendar, calendar, () => around(rng, now), () => around(rng, now)])();
  const paused = rng.chance(0.35);
  const pauseReason = paused ? rng.pick(PAUSES) : null;
  const pausedUntil = paused && rng.chance(0.7) ? around(rng, now) : null;
  return { status, level, nextActionAt, pauseReason, pausedUntil, stoppedAt: null, lastActionAt };
}

/**
 * What the tick must do to one row, from the domain: a level executed as
 * `advanceDunning` computes; `paused` / `not_due` untouched; `settled` and
 * `exhausted` (due, but over or with no level left) get `nextActionAt` cleared.
 */
function expectedTick(state: DunningState, levels: DunningLevelSpec[], dueDate: Date, now: Date, timeZone: string) {
  const step = advanceDunning(state, levels, dueDate, now, timeZone);
  if (step.ok) return { outcome: "advanced", state: step.state, executed: step.executed };
  if (step.code === "settled" || step.code === "exhausted")
    return { outcome: step.code, state: { ...state, nextActionAt: null }, executed: null };
  return { outcome: step.code, state, executed: null };
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

/*
 * One tick per clock over all its generated invoices, compared row by row with
 * the domain. Breaking either side (the SQL running only the next level, the
 * pause boundary, reminding a paid invoice; the domain ignoring missed levels)
 * fails it. "Never before tomorrow" cannot be caught: the level after the one
 * run is after the latest level whose day has come, so its day is tomorrow at
 * the earliest anyway; the clamp is a guard, on both sides.
 */

describe("the tick's SQL makes advanceDunning's choices", () => {
  const SEED = 20260510;
  const CLOCKS = ["2026-05-10T00:00:00.000Z", "2026-05-10T23:59:59.999Z", "2026-05-10T09:13:27.456Z", "2027-01-01T12:00:00.001Z"];
  // Each clock seen from a creditor in another zone: behind UTC, ahead of it, on it.
  const ZONES = ["Europe/Paris", "America/Guadeloupe", "Pacific/Noumea", "UTC"];
  const PER_CLOCK = 120;

  it(`on ${CLOCKS.length * PER_CLOCK} generated states (seed ${SEED}): same level, schedule, pause, last action and outbox rows`, async () => {
    const db = database.get().prisma;
    const rng = prng(SEED);
    const outcomes = new Map<string, number>();
    const mismatches: unknown[] = [];
    for (const [index, clock] of CLOCKS.entries()) {
      const now = new Date(clock);
      const timeZone = ZONES[index % ZONES.length]!;
      const { creditor } = await makeCreditor(db, { timeZone });
      const debtors = await Promise.all([0, 1, 2].map(() => makeDebtor(db, creditor.id)));
      const policies: { id: string; levels: DunningLevelSpec[] }[] = [];
      for (let p = 0; p < 5; p++) {
        const levels = randomLevels(rng);
        const policy = await db.dunningPolicy.create({
          data: {
            creditorId: creditor.id,
            name: `P${p}`,
            levels: { create: levels.map((l) => ({ ...l, tone: l.tone ?? "STANDARD", creditorId: creditor.id })) },
          },
        });
        policies.push({ id: policy.id, levels });
      }
      const cases = Array.from({ length: PER_CLOCK }, (_, i) => {
        const policy = rng.pick(policies);
        const dueDate = addDays(startOfDayUTC(now), rng.int(-100, 60));
        const state = randomState(rng, policy.levels, dueDate, now);
        return { id: crypto.randomUUID(), number: `P-${i}`, debtorId: rng.pick(debtors).id, policy, dueDate, state };
      });
      await db.invoice.createMany({
        data: cases.map((c) => ({
          id: c.id,
          creditorId: creditor.id,
          debtorId: c.debtorId,
          number: c.number,
          issueDate: addDays(c.dueDate, -30),
          dueDate: c.dueDate,
          amount: 100_00,
          amountPaid: c.state.status === "PARTIALLY_PAID" ? 30_00 : 0,
          status: c.state.status,
        })),
      });
      await db.dunningState.createMany({
        data: cases.map((c) => ({
          invoiceId: c.id,
          creditorId: creditor.id,
          policyId: c.policy.id,
          level: c.state.level,
          nextActionAt: c.state.nextActionAt,
          pauseReason: c.state.pauseReason,
          pausedUntil: c.state.pausedUntil,
          stoppedAt: c.state.stoppedAt,
          lastActionAt: c.state.lastActionAt,
        })),
      });

      await runDunningTick(db, { now, creditorId: creditor.id });

      const rows = new Map((await db.dunningState.findMany({ where: { creditorId: creditor.id } })).map((r) => [r.invoiceId, r]));
      const outbox = await db.outboxMessage.findMany({ where: { creditorId: creditor.id } });
      for (const c of cases) {
        const want = expectedTick(c.state, c.policy.levels, c.dueDate, now, timeZone);
        outcomes.set(want.outcome, (outcomes.get(want.outcome) ?? 0) + 1);
        const row = rows.get(c.id)!;
        const got = {
          level: row.level,
          nextActionAt: iso(row.nextActionAt),
          pauseReason: row.pauseReason,
          pausedUntil: iso(row.pausedUntil),
          stoppedAt: iso(row.stoppedAt),
          lastActionAt: iso(row.lastActionAt),
          outbox: outbox
            .filter((m) => m.invoiceId === c.id)
            .map((m) => ({
              key: m.idempotencyKey,
              position: m.levelPosition,
              channel: m.channel,
              templateKey: m.templateKey,
              tone: m.tone,
            })),
        };
        const expected = {
          level: want.state.level,
          nextActionAt: iso(want.state.nextActionAt),
          pauseReason: want.state.pauseReason,
          pausedUntil: iso(want.state.pausedUntil),
          stoppedAt: iso(want.state.stoppedAt),
          lastActionAt: iso(want.state.lastActionAt),
          outbox: want.executed
            ? [
                {
                  key: `invoice:${c.id}:level:${want.executed.position}`,
                  position: want.executed.position,
                  channel: want.executed.channel,
                  templateKey: want.executed.templateKey,
                  tone: want.executed.tone,
                },
              ]
            : [],
        };
        if (JSON.stringify(got) !== JSON.stringify(expected)) {
          mismatches.push({
            now: clock,
            timeZone,
            outcome: want.outcome,
            dueDate: iso(c.dueDate),
            levels: c.policy.levels.map((l) => l.offsetDays),
            before: c.state,
            expected,
            got,
          });
        }
      }
    }
    expect(mismatches.slice(0, 3)).toEqual([]);
    // The generator reaches every branch of the decision, often.
    for (const outcome of ["advanced", "paused", "not_due", "settled", "exhausted"])
      expect(outcomes.get(outcome) ?? 0, outcome).toBeGreaterThanOrEqual(10);
  });
});
