import crypto from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { parse } from "csv-parse";
import {
  cellReader,
  detectDelimiter,
  guessMapping,
  IMPORT_FIELDS,
  validateRow,
  type ImportField,
  type ImportMapping,
  type RowError,
} from "~/domain/intake/csv-import";
import { getEnv } from "~/utils/env.server";

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
  const pending: PendingUpload = {
    ...owner,
    fileName: path.basename(fileName).slice(0, 200) || "import.csv",
    uploadedAt: new Date().toISOString(),
  };
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

/** Once confirmed, the upload is the job's: its sidecar goes. */
export async function forgetPendingUpload(id: string) {
  await fsp.rm(sidecarFor(id), { force: true });
}

async function readHeaderLine(file: string): Promise<string> {
  const handle = await fsp.open(file, "r");
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return (
      buffer
        .subarray(0, bytesRead)
        .toString("utf8")
        .replace(/^\uFEFF/, "")
        .split(/\r?\n/)[0] ?? ""
    );
  } finally {
    await handle.close();
  }
}

type CsvRecord = { record: string[]; line: number } | { error: string; line: number };

/** Records of a CSV file with their line numbers; a malformed record is reported, not fatal. */
export async function* readCsv(file: string): AsyncGenerator<CsvRecord> {
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
export async function previewUpload(
  id: string,
  mapping: ImportMapping | null,
  currency: string,
): Promise<Preview & { mapping: ImportMapping }> {
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
