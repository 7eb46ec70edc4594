import { addDays, startOfDayUTC } from "~/domain/clock";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { useTestDatabase } from "../../testing/db";
import { recordCommunication } from "../messaging/communications.server";
import { invoiceFile } from "./invoice-file.server";

const database = useTestDatabase();
const NOW = new Date("2026-04-02T10:00:00Z");
const TODAY = startOfDayUTC(NOW);

async function setup() {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db);
  const debtor = await makeDebtor(db, creditor.id);
  const ctx = { creditorId: creditor.id, debtorId: debtor.id, policy };
  const invoice = await makeInvoice(db, ctx, { dueDate: addDays(TODAY, -3), now: NOW });
  const other = await makeInvoice(db, ctx, { dueDate: addDays(TODAY, -3), now: NOW });
  return { db, creditor, debtor, invoice, other };
}

describe("back-office invoice page", () => {
  it("another creditor's invoice is not found", async () => {
    const mine = await setup();
    const theirs = await setup();
    expect(await invoiceFile(mine.db, mine.creditor.id, theirs.invoice.id)).toBeNull();
    expect(await invoiceFile(mine.db, mine.creditor.id, "missing")).toBeNull();
    expect((await invoiceFile(mine.db, mine.creditor.id, mine.invoice.id))?.invoice.number).toBe(mine.invoice.number);
  });

  it("its timeline holds its own trace and the grouped reminders naming it, not the debtor's other invoices", async () => {
    const { db, creditor, debtor, invoice, other } = await setup();
    const base = {
      creditorId: creditor.id,
      debtorId: debtor.id,
      direction: "OUT",
      channel: "EMAIL",
      actorType: "SYSTEM",
      occurredAt: NOW,
    } as const;
    await recordCommunication(db, { ...base, invoiceId: invoice.id, kind: "dunning.reminder_sent", subject: "Mine" });
    await recordCommunication(db, { ...base, invoiceId: other.id, kind: "dunning.reminder_sent", subject: "Other" });
    await recordCommunication(db, {
      ...base,
      invoiceId: null,
      kind: "dunning.reminder_sent",
      subject: "Grouped",
      data: { invoiceIds: [other.id, invoice.id] },
    });
    await recordCommunication(db, {
      ...base,
      invoiceId: null,
      kind: "dunning.reminder_sent",
      subject: "Grouped other",
      data: { invoiceIds: [other.id] },
    });
    const file = await invoiceFile(db, creditor.id, invoice.id);
    expect(file!.timeline.map((c) => c.subject).sort()).toEqual(["Grouped", "Mine"]);
    expect(file!.stage).toMatchObject({ kind: "dunning" });
    expect(file!.invoice.balance).toBe(100_00);
  });
});
