import type { PrismaClient } from "~/utils/db.server";
import { logger } from "~/utils/logger.server";
import { checkDebtorSolvency, type Registry } from "./check.server";

export type SolvencyWatchReport = { debtors: number; checked: number; failed: number; opened: number; ceased: number; skipped: number };

const OPEN = ["OPEN", "PARTIALLY_PAID"] as const;
/** A debtor checked less than this long ago (by the button, or a run that was restarted) is not asked again. */
const FRESH_MS = 20 * 3_600_000;

/**
 * The daily watch: every business debtor with a legal id and at least one open
 * invoice, of every creditor (or one), checked one after the other — the
 * Recherche d'entreprises API allows a few requests a second, so `pauseMs`
 * spaces the debtors. One debtor's failure is counted and the run goes on.
 */
export async function runSolvencyWatch(
  db: PrismaClient,
  opts: { now: Date; creditorId?: string; pauseMs?: number; registry?: Registry },
): Promise<SolvencyWatchReport> {
  const debtors = await db.debtor.findMany({
    where: {
      ...(opts.creditorId ? { creditorId: opts.creditorId } : {}),
      kind: "BUSINESS",
      legalId: { not: null },
      invoices: { some: { status: { in: [...OPEN] } } },
    },
    select: { id: true, creditorId: true, solvency: { select: { checkedAt: true } } },
    orderBy: [{ creditorId: "asc" }, { id: "asc" }],
  });
  const report: SolvencyWatchReport = { debtors: debtors.length, checked: 0, failed: 0, opened: 0, ceased: 0, skipped: 0 };
  for (const d of debtors) {
    const last = d.solvency?.checkedAt;
    if (last && opts.now.getTime() - last.getTime() < FRESH_MS) {
      report.skipped++;
      continue;
    }
    try {
      const result = await checkDebtorSolvency(db, { creditorId: d.creditorId, debtorId: d.id, now: opts.now, registry: opts.registry });
      if (!result.ok) {
        if (result.reason === "no_siren") report.skipped++;
        else report.failed++;
        continue;
      }
      report.checked++;
      report.opened += result.opened.length;
      if (result.ceasedFlagged) report.ceased++;
    } catch (error) {
      report.failed++;
      logger.error({ err: error, debtorId: d.id }, "solvency check crashed");
    }
    if (opts.pauseMs) await new Promise((resolve) => setTimeout(resolve, opts.pauseMs));
  }
  if (report.debtors > 0) logger.info(report, "solvency watch");
  return report;
}
