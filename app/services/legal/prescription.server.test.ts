import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { addDays } from "~/domain/clock";
import { prescriptionWatchTask } from "~/jobs/tasks.server";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { useTestDatabase } from "../../testing/db";
import { runPrescriptionWatch } from "./prescription.server";

const database = useTestDatabase();
const d = (day: string) => new Date(`${day}T00:00:00Z`);

beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-prescription-"));
});

async function consumerInvoice(opts: { dueDate: Date; deliveredAt?: Date; number: string }) {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db);
  const debtor = await makeDebtor(db, creditor.id, { kind: "CONSUMER", name: "Jeanne Martin" });
  const invoice = await makeInvoice(
    db,
    { creditorId: creditor.id, debtorId: debtor.id, policy },
    { dueDate: opts.dueDate, now: addDays(opts.dueDate, -30), number: opts.number },
  );
  if (opts.deliveredAt) await db.invoice.update({ where: { id: invoice.id }, data: { deliveredAt: opts.deliveredAt } });
  return { db, creditor, debtor, invoice };
}

describe("prescription watch (C. consom. L218-2, C. com. L110-4)", () => {
  it("90 and 30 days before the term: one REVIEW task each, traced, created once however often the job runs", async () => {
    // Consumer claim due 2025-03-15 → barred after 2027-03-15. 2026-12-15 is 90 days before.
    const { db, creditor, invoice } = await consumerInvoice({ dueDate: d("2025-03-15"), number: "F-PRESC-1" });
    expect(await runPrescriptionWatch(db, { now: d("2026-12-14"), creditorId: creditor.id })).toMatchObject({ created: 0 });
    expect(await runPrescriptionWatch(db, { now: d("2026-12-15"), creditorId: creditor.id })).toMatchObject({ created: 1, warnings: 1 });
    expect(await runPrescriptionWatch(db, { now: d("2026-12-16"), creditorId: creditor.id })).toMatchObject({ created: 0 });
    await runPrescriptionWatch(db, { now: d("2027-02-13"), creditorId: creditor.id });
    await runPrescriptionWatch(db, { now: d("2027-02-14"), creditorId: creditor.id });

    const tasks = await db.task.findMany({ where: { creditorId: creditor.id, invoiceId: invoice.id }, orderBy: { createdAt: "asc" } });
    expect(tasks.map((t) => [t.kind, t.sourceKey])).toEqual([
      ["REVIEW", `prescription:${invoice.id}:2027-03-15:WARN_90`],
      ["REVIEW", `prescription:${invoice.id}:2027-03-15:WARN_30`],
    ]);
    expect(tasks[0]!.title).toBe("Prescription le 15/03/2027 (J-90) — Jeanne Martin (F-PRESC-1)");
    expect(tasks[0]!.details).toContain("C. consom. L218-2");
    expect(tasks[0]!.details).toContain("Point de départ retenu : date d'échéance du 15/03/2025 (aucune date de livraison enregistrée");
    const trace = await db.communication.findMany({
      where: { creditorId: creditor.id, kind: { startsWith: "prescription." } },
      orderBy: { occurredAt: "asc" },
    });
    expect(trace.map((c) => c.kind)).toEqual(["prescription.warn_90", "prescription.warn_30"]);
    expect(trace[0]!.data).toMatchObject({ taskId: tasks[0]!.id, expiresAt: "2027-03-15", startedFrom: "DUE_DATE" });
  });

  it("15 days before: the HANDOFF task with its injonction dossier; the delivery date, when recorded, is the starting point", async () => {
    // Delivered 2025-01-10, due 2025-03-15: the term runs from delivery → 2027-01-10. 2026-12-26 is 15 days before.
    const { db, creditor, invoice } = await consumerInvoice({
      dueDate: d("2025-03-15"),
      deliveredAt: d("2025-01-10"),
      number: "F-PRESC-2",
    });
    const report = await runPrescriptionWatch(db, { now: d("2026-12-26"), creditorId: creditor.id });
    expect(report).toMatchObject({ created: 1, handoffs: 1, warnings: 0 });
    const task = await db.task.findFirstOrThrow({ where: { creditorId: creditor.id, invoiceId: invoice.id } });
    expect(task).toMatchObject({ kind: "HANDOFF", sourceKey: `prescription:${invoice.id}:2027-01-10:ESCALATE` });
    expect(task.details).toContain("date de livraison / d'achèvement de la prestation du 10/01/2025");
    const dossier = await db.attachment.findFirst({ where: { creditorId: creditor.id, taskId: task.id } });
    expect(dossier?.kind).toBe("INJUNCTION_DOSSIER");
  });

  it("a succeeded partial payment restarts the period (C. civ. 2240): no warning on the old term", async () => {
    const { db, creditor, debtor, invoice } = await consumerInvoice({ dueDate: d("2025-03-15"), number: "F-PRESC-3" });
    const payment = await db.payment.create({
      data: {
        creditorId: creditor.id,
        debtorId: debtor.id,
        provider: "MANUAL",
        idempotencyKey: `p-${invoice.id}`,
        status: "SUCCEEDED",
        amount: 10_00,
        succeededAt: d("2026-01-20"),
      },
    });
    await db.paymentAllocation.create({ data: { creditorId: creditor.id, paymentId: payment.id, invoiceId: invoice.id, amount: 10_00 } });
    expect(await runPrescriptionWatch(db, { now: d("2026-12-15"), creditorId: creditor.id })).toMatchObject({ created: 0 });
  });

  it("the worker's daily task runs the watch for every creditor", async () => {
    const { db, creditor } = await consumerInvoice({ dueDate: d("2025-03-15"), number: "F-PRESC-4" });
    await prescriptionWatchTask(db, { now: () => d("2026-12-20") });
    expect(await db.task.count({ where: { creditorId: creditor.id, kind: "REVIEW" } })).toBe(1);
  });
});
