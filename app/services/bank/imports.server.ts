import crypto from "node:crypto";
import fsp from "node:fs/promises";
import path from "node:path";
import type { CsvColumnMapping } from "~/domain/bank/csv";
import { detectFormat, parseStatement, transactionKey } from "~/domain/bank/statement";
import { StatementParseError, type ParsedStatement, type StatementFormat } from "~/domain/bank/types";
import type { Prisma } from "~/generated/prisma/client";
import type { Db, PrismaClient } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { wakeJob } from "../wake.server";
import { applyBankMatch, applyReversal } from "./apply.server";
import { asMatchInput, loadMatchIndex, matchTransaction, type MatchIndex } from "./matching.server";

/** Files up to this size are imported while the user waits; larger ones by the worker. */
export const INLINE_IMPORT_BYTES = 512 * 1024;
export const MAX_STATEMENT_BYTES = 20 * 1024 * 1024;

export type ImportCounts = { transactions: number; new: number; applied: number; suggested: number; unmatched: number; ignored: number };

export class StatementRefused extends Error {
  constructor(
    public readonly code: "unsupported_format" | "parse_error" | "csv_mapping_missing" | "too_large" | "empty",
    public readonly where: string | null,
    message: string,
  ) {
    super(message);
    this.name = "StatementRefused";
  }
}

const ts = (d: Date) => d.toISOString().replace("Z", "");
const dayText = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);

/** The creditor's saved CSV mapping: the one asked for, else the default one. */
async function csvMapping(tx: Db, creditorId: string, mappingId: string | null) {
  const row = mappingId
    ? await tx.bankCsvMapping.findFirst({ where: { id: mappingId, creditorId } })
    : await tx.bankCsvMapping.findFirst({ where: { creditorId }, orderBy: [{ isDefault: "desc" }, { createdAt: "asc" }] });
  return row ? { id: row.id, columns: row.columns as unknown as CsvColumnMapping } : null;
}

/** Reads the file (format from its content, the content type breaking ties); a bad file names its line or element. */
export async function readStatement(
  tx: Db,
  creditorId: string,
  input: { contentType: string; bytes: Uint8Array; mappingId: string | null },
) {
  if (input.bytes.byteLength === 0) throw new StatementRefused("empty", null, "The file is empty");
  if (input.bytes.byteLength > MAX_STATEMENT_BYTES)
    throw new StatementRefused("too_large", null, `The file is larger than ${MAX_STATEMENT_BYTES / 1024 / 1024} MB`);
  const format = detectFormat(input.contentType, input.bytes);
  if (!format) throw new StatementRefused("unsupported_format", null, "Not a camt.053/camt.054, CFONB 120, OFX or CSV statement");
  const mapping = format === "CSV" ? await csvMapping(tx, creditorId, input.mappingId) : null;
  if (format === "CSV" && !mapping) throw new StatementRefused("csv_mapping_missing", null, "A CSV statement needs a saved column mapping");
  try {
    return { format, mappingId: mapping?.id ?? null, parsed: parseStatement(format, input.bytes, mapping?.columns) };
  } catch (error) {
    if (error instanceof StatementParseError) throw new StatementRefused("parse_error", error.where, error.message);
    throw error;
  }
}

/**
 * Stores the statement's entries once: `ON CONFLICT (creditorId, key) DO
 * NOTHING`, so the same file or an overlapping statement adds nothing the
 * second time. Returns the ids of the rows that are new.
 */
export async function storeTransactions(tx: Db, creditorId: string, importId: string, parsed: ParsedStatement): Promise<string[]> {
  const ids: string[] = [];
  const CHUNK = 1000;
  for (let start = 0; start < parsed.transactions.length; start += CHUNK) {
    const chunk = parsed.transactions.slice(start, start + CHUNK);
    const col = <T>(f: (t: (typeof chunk)[number]) => T) => chunk.map(f);
    const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
      `INSERT INTO "BankTransaction" (id, "creditorId", "accountId", key, "bookingDate", "valueDate", amount, currency, "counterpartyName", "counterpartyIban",
                                      remittance, "structuredRef", "bankCode", reversal, "importId", "statementDate", "createdAt", "updatedAt")
       SELECT u.id, $1, u.account, u.key, u.booking::date, u.value::date, u.amount, u.currency, u.name, u.iban, u.remittance, u.ref, u.code, u.reversal,
              $2, $3::date, $4::timestamp, $4::timestamp
       FROM unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::int[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::boolean[])
            WITH ORDINALITY AS u(id, account, key, booking, value, amount, currency, name, iban, remittance, ref, code, reversal, n)
       ORDER BY u.n
       ON CONFLICT ("creditorId", key) DO NOTHING
       RETURNING id`,
      creditorId,
      importId,
      dayText(parsed.statementDate),
      ts(new Date()),
      col(() => crypto.randomUUID()),
      col((t) => t.accountId || parsed.accountId),
      col((t) => transactionKey(t)),
      col((t) => dayText(t.bookingDate)),
      col((t) => dayText(t.valueDate)),
      col((t) => t.amount),
      col((t) => t.currency || parsed.currency),
      col((t) => t.counterpartyName),
      col((t) => (t.counterpartyIban ? t.counterpartyIban.replace(/\s+/g, "").toUpperCase() : null)),
      col((t) => t.remittance),
      col((t) => t.structuredRef),
      col((t) => t.bankCode),
      col((t) => t.reversal),
    );
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}

