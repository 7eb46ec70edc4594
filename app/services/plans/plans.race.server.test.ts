import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { addDays, fixedClock } from "~/domain/clock";
import { buildSchedule } from "~/domain/installments/plan";
import { isPostgresUrl, openPostgres, type Database, type Db } from "~/utils/db.server";
import { startMockServer } from "../../providers/mocks/index";
import { readEmails } from "../../providers/mocks/utils";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { useTestDatabase } from "../../testing/db";
import { acceptPlan, PlanError, proposePlan, rejectPlan } from "./plans.server";

/**
 * The plan doors under real concurrency: requests released together on a
 * PostgreSQL pool wide enough for all of them (PGlite serialises everything,
 * so these only run against PostgreSQL).
 */
const database = useTestDatabase();
const DUE = new Date("2026-03-31T00:00:00Z");
const NOW = addDays(DUE, 10);
const clock = fixedClock(NOW);
let stop: () => void;
let wide: Database;
beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-plans-race-"));
  stop = startMockServer({ stripe: false, gocardless: false, resend: true });
});
afterAll(async () => {
  stop();
  await wide?.close();
});

async function widePool(db: Db) {
  if (wide) return wide;
  const [row] = await db.$queryRawUnsafe<{ name: string }[]>("SELECT current_database() AS name");
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${row!.name}`;
  wide = await openPostgres(url.toString(), { max: 14 });
  return wide;
}

/** Runs each job in its own transaction; all start their work at the same moment. */
async function together(db: Db, jobs: ((tx: Db) => Promise<unknown>)[]) {
  const pool = await widePool(db);
  let arrived = 0;
  let release!: () => void;
  const allIn = new Promise<void>((resolve) => (release = resolve));
  return Promise.allSettled(
    jobs.map((job) =>
      pool.prisma.$transaction(
        async (tx) => {
          await tx.$queryRawUnsafe("SELECT 1");
          if (++arrived === jobs.length) release();
          await allIn;
          return job(tx);
        },
        { maxWait: 30_000, timeout: 30_000 },
      ),
    ),
  );
}

async function debtorWithInvoices(amounts: number[]) {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db);
  const debtor = await makeDebtor(db, creditor.id);
  const invoices = [];
  for (const amount of amounts)
    invoices.push(
      await makeInvoice(db, { creditorId: creditor.id, debtorId: debtor.id, policy }, { dueDate: DUE, now: addDays(DUE, -20), amount }),
    );
  return { db, creditor, debtor, invoices, identity: { creditorId: creditor.id, debtorId: debtor.id } };
}

/** A plan outside the auto-approval rules (12 installments), waiting for staff. */
async function proposed() {
  const setup = await debtorWithInvoices([700_00, 500_00]);
  const schedule = buildSchedule({ total: 1200_00, count: 12, firstDate: addDays(NOW, 5) });
  const { planId, status } = await proposePlan(setup.db, setup.identity, { invoiceIds: setup.invoices.map((i) => i.id), schedule }, clock);
  expect(status).toBe("PROPOSED");
  return { ...setup, planId };
}

const planActivated = (db: Db, creditorId: string) =>
  db.communication.findMany({ where: { creditorId, kind: "dunning.plan_activated" }, select: { invoiceId: true } });

describe.skipIf(!isPostgresUrl(process.env.DATABASE_URL))("plans under concurrency (PostgreSQL)", () => {
  it("12 proposals at once for the same two invoices make one plan and one confirmation email", async () => {
    const { db, creditor, debtor, invoices, identity } = await debtorWithInvoices([600_00, 300_00]);
    const schedule = buildSchedule({ total: 900_00, count: 3, firstDate: addDays(NOW, 5) });
    // Half list the invoices the other way round: the locks are still taken in one order.
    const results = await together(
      db,
      Array.from(
        { length: 12 },
        (_, n) => (tx: Db) =>
          proposePlan(tx, identity, { invoiceIds: (n % 2 ? [...invoices].reverse() : invoices).map((i) => i.id), schedule }, clock),
      ),
    );
    const ok = results.filter((r) => r.status === "fulfilled");
    expect(ok).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "invoice_unavailable" });
    expect(await db.installmentPlan.count({ where: { creditorId: creditor.id } })).toBe(1);
    expect(await db.planInvoice.count({ where: { creditorId: creditor.id } })).toBe(2);
    expect(readEmails({ to: debtor.email! }).filter((m) => m.subject.includes("échéancier est confirmé"))).toHaveLength(1);
    expect(await planActivated(db, creditor.id)).toHaveLength(2);
  });

  it("12 staff accepts at once of one proposal: one succeeds, one plan_activated per invoice, one email", async () => {
    const { db, creditor, debtor, invoices, planId } = await proposed();
    const results = await together(
      db,
      Array.from({ length: 12 }, (_, n) => (tx: Db) => acceptPlan(tx, creditor.id, planId, { userId: `staff-${n}` }, clock)),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(PlanError);
    const activated = await planActivated(db, creditor.id);
    expect(activated.map((c) => c.invoiceId).sort()).toEqual(invoices.map((i) => i.id).sort());
    expect(readEmails({ to: debtor.email! }).filter((m) => m.subject.includes("échéancier est confirmé"))).toHaveLength(1);
  });

  it("6 accepts and 6 rejects at once: exactly one kind wins and the invoices' pauses match the plan", async () => {
    for (let round = 0; round < 3; round++) {
      const { db, creditor, debtor, planId } = await proposed();
      const jobs = Array.from({ length: 12 }, (_, n) =>
        n % 2 === 0
          ? (tx: Db) => acceptPlan(tx, creditor.id, planId, { userId: `staff-${n}` }, clock).then(() => "accepted")
          : (tx: Db) =>
              rejectPlan(tx, creditor.id, planId, { reason: "Trop long pour ce montant.", staffId: `staff-${n}` }, clock).then(
                () => "rejected",
              ),
      );
      const results = await together(db, jobs);
      const won = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
      expect(won).toHaveLength(1);
      const plan = await db.installmentPlan.findUniqueOrThrow({ where: { id: planId } });
      const pauses = (await db.dunningState.findMany({ where: { creditorId: creditor.id } })).map((s) => s.pauseReason);
      const mails = readEmails({ to: debtor.email! });
      if (won[0] === "accepted") {
        expect(plan.status).toBe("ACTIVE");
        expect(pauses).toEqual(["PLAN_ACTIVE", "PLAN_ACTIVE"]);
        expect(mails.some((m) => m.text?.includes("Trop long"))).toBe(false);
      } else {
        expect(plan.status).toBe("REJECTED");
        expect(pauses).toEqual([null, null]);
        expect(mails.some((m) => m.subject.includes("échéancier est confirmé"))).toBe(false);
      }
    }
  });
});
