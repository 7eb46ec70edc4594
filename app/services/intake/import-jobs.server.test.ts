import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { makeCreditor } from "../../testing/factories";
import { useTestDatabase } from "../../testing/db";
import { errorReportCsv } from "./error-report.server";
import { claimImportJob, findImportJob, processImportJob, queueImport, runQueuedImports } from "./import-jobs.server";
import { previewUpload, storeUpload } from "./uploads.server";

const database = useTestDatabase();
const NOW = new Date("2026-03-10T09:00:00Z");
const clock = { now: () => NOW };

beforeAll(() => {
  process.env.DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), "relance-import-"));
});

async function* chunks(text: string) {
  yield Buffer.from(text, "utf8");
}

const HEADER = "Code client;Raison sociale;Email;N° facture;Date facture;Date d'échéance;Montant TTC;Devise";
const GOOD = [
  "C001;Boulangerie Martin;compta@martin.test;F-1001;01/02/2026;03/03/2026;1 234,56;EUR",
  "C002;Garage Petit;;F-1002;2026-01-15;2026-02-14;500.00;",
  "C001;Boulangerie Martin;compta@martin.test;F-1003;01/03/2026;31/03/2026;99,90;EUR",
];

async function upload(creditorId: string, lines: string[]) {
  const stored = await storeUpload({ creditorId, userId: null }, "factures.csv", chunks([HEADER, ...lines].join("\n")));
  if (!stored.ok) throw new Error(stored.code);
  const preview = await previewUpload(stored.id, null, "EUR");
  const job = await queueImport(database.get().prisma, creditorId, stored.id, preview.mapping, null);
  return { id: stored.id, job: job!, preview };
}