/**
 * Matches stored entries and acts on them: debits and fees ignored, a returned
 * transfer reverses its payment, a match at or above the creditor's threshold
 * applied, the others left in the inbox with their suggestions.
 */
export async function processTransactions(tx: Db, creditorId: string, ids: string[], opts: { now: Date; importId: string | null }) {
  const counts = { applied: 0, suggested: 0, unmatched: 0, ignored: 0 };
  if (ids.length === 0) return counts;
  const creditor = await tx.creditor.findUniqueOrThrow({ where: { id: creditorId }, select: { bankAutoApplyThreshold: true } });
  const entries = await tx.bankTransaction.findMany({
    where: { id: { in: ids }, creditorId, status: "UNMATCHED" },
    orderBy: [{ bookingDate: "asc" }, { createdAt: "asc" }],
  });
  let index: MatchIndex | null = null;
  for (const entry of entries) {
    if (entry.reversal) {
      const outcome = await applyReversal(tx, { creditorId, transactionId: entry.id, now: opts.now });
      counts[outcome === "applied" ? "applied" : "unmatched"]++;
      continue;
    }
    if (entry.amount <= 0) {
      await tx.bankTransaction.updateMany({ where: { id: entry.id, creditorId, status: "UNMATCHED" }, data: { status: "IGNORED" } });
      counts.ignored++;
      continue;
    }
    index ??= await loadMatchIndex(tx, creditorId);
    const { suggestions, auto } = matchTransaction(asMatchInput(entry), index, creditor.bankAutoApplyThreshold);
    await tx.bankTransaction.update({
      where: { id: entry.id },
      data: { suggestions: suggestions as unknown as Prisma.InputJsonValue, status: suggestions.length ? "SUGGESTED" : "UNMATCHED" },
    });
    if (auto) {
      await applyBankMatch(tx, {
        creditorId,
        transactionId: entry.id,
        debtorId: auto.debtorId,
        invoiceIds: auto.allocations.map((a) => a.invoiceId),
        actor: { type: "SYSTEM", id: opts.importId ? `bank-import:${opts.importId}` : "bank-import" },
        now: opts.now,
      });
      counts.applied++;
      index = null; // balances moved: the next entry is matched against them as they are now
    } else counts[suggestions.length ? "suggested" : "unmatched"]++;
  }
  return counts;
}

type ImportRequest = {
  creditorId: string;
  userId: string | null;
  contentType: string;
  bytes: Uint8Array;
  fileName: string;
  mappingId: string | null;
  now: Date;
};

/**
 * Imports a whole statement in the caller's transaction (the API, small
 * uploads): a file that cannot be read leaves nothing behind.
 */
export async function importStatement(tx: Db, input: ImportRequest): Promise<ImportCounts & { importId: string; format: StatementFormat }> {
  const { format, mappingId, parsed } = await readStatement(tx, input.creditorId, input);
  const row = await tx.bankStatementImport.create({
    data: {
      creditorId: input.creditorId,
      createdById: input.userId,
      format,
      contentType: input.contentType.slice(0, 200),
      fileName: input.fileName.slice(0, 255),
      csvMappingId: mappingId,
      status: "RUNNING",
      startedAt: input.now,
      transactions: parsed.transactions.length,
    },
  });
  const ids = await storeTransactions(tx, input.creditorId, row.id, parsed);
  const counts = await processTransactions(tx, input.creditorId, ids, { now: input.now, importId: row.id });
  await tx.bankStatementImport.update({
    where: { id: row.id },
    data: { status: "DONE", newCount: ids.length, ...counts, finishedAt: input.now },
  });
  return { importId: row.id, format, transactions: parsed.transactions.length, new: ids.length, ...counts };
}

