import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { addDays, fixedClock } from "~/domain/clock";
import { buildSchedule } from "~/domain/installments/plan";
import { startMockServer } from "../../providers/mocks/index";
import { readEmails } from "../../providers/mocks/utils";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { useTestDatabase } from "../../testing/db";
import { runDunningTick } from "../dunning/tick.server";
import {
  acceptPlan,
  answerCounterOffer,
  counterPlan,
  counterTotal,
  defaultMissedPlans,
  PlanError,
  proposePlan,
  rejectPlan,
} from "./plans.server";

const database = useTestDatabase();
const DUE = new Date("2026-03-31T00:00:00Z");
const NOW = addDays(DUE, 10);
const clock = fixedClock(NOW);
let stop: () => void;
beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-plans-"));
  stop = startMockServer({ stripe: false, gocardless: false, resend: true });
});
afterAll(() => stop());

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

describe("échéancier proposals", () => {
  it("within the rules: accepted at once, dunning replaced by the plan, schedule emailed", async () => {
    const { db, creditor, debtor, invoices, identity } = await debtorWithInvoices([600_00, 300_00]);
    const schedule = buildSchedule({ total: 900_00, count: 3, firstDate: addDays(NOW, 5) });
    const result = await proposePlan(db, identity, { invoiceIds: invoices.map((i) => i.id), schedule }, clock);
    expect(result).toMatchObject({ status: "ACTIVE", violations: [] });
    const states = await db.dunningState.findMany({ where: { creditorId: creditor.id } });
    expect(states.map((s) => s.pauseReason)).toEqual(["PLAN_ACTIVE", "PLAN_ACTIVE"]);
    expect((await runDunningTick(db, { now: addDays(NOW, 40), creditorId: creditor.id })).queued).toBe(0);
    const mail = readEmails({ to: debtor.email! }).at(-1);
    expect(mail?.subject).toContain("échéancier est confirmé");
    expect(mail?.text).toContain("300,00");
  });

  it("outside the rules: waits for staff with dunning paused; staff accept → active", async () => {
    const { db, creditor, invoices, identity } = await debtorWithInvoices([1200_00]);
    const schedule = buildSchedule({ total: 1200_00, count: 12, firstDate: addDays(NOW, 5) });
    const result = await proposePlan(db, identity, { invoiceIds: [invoices[0]!.id], schedule }, clock);
    expect(result).toMatchObject({ status: "PROPOSED", violations: ["too_many_installments", "too_long"] });
    expect((await db.dunningState.findFirstOrThrow({ where: { creditorId: creditor.id } })).pauseReason).toBe("PLAN_REVIEW");
    await acceptPlan(db, creditor.id, result.planId, { userId: "staff" }, clock);
    expect((await db.installmentPlan.findUniqueOrThrow({ where: { id: result.planId } })).status).toBe("ACTIVE");
    expect((await db.dunningState.findFirstOrThrow({ where: { creditorId: creditor.id } })).pauseReason).toBe("PLAN_ACTIVE");
  });

  it("staff reject with a reason: dunning resumes and the debtor is emailed the reason", async () => {
    const { db, creditor, debtor, invoices, identity } = await debtorWithInvoices([1200_00]);
    const { planId } = await proposePlan(
      db,
      identity,
      { invoiceIds: [invoices[0]!.id], schedule: buildSchedule({ total: 1200_00, count: 12, firstDate: addDays(NOW, 5) }) },
      clock,
    );
    await expect(rejectPlan(db, creditor.id, planId, { reason: " ", staffId: "s" }, clock)).rejects.toMatchObject({
      code: "reason_required",
    });
    await rejectPlan(db, creditor.id, planId, { reason: "Douze mois, c'est trop long pour ce montant.", staffId: "s" }, clock);
    const state = await db.dunningState.findFirstOrThrow({ where: { creditorId: creditor.id } });
    expect(state.pauseReason).toBeNull();
    expect(readEmails({ to: debtor.email! }).at(-1)?.text).toContain("Douze mois");
  });

  it("refuses schedules that do not add up, and invoices of someone else", async () => {
    const { db, invoices, identity } = await debtorWithInvoices([500_00]);
    const other = await debtorWithInvoices([500_00]);
    const bad = { downPayment: 0, installments: [{ dueDate: addDays(NOW, 5), amount: 400_00 }] };
    await expect(proposePlan(db, identity, { invoiceIds: [invoices[0]!.id], schedule: bad }, clock)).rejects.toMatchObject({
      code: "sum_mismatch",
    });
    const past = { downPayment: 0, installments: [{ dueDate: addDays(NOW, -1), amount: 500_00 }] };
    await expect(proposePlan(db, identity, { invoiceIds: [invoices[0]!.id], schedule: past }, clock)).rejects.toMatchObject({
      code: "date_in_past",
    });
    const tenYears = buildSchedule({ total: 500_00, count: 2, firstDate: addDays(NOW, 3650) });
    await expect(proposePlan(db, identity, { invoiceIds: [invoices[0]!.id], schedule: tenYears }, clock)).rejects.toMatchObject({
      code: "first_date_too_far",
    });
    expect(await db.installmentPlan.count({ where: { creditorId: identity.creditorId } })).toBe(0);
    const ok = buildSchedule({ total: 500_00, count: 2, firstDate: addDays(NOW, 5) });
    await expect(proposePlan(db, identity, { invoiceIds: [other.invoices[0]!.id], schedule: ok }, clock)).rejects.toBeInstanceOf(PlanError);
  });

  it("a missed installment defaults the plan and dunning resumes one level up", async () => {
    const { db, creditor, invoices, identity } = await debtorWithInvoices([600_00]);
    const { planId } = await proposePlan(
      db,
      identity,
      { invoiceIds: [invoices[0]!.id], schedule: buildSchedule({ total: 600_00, count: 3, firstDate: addDays(NOW, 5) }) },
      clock,
    );
    expect(await defaultMissedPlans(db, addDays(NOW, 9), { creditorId: creditor.id })).toEqual({ defaulted: 0 });
    expect(await defaultMissedPlans(db, addDays(NOW, 11), { creditorId: creditor.id })).toEqual({ defaulted: 1 });
    expect((await db.installmentPlan.findUniqueOrThrow({ where: { id: planId } })).status).toBe("DEFAULTED");
    const state = await db.dunningState.findFirstOrThrow({ where: { creditorId: creditor.id } });
    expect(state.pauseReason).toBeNull();
    const tick = await runDunningTick(db, { now: addDays(NOW, 11), creditorId: creditor.id });
    expect(tick.queued).toBe(1);
  });

  it("staff counter-propose; the debtor accepts the counter-offer (plan active) or declines it (dunning resumes)", async () => {
    const { db, creditor, debtor, invoices, identity } = await debtorWithInvoices([1200_00]);
    const other = await debtorWithInvoices([1200_00]);
    const { planId, status } = await proposePlan(
      db,
      identity,
      { invoiceIds: [invoices[0]!.id], schedule: buildSchedule({ total: 1200_00, count: 12, firstDate: addDays(NOW, 5) }) },
      clock,
    );
    expect(status).toBe("PROPOSED");
    const six = buildSchedule({ total: 1200_00, count: 6, firstDate: addDays(NOW, 5) });
    await expect(
      counterPlan(
        db,
        creditor.id,
        planId,
        { schedule: buildSchedule({ total: 1000_00, count: 6, firstDate: addDays(NOW, 5) }), reason: "Six mois", staffId: "s" },
        clock,
      ),
    ).rejects.toMatchObject({ code: "sum_mismatch" });
    await expect(
      counterPlan(db, other.creditor.id, planId, { schedule: six, reason: "Six mois", staffId: "s" }, clock),
    ).rejects.toMatchObject({ code: "not_found" });
    const { counterId } = await counterPlan(
      db,
      creditor.id,
      planId,
      { schedule: six, reason: "Six mensualités au plus pour ce montant.", staffId: "s" },
      clock,
    );
    expect((await db.installmentPlan.findUniqueOrThrow({ where: { id: planId } })).status).toBe("COUNTERED");
    expect((await db.dunningState.findFirstOrThrow({ where: { creditorId: creditor.id } })).pauseReason).toBe("PLAN_REVIEW");
    expect(readEmails({ to: debtor.email! }).at(-1)?.text).toContain("200,00");

    // Another debtor cannot answer it.
    await expect(answerCounterOffer(db, other.identity, counterId, "accept", clock)).rejects.toMatchObject({ code: "not_found" });
    await answerCounterOffer(db, identity, counterId, "accept", clock);
    expect((await db.installmentPlan.findUniqueOrThrow({ where: { id: counterId } })).status).toBe("ACTIVE");
    expect((await db.dunningState.findFirstOrThrow({ where: { creditorId: creditor.id } })).pauseReason).toBe("PLAN_ACTIVE");
    await expect(answerCounterOffer(db, identity, counterId, "decline", clock)).rejects.toMatchObject({ code: "not_pending" });

    const second = await debtorWithInvoices([900_00]);
    const proposal = await proposePlan(
      db,
      second.identity,
      { invoiceIds: [second.invoices[0]!.id], schedule: buildSchedule({ total: 900_00, count: 12, firstDate: addDays(NOW, 5) }) },
      clock,
    );
    const counter = await counterPlan(
      db,
      second.creditor.id,
      proposal.planId,
      { schedule: buildSchedule({ total: 900_00, count: 3, firstDate: addDays(NOW, 5) }), reason: "Trois mois.", staffId: "s" },
      clock,
    );
    await answerCounterOffer(db, second.identity, counter.counterId, "decline", clock);
    expect((await db.dunningState.findFirstOrThrow({ where: { creditorId: second.creditor.id } })).pauseReason).toBeNull();
  });
  it("a counter-offer spreads the current balance, not the amount the debtor proposed on", async () => {
    const { db, creditor, invoices, identity } = await debtorWithInvoices([3_100_00]);
    const { planId } = await proposePlan(
      db,
      identity,
      { invoiceIds: [invoices[0]!.id], schedule: buildSchedule({ total: 3_100_00, count: 12, firstDate: addDays(NOW, 5) }) },
      clock,
    );
    // 100 € paid since the proposal: 3 000 € owed.
    await db.invoice.update({ where: { id: invoices[0]!.id }, data: { amountPaid: 100_00, status: "PARTIALLY_PAID" } });
    expect(await counterTotal(db, creditor.id, planId)).toBe(3_000_00);
    const at = (total: number) => ({
      schedule: buildSchedule({ total, count: 6, firstDate: addDays(NOW, 5) }),
      reason: "Six mois.",
      staffId: "s",
    });
    await expect(counterPlan(db, creditor.id, planId, at(3_100_00), clock)).rejects.toMatchObject({ code: "sum_mismatch" });
    const { counterId } = await counterPlan(db, creditor.id, planId, at(3_000_00), clock);
    const counter = await db.installmentPlan.findUniqueOrThrow({ where: { id: counterId }, include: { invoices: true } });
    expect(counter.totalAmount).toBe(3_000_00);
    expect(counter.invoices.map((l) => l.amount)).toEqual([3_000_00]);
  });
});
