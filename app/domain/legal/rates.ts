/**
 * Dated rate tables for late-payment law (ARCHITECTURE §9). Rates are integer
 * basis points (1215 = 12.15 %). Both tables are keyed by calendar semester
 * because French law fixes both per semester:
 * - the ECB main refinancing operations (MRO) rate "in force on 1 January"
 *   applies to January–June, the one in force on 1 July to July–December
 *   (C. com. L441-10 II; Directive 2011/7/EU art. 2(12) uses the same dates);
 * - the "taux de l'intérêt légal" is set by arrêté for each semester
 *   (C. monét. fin. L313-2, D313-1-A). We only carry the "autres cas" rate,
 *   the one for a professional creditor; the higher rate for creditors who
 *   are private individuals is not ours to use.
 *
 * `verified: true` means the value was cross-checked on 2026-11-25 against a
 * public copy of the cited text or against several independent reports of it.
 * When a semester is added, cite the official text and re-check the value.
 * A semester missing from a table is an error (`MissingRateError`), never a
 * silent guess; callers that must keep working use `rateOrLatestKnown`, which
 * flags the value `estimated: true` so the screen can say so.
 */

export type SemesterKey = `${number}-H${1 | 2}`;

export type RateEntry = {
  semester: SemesterKey;
  bps: number;
  /** The official text that fixes (or announces) the value. */
  source: string;
  verified: boolean;
};

export type RateTableName = "ECB_MRO" | "FR_LEGAL_PROFESSIONAL";

export type RateLookup = {
  /** The semester asked for. */
  semester: SemesterKey;
  bps: number;
  /** The semester the value comes from (differs from `semester` when estimated). */
  valueFrom: SemesterKey;
  source: string;
  verified: boolean;
  /** True when the semester has no value yet and the latest known one stands in. */
  estimated: boolean;
};

/** ECB MRO rate in force on 1 January (H1) / 1 July (H2). */
export const ECB_MRO_RATES: readonly RateEntry[] = [
  {
    semester: "2023-H1",
    bps: 250,
    source: "ECB press release, Monetary policy decisions, 15 Dec 2022 (MRO 2.50 % from 21 Dec 2022)",
    verified: true,
  },
  {
    semester: "2023-H2",
    bps: 400,
    source: "ECB press release, Monetary policy decisions, 15 Jun 2023 (MRO 4.00 % from 21 Jun 2023)",
    verified: true,
  },
  {
    semester: "2024-H1",
    bps: 450,
    source: "ECB press release, Monetary policy decisions, 14 Sep 2023 (MRO 4.50 % from 20 Sep 2023)",
    verified: true,
  },
  {
    semester: "2024-H2",
    bps: 425,
    source: "ECB press release, Monetary policy decisions, 6 Jun 2024 (MRO 4.25 % from 12 Jun 2024)",
    verified: true,
  },
  {
    semester: "2025-H1",
    bps: 315,
    source: "ECB press release, Monetary policy decisions, 12 Dec 2024 (MRO 3.15 % from 18 Dec 2024)",
    verified: true,
  },
  {
    semester: "2025-H2",
    bps: 215,
    source: "ECB press release, Monetary policy decisions, 5 Jun 2025 (MRO 2.15 % from 11 Jun 2025)",
    verified: true,
  },
  {
    semester: "2026-H1",
    bps: 215,
    source: "ECB press release, Monetary policy decisions, 18 Dec 2025 (rates unchanged, MRO 2.15 %)",
    verified: true,
  },
  // 2026-H2: no value yet — add it with the ECB decision in force on 1 Jul 2026.
];

/** Taux de l'intérêt légal, "pour tous les autres cas" (professional creditor). */
export const FR_LEGAL_RATES: readonly RateEntry[] = [
  {
    semester: "2023-H1",
    bps: 206,
    source: "Arrêté du 26 décembre 2022 relatif à la fixation du taux de l'intérêt légal (JORF)",
    verified: true,
  },
  { semester: "2023-H2", bps: 422, source: "Arrêté du 27 juin 2023, NOR ECOT2317028A (JORF n°0150 du 30 juin 2023)", verified: true },
  {
    semester: "2024-H1",
    bps: 507,
    source: "Arrêté du 21 décembre 2023 relatif à la fixation du taux de l'intérêt légal (JORF)",
    verified: true,
  },
  {
    semester: "2024-H2",
    bps: 492,
    source: "Arrêté du 26 juin 2024 relatif à la fixation du taux de l'intérêt légal (JORF)",
    verified: true,
  },
  {
    semester: "2025-H1",
    bps: 371,
    source: "Arrêté du 17 décembre 2024 relatif à la fixation du taux de l'intérêt légal (JORF)",
    verified: true,
  },
  { semester: "2025-H2", bps: 276, source: "Arrêté du 19 juin 2025, NOR ECOT2516925A (JORF du 24 juin 2025)", verified: true },
  { semester: "2026-H1", bps: 262, source: "Arrêté du 15 décembre 2025 (JORF n°0302 du 26 décembre 2025)", verified: true },
  // 2026-H2: no value yet — add it from the arrêté published in late June 2026.
];

const TABLES: Record<RateTableName, readonly RateEntry[]> = {
  ECB_MRO: ECB_MRO_RATES,
  FR_LEGAL_PROFESSIONAL: FR_LEGAL_RATES,
};

/**
 * Semester values recorded at run time (back-office page, daily ECB job),
 * loaded by app/services/legal/rates.server.ts. A stored value for a
 * semester replaces the code table's and a later semester extends it, so a
 * new semester needs no code change; the code tables stay the reference for
 * the past (a stored value that contradicts one is shown to staff).
 */
export type RateBook = Partial<Record<RateTableName, readonly RateEntry[]>>;

