import type { RateBook, RateEntry, RateTableName, SemesterKey } from "~/domain/legal/rates";
import type { Db } from "~/utils/db.server";

/**
 * The stored semester rates a creditor's documents use: the shared rows (the
 * daily ECB job) and, over them, the rows this creditor's staff recorded.
 * FR_LEGAL_CONSUMER is stored for completeness (the arrêté publishes both)
 * but not used: the higher rate is for creditors who are private individuals.
 */
export const STORED_TABLES = ["ECB_MRO", "FR_LEGAL_PROFESSIONAL", "FR_LEGAL_CONSUMER"] as const;
export type StoredTable = (typeof STORED_TABLES)[number];

export async function loadRateBook(db: Db, creditorId: string): Promise<RateBook> {
  const rows = await db.legalRateRecord.findMany({
    where: { OR: [{ creditorId: null }, { creditorId }], rateTable: { in: ["ECB_MRO", "FR_LEGAL_PROFESSIONAL"] } },
    orderBy: [{ semester: "asc" }],
  });
  const book: Record<RateTableName, RateEntry[]> = { ECB_MRO: [], FR_LEGAL_PROFESSIONAL: [] };
  // Shared rows first, the creditor's own last: the later entry for a semester wins in the domain's merge.
  for (const row of [...rows.filter((r) => r.creditorId === null), ...rows.filter((r) => r.creditorId !== null)]) {
    book[row.rateTable as RateTableName].push({ semester: row.semester as SemesterKey, bps: row.bps, source: row.source, verified: row.origin === "ECB_API" });
  }
  return book;
}
