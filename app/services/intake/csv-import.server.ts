import crypto from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { parse } from "csv-parse";
import {
  cellReader, detectDelimiter, guessMapping, IMPORT_FIELDS, MAX_STORED_ERRORS, ROW_ERROR_TEXT, validateRow,
  type ImportField, type ImportMapping, type ImportRow, type RowError,
} from "~/domain/intake/csv-import";
import { initialDunningState } from "~/domain/dunning";
import { toCreditorReference } from "~/domain/payments/reference";
import type { Prisma } from "~/generated/prisma/client";
import type { Db, PrismaClient } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { ensureDefaultPolicy, type PolicyWithLevels } from "../dunning/policies.server";

/**
 * CSV intake (ARCHITECTURE §3): the upload is written to DATA_DIR/imports
 * (outside the web root) and answered at once; a worker job reads it in
 * batches, one transaction per batch, with set-based upserts. A crash loses
 * at most the batch in flight: the counters commit with the rows, and a
 * re-run skips the rows already counted.
 */
export const IMPORT_LIMITS = { maxBytes: 50 * 1024 * 1024, previewRows: 5, batchSize: 1_000 } as const;

export function importsRoot() {
  return path.resolve(getEnv().DATA_DIR, "imports");
}

function fileFor(id: string) {
  if (!/^[A-Za-z0-9-]{8,64}$/.test(id)) throw new Error("invalid import id");
  return path.join(importsRoot(), `${id}.csv`);
}

/** A pending upload (not yet confirmed) remembers its tenant in a sidecar file. */
type PendingUpload = { creditorId: string; userId: string | null; fileName: string; uploadedAt: string };
const sidecarFor = (id: string) => fileFor(id).replace(/\.csv$/, ".json");

export type StoredUpload = { ok: true; id: string } | { ok: false; code: "too_large" | "empty" };

/** Streams an uploaded file to disk, refusing it past the size limit. */
export async function storeUpload(
  owner: { creditorId: string; userId: string | null },
  fileName: string,
  data: AsyncIterable<Uint8Array>,
  maxBytes: number = IMPORT_LIMITS.maxBytes,
): Promise<StoredUpload> {
  await fsp.mkdir(importsRoot(), { recursive: true });
  const id = crypto.randomUUID();
  const target = fileFor(id);
  const out = fs.createWriteStream(target, { mode: 0o600 });
  let size = 0;
  let tooLarge = false;
  for await (const chunk of data) {
    size += chunk.byteLength;
    if (size > maxBytes) tooLarge = true;
    // Keep draining so the request completes, but stop writing.
    if (!tooLarge && !out.write(chunk)) await new Promise((resolve) => out.once("drain", resolve));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  if (tooLarge || size === 0) {
    await fsp.rm(target, { force: true });
    return { ok: false, code: tooLarge ? "too_large" : "empty" };
  }
  const pending: PendingUpload = { ...owner, fileName: path.basename(fileName).slice(0, 200) || "import.csv", uploadedAt: new Date().toISOString() };
  await fsp.writeFile(sidecarFor(id), JSON.stringify(pending), { mode: 0o600 });
  return { ok: true, id };
}

/** The pending upload, only for the creditor that made it. */
export async function findPendingUpload(creditorId: string, id: string): Promise<(PendingUpload & { id: string }) | null> {
  try {
    const pending = JSON.parse(await fsp.readFile(sidecarFor(id), "utf8")) as PendingUpload;
    return pending.creditorId === creditorId ? { ...pending, id } : null;
  } catch {
    return null;
  }
}

async function readHeaderLine(file: string): Promise<string> {
  const handle = await fsp.open(file, "r");
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).toString("utf8").replace(/^\uFEFF/, "").split(/\r?\n/)[0] ?? "";
  } finally {
    await handle.close();
  }
}

type CsvRecord = { record: string[]; line: number } | { error: string; line: number };

/** Records of a CSV file with their line numbers; a malformed record is reported, not fatal. */
async function* readCsv(file: string): AsyncGenerator<CsvRecord> {
  const delimiter = detectDelimiter(await readHeaderLine(file));
  const skipped: CsvRecord[] = [];
  const parser = fs.createReadStream(file).pipe(
    parse({
      delimiter,
      bom: true,
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (error) => {
        skipped.push({ error: error?.message ?? "malformed", line: (error as { lines?: number } | undefined)?.lines ?? 0 });
        return undefined;
      },
    }),
  );
  for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    while (skipped.length) yield skipped.shift()!;
    yield { record: item.record, line: item.info.lines };
  }
  while (skipped.length) yield skipped.shift()!;
}

