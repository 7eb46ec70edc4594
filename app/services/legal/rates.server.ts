import {
  ECB_MRO_RATES,
  FR_LEGAL_RATES,
  hasRate,
  semesterOf,
  semesterStart,
  type RateBook,
  type RateEntry,
  type RateTableName,
  type SemesterKey,
} from "~/domain/legal/rates";
import { ECB_MRO_SERIES, type EcbRateResult } from "~/providers/ecb.server";
import type { Db, PrismaClient } from "~/utils/db.server";
import { logger } from "~/utils/logger.server";
import { recordAudit } from "../accounts/audit.server";

/**
 * The stored semester rates a creditor's documents use: the shared rows (the
 * daily ECB job) and, over them, the rows this creditor's staff recorded.
 * FR_LEGAL_CONSUMER is stored for completeness (the arrêté publishes both)
 * but not used: the higher rate is for creditors who are private individuals.
 */
export const STORED_TABLES = ["ECB_MRO", "FR_LEGAL_PROFESSIONAL", "FR_LEGAL_CONSUMER"] as const;
export type StoredTable = (typeof STORED_TABLES)[number];

/** The tables a semester needs before the letters stop saying "estimated". */
export const REQUIRED_TABLES: readonly RateTableName[] = ["ECB_MRO", "FR_LEGAL_PROFESSIONAL"];

export const ECB_API_SOURCE = `ECB Data Portal, series ${ECB_MRO_SERIES}`;

export async function loadRateBook(db: Db, creditorId: string): Promise<RateBook> {
  const rows = await db.legalRateRecord.findMany({
    where: { OR: [{ creditorId: null }, { creditorId }], rateTable: { in: ["ECB_MRO", "FR_LEGAL_PROFESSIONAL"] } },
    orderBy: [{ semester: "asc" }],
  });
  const book: Record<RateTableName, RateEntry[]> = { ECB_MRO: [], FR_LEGAL_PROFESSIONAL: [] };
  // Shared rows first, the creditor's own last: the later entry for a semester wins in the domain's merge.
  for (const row of [...rows.filter((r) => r.creditorId === null), ...rows.filter((r) => r.creditorId !== null)]) {
    book[row.rateTable as RateTableName].push({
      semester: row.semester as SemesterKey,
      bps: row.bps,
      source: row.source,
      verified: row.origin === "ECB_API",
    });
  }
  return book;
}

/** The tables still without a value for the semester `now` falls in (code table, shared row or this creditor's). */
export async function missingRates(db: Db, creditorId: string, now: Date): Promise<{ semester: SemesterKey; tables: RateTableName[] }> {
  const book = await loadRateBook(db, creditorId);
  return { semester: semesterOf(now), tables: REQUIRED_TABLES.filter((table) => !hasRate(table, now, book)) };
}

/** What the rates page lists: the stored rows this creditor sees (its own and the shared ones), and the code tables. */
export async function ratesOverview(db: Db, creditorId: string) {
  const stored = await db.legalRateRecord.findMany({
    where: { OR: [{ creditorId: null }, { creditorId }] },
    orderBy: [{ semester: "desc" }, { rateTable: "asc" }, { creditorId: { sort: "asc", nulls: "first" } }],
  });
  const code = [
    ...ECB_MRO_RATES.map((e) => ({ table: "ECB_MRO" as const, ...e })),
    ...FR_LEGAL_RATES.map((e) => ({ table: "FR_LEGAL_PROFESSIONAL" as const, ...e })),
  ].sort((a, b) => b.semester.localeCompare(a.semester) || a.table.localeCompare(b.table));
  return {
    stored: stored.map((r) => ({
      id: r.id,
      table: r.rateTable as StoredTable,
      semester: r.semester as SemesterKey,
      bps: r.bps,
      source: r.source,
      origin: r.origin as "STAFF" | "ECB_API",
      shared: r.creditorId === null,
      updatedAt: r.updatedAt,
    })),
    code,
  };
}

