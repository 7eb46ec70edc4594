/**
 * `npm run bench:import -- [--rows 100000] [--debtors 10000] [--batch 1000]`
 *
 * Writes a CSV of N invoice lines (French format: ";" separator, "1 234,56"
 * amounts, DD/MM/YYYY dates) spread over the debtors, uploads it through the
 * import service and times the worker's processing of the job on a fresh
 * in-memory PGlite — or, when DATABASE_URL is a postgres URL, on a scratch
 * database `relance_bench_import` created next to it (needs CREATEDB) and
 * dropped afterwards. Re-imports the same file to time the update path too.
 * Last line: RESULT rows=<n> seconds=<x> rows_per_s=<x>
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "100000" },
    debtors: { type: "string", default: "10000" },
    batch: { type: "string", default: "1000" },
  },
});
const ROWS = Number(values.rows);
const DEBTORS = Math.max(1, Math.min(Number(values.debtors), ROWS));
const BATCH = Number(values.batch);

process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-bench-import-"));
process.env.LOG_LEVEL ??= "warn";

const { guessMapping } = await import("~/domain/intake/csv-import");
const { previewUpload, storeUpload } = await import("~/services/intake/uploads.server");
const { processImportJob, queueImport } = await import("~/services/intake/import-jobs.server");
const { isPostgresUrl, openPglite, openPostgres, setDatabase } = await import("~/utils/db.server");

function writeCsv(file: string) {
  const out = fs.openSync(file, "w");
  const lines: string[] = ["Code client;Raison sociale;Email;N° facture;Date facture;Date d'échéance;Montant TTC;Devise"];
  const pad = (n: number) => String(n).padStart(2, "0");
  for (let i = 1; i <= ROWS; i++) {
    const d = i % DEBTORS;
    const issue = new Date(Date.UTC(2026, 0, 1 + (i % 90)));
    const due = new Date(issue.getTime() + 30 * 86_400_000);
    const fmt = (x: Date) => `${pad(x.getUTCDate())}/${pad(x.getUTCMonth() + 1)}/${x.getUTCFullYear()}`;
    const cents = 1_000 + ((i * 7919) % 500_000);
    const amount = `${Math.floor(cents / 100)
      .toLocaleString("fr-FR")
      .replace(/\u202f/g, " ")},${pad(cents % 100)}`;
    lines.push(`C${d};Client ${d} SARL;compta${d}@example.test;F-${String(i).padStart(7, "0")};${fmt(issue)};${fmt(due)};${amount};EUR`);
    if (lines.length >= 10_000) {
      fs.writeSync(out, `${lines.join("\n")}\n`);
      lines.length = 0;
    }
  }
  if (lines.length) fs.writeSync(out, `${lines.join("\n")}\n`);
  fs.closeSync(out);
}

async function scratchDatabase(url: string, drop = false) {
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS relance_bench_import WITH (FORCE)`);
  if (!drop) await client.query(`CREATE DATABASE relance_bench_import`);
  await client.end();
  const scratch = new URL(url);
  scratch.pathname = "/relance_bench_import";
  return scratch.toString();
}

const url = process.env.DATABASE_URL;
const database = isPostgresUrl(url) ? await openPostgres(await scratchDatabase(url), { migrate: true, max: 4 }) : await openPglite(null);
setDatabase(database);
const { prisma } = database;
try {
  const file = path.join(process.env.DATA_DIR, "bench.csv");
  writeCsv(file);
  console.log(`CSV: ${ROWS} rows, ${(fs.statSync(file).size / 1e6).toFixed(1)} MB, ${DEBTORS} debtors, database ${database.kind}`);
  const creditor = await prisma.creditor.create({ data: { slug: `bench-import-${Date.now()}`, legalName: "Bench Import SAS" } });
  const now = () => new Date("2026-03-15T08:00:00Z");

  const runOnce = async (label: string) => {
    const stored = await storeUpload({ creditorId: creditor.id, userId: null }, "bench.csv", fs.createReadStream(file));
    if (!stored.ok) throw new Error(stored.code);
    const { headers } = await previewUpload(stored.id, null, "EUR");
    const job = await queueImport(prisma, creditor.id, stored.id, guessMapping(headers), null);
    const start = process.hrtime.bigint();
    const done = await processImportJob(prisma, job!.id, { now, batchSize: BATCH });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    console.log(
      `${label}: status=${done.status} created=${done.createdRows} updated=${done.updatedRows} errors=${done.errorCount} ${seconds.toFixed(2)} s (${Math.round(ROWS / seconds)} rows/s)`,
    );
    if (done.status !== "DONE" || done.errorCount > 0 || done.createdRows + done.updatedRows !== ROWS)
      throw new Error(`unexpected result: ${done.lastError ?? ""}`);
    return seconds;
  };

  const first = await runOnce("first import (inserts)");
  await runOnce("re-import (updates)");
  const [invoices, states] = await Promise.all([
    prisma.invoice.count({ where: { creditorId: creditor.id } }),
    prisma.dunningState.count({ where: { creditorId: creditor.id } }),
  ]);
  console.log(`rows in database: invoices=${invoices} dunning_states=${states}`);
  console.log(`RESULT rows=${ROWS} seconds=${first.toFixed(2)} rows_per_s=${Math.round(ROWS / first)}`);
} finally {
  await database.close();
  if (isPostgresUrl(url)) await scratchDatabase(url, true);
  fs.rmSync(process.env.DATA_DIR, { recursive: true, force: true });
}
