import path from "node:path";
import {
  cellReader,
  MAX_STORED_ERRORS,
  ROW_ERROR_TEXT,
  validateRow,
  type ImportMapping,
  type ImportRow,
  type RowError,
} from "~/domain/intake/csv-import";
import type { Prisma } from "~/generated/prisma/client";
import type { Db, PrismaClient } from "~/utils/db.server";
import type { StoredRowError } from "./error-report.server";
import { findPendingUpload, forgetPendingUpload, IMPORT_LIMITS, importsRoot, readCsv } from "./uploads.server";
import { loadPolicies, writeBatch } from "./write-batch.server";

/**
 * Import jobs: a confirmed upload waits as a QUEUED job; a worker claims it
 * under a lease and writes it batch by batch (see uploads.server.ts).
 */

/** Confirms a pending upload: the job (same id as the file) waits for the worker. */
export async function queueImport(db: Db, creditorId: string, id: string, mapping: ImportMapping, userId: string | null) {
  const pending = await findPendingUpload(creditorId, id);
  if (!pending) return null;
  const job = await db.importJob.create({
    data: { id, creditorId, createdById: userId, fileName: pending.fileName, storagePath: `${id}.csv`, mapping, status: "QUEUED" },
  });
  await forgetPendingUpload(id);
  return job;
}

export async function findImportJob(db: Db, creditorId: string, id: string) {
  return db.importJob.findFirst({ where: { id, creditorId } });
}

export async function recentImportJobs(db: Db, creditorId: string, take = 20) {
  return db.importJob.findMany({
    where: { creditorId },
    orderBy: { createdAt: "desc" },
    take,
    select: {
      id: true,
      fileName: true,
      status: true,
      totalRows: true,
      processedRows: true,
      createdRows: true,
      updatedRows: true,
      errorCount: true,
      createdAt: true,
    },
  });
}

const ts = (date: Date) => date.toISOString().replace("Z", "");

/** A RUNNING job without a batch written for this long lost its worker (a batch takes seconds). */
export const IMPORT_LEASE_MINUTES = 5;

/**
 * Takes the oldest queued job (SKIP LOCKED: two workers never take the same
 * one), or a RUNNING one whose worker stopped renewing its heartbeat: it
 * resumes after its last committed batch.
 */
export async function claimImportJob(db: Db, now: Date): Promise<string | null> {
  const rows = await db.$queryRawUnsafe<{ id: string }[]>(
    `UPDATE "ImportJob" SET status = 'RUNNING', "startedAt" = COALESCE("startedAt", $1::timestamp), "heartbeatAt" = $1::timestamp
     WHERE id = (SELECT id FROM "ImportJob"
                 WHERE status = 'QUEUED'
                    OR (status = 'RUNNING' AND COALESCE("heartbeatAt", "startedAt") < $1::timestamp - make_interval(mins => $2::int))
                 ORDER BY "createdAt" LIMIT 1 FOR UPDATE SKIP LOCKED)
     RETURNING id`,
    ts(now),
    IMPORT_LEASE_MINUTES,
  );
  return rows[0]?.id ?? null;
}

/** Worker body: runs every queued import, oldest first. */
export async function runQueuedImports(db: PrismaClient, opts: { now: () => Date; batchSize?: number }) {
  let done = 0;
  for (;;) {
    const id = await claimImportJob(db, opts.now());
    if (!id) return done;
    await processImportJob(db, id, opts);
    done++;
  }
}

/** Data rows (header excluded), for the progress bar. */
async function countDataRows(file: string): Promise<number> {
  let n = 0;
  for await (const _ of readCsv(file)) n++;
  return Math.max(0, n - 1);
}