export type Preview = {
  headers: string[];
  rows: { line: number; cells: Partial<Record<ImportField, string>>; errors: RowError[] }[];
};

/** Header, guessed mapping and the first rows as they would be imported. */
export async function previewUpload(id: string, mapping: ImportMapping | null, currency: string): Promise<Preview & { mapping: ImportMapping }> {
  const headers: string[] = [];
  const raw: { record: string[]; line: number }[] = [];
  for await (const item of readCsv(fileFor(id))) {
    if ("error" in item) continue;
    if (headers.length === 0) headers.push(...item.record.map((h) => h.trim()));
    else raw.push(item);
    if (raw.length >= IMPORT_LIMITS.previewRows) break;
  }
  const chosen = mapping ?? guessMapping(headers);
  const cell = cellReader(headers, chosen);
  const rows = raw.map(({ record, line }) => {
    const result = validateRow((f) => cell(record, f), line, { currency });
    const cells = Object.fromEntries(IMPORT_FIELDS.map((f) => [f, cell(record, f)]));
    return { line, cells, errors: result.ok ? [] : result.errors };
  });
  return { headers, mapping: chosen, rows };
}

/** Confirms a pending upload: the job (same id as the file) waits for the worker. */
export async function queueImport(db: Db, creditorId: string, id: string, mapping: ImportMapping, userId: string | null) {
  const pending = await findPendingUpload(creditorId, id);
  if (!pending) return null;
  const job = await db.importJob.create({
    data: { id, creditorId, createdById: userId, fileName: pending.fileName, storagePath: `${id}.csv`, mapping, status: "QUEUED" },
  });
  await fsp.rm(sidecarFor(id), { force: true });
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
    select: { id: true, fileName: true, status: true, totalRows: true, processedRows: true, createdRows: true, updatedRows: true, errorCount: true, createdAt: true },
  });
}

export type StoredRowError = RowError & { message: string };

const ts = (date: Date) => date.toISOString().replace("Z", "");
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

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
    const creditor = await db.creditor.findUniqueOrThrow({ where: { id: job.creditorId }, select: { defaultCurrency: true, defaultLocale: true } });
    const policies = await loadPolicies(db, job.creditorId);
    if (job.totalRows === 0) await db.importJob.update({ where: { id: jobId }, data: { status: "RUNNING", totalRows: await countDataRows(file) } });
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
          const written = batch.length ? await writeBatch(tx, job.creditorId, batch, { now, policies, locale: creditor.defaultLocale }) : { created: 0, updated: 0, locked: [] };
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

type Policies = { byId: Map<string, PolicyWithLevels>; fallback: PolicyWithLevels };

async function loadPolicies(db: Db, creditorId: string): Promise<Policies> {
  const fallback = await ensureDefaultPolicy(db, creditorId);
  const all = await db.dunningPolicy.findMany({
    where: { creditorId },
    select: { id: true, levels: { select: { position: true, offsetDays: true, channel: true, templateKey: true, tone: true }, orderBy: { position: "asc" } } },
  });
  return { byId: new Map(all.map((p) => [p.id, p])), fallback };
}

/**
 * One batch, set-based: debtors upserted by (creditor, externalRef), invoices
 * by (creditor, number) — a re-import updates, never doubles — and each new
 * invoice's dunning state computed by the same `initialDunningState` that
 * `createInvoice` uses. An invoice already settled, or whose payments the new
 * amount / currency / debtor would contradict, is left as it is and reported.
 */
