import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { addDays, fixedClock } from "~/domain/clock";
import { startMockServer } from "../../providers/mocks/index";
import { readEmails } from "../../providers/mocks/utils";
import { useTestDatabase } from "../../testing/db";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { queueNotice } from "../messaging/notices.server";
import { sendPendingOutbox } from "../messaging/outbox.server";
import { simulateDunning } from "./simulation.server";
import { runDunningTick } from "./tick.server";

/** The go-live switch: nothing of the dunning calendar leaves for a creditor whose owner has not switched dunning on. */
const database = useTestDatabase();
const DUE = new Date("2026-03-31T00:00:00Z");
let stopMocks: () => void;

beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-switch-"));
  stopMocks = startMockServer({ stripe: false, gocardless: false, resend: true });
});
afterAll(() => stopMocks());

async function overdueInvoice(dunningEnabled: boolean) {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db, { dunningEnabled });
  const debtor = await makeDebtor(db, creditor.id);
  const invoice = await makeInvoice(db, { creditorId: creditor.id, debtorId: debtor.id, policy }, { dueDate: DUE, now: addDays(DUE, -20) });
  return { db, creditor, debtor, invoice };
}

describe("dunning switch", () => {
  it("switched off: the tick queues nothing, the sender sends nothing, no trace; the state stays due", async () => {
    const { db, creditor, debtor, invoice } = await overdueInvoice(false);
    const now = addDays(DUE, 1);
    expect(await runDunningTick(db, { now })).toMatchObject({ queued: 0 });
    expect(await runDunningTick(db, { now, creditorId: creditor.id })).toMatchObject({ scanned: 0, queued: 0 });
    await sendPendingOutbox(db, { clock: fixedClock(now) });
    expect(await db.outboxMessage.count({ where: { creditorId: creditor.id } })).toBe(0);
    expect(await db.communication.count({ where: { creditorId: creditor.id, direction: "OUT", channel: "EMAIL" } })).toBe(0);
    expect(readEmails({ to: debtor.email! })).toHaveLength(0);
    const state = await db.dunningState.findUniqueOrThrow({ where: { invoiceId: invoice.id } });
    expect(state.level).toBe(-1);
    expect(state.nextActionAt!.getTime()).toBeLessThanOrEqual(now.getTime());
  });

  it("switched on: the same invoice gets its reminder (outbox row, email, trace)", async () => {
    const { db, creditor, debtor, invoice } = await overdueInvoice(false);
    const now = addDays(DUE, 1);
    await runDunningTick(db, { now, creditorId: creditor.id });
    await db.creditor.update({ where: { id: creditor.id }, data: { dunningEnabled: true, dunningEnabledAt: now } });

    expect(await runDunningTick(db, { now, creditorId: creditor.id })).toMatchObject({ queued: 1 });
    await sendPendingOutbox(db, { clock: fixedClock(now) });
    const rows = await db.outboxMessage.findMany({ where: { creditorId: creditor.id } });
    expect(rows).toMatchObject([{ invoiceId: invoice.id, templateKey: "first_reminder", status: "SENT" }]);
    expect(readEmails({ to: debtor.email! })).toHaveLength(1);
    expect(await db.communication.count({ where: { creditorId: creditor.id, invoiceId: invoice.id, direction: "OUT" } })).toBe(1);
  });

  it("switched off after a reminder was queued: the reminder waits, a payment receipt still goes", async () => {
    const { db, creditor, debtor } = await overdueInvoice(true);
    const now = addDays(DUE, 1);
    await runDunningTick(db, { now, creditorId: creditor.id });
    await db.creditor.update({ where: { id: creditor.id }, data: { dunningEnabled: false } });
    await queueNotice(db, {
      creditorId: creditor.id,
      debtorId: debtor.id,
      key: "payment_receipt",
      idempotencyKey: `receipt:switch-${creditor.id}`,
      now,
      extra: { amount: 100_00, currency: "EUR", paidAt: now, reference: "VIR-1", invoiceNumbers: [] },
    });

    await sendPendingOutbox(db, { clock: fixedClock(now) });
    const rows = await db.outboxMessage.findMany({ where: { creditorId: creditor.id }, orderBy: { templateKey: "asc" } });
    expect(rows.map((r) => [r.templateKey, r.status])).toEqual([
      ["first_reminder", "PENDING"],
      ["notice:payment_receipt", "SENT"],
    ]);
    expect(readEmails({ to: debtor.email! })).toHaveLength(1);
  });

  it("the simulation still shows what would be sent while dunning is off", async () => {
    const { db, creditor, debtor } = await overdueInvoice(false);
    const actions = await simulateDunning(db, { creditorId: creditor.id, from: addDays(DUE, 1), days: 3 });
    expect(actions).toMatchObject([{ day: 0, debtor: debtor.name, templateKey: "first_reminder" }]);
    expect(await db.outboxMessage.count({ where: { creditorId: creditor.id } })).toBe(0);
  });
});