/** Reads the job's file and writes its rows, batch by batch. */
export async function processImportJob(db: PrismaClient, jobId: string, opts: { now: () => Date; batchSize?: number }) {
  const job = await db.importJob.findUniqueOrThrow({ where: { id: jobId } });
  if (job.status === "DONE" || job.status === "FAILED") return job;
  const batchSize = opts.batchSize ?? IMPORT_LIMITS.batchSize;
  const file = path.resolve(importsRoot(), job.storagePath);
  if (!file.startsWith(importsRoot() + path.sep)) throw new Error("import file outside the imports folder");
  try {
    const creditor = await db.creditor.findUniqueOrThrow({
      where: { id: job.creditorId },
      select: { defaultCurrency: true, defaultLocale: true },
    });
    const policies = await loadPolicies(db, job.creditorId);
    if (job.totalRows === 0)
      await db.importJob.update({ where: { id: jobId }, data: { status: "RUNNING", totalRows: await countDataRows(file) } });
    const mapping = job.mapping as ImportMapping;
    const storedErrors = (job.errors as StoredRowError[]) ?? [];
    const counters = { processed: job.processedRows, created: 0, updated: 0, errors: 0 };
    const alreadyDone = job.processedRows;
    const seenNumbers = new Set<string>();
    let headers: string[] | null = null;
    let cell: ReturnType<typeof cellReader> | null = null;
    let index = 0;
    let batch: ImportRow[] = [];
    let batchErrors: RowError[] = [];
    let pending = 0;

    const flush = async () => {
      const now = opts.now();
      await db.$transaction(
        async (tx) => {
          const written = batch.length
            ? await writeBatch(tx, job.creditorId, batch, { now, policies, locale: creditor.defaultLocale })
            : { created: 0, updated: 0, locked: [] };
          const errors = [...batchErrors, ...written.locked].sort((a, b) => a.line - b.line);
          counters.processed += pending;
          counters.created += written.created;
          counters.updated += written.updated;
          counters.errors += errors.length;
          for (const e of errors) if (storedErrors.length < MAX_STORED_ERRORS) storedErrors.push({ ...e, message: ROW_ERROR_TEXT[e.code] });
          await tx.importJob.update({
            where: { id: jobId },
            data: {
              heartbeatAt: now,
              processedRows: counters.processed,
              createdRows: { increment: written.created },
              updatedRows: { increment: written.updated },
              errorCount: { increment: errors.length },
              errors: storedErrors as unknown as Prisma.InputJsonValue,
            },
          });
        },
        { timeout: 120_000 },
      );
      batch = [];
      batchErrors = [];
      pending = 0;
    };

    for await (const item of readCsv(file)) {
      if (!headers) {
        if ("error" in item) throw new ImportFileError("The header line cannot be read");
        headers = item.record.map((h) => h.trim());
        const missing = Object.values(mapping).filter((h) => h && !headers!.includes(h));
        if (missing.length) throw new ImportFileError(`Columns not found in the file: ${missing.join(", ")}`);
        cell = cellReader(headers, mapping);
        continue;
      }
      index++;
      const resumed = index <= alreadyDone;
      if ("error" in item) {
        if (!resumed) {
          batchErrors.push({ line: item.line, field: null, code: "malformed" });
          pending++;
        }
        continue;
      }
      const record = item.record;
      const number = cell!(record, "invoiceNumber");
      const duplicate = number !== "" && seenNumbers.has(number);
      if (number) seenNumbers.add(number);
      if (resumed) continue;
      pending++;
      if (duplicate) batchErrors.push({ line: item.line, field: "invoiceNumber", code: "duplicate_in_file", value: number });
      else {
        const result = validateRow((f) => cell!(record, f), item.line, { currency: creditor.defaultCurrency });
        if (result.ok) batch.push(result.row);
        else batchErrors.push(...result.errors);
      }
      if (pending >= batchSize) await flush();
    }
    if (pending > 0 || batch.length > 0) await flush();
    return await db.importJob.update({ where: { id: jobId }, data: { status: "DONE", finishedAt: opts.now() } });
  } catch (error) {
    const message = error instanceof ImportFileError ? error.message : `Import failed: ${(error as Error).message}`.slice(0, 2000);
    return db.importJob.update({ where: { id: jobId }, data: { status: "FAILED", lastError: message, finishedAt: opts.now() } });
  }
}

export class ImportFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ImportFileError";
  }
}
