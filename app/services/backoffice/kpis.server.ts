import { Prisma } from "~/generated/prisma/client";
import { addDays, isoDay, todayIn } from "~/domain/clock";
import { invoiceBalanceSql } from "~/domain/money";
import { agingSeries, cei, dso, DSO_DAYS, weekStartUTC, weeklySeries } from "~/domain/kpis";
import type { Db } from "~/utils/db.server";

/**
 * The creditor's cash-collection dashboard. Every figure is one SQL aggregate
 * (GROUP BY / FILTER) over the creditor's rows — never a load of all invoices —
 * so it stays fast on 100k invoices. Amounts are in the creditor's default
 * currency; invoices in other currencies are left out rather than summed.
 * Cancelled and written-off invoices are not receivables and are left out of
 * DSO and CEI.
 */
export async function creditorKpis(db: Db, creditorId: string, now: Date) {
  const creditor = await db.creditor.findUniqueOrThrow({ where: { id: creditorId }, select: { defaultCurrency: true, timeZone: true } });
  const currency = creditor.defaultCurrency;
  // Aging, DSO and the 30/90-day windows count from the creditor's today (decision 012).
  const today = todayIn(creditor.timeZone, now);
  const day = (offset: number) => isoDay(addDays(today, offset));
  const weeksFrom = addDays(weekStartUTC(now), -7 * 11);

  const [aging, levels, receivables, paid, weekly, plans, disputesOpen, disputeTimes, defaultLevels] = await Promise.all([
    db.$queryRaw<{ bucket: string; amount: number; count: number }[]>`
      SELECT CASE WHEN d <= 0 THEN 'notDue' WHEN d <= 30 THEN 'd1_30' WHEN d <= 60 THEN 'd31_60' WHEN d <= 90 THEN 'd61_90' ELSE 'd90plus' END AS bucket,
             SUM(balance)::float8 AS amount, COUNT(*)::int AS count
      FROM (SELECT (${day(0)}::date - "dueDate") AS d, ${Prisma.raw(invoiceBalanceSql())} AS balance
            FROM "Invoice" WHERE "creditorId" = ${creditorId} AND currency = ${currency} AND status IN ('OPEN', 'PARTIALLY_PAID')) open
      GROUP BY 1`,
    db.$queryRaw<{ level: number; amount: number; count: number; paused: number }[]>`
      SELECT ds.level::int AS level, SUM(${Prisma.raw(invoiceBalanceSql("i"))})::float8 AS amount, COUNT(*)::int AS count,
             COUNT(*) FILTER (WHERE ds."pauseReason" IS NOT NULL)::int AS paused
      FROM "Invoice" i JOIN "DunningState" ds ON ds."invoiceId" = i.id
      WHERE i."creditorId" = ${creditorId} AND i.currency = ${currency} AND i.status IN ('OPEN', 'PARTIALLY_PAID')
      GROUP BY ds.level ORDER BY ds.level`,
    // Invoiced (net of credit notes) up to a day, current part, and sales of the windows.
    db.$queryRaw<Record<"issued0" | "issued30" | "issued90" | "current0" | "sales30" | "sales90", number>[]>`
      SELECT
        COALESCE(SUM(amount - "amountCredited") FILTER (WHERE "issueDate" <= ${day(0)}::date), 0)::float8 AS issued0,
        COALESCE(SUM(amount - "amountCredited") FILTER (WHERE "issueDate" <= ${day(-30)}::date), 0)::float8 AS issued30,
        COALESCE(SUM(amount - "amountCredited") FILTER (WHERE "issueDate" <= ${day(-90)}::date), 0)::float8 AS issued90,
        COALESCE(SUM(amount - "amountCredited") FILTER (WHERE "issueDate" <= ${day(0)}::date AND "dueDate" > ${day(0)}::date), 0)::float8 AS current0,
        COALESCE(SUM(amount - "amountCredited") FILTER (WHERE "issueDate" > ${day(-30)}::date AND "issueDate" <= ${day(0)}::date), 0)::float8 AS sales30,
        COALESCE(SUM(amount - "amountCredited") FILTER (WHERE "issueDate" > ${day(-90)}::date AND "issueDate" <= ${day(0)}::date), 0)::float8 AS sales90
      FROM "Invoice" WHERE "creditorId" = ${creditorId} AND currency = ${currency} AND status NOT IN ('CANCELLED', 'WRITTEN_OFF')`,
    // Money in by the end of a day, on invoices issued by then.
    db.$queryRaw<Record<"paid0" | "paid30" | "paid90" | "paidCurrent0", number>[]>`
      SELECT
        COALESCE(SUM(a.amount) FILTER (WHERE p."succeededAt" < ${day(1)}::date AND i."issueDate" <= ${day(0)}::date), 0)::float8 AS paid0,
        COALESCE(SUM(a.amount) FILTER (WHERE p."succeededAt" < ${day(-29)}::date AND i."issueDate" <= ${day(-30)}::date), 0)::float8 AS paid30,
        COALESCE(SUM(a.amount) FILTER (WHERE p."succeededAt" < ${day(-89)}::date AND i."issueDate" <= ${day(-90)}::date), 0)::float8 AS paid90,
        COALESCE(SUM(a.amount) FILTER (WHERE p."succeededAt" < ${day(1)}::date AND i."issueDate" <= ${day(0)}::date AND i."dueDate" > ${day(0)}::date), 0)::float8 AS "paidCurrent0"
      FROM "PaymentAllocation" a
      JOIN "Payment" p ON p.id = a."paymentId"
      JOIN "Invoice" i ON i.id = a."invoiceId"
      WHERE a."creditorId" = ${creditorId} AND p.status = 'SUCCEEDED' AND i.currency = ${currency} AND i.status NOT IN ('CANCELLED', 'WRITTEN_OFF')`,
    db.$queryRaw<{ week: Date; amount: number }[]>`
      SELECT date_trunc('week', "succeededAt") AS week, SUM(amount)::float8 AS amount
      FROM "Payment"
      WHERE "creditorId" = ${creditorId} AND currency = ${currency} AND status = 'SUCCEEDED' AND "succeededAt" >= ${isoDay(weeksFrom)}::date
      GROUP BY 1`,
    db.installmentPlan.groupBy({
      by: ["status"],
      where: { creditorId, status: { in: ["ACTIVE", "DEFAULTED", "PROPOSED"] } },
      _count: { _all: true },
    }),
    db.dispute.count({ where: { creditorId, status: "OPEN" } }),
    db.$queryRaw<{ median: number | null; count: number }[]>`
      SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM ("resolvedAt" - "createdAt"))::float8 / 86400.0) AS median, COUNT(*)::int AS count
      FROM "Dispute" WHERE "creditorId" = ${creditorId} AND "resolvedAt" IS NOT NULL`,
    db.dunningLevel.findMany({
      where: { creditorId, policy: { isDefault: true } },
      orderBy: { position: "asc" },
      select: { position: true, channel: true, templateKey: true },
    }),
  ]);

  const r = receivables[0]!;
  const p = paid[0]!;
  const outstanding = { now: r.issued0 - p.paid0, d30: r.issued30 - p.paid30, d90: r.issued90 - p.paid90 };
  const currentNow = r.current0 - p.paidCurrent0;
  const agingRows = agingSeries(aging);
  const openBalance = agingRows.reduce((s, b) => s + b.amount, 0);
  const planCount = (status: string) => plans.find((x) => x.status === status)?._count._all ?? 0;

  return {
    currency,
    asOf: today,
    aging: agingRows,
    openBalance,
    overdueBalance: agingRows.filter((b) => b.bucket !== "notDue").reduce((s, b) => s + b.amount, 0),
    dso: { days: dso(openBalance, r.sales90, DSO_DAYS), window: DSO_DAYS, receivables: openBalance, creditSales: r.sales90 },
    cei30: cei({ begin: outstanding.d30, sales: r.sales30, end: outstanding.now, endCurrent: currentNow }),
    cei90: cei({ begin: outstanding.d90, sales: r.sales90, end: outstanding.now, endCurrent: currentNow }),
    levels: levels.map((l) => ({
      ...l,
      channel: defaultLevels.find((d) => d.position === l.level)?.channel ?? null,
      templateKey: defaultLevels.find((d) => d.position === l.level)?.templateKey ?? null,
    })),
    plans: { active: planCount("ACTIVE"), defaulted: planCount("DEFAULTED"), proposed: planCount("PROPOSED") },
    disputes: {
      open: disputesOpen,
      resolved: disputeTimes[0]?.count ?? 0,
      medianDaysToResolve: disputeTimes[0]?.median == null ? null : Math.round(disputeTimes[0].median * 10) / 10,
    },
    cashWeekly: weeklySeries(
      weekly.map((w) => ({ week: new Date(w.week), amount: w.amount })),
      now,
      12,
    ),
  };
}