export async function writeBatch(
  db: Db,
  creditorId: string,
  rows: ImportRow[],
  ctx: { now: Date; policies: Policies; locale: "fr" | "en" },
): Promise<{ created: number; updated: number; locked: RowError[] }> {
  const debtorIds = await upsertDebtors(db, creditorId, rows, ctx);
  const invoices = rows.map((r) => ({
    number: r.invoiceNumber, debtorId: debtorIds.get(r.debtorRef)!.id,
    issue: isoDay(r.issueDate), due: isoDay(r.dueDate), amount: r.amount, currency: r.currency,
  }));
  const written = await db.$queryRawUnsafe<{ id: string; number: string; debtorId: string; inserted: boolean }[]>(
    `INSERT INTO "Invoice" (id, "creditorId", "debtorId", number, "issueDate", "dueDate", amount, currency, "createdAt", "updatedAt")
     SELECT gen_random_uuid()::text, $1, x."debtorId", x.number, x.issue::date, x.due::date, x.amount, x.currency, $2::timestamp, $2::timestamp
     FROM json_to_recordset($3::json) AS x(number text, "debtorId" text, issue text, due text, amount int, currency text)
     ON CONFLICT ("creditorId", number) DO UPDATE SET
       "debtorId" = EXCLUDED."debtorId", "issueDate" = EXCLUDED."issueDate", "dueDate" = EXCLUDED."dueDate",
       amount = EXCLUDED.amount, currency = EXCLUDED.currency, "updatedAt" = EXCLUDED."updatedAt"
     WHERE "Invoice".status IN ('OPEN', 'PARTIALLY_PAID')
       AND EXCLUDED.amount > "Invoice"."amountPaid" + "Invoice"."amountCredited"
       AND ("Invoice"."amountPaid" + "Invoice"."amountCredited" = 0
            OR (EXCLUDED.currency = "Invoice".currency AND EXCLUDED."debtorId" = "Invoice"."debtorId"))
     RETURNING id, number, "debtorId", (xmax = 0) AS inserted`,
    creditorId, ts(ctx.now), JSON.stringify(invoices),
  );
  const byNumber = new Map(rows.map((r) => [r.invoiceNumber, r]));
  const policyOf = new Map([...debtorIds.values()].map((d) => [d.id, d.policyId]));
  const states = written
    .filter((w) => w.inserted)
    .map((w) => {
      const row = byNumber.get(w.number)!;
      const policyId = policyOf.get(w.debtorId);
      const policy = (policyId && ctx.policies.byId.get(policyId)) || ctx.policies.fallback;
      const state = initialDunningState(row.dueDate, policy.levels, ctx.now);
      return { invoiceId: w.id, policyId: policy.id, level: state.level, next: state.nextActionAt ? ts(state.nextActionAt) : null };
    });
  if (states.length) {
    await db.$executeRawUnsafe(
      `INSERT INTO "DunningState" ("invoiceId", "creditorId", "policyId", level, "nextActionAt", "updatedAt")
       SELECT x."invoiceId", $1, x."policyId", x.level, x.next::timestamp, $2::timestamp
       FROM json_to_recordset($3::json) AS x("invoiceId" text, "policyId" text, level int, next text)`,
      creditorId, ts(ctx.now), JSON.stringify(states),
    );
  }
  const touched = new Set(written.map((w) => w.number));
  const locked: RowError[] = rows
    .filter((r) => !touched.has(r.invoiceNumber))
    .map((r) => ({ line: r.line, field: "invoiceNumber", code: "invoice_locked", value: r.invoiceNumber }));
  return { created: states.length, updated: written.length - states.length, locked };
}

type DebtorKey = { id: string; policyId: string | null };