describe("CSV import jobs", () => {
  it("imports good rows, reports 3 bad rows by line, and creates the dunning state", async () => {
    const db = database.get().prisma;
    const { creditor, policy } = await makeCreditor(db);
    const { job } = await upload(creditor.id, [
      GOOD[0]!,
      "C003;Sans montant;;F-2001;01/02/2026;03/03/2026;;EUR", // line 3: amount missing
      GOOD[1]!,
      "C004;Dates;;F-2002;10/03/2026;01/03/2026;10,00;EUR", // line 5: due before issue
      "C005;Devise;;F-2003;31/02/2026;03/03/2026;10,00;XXX", // line 6: bad date + unknown currency
      GOOD[2]!,
    ]);
    expect(job.status).toBe("QUEUED");
    expect(await runQueuedImports(db, { ...clock, batchSize: 2 })).toBe(1);
    const done = await db.importJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(done).toMatchObject({ status: "DONE", totalRows: 6, processedRows: 6, createdRows: 3, updatedRows: 0, errorCount: 4 });
    const errors = done.errors as { line: number; field: string; code: string }[];
    expect(errors.map((e) => [e.line, e.field, e.code])).toEqual([
      [3, "amount", "required"],
      [5, "dueDate", "due_before_issue"],
      [6, "currency", "currency_unknown"],
      [6, "issueDate", "date_format"],
    ]);

    const invoices = await db.invoice.findMany({
      where: { creditorId: creditor.id },
      include: { dunningState: true, debtor: true },
      orderBy: { number: "asc" },
    });
    expect(invoices.map((i) => [i.number, i.amount, i.debtor.externalRef])).toEqual([
      ["F-1001", 123456, "C001"],
      ["F-1002", 50000, "C002"],
      ["F-1003", 9990, "C001"],
    ]);
    expect(await db.debtor.count({ where: { creditorId: creditor.id } })).toBe(2);
    // Same state as createInvoice: F-1002 was due 2026-02-14 (J+24 on NOW) → the J+16 call is due now.
    const { initialDunningState } = await import("~/domain/dunning");
    for (const invoice of invoices) {
      const expected = initialDunningState(invoice.dueDate, policy.levels, NOW);
      expect(invoice.dunningState).toMatchObject({ policyId: policy.id, level: expected.level, nextActionAt: expected.nextActionAt });
    }
    const report = errorReportCsv(done, (e) => e.code, { line: "line", field: "field", error: "error", value: "value", truncated: "…" });
    expect(report.split("\r\n")[2]).toBe("5;dueDate;due_before_issue;01/03/2026");
  });

  it("re-importing updates invoices and debtors instead of doubling them", async () => {
    const db = database.get().prisma;
    const { creditor } = await makeCreditor(db);
    const first = await upload(creditor.id, GOOD);
    await processImportJob(db, first.job.id, clock);
    const second = await upload(creditor.id, [
      "C001;Boulangerie Martin & Fils;;F-1001;01/02/2026;10/03/2026;1 000,00;EUR",
      GOOD[1]!,
      GOOD[2]!.replace("Boulangerie Martin;compta@martin.test", "Boulangerie Martin & Fils;"),
      "C009;Nouveau;;F-1009;01/02/2026;10/03/2026;42;EUR",
    ]);
    const done = await processImportJob(db, second.job.id, clock);
    expect(done).toMatchObject({ status: "DONE", createdRows: 1, updatedRows: 3, errorCount: 0 });
    expect(await db.invoice.count({ where: { creditorId: creditor.id } })).toBe(4);
    expect(await db.dunningState.count({ where: { creditorId: creditor.id } })).toBe(4);
    const f1001 = await db.invoice.findFirstOrThrow({ where: { creditorId: creditor.id, number: "F-1001" }, include: { debtor: true } });
    expect(f1001.amount).toBe(100000);
    // Name updated, email kept when the column is empty.
    expect(f1001.debtor).toMatchObject({ name: "Boulangerie Martin & Fils", email: "compta@martin.test" });
  });

  it("a re-import that moves a due date moves the next reminder, later and into the past, and traces it", async () => {
    const db = database.get().prisma;
    const { creditor } = await makeCreditor(db);
    await processImportJob(db, (await upload(creditor.id, GOOD)).job.id, clock);
    const f1003 = () =>
      db.invoice.findFirstOrThrow({ where: { creditorId: creditor.id, number: "F-1003" }, include: { dunningState: true } });
    expect((await f1003()).dunningState!.nextActionAt).toEqual(new Date("2026-03-23T00:00:00Z")); // J-8 of 31/03
    const reimport = async (due: string) =>
      processImportJob(db, (await upload(creditor.id, [GOOD[2]!.replace(";01/03/2026;31/03/2026;", `;01/01/2026;${due};`)])).job.id, clock);

    expect(await reimport("30/04/2026")).toMatchObject({ status: "DONE", updatedRows: 1 });
    expect((await f1003()).dunningState).toMatchObject({ level: -1, nextActionAt: new Date("2026-04-22T00:00:00Z") });
    expect(await reimport("15/02/2026")).toMatchObject({ status: "DONE", updatedRows: 1 });
    expect((await f1003()).dunningState).toMatchObject({ level: -1, nextActionAt: new Date("2026-03-10T00:00:00Z") });
    // Unchanged on a third pass: no trace row; the two moves are traced.
    await reimport("15/02/2026");
    const trace = await db.communication.findMany({
      where: { creditorId: creditor.id, kind: "dunning.rescheduled" },
      orderBy: { occurredAt: "asc" },
    });
    expect(trace.map((t) => t.data as { reason: string; to: { nextActionAt: string } })).toEqual([
      expect.objectContaining({ reason: "import", to: expect.objectContaining({ nextActionAt: "2026-04-22T00:00:00.000Z" }) }),
      expect.objectContaining({ reason: "import", to: expect.objectContaining({ nextActionAt: "2026-03-10T00:00:00.000Z" }) }),
    ]);
    // The tick then runs the latest level whose day has come on the new date (J+23: the J+16 call).
    const { runDunningTick } = await import("../dunning/tick.server");
    await runDunningTick(db, { now: NOW, creditorId: creditor.id });
    const sent = await db.outboxMessage.findMany({ where: { invoiceId: (await f1003()).id } });
    expect(sent.map((m) => m.templateKey)).toEqual(["call_overdue"]);
  });

  it("a job whose worker died mid-file is taken again once its lease lapses, and resumes after its last batch", async () => {
    const db = database.get().prisma;
    const { creditor } = await makeCreditor(db);
    const { job } = await upload(creditor.id, GOOD);
    expect(await claimImportJob(db, NOW)).toBe(job.id);
    // The worker writes its first one-row batch, then dies (its clock throws on the next batch).
    let calls = 0;
    const dying = {
      now: () => {
        if (++calls > 1) throw new Error("worker killed");
        return NOW;
      },
      batchSize: 1,
    };
    await expect(processImportJob(db, job.id, dying)).rejects.toThrow("worker killed");
    expect(await db.importJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({
      status: "RUNNING",
      processedRows: 1,
      createdRows: 1,
    });
    // Still within its lease: nobody takes it.
    expect(await claimImportJob(db, new Date(NOW.getTime() + 60_000))).toBeNull();
    // Six minutes without a batch: the next worker takes it and writes only the rows after the first.
    expect(await runQueuedImports(db, { now: () => new Date(NOW.getTime() + 6 * 60_000) })).toBe(1);
    expect(await db.importJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({
      status: "DONE",
      processedRows: 3,
      createdRows: 3,
      errorCount: 0,
    });
    expect(await db.invoice.count({ where: { creditorId: creditor.id } })).toBe(3);
  });

  it("does not touch a paid invoice and reports it; duplicates in one file are reported", async () => {
    const db = database.get().prisma;
    const { creditor } = await makeCreditor(db);
    const first = await upload(creditor.id, GOOD);
    await processImportJob(db, first.job.id, clock);
    await db.invoice.updateMany({ where: { creditorId: creditor.id, number: "F-1002" }, data: { status: "PAID", amountPaid: 50000 } });
    const second = await upload(creditor.id, [GOOD[1]!.replace("500.00", "600.00"), GOOD[0]!, GOOD[0]!]);
    const done = await processImportJob(db, second.job.id, clock);
    expect(done).toMatchObject({ createdRows: 0, updatedRows: 1, errorCount: 2 });
    expect((done.errors as { line: number; code: string }[]).map((e) => [e.line, e.code])).toEqual([
      [2, "invoice_locked"],
      [4, "duplicate_in_file"],
    ]);
    expect((await db.invoice.findFirstOrThrow({ where: { creditorId: creditor.id, number: "F-1002" } })).amount).toBe(50000);
  });

  it("fails the job with a clear message when a mapped column is missing", async () => {
    const db = database.get().prisma;
    const { creditor } = await makeCreditor(db);
    const stored = await storeUpload({ creditorId: creditor.id, userId: null }, "f.csv", chunks(["a,b", "1,2"].join("\n")));
    const job = await queueImport(db, creditor.id, (stored as { id: string }).id, { debtorRef: "Client" }, null);
    const done = await processImportJob(db, job!.id, clock);
    expect(done.status).toBe("FAILED");
    expect(done.lastError).toContain("Client");
  });

  it("a job of one creditor is invisible to another", async () => {
    const db = database.get().prisma;
    const a = await makeCreditor(db);
    const b = await makeCreditor(db);
    const { job } = await upload(a.creditor.id, GOOD);
    expect(await findImportJob(db, a.creditor.id, job.id)).not.toBeNull();
    expect(await findImportJob(db, b.creditor.id, job.id)).toBeNull();
  });
});
