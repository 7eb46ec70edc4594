import { addDays } from "~/domain/clock";
import type { DunningEvent, PauseReason } from "~/domain/dunning";
import { isPostgresUrl, openPostgres } from "~/utils/db.server";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { useTestDatabase } from "../../testing/db";
import { applyInvoiceEvent, DunningEventError } from "./invoice-events.server";
import { runDunningTick } from "./tick.server";
import { settleDuePromises } from "./promises.server";

const database = useTestDatabase();
const DUE = new Date("2026-03-31T00:00:00Z");

async function openInvoice() {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db);
  const debtor = await makeDebtor(db, creditor.id);
  const invoice = await makeInvoice(db, { creditorId: creditor.id, debtorId: debtor.id, policy }, { dueDate: DUE, now: addDays(DUE, -20) });
  return { db, creditor, debtor, invoice };
}

describe("applyInvoiceEvent", () => {
  it("pauses on a dispute, records the transition in the trace, and the tick skips the invoice", async () => {
    const { db, creditor, invoice } = await openInvoice();
    await applyInvoiceEvent(db, {
      creditorId: creditor.id,
      invoiceId: invoice.id,
      event: { type: "DISPUTE_OPENED" },
      actor: { type: "DEBTOR", id: invoice.debtorId },
      now: addDays(DUE, 2),
    });
    const state = await db.dunningState.findUniqueOrThrow({ where: { invoiceId: invoice.id } });
    expect(state.pauseReason).toBe("DISPUTE");
    const trace = await db.communication.findFirstOrThrow({ where: { creditorId: creditor.id, kind: "dunning.dispute_opened" } });
    expect(trace).toMatchObject({ actorType: "DEBTOR", direction: "IN", invoiceId: invoice.id });
    expect(trace.data).toMatchObject({ from: { pauseReason: null }, to: { pauseReason: "DISPUTE" } });
    expect((await runDunningTick(db, { now: addDays(DUE, 20), creditorId: creditor.id })).queued).toBe(0);
  });

  it("marks the invoice PAID when a payment covers the balance", async () => {
    const { db, creditor, invoice } = await openInvoice();
    await applyInvoiceEvent(db, {
      creditorId: creditor.id,
      invoiceId: invoice.id,
      event: { type: "PAYMENT_SUCCEEDED", balanceAfter: 0, amountPaidAfter: invoice.amount },
      actor: { type: "PROVIDER" },
      now: addDays(DUE, 3),
    });
    expect((await db.invoice.findUniqueOrThrow({ where: { id: invoice.id } })).status).toBe("PAID");
  });

  it("refuses another creditor's invoice as not found", async () => {
    const { db, invoice } = await openInvoice();
    const other = await makeCreditor(db);
    await expect(
      applyInvoiceEvent(db, {
        creditorId: other.creditor.id,
        invoiceId: invoice.id,
        event: { type: "DISPUTE_OPENED" },
        actor: { type: "STAFF" },
        now: DUE,
      }),
    ).rejects.toMatchObject({ code: "not_found" });
    expect((await db.dunningState.findUniqueOrThrow({ where: { invoiceId: invoice.id } })).pauseReason).toBeNull();
  });

  it("a manual pause needs a reason", async () => {
    const { db, creditor, invoice } = await openInvoice();
    await expect(
      applyInvoiceEvent(db, {
        creditorId: creditor.id,
        invoiceId: invoice.id,
        event: { type: "MANUAL_PAUSE", note: "" },
        actor: { type: "STAFF" },
        now: DUE,
      }),
    ).rejects.toBeInstanceOf(DunningEventError);
  });
});

describe("promises to pay", () => {
  it("a broken promise makes the next level due now; a kept one does not", async () => {
    const { db, creditor, debtor, invoice } = await openInvoice();
    const promisedAt = addDays(DUE, 10);
    await db.promiseToPay.create({
      data: { creditorId: creditor.id, debtorId: debtor.id, invoiceId: invoice.id, promisedAt, amount: invoice.amount },
    });
    await applyInvoiceEvent(db, {
      creditorId: creditor.id,
      invoiceId: invoice.id,
      event: { type: "PROMISE_MADE", until: addDays(promisedAt, 3) },
      actor: { type: "DEBTOR" },
      now: addDays(DUE, 2),
    });

    expect(await settleDuePromises(db, addDays(DUE, 12), { creditorId: creditor.id })).toEqual({ kept: 0, broken: 0 });
    expect(await settleDuePromises(db, addDays(DUE, 14), { creditorId: creditor.id })).toEqual({ kept: 0, broken: 1 });
    expect((await db.promiseToPay.findFirstOrThrow({ where: { invoiceId: invoice.id } })).status).toBe("BROKEN");
    const tick = await runDunningTick(db, { now: addDays(DUE, 14), creditorId: creditor.id });
    expect(tick.queued).toBe(1);
    const row = await db.outboxMessage.findFirstOrThrow({ where: { creditorId: creditor.id } });
    expect(row.templateKey).toBe("first_reminder");
  });
});