async function upsertDebtors(db: Db, creditorId: string, rows: ImportRow[], ctx: { now: Date; locale: "fr" | "en" }) {
  // The last line wins for a debtor named on several lines.
  const latest = new Map(rows.map((r) => [r.debtorRef, r]));
  const refs = [...latest.keys()];
  const existing = await db.$queryRawUnsafe<{ externalRef: string }[]>(
    `SELECT "externalRef" FROM "Debtor" WHERE "creditorId" = $1 AND "externalRef" IN (SELECT value FROM json_array_elements_text($2::json))`,
    creditorId, JSON.stringify(refs),
  );
  const known = new Set(existing.map((d) => d.externalRef));
  const fresh = refs.filter((ref) => !known.has(ref));
  const transferRefs = await transferReferences(db, creditorId, fresh);
  const payload = (ref: string) => {
    const r = latest.get(ref)!;
    return { ref, name: r.debtorName, kind: r.debtorKind, email: r.debtorEmail, locale: r.debtorLanguage };
  };
  if (fresh.length) {
    await db.$executeRawUnsafe(
      `INSERT INTO "Debtor" (id, "creditorId", "externalRef", kind, name, email, locale, "transferReference", "createdAt", "updatedAt")
       SELECT gen_random_uuid()::text, $1, x.ref, COALESCE(x.kind, 'BUSINESS')::"DebtorKind", x.name, x.email,
              COALESCE(x.locale, $3)::"Locale", x.tref, $2::timestamp, $2::timestamp
       FROM json_to_recordset($4::json) AS x(ref text, name text, kind text, email text, locale text, tref text)
       ON CONFLICT ("creditorId", "externalRef") DO NOTHING`,
      creditorId, ts(ctx.now), ctx.locale, JSON.stringify(fresh.map((ref) => ({ ...payload(ref), tref: transferRefs.get(ref) }))),
    );
  }
  const updates = refs.filter((ref) => known.has(ref));
  if (updates.length) {
    // Optional columns left empty keep what the debtor already has.
    await db.$executeRawUnsafe(
      `UPDATE "Debtor" d SET name = x.name, kind = COALESCE(x.kind::"DebtorKind", d.kind), email = COALESCE(x.email, d.email),
              locale = COALESCE(x.locale::"Locale", d.locale), "updatedAt" = $2::timestamp
       FROM json_to_recordset($3::json) AS x(ref text, name text, kind text, email text, locale text)
       WHERE d."creditorId" = $1 AND d."externalRef" = x.ref
         AND (d.name, d.kind::text, d.email, d.locale::text) IS DISTINCT FROM
             (x.name, COALESCE(x.kind, d.kind::text), COALESCE(x.email, d.email), COALESCE(x.locale, d.locale::text))`,
      creditorId, ts(ctx.now), JSON.stringify(updates.map(payload)),
    );
  }
  const ids = await db.$queryRawUnsafe<{ id: string; externalRef: string; policyId: string | null }[]>(
    `SELECT id, "externalRef", "policyId" FROM "Debtor" WHERE "creditorId" = $1 AND "externalRef" IN (SELECT value FROM json_array_elements_text($2::json))`,
    creditorId, JSON.stringify(refs),
  );
  return new Map<string, DebtorKey>(ids.map((d) => [d.externalRef, { id: d.id, policyId: d.policyId }]));
}

/**
 * Each debtor's RF transfer reference, unique per creditor. Two references
 * can fold to the same one (case, punctuation, 21-character cut): the later
 * gets one derived from a hash of its reference instead.
 */
export async function transferReferences(db: Db, creditorId: string, refs: string[]): Promise<Map<string, string>> {
  const derived = (ref: string, salt: number) =>
    toCreditorReference(crypto.createHash("sha256").update(`${salt}:${ref}`).digest("hex").slice(0, 16).toUpperCase());
  const wanted = new Map(refs.map((ref) => [ref, /[A-Za-z0-9]/.test(ref) ? toCreditorReference(ref) : derived(ref, 0)]));
  const taken = new Set(
    (
      await db.$queryRawUnsafe<{ transferReference: string }[]>(
        `SELECT "transferReference" FROM "Debtor" WHERE "creditorId" = $1 AND "transferReference" IN (SELECT value FROM json_array_elements_text($2::json))`,
        creditorId, JSON.stringify([...wanted.values()]),
      )
    ).map((r) => r.transferReference),
  );
  const result = new Map<string, string>();
  for (const [ref, candidate] of wanted) {
    let value = candidate;
    for (let salt = 1; taken.has(value); salt++) value = derived(ref, salt);
    taken.add(value);
    result.set(ref, value);
  }
  return result;
}

/** The stored row errors as a CSV report (the count is exact; the list is capped). */
export function errorReportCsv(
  job: { errors: unknown; errorCount: number },
  describe: (e: StoredRowError) => string,
  labels: { line: string; field: string; error: string; value: string; truncated: string },
  fieldName: (field: ImportField) => string = (f) => f,
): string {
  const quote = (v: string | number) => {
    const s = String(v);
    // Also defuses spreadsheet formulas (CSV injection).
    const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
    return /[";\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const errors = (job.errors as StoredRowError[]) ?? [];
  const lines = [[labels.line, labels.field, labels.error, labels.value].join(";")];
  for (const e of errors) lines.push([e.line, e.field ? fieldName(e.field) : "", describe(e), e.value ?? ""].map(quote).join(";"));
  if (job.errorCount > errors.length) lines.push(quote(labels.truncated));
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