/** Where queued statement files wait for the worker. */
export function bankFilesRoot() {
  return path.resolve(getEnv().DATA_DIR, "bank");
}

/** A large upload: written to disk and queued; the worker imports it with progress on the import row. */
export async function queueStatement(db: Db, input: Omit<ImportRequest, "now"> & { now: Date }) {
  const id = crypto.randomUUID();
  await fsp.mkdir(bankFilesRoot(), { recursive: true });
  await fsp.writeFile(path.join(bankFilesRoot(), id), input.bytes);
  const row = await db.bankStatementImport.create({
    data: {
      id,
      creditorId: input.creditorId,
      createdById: input.userId,
      format: "PENDING",
      contentType: input.contentType.slice(0, 200),
      fileName: input.fileName.slice(0, 255),
      storagePath: id,
      csvMappingId: input.mappingId,
      status: "QUEUED",
    },
  });
  void wakeJob("import_process");
  return row;
}

/** Takes the oldest queued statement (SKIP LOCKED: two workers never take the same one). */
async function claimStatement(db: Db, now: Date): Promise<string | null> {
  const rows = await db.$queryRawUnsafe<{ id: string }[]>(
    `UPDATE "BankStatementImport" SET status = 'RUNNING', "startedAt" = $1::timestamp
     WHERE id = (SELECT id FROM "BankStatementImport" WHERE status = 'QUEUED' ORDER BY "createdAt" LIMIT 1 FOR UPDATE SKIP LOCKED)
     RETURNING id`,
    ts(now),
  );
  return rows[0]?.id ?? null;
}

/** Entries matched per transaction in the worker: the import row's counts move as the batches commit (the progress bar). */
const WORKER_BATCH = 50;

/**
 * Worker body: every queued statement, oldest first. The file is read and
 * stored in one transaction (all or nothing), then matched batch by batch.
 */
export async function runQueuedBankImports(db: PrismaClient, opts: { now: () => Date }) {
  let done = 0;
  for (;;) {
    const id = await claimStatement(db, opts.now());
    if (!id) return done;
    await processQueuedStatement(db, id, opts);
    done++;
  }
}

export async function processQueuedStatement(db: PrismaClient, id: string, opts: { now: () => Date }) {
  const job = await db.bankStatementImport.findUniqueOrThrow({ where: { id } });
  const file = path.resolve(bankFilesRoot(), job.storagePath ?? "");
  if (!file.startsWith(bankFilesRoot() + path.sep)) throw new Error("statement file outside the bank folder");
  let ids: string[];
  try {
    const bytes = new Uint8Array(await fsp.readFile(file));
    ids = await db.$transaction(
      async (tx) => {
        const { format, mappingId, parsed } = await readStatement(tx, job.creditorId, {
          contentType: job.contentType,
          bytes,
          mappingId: job.csvMappingId,
        });
        await tx.bankStatementImport.update({
          where: { id },
          data: { format, csvMappingId: mappingId, transactions: parsed.transactions.length },
        });
        const stored = await storeTransactions(tx, job.creditorId, id, parsed);
        await tx.bankStatementImport.update({ where: { id }, data: { newCount: stored.length } });
        return stored;
      },
      { timeout: 300_000 },
    );
  } catch (error) {
    const message = error instanceof StatementRefused ? error.message : `Import failed: ${(error as Error).message}`.slice(0, 2000);
    return db.bankStatementImport.update({ where: { id }, data: { status: "FAILED", error: message, finishedAt: opts.now() } });
  }
  for (let start = 0; start < ids.length; start += WORKER_BATCH) {
    const batch = ids.slice(start, start + WORKER_BATCH);
    await db.$transaction(
      async (tx) => {
        const counts = await processTransactions(tx, job.creditorId, batch, { now: opts.now(), importId: id });
        await tx.bankStatementImport.update({
          where: { id },
          data: {
            applied: { increment: counts.applied },
            suggested: { increment: counts.suggested },
            unmatched: { increment: counts.unmatched },
            ignored: { increment: counts.ignored },
          },
        });
      },
      { timeout: 120_000 },
    );
  }
  await fsp.rm(file, { force: true });
  void wakeJob("outbox_send");
  return db.bankStatementImport.update({ where: { id }, data: { status: "DONE", finishedAt: opts.now() } });
}

export async function findStatementImport(db: Db, creditorId: string, id: string) {
  return db.bankStatementImport.findFirst({ where: { id, creditorId } });
}

export async function recentStatementImports(db: Db, creditorId: string, take = 10) {
  return db.bankStatementImport.findMany({ where: { creditorId }, orderBy: { createdAt: "desc" }, take });
}