function tableOf(table: RateTableName, book?: RateBook): readonly RateEntry[] {
  const stored = book?.[table];
  if (!stored || stored.length === 0) return TABLES[table];
  const bySemester = new Map<SemesterKey, RateEntry>(TABLES[table].map((e) => [e.semester, e]));
  for (const entry of stored) bySemester.set(entry.semester, entry);
  return [...bySemester.values()].sort((a, b) => compareSemesters(a.semester, b.semester));
}

const TABLE_LABELS: Record<RateTableName, string> = {
  ECB_MRO: "ECB main refinancing rate",
  FR_LEGAL_PROFESSIONAL: "French legal interest rate (professional creditor)",
};

export class MissingRateError extends Error {
  readonly code = "MISSING_RATE";
  constructor(
    readonly table: RateTableName,
    readonly semester: SemesterKey,
  ) {
    super(`No ${TABLE_LABELS[table]} recorded for ${semester}: add it to app/domain/legal/rates.ts with its official source.`);
    this.name = "MissingRateError";
  }
}

/** The calendar semester (UTC) a date falls in: January–June is H1, July–December H2. */
export function semesterOf(date: Date): SemesterKey {
  return `${date.getUTCFullYear()}-H${date.getUTCMonth() < 6 ? 1 : 2}`;
}

function parseSemester(key: SemesterKey): { year: number; half: 1 | 2 } {
  const [year, half] = key.split("-H");
  return { year: Number(year), half: half === "1" ? 1 : 2 };
}

/** First day (UTC midnight) of a semester: 1 January or 1 July. */
export function semesterStart(key: SemesterKey): Date {
  const { year, half } = parseSemester(key);
  return new Date(Date.UTC(year, half === 1 ? 0 : 6, 1));
}

/** Last day (UTC midnight) of a semester: 30 June or 31 December. */
export function semesterEnd(key: SemesterKey): Date {
  const { year, half } = parseSemester(key);
  return half === 1 ? new Date(Date.UTC(year, 5, 30)) : new Date(Date.UTC(year, 11, 31));
}

export function compareSemesters(a: SemesterKey, b: SemesterKey): number {
  const pa = parseSemester(a);
  const pb = parseSemester(b);
  return pa.year - pb.year || pa.half - pb.half;
}

function toLookup(entry: RateEntry, semester: SemesterKey, estimated: boolean): RateLookup {
  return { semester, bps: entry.bps, valueFrom: entry.semester, source: entry.source, verified: entry.verified, estimated };
}

/** The rate of the semester `date` falls in; throws `MissingRateError` when the table has none. */
export function rateFor(table: RateTableName, date: Date, book?: RateBook): RateLookup {
  const semester = semesterOf(date);
  const entry = tableOf(table, book).find((e) => e.semester === semester);
  if (!entry) throw new MissingRateError(table, semester);
  return toLookup(entry, semester, false);
}

/** The most recent value of a table, always flagged `estimated`: for display next to an estimate. */
export function latestKnown(table: RateTableName, semester?: SemesterKey, book?: RateBook): RateLookup {
  const rows = tableOf(table, book);
  const last = rows[rows.length - 1];
  if (!last) throw new MissingRateError(table, semester ?? "0-H1");
  return toLookup(last, semester ?? last.semester, true);
}

/**
 * `rateFor`, but a semester after the end of the table falls back to the
 * latest known value, flagged `estimated: true`. A semester before the start
 * of the table still throws: the past is never estimated.
 */
export function rateOrLatestKnown(table: RateTableName, date: Date, book?: RateBook): RateLookup {
  const semester = semesterOf(date);
  const entry = tableOf(table, book).find((e) => e.semester === semester);
  if (entry) return toLookup(entry, semester, false);
  const latest = latestKnown(table, semester, book);
  if (compareSemesters(semester, latest.valueFrom) < 0) throw new MissingRateError(table, semester);
  return latest;
}

/** Does the table (with the stored values) have the semester of `date`? For the back-office warning. */
export function hasRate(table: RateTableName, date: Date, book?: RateBook): boolean {
  const semester = semesterOf(date);
  return tableOf(table, book).some((e) => e.semester === semester);
}

export function ecbMainRefinancingRate(date: Date, book?: RateBook): RateLookup {
  return rateFor("ECB_MRO", date, book);
}

export function legalInterestRate(date: Date, book?: RateBook): RateLookup {
  return rateFor("FR_LEGAL_PROFESSIONAL", date, book);
}

/** The legal rate a professional creditor applies (consumers included), estimated past the end of the table. */
export function legalRateFor(date: Date, book?: RateBook): RateLookup {
  return rateOrLatestKnown("FR_LEGAL_PROFESSIONAL", date, book);
}

/** "12.15 %" — for messages; the UI formats rates itself. */
export function formatBps(bps: number): string {
  return `${(bps / 100).toFixed(2)} %`;
}

/** "2026-H2" → the key; anything else → null (form and stored values are checked with it). */
export function parseSemesterKey(value: string): SemesterKey | null {
  const match = /^(\d{4})-H([12])$/.exec(value.trim());
  return match ? (`${Number(match[1])}-H${match[2] === "1" ? 1 : 2}` as SemesterKey) : null;
}

/**
 * A percentage typed by staff, the French way ("2,15", "2,15 %") or with a
 * point ("2.15"), at most two decimals, 0 to 100 → basis points (215); null
 * when it is not one.
 */
export function parseRatePercent(value: string): number | null {
  const cleaned = value
    .replace(/[\s\u00a0\u202f]/g, "")
    .replace(/%$/, "")
    .replace(",", ".");
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(cleaned)) return null;
  const bps = Math.round(Number(cleaned) * 100);
  return bps <= 10_000 ? bps : null;
}
