import crypto from "node:crypto";
import fsp from "node:fs/promises";
import path from "node:path";
import type { CsvColumnMapping } from "~/domain/bank/csv";
import { detectFormat, parseStatement, transactionKey } from "~/domain/bank/statement";
import { StatementParseError, type MatchSuggestion, type ParsedStatement, type StatementFormat } from "~/domain/bank/types";
import type { Prisma } from "~/generated/prisma/client";
import type { Db, PrismaClient } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { wakeJob } from "../wake.server";
import { applyBankMatch, applyReversal } from "./apply.server";
import { asMatchInput, currentMatchIndex, matchTransaction, refreshMatchIndexInvoices, type MatchIndexCache } from "./matching.server";
import { emitOutboundEvent } from "../webhooks/outbound.server";

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
 * applied, the others left in the inbox with their suggestions. The worker
 * passes one `cache` for all the batches of a statement (the ledger is read
 * once, then only what changed).
 */
export async function processTransactions(
  tx: Db,
  creditorId: string,
  ids: string[],
  opts: { now: Date; importId: string | null; cache?: MatchIndexCache },
) {
  const counts = { applied: 0, suggested: 0, unmatched: 0, ignored: 0 };
  if (ids.length === 0) return counts;
  const creditor = await tx.creditor.findUniqueOrThrow({ where: { id: creditorId }, select: { bankAutoApplyThreshold: true } });
  const entries = await tx.bankTransaction.findMany({
    where: { id: { in: ids }, creditorId, status: "UNMATCHED" },
    orderBy: [{ bookingDate: "asc" }, { createdAt: "asc" }],
  });
  const cache: MatchIndexCache = opts.cache ?? { index: null, readAt: null };
  const waiting: { id: string; status: "SUGGESTED" | "UNMATCHED" | "IGNORED"; suggestions: MatchSuggestion[] }[] = [];
  for (const entry of entries) {
    if (entry.reversal) {
      const outcome = await applyReversal(tx, { creditorId, transactionId: entry.id, now: opts.now });
      counts[outcome === "applied" ? "applied" : "unmatched"]++;
      continue;
    }
    if (entry.amount <= 0) {
      waiting.push({ id: entry.id, status: "IGNORED", suggestions: [] });
      counts.ignored++;
      continue;
    }
    const index = cache.index ?? (await currentMatchIndex(tx, creditorId, cache));
    const { suggestions, auto } = matchTransaction(asMatchInput(entry), index, creditor.bankAutoApplyThreshold);
    if (auto) {
      await tx.bankTransaction.update({
        where: { id: entry.id },
        data: { suggestions: suggestions as unknown as Prisma.InputJsonValue, status: "SUGGESTED" },
      });
      const booked = await applyBankMatch(tx, {
        creditorId,
        transactionId: entry.id,
        parts: [{ debtorId: auto.debtorId, invoices: auto.allocations.map((a) => ({ invoiceId: a.invoiceId, amount: null })) }],
        actor: { type: "SYSTEM", id: opts.importId ? `bank-import:${opts.importId}` : "bank-import" },
        now: opts.now,
      });
      counts.applied++;
      // Balances moved: the next entry is matched against them as they are now.
      await refreshMatchIndexInvoices(tx, creditorId, index, booked.invoiceIds);
    } else {
      waiting.push({ id: entry.id, status: suggestions.length ? "SUGGESTED" : "UNMATCHED", suggestions });
      counts[suggestions.length ? "suggested" : "unmatched"]++;
    }
  }
  await saveOutcomes(tx, creditorId, waiting);
  // Credits left for a person: the creditor's systems hear of them (outbound webhooks, decision 021).
  const byId = new Map(entries.map((e) => [e.id, e]));
  for (const w of waiting) {
    const e = byId.get(w.id);
    if (!e || w.status === "IGNORED") continue;
    await emitOutboundEvent(tx, {
      creditorId,
      type: "bank_transaction.unmatched",
      occurredAt: opts.now,
      data: {
        id: e.id,
        bookingDate: e.bookingDate.toISOString().slice(0, 10),
        amount: e.amount,
        currency: e.currency,
        counterpartyName: e.counterpartyName,
        remittance: e.remittance,
        suggestions: w.suggestions.length,
      },
    });
  }
  return counts;
}