export type SemesterRatesInput = {
  semester: SemesterKey;
  /** Basis points; undefined = not recorded in this submission (an existing value is kept). */
  values: Partial<Record<StoredTable, number>>;
  source: string;
};

/**
 * The one door for staff-recorded rates: each value given replaces this
 * creditor's row for the semester (shared rows are never touched), and one
 * audit row says who recorded what, with the values before and after.
 */
export async function recordSemesterRates(
  prisma: PrismaClient,
  input: SemesterRatesInput & { creditorId: string; userId: string; now: Date },
): Promise<{ changed: number }> {
  return prisma.$transaction(async (tx) => {
    const changes: { table: StoredTable; from: number | null; to: number; fromSource: string | null }[] = [];
    for (const table of STORED_TABLES) {
      const bps = input.values[table];
      if (bps === undefined) continue;
      const key = { creditorId_rateTable_semester: { creditorId: input.creditorId, rateTable: table, semester: input.semester } };
      const before = await tx.legalRateRecord.findUnique({ where: key });
      if (before && before.bps === bps && before.source === input.source) continue;
      await tx.legalRateRecord.upsert({
        where: key,
        create: {
          creditorId: input.creditorId,
          rateTable: table,
          semester: input.semester,
          bps,
          source: input.source,
          origin: "STAFF",
          recordedById: input.userId,
        },
        update: { bps, source: input.source, origin: "STAFF", recordedById: input.userId },
      });
      changes.push({ table, from: before?.bps ?? null, to: bps, fromSource: before?.source ?? null });
    }
    if (changes.length > 0) {
      await recordAudit(tx, {
        creditorId: input.creditorId,
        actorUserId: input.userId,
        action: "legal.rates_recorded",
        targetType: "LegalRateRecord",
        targetId: null,
        meta: { name: input.semester, count: changes.length, source: input.source, changes },
        at: input.now,
      });
    }
    return { changed: changes.length };
  });
}

/**
 * Daily: the ECB MRO rate of the current semester (the one in force on 1
 * January / 1 July), stored as a shared row when neither the code table nor
 * an earlier run has it. Staff rows are never touched: a creditor's own value
 * keeps winning for that creditor. Offline or a bad answer: logged, nothing changes.
 */
export async function recordEcbRateOfSemester(
  prisma: PrismaClient,
  opts: { now: Date; fetchRate: (date: Date) => Promise<EcbRateResult> },
): Promise<{ semester: SemesterKey; outcome: "recorded" | "already_known" | "unavailable"; bps?: number }> {
  const semester = semesterOf(opts.now);
  const known = async (db: Db) =>
    hasRate("ECB_MRO", opts.now) || (await db.legalRateRecord.count({ where: { creditorId: null, rateTable: "ECB_MRO", semester } })) > 0;
  if (await known(prisma)) return { semester, outcome: "already_known" };
  const result = await opts.fetchRate(semesterStart(semester));
  if (!result.ok) {
    logger.warn(
      { semester, reason: result.reason, message: result.message },
      "ECB MRO rate not fetched; the semester stays estimated until staff record it",
    );
    return { semester, outcome: "unavailable" };
  }
  // creditorId is null on shared rows, and NULLs never collide in a unique index: a lock keeps two workers from both inserting.
  const recorded = await prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`legal-rate:ECB_MRO:${semester}`}))`;
    if (await known(tx)) return false;
    await tx.legalRateRecord.create({
      data: {
        creditorId: null,
        rateTable: "ECB_MRO",
        semester,
        bps: result.bps,
        source: `${ECB_API_SOURCE} (${result.observedOn})`,
        origin: "ECB_API",
      },
    });
    return true;
  });
  if (!recorded) return { semester, outcome: "already_known" };
  logger.info({ semester, bps: result.bps, observedOn: result.observedOn }, "ECB MRO rate recorded");
  return { semester, outcome: "recorded", bps: result.bps };
}
