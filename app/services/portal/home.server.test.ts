import { addDays } from "~/domain/clock";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { useTestDatabase } from "../../testing/db";
import { buildSchedule } from "~/domain/installments/plan";
import { proposePlan } from "../plans/plans.server";
import { fixedClock } from "~/domain/clock";
import { getPortalFrame, getPortalHome, getPortalInvoice, getPortalPlans, nextDunningStep } from "./home.server";

const database = useTestDatabase();
const NOW = new Date("2026-05-01T09:00:00Z");

describe("portal home", () => {
  it("shows a business debtor its open invoices, totals and the L441-10 charges as separate claimed items", async () => {
    const db = database.get().prisma;
    const { creditor, policy } = await makeCreditor(db);
    const debtor = await makeDebtor(db, creditor.id, { kind: "BUSINESS" });
    // Due 2026-03-31, 1 000,00 €: 31 days late on 1 May 2026. H1 2026 rate = ECB 2.15 % + 10 = 12.15 %.
    await makeInvoice(
      db,
      { creditorId: creditor.id, debtorId: debtor.id, policy },
      { dueDate: new Date("2026-03-31T00:00:00Z"), amount: 1000_00, now: addDays(NOW, -40) },
    );
    await makeInvoice(
      db,
      { creditorId: creditor.id, debtorId: debtor.id, policy },
      { dueDate: new Date("2026-05-20T00:00:00Z"), amount: 500_00, now: addDays(NOW, -40) },
    );
    const home = await getPortalHome(db, { creditorId: creditor.id, debtorId: debtor.id, sessionId: "s" }, NOW);
    expect(home.invoices.map((i) => i.status)).toEqual(["late", "due"]);
    // Claimed: the balances plus the charges, as the letters claim them.
    expect(home.totals).toEqual({ currency: "EUR", totalDue: 1500_00, overdue: 1000_00, planned: 0, claimed: 1500_00 + 1032 + 4000 });
    // 100 000 cents × 1215 bps × 31 days / (10 000 × 365) = 1 031.9 → 1 032 cents
    expect(home.lateCharges).toMatchObject({ interest: 1032, indemnity: 4000, invoices: 1 });
  });

  it("never shows the €40 or commercial penalties to a consumer", async () => {
    const db = database.get().prisma;
    const { creditor, policy } = await makeCreditor(db);
    const debtor = await makeDebtor(db, creditor.id, { kind: "CONSUMER" });
    await makeInvoice(
      db,
      { creditorId: creditor.id, debtorId: debtor.id, policy },
      { dueDate: new Date("2026-03-31T00:00:00Z"), amount: 1000_00, now: addDays(NOW, -40) },
    );
    const home = await getPortalHome(db, { creditorId: creditor.id, debtorId: debtor.id, sessionId: "s" }, NOW);
    expect(home.lateCharges).toMatchObject({ interest: 0, indemnity: 0 });
  });

  it("only ever returns the session debtor's invoices", async () => {
    const db = database.get().prisma;
    const { creditor, policy } = await makeCreditor(db);
    const a = await makeDebtor(db, creditor.id);
    const b = await makeDebtor(db, creditor.id);
    const bInvoice = await makeInvoice(db, { creditorId: creditor.id, debtorId: b.id, policy }, { dueDate: NOW, now: NOW });
    const home = await getPortalHome(db, { creditorId: creditor.id, debtorId: a.id, sessionId: "s" }, NOW);
    expect(home.invoices).toEqual([]);
    expect(await getPortalInvoice(db, { creditorId: creditor.id, debtorId: a.id, sessionId: "s" }, bInvoice.id)).toBeNull();
    const other = await makeCreditor(db);
    expect(await getPortalInvoice(db, { creditorId: other.creditor.id, debtorId: b.id, sessionId: "s" }, bInvoice.id)).toBeNull();
  });
  it("an accepted plan: its invoices are neither late nor charged, and the home shows the next installment (paid by hand or collected by GoCardless)", async () => {
    const db = database.get().prisma;
    const { creditor, policy } = await makeCreditor(db);
    const debtor = await makeDebtor(db, creditor.id, { kind: "BUSINESS" });
    const identity = { creditorId: creditor.id, debtorId: debtor.id, sessionId: "s" };
    const planned = await makeInvoice(
      db,
      { creditorId: creditor.id, debtorId: debtor.id, policy },
      { dueDate: new Date("2026-03-31T00:00:00Z"), amount: 900_00, now: addDays(NOW, -40) },
    );
    await makeInvoice(
      db,
      { creditorId: creditor.id, debtorId: debtor.id, policy },
      { dueDate: new Date("2026-03-31T00:00:00Z"), amount: 1000_00, now: addDays(NOW, -40) },
    );
    const { status, planId } = await proposePlan(
      db,
      identity,
      { invoiceIds: [planned.id], schedule: buildSchedule({ total: 900_00, count: 3, firstDate: addDays(NOW, 5) }) },
      fixedClock(NOW),
    );
    expect(status).toBe("ACTIVE");

    const home = await getPortalHome(db, identity, NOW);
    expect(home.invoices.find((i) => i.id === planned.id)).toMatchObject({ status: "plan", daysLate: 0 });
    expect(home.totals).toMatchObject({ totalDue: 1900_00, overdue: 1000_00, planned: 900_00 });
    // Only the invoice outside the plan carries charges: 1 032 cents and one €40 (see the first test).
    expect(home.lateCharges).toMatchObject({ interest: 1032, indemnity: 4000, invoices: 1 });
    expect(home.claim.total).toBe(1000_00 + 1032 + 4000);

    const [plan] = await getPortalPlans(db, identity);
    expect(plan!.next).toMatchObject({ dueDate: "2026-05-06", amount: 300_00, autoDebit: false });
    expect(plan!.remaining).toEqual({ count: 3, amount: 900_00 });
    await db.installmentPlan.update({ where: { id: planId }, data: { gocardlessScheduleId: "IS123" } });
    expect((await getPortalPlans(db, identity))[0]!.next).toMatchObject({ autoDebit: true });
  });

  it("reads the next step with the page's invoices, as the emails' nextDunningStep reads it: pauses, ended pauses, plans, stopped and level", async () => {
    const db = database.get().prisma;
    const { creditor, policy } = await makeCreditor(db);
    const debtor = await makeDebtor(db, creditor.id, { kind: "BUSINESS" });
    const identity = { creditorId: creditor.id, debtorId: debtor.id, sessionId: "s" };
    const make = (due: string) =>
      makeInvoice(
        db,
        { creditorId: creditor.id, debtorId: debtor.id, policy },
        { dueDate: new Date(due), amount: 100_00, now: addDays(NOW, -60) },
      );
    const [early, middle, late] = [
      await make("2026-03-01T00:00:00Z"),
      await make("2026-03-20T00:00:00Z"),
      await make("2026-04-20T00:00:00Z"),
    ];
    const set = (id: string, data: Record<string, unknown>) => db.dunningState.update({ where: { invoiceId: id }, data });
    await set(early.id, { nextActionAt: new Date("2026-05-03T00:00:00Z"), level: 0 });
    await set(middle.id, { nextActionAt: new Date("2026-05-10T00:00:00Z"), level: -1 });
    await set(late.id, { nextActionAt: new Date("2026-05-20T00:00:00Z"), level: 1 });
    const ids = [early.id, middle.id, late.id];
    const expectSame = async () => {
      const home = await getPortalHome(db, identity, NOW);
      const step = await nextDunningStep(db, creditor.id, ids, NOW);
      expect(home.nextStep).toEqual(step);
      return home.nextStep;
    };
    expect(await expectSame()).toMatchObject({ date: "2026-05-03" });
    // A dispute without an end holds the earliest one: the next running invoice speaks.
    await set(early.id, { pauseReason: "DISPUTE", pausedUntil: null });
    expect(await expectSame()).toMatchObject({ date: "2026-05-10" });
    // A pause whose end has come on the creditor's clock no longer holds.
    await set(early.id, { pauseReason: "PROMISE", pausedUntil: new Date("2026-04-30T00:00:00Z") });
    expect(await expectSame()).toMatchObject({ date: "2026-05-03" });
    await set(early.id, { stoppedAt: NOW });
    await set(middle.id, { nextActionAt: null });
    expect(await expectSame()).toMatchObject({ date: "2026-05-20" });
    await set(late.id, { level: 99 });
    expect(await expectSame()).toBeNull();
  });

  it("reads the debtor and the creditor's face once per request: the layout and the page share it", async () => {
    const db = database.get().prisma;
    const { creditor } = await makeCreditor(db);
    const debtor = await makeDebtor(db, creditor.id);
    const identity = { creditorId: creditor.id, debtorId: debtor.id, sessionId: "s" };
    const context = {};
    const first = getPortalFrame(db, identity, context);
    expect(getPortalFrame(db, { ...identity }, context)).toBe(first);
    // Another request (another load context) reads again: nothing is kept across requests.
    expect(getPortalFrame(db, identity, {})).not.toBe(first);
    expect(getPortalFrame(db, identity)).not.toBe(first);
    expect((await first).creditor.legalName).toBe(creditor.legalName);
    await expect(getPortalFrame(db, { ...identity, creditorId: (await makeCreditor(db)).creditor.id })).rejects.toThrow();
  });
});