/** The entries left for a person (and the ignored debits), written in one statement rather than one per line. */
async function saveOutcomes(tx: Db, creditorId: string, rows: { id: string; status: string; suggestions: MatchSuggestion[] }[]) {
  if (rows.length === 0) return;
  await tx.$executeRawUnsafe(
    `UPDATE "BankTransaction" b SET status = u.status::"BankTransactionStatus", suggestions = u.suggestions::jsonb, "updatedAt" = now()
     FROM unnest($2::text[], $3::text[], $4::text[]) AS u(id, status, suggestions)
     WHERE b.id = u.id AND b."creditorId" = $1 AND b.status = 'UNMATCHED'`,
    creditorId,
    rows.map((r) => r.id),
    rows.map((r) => r.status),
    rows.map((r) => JSON.stringify(r.suggestions)),
  );
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
  const cache: MatchIndexCache = { index: null, readAt: null };
  for (let start = 0; start < ids.length; start += WORKER_BATCH) {
    const batch = ids.slice(start, start + WORKER_BATCH);
    await db
      .$transaction(
        async (tx) => {
          await currentMatchIndex(tx, job.creditorId, cache);
          const counts = await processTransactions(tx, job.creditorId, batch, { now: opts.now(), importId: id, cache });
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
      )
      .catch((error: unknown) => {
        // The batch was rolled back: the balances patched into the index with it were not kept.
        cache.index = null;
        throw error;
      });
  }
  await fsp.rm(file, { force: true });
  void wakeJob("outbox_send");
  return db.bankStatementImport.update({ where: { id }, data: { status: "DONE", finishedAt: opts.now() } });
}

export async function findStatementImport(db: Db, creditorId: string, id: string) {
  return db.bankStatementImport.findFirst({ where: { id, creditorId } });
}

/** A refused CSV whose file is kept: staff can map its columns and run it again. */
const awaitsMapping = (row: { status: string; storagePath: string | null; format: string; contentType: string; fileName: string }) =>
  row.status === "FAILED" &&
  row.storagePath !== null &&
  (row.format === "CSV" || (row.format === "PENDING" && /csv/i.test(`${row.contentType} ${row.fileName}`)));

export async function recentStatementImports(db: Db, creditorId: string, take = 10) {
  const rows = await db.bankStatementImport.findMany({ where: { creditorId }, orderBy: { createdAt: "desc" }, take });
  return rows.map((row) => ({ ...row, needsMapping: awaitsMapping(row) }));
}

/** A CSV without a saved mapping: the file is kept (refused for now) until staff map its columns. */
export async function holdStatementForMapping(db: Db, input: Omit<ImportRequest, "now">) {
  const id = crypto.randomUUID();
  await fsp.mkdir(bankFilesRoot(), { recursive: true });
  await fsp.writeFile(path.join(bankFilesRoot(), id), input.bytes);
  return db.bankStatementImport.create({
    data: {
      id,
      creditorId: input.creditorId,
      createdById: input.userId,
      format: "CSV",
      contentType: input.contentType.slice(0, 200),
      fileName: input.fileName.slice(0, 255),
      storagePath: id,
      status: "FAILED",
      error: "A CSV statement needs a saved column mapping",
    },
  });
}

/** The kept file of a statement import (the worker's input, or a CSV waiting for its mapping). */
export async function statementFile(db: Db, creditorId: string, importId: string) {
  const row = await db.bankStatementImport.findFirst({ where: { id: importId, creditorId } });
  if (!row?.storagePath) return null;
  const file = path.resolve(bankFilesRoot(), row.storagePath);
  if (!file.startsWith(bankFilesRoot() + path.sep)) return null;
  const bytes = await fsp.readFile(file).then(
    (b) => new Uint8Array(b),
    () => null,
  );
  return bytes ? { row: { ...row, needsMapping: awaitsMapping(row) }, bytes } : null;
}

/**
 * Saves a CSV column mapping (by name: saving again replaces it; the first
 * one becomes the default) and runs the held file again with it: at once
 * when small, else by the worker. Returns the import as it stands.
 */
export async function mapAndReprocess(
  db: PrismaClient,
  input: { creditorId: string; importId: string; name: string; columns: CsvColumnMapping; now: () => Date },
) {
  const held = await statementFile(db, input.creditorId, input.importId);
  if (!held?.row.needsMapping) return null;
  const any = await db.bankCsvMapping.count({ where: { creditorId: input.creditorId } });
  const mapping = await db.bankCsvMapping.upsert({
    where: { creditorId_name: { creditorId: input.creditorId, name: input.name } },
    create: {
      creditorId: input.creditorId,
      name: input.name,
      isDefault: any === 0,
      columns: input.columns as unknown as Prisma.InputJsonValue,
    },
    update: { columns: input.columns as unknown as Prisma.InputJsonValue },
  });
  const small = held.bytes.byteLength <= INLINE_IMPORT_BYTES;
  const claimed = await db.bankStatementImport.updateMany({
    where: { id: input.importId, creditorId: input.creditorId, status: "FAILED" },
    data: {
      csvMappingId: mapping.id,
      status: small ? "RUNNING" : "QUEUED",
      error: null,
      startedAt: small ? input.now() : null,
      finishedAt: null,
      transactions: 0,
      newCount: 0,
      applied: 0,
      suggested: 0,
      unmatched: 0,
      ignored: 0,
    },
  });
  if (claimed.count === 0) return null;
  if (!small) {
    void wakeJob("import_process");
    return db.bankStatementImport.findUniqueOrThrow({ where: { id: input.importId } });
  }
  return processQueuedStatement(db, input.importId, { now: input.now });
}
