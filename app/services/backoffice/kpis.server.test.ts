import { addDays, startOfDayUTC } from "~/domain/clock";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { useTestDatabase } from "../../testing/db";
import { creditorKpis } from "./kpis.server";

const database = useTestDatabase();
const NOW = new Date("2026-04-02T10:00:00Z");
const TODAY = startOfDayUTC(NOW);

async function pay(
  db: ReturnType<typeof database.get>["prisma"],
  ids: { creditorId: string; debtorId: string; invoiceId: string },
  amount: number,
  at: Date,
) {
  await db.payment.create({
    data: {
      creditorId: ids.creditorId,
      debtorId: ids.debtorId,
      provider: "TRANSFER",
      status: "SUCCEEDED",
      amount,
      succeededAt: at,
      idempotencyKey: `pay-${ids.invoiceId}-${at.getTime()}`,
      allocations: { create: { creditorId: ids.creditorId, invoiceId: ids.invoiceId, amount } },
    },
  });
  await db.invoice.update({ where: { id: ids.invoiceId }, data: { amountPaid: { increment: amount } } });
}

describe("creditor KPIs", () => {
  it("computes aging, DSO, CEI, levels, plans, disputes and weekly cash from aggregates, for this creditor only", async () => {
    const db = database.get().prisma;
    const { creditor, policy } = await makeCreditor(db);
    const debtor = await makeDebtor(db, creditor.id);
    const ctx = { creditorId: creditor.id, debtorId: debtor.id, policy };
    // Issue date = due − 30 (factory). Open: not due 100, 10 days late 200, 45 late 300, 75 late 400, 120 late 500.
    const dues = [5, -10, -45, -75, -120];
    const invoices = [];
    for (const [i, d] of dues.entries())
      invoices.push(await makeInvoice(db, ctx, { dueDate: addDays(TODAY, d), amount: (i + 1) * 100_00, now: NOW }));
    // A paid invoice (issued 40 days ago, paid 3 days ago) and a part payment on the 10-days-late one.
    const paid = await makeInvoice(db, ctx, { dueDate: addDays(TODAY, -10), amount: 250_00, now: NOW });
    await pay(db, { ...ctx, invoiceId: paid.id }, 250_00, addDays(NOW, -3));
    await db.invoice.update({ where: { id: paid.id }, data: { status: "PAID" } });
    await pay(db, { ...ctx, invoiceId: invoices[1]!.id }, 50_00, addDays(NOW, -1));
    await db.invoice.update({ where: { id: invoices[1]!.id }, data: { status: "PARTIALLY_PAID" } });
    // Another creditor's invoice never counts.
    const other = await makeCreditor(db);
    const otherDebtor = await makeDebtor(db, other.creditor.id);
    await makeInvoice(
      db,
      { creditorId: other.creditor.id, debtorId: otherDebtor.id, policy: other.policy },
      { dueDate: addDays(TODAY, -10), amount: 999_00, now: NOW },
    );
    await db.installmentPlan.create({
      data: { creditorId: creditor.id, debtorId: debtor.id, status: "DEFAULTED", proposedBy: "DEBTOR", totalAmount: 1 },
    });
    await db.dispute.create({
      data: {
        creditorId: creditor.id,
        debtorId: debtor.id,
        invoiceId: invoices[0]!.id,
        reason: "OTHER",
        message: "x",
        status: "RESOLVED_REJECTED",
        createdAt: addDays(NOW, -4),
        resolvedAt: NOW,
      },
    });

    const k = await creditorKpis(db, creditor.id, NOW);
    expect(k.aging.map((b) => b.amount)).toEqual([100_00, 150_00, 300_00, 400_00, 500_00]);
    expect(k.openBalance).toBe(1450_00);
    expect(k.overdueBalance).toBe(1350_00);
    // Sales of the last 90 days: invoices issued ≥ day −89 (due −45, −10, −10 paid, +5) = 300 + 200 + 250 + 100.
    expect(k.dso.creditSales).toBe(850_00);
    expect(k.dso.days).toBe(Math.round((1450_00 / 850_00) * 90 * 10) / 10);
    expect(k.cei30).not.toBeNull();
    expect(k.cei30!).toBeGreaterThan(0);
    expect(k.cei30!).toBeLessThanOrEqual(100);
    expect(k.plans).toMatchObject({ active: 0, defaulted: 1 });
    expect(k.disputes).toMatchObject({ open: 0, resolved: 1, medianDaysToResolve: 4 });
    expect(k.cashWeekly).toHaveLength(12);
    expect(k.cashWeekly.reduce((s, w) => s + w.amount, 0)).toBe(300_00);
    expect(k.levels.reduce((s, l) => s + l.amount, 0)).toBe(1450_00);
  });

  it("is empty, not broken, for a creditor with nothing", async () => {
    const db = database.get().prisma;
    const { creditor } = await makeCreditor(db);
    const k = await creditorKpis(db, creditor.id, NOW);
    expect(k.openBalance).toBe(0);
    expect(k.dso.days).toBeNull();
    expect(k.cei30).toBeNull();
    expect(k.disputes.medianDaysToResolve).toBeNull();
  });
});
