import { invoiceBalanceSql } from "~/domain/money";
import type { Db } from "~/utils/db.server";

export type SolvencySummary = Awaited<ReturnType<typeof solvencySummary>>;

/**
 * What the debtor page shows about a business debtor's standing: the last
 * registry answer, its proceedings, and this creditor's payment history with
 * it (invoices paid, average days late when paid, open now) — the history in
 * one aggregate over the creditor's own invoices.
 */
export async function solvencySummary(db: Db, creditorId: string, debtorId: string, currency: string) {
  const [solvency, proceedings, history] = await Promise.all([
    db.debtorSolvency.findFirst({ where: { creditorId, debtorId } }),
    db.insolvencyProceeding.findMany({ where: { creditorId, debtorId }, orderBy: { openedOn: "desc" } }),
    db.$queryRawUnsafe<{ paid: bigint; avgDaysLate: number | null; openCount: bigint; openBalance: bigint | null }[]>(
      `SELECT
         COUNT(*) FILTER (WHERE i."status" = 'PAID') AS "paid",
         AVG(GREATEST(0, (i."paidAt"::date - i."dueDate"))) FILTER (WHERE i."status" = 'PAID' AND i."paidAt" IS NOT NULL)::float8 AS "avgDaysLate",
         COUNT(*) FILTER (WHERE i."status" IN ('OPEN', 'PARTIALLY_PAID')) AS "openCount",
         SUM(${invoiceBalanceSql("i")}) FILTER (WHERE i."status" IN ('OPEN', 'PARTIALLY_PAID') AND i."currency" = $3) AS "openBalance"
       FROM "Invoice" i
       WHERE i."creditorId" = $1 AND i."debtorId" = $2`,
      creditorId,
      debtorId,
      currency,
    ),
  ]);
  const h = history[0];
  return {
    solvency: solvency
      ? {
          siren: solvency.siren,
          status: solvency.status,
          registryName: solvency.registryName,
          legalFormCode: solvency.legalFormCode,
          createdOn: solvency.createdOn,
          ceasedOn: solvency.ceasedOn,
          ceasedSeenAt: solvency.ceasedSeenAt,
          checkedAt: solvency.checkedAt,
          failedAt: solvency.failedAt,
          failureReason: solvency.failure?.split(":")[0] ?? null,
        }
      : null,
    proceedings: proceedings.map((p) => ({
      id: p.id,
      kind: p.kind,
      openedOn: p.openedOn,
      publishedOn: p.publishedOn,
      court: p.court,
      claimDeadline: p.claimDeadline,
      closedOn: p.closedOn,
      declarationId: p.declarationId,
    })),
    history: {
      paid: Number(h?.paid ?? 0),
      avgDaysLate: h?.avgDaysLate == null ? null : Math.round(h.avgDaysLate * 10) / 10,
      openCount: Number(h?.openCount ?? 0),
      openBalance: Number(h?.openBalance ?? 0),
      currency,
    },
  };
}