type Step = { status: string; level: number; pauseReason: PauseReason | null };
const same = (a: Step, b: Step) => a.status === b.status && a.level === b.level && a.pauseReason === b.pauseReason;

/** True when the trace rows can be put in an order where each starts from the state the previous one left. */
function formsChain(rows: { from: Step; to: Step }[], start: Step, end: Step): boolean {
  const used = rows.map(() => false);
  const walk = (at: Step, left: number): boolean => {
    if (left === 0) return same(at, end);
    return rows.some((row, i) => {
      if (used[i] || !same(row.from, at)) return false;
      used[i] = true;
      const found = walk(row.to, left - 1);
      used[i] = false;
      return found;
    });
  };
  return walk(start, rows.length);
}

describe.skipIf(!isPostgresUrl(process.env.DATABASE_URL))("the door under concurrency (PostgreSQL)", () => {
  it("ten events applied at once on one invoice compose: the strongest pause wins and the trace is one chain", async () => {
    const { db, creditor, invoice } = await openInvoice();
    // A pool of its own, wide enough for ten transactions open at the same time.
    const [row] = await db.$queryRawUnsafe<{ name: string }[]>("SELECT current_database() AS name");
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${row!.name}`;
    const wide = await openPostgres(url.toString(), { max: 12 });
    const now = addDays(DUE, 2);
    const events: DunningEvent[] = [
      { type: "PROMISE_MADE", until: addDays(now, 5) },
      { type: "PAYMENT_PROCESSING", until: addDays(now, 7) },
      { type: "PLAN_PROPOSED" },
      { type: "PLAN_ACTIVATED" },
      { type: "DISPUTE_OPENED" },
      { type: "MANUAL_PAUSE", note: "Customer on the phone with accounts" },
      { type: "PROMISE_MADE", until: addDays(now, 3) },
      { type: "MANUAL_PAUSE", note: "Second look requested" },
      { type: "PAYMENT_PARTIAL", balanceAfter: 40_00, amountPaidAfter: 60_00 },
      { type: "PLAN_REJECTED" },
    ];
    let arrived = 0;
    let release!: () => void;
    const allIn = new Promise<void>((resolve) => (release = resolve));
    try {
      const results = await Promise.allSettled(
        events.map((event) =>
          wide.prisma.$transaction(
            async (tx) => {
              await tx.$queryRawUnsafe("SELECT 1");
              // Released together once every transaction holds its connection.
              if (++arrived === events.length) release();
              await allIn;
              await applyInvoiceEvent(tx, {
                creditorId: creditor.id,
                invoiceId: invoice.id,
                event,
                actor: { type: "STAFF" },
                now,
                note: event.type,
              });
            },
            { maxWait: 20_000, timeout: 20_000 },
          ),
        ),
      );
      expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    } finally {
      await wide.close();
    }

    const state = await db.dunningState.findUniqueOrThrow({ where: { invoiceId: invoice.id } });
    // The strongest of the pauses these events set (PAUSE_STRENGTH; collective proceedings and mediation are not among them).
    expect(state.pauseReason).toBe("MANUAL");
    const saved = await db.invoice.findUniqueOrThrow({ where: { id: invoice.id } });
    expect(saved.status).toBe("PARTIALLY_PAID");

    const trace = await db.communication.findMany({
      where: { creditorId: creditor.id, invoiceId: invoice.id, kind: { startsWith: "dunning." } },
    });
    expect(trace).toHaveLength(events.length);
    const rows = trace.map((t) => t.data as unknown as { from: Step; to: Step });
    expect(
      formsChain(
        rows,
        { status: "OPEN", level: -1, pauseReason: null },
        { status: saved.status, level: state.level, pauseReason: state.pauseReason },
      ),
    ).toBe(true);
  });
});
