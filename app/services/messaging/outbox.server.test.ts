import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { addDays, fixedClock } from "~/domain/clock";
import { startMockServer } from "../../providers/mocks/index";
import { mailboxDir, readEmails } from "../../providers/mocks/utils";
import { useTestDatabase } from "../../testing/db";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { runDunningTick } from "../dunning/tick.server";
import { sendPendingOutbox } from "./outbox.server";
// After the sender: the documents service it reaches loads through it.
import { replaceLogo } from "../documents/logo.server";

/** The outbox rows of a killed worker: whatever it had marked, a crash leaves them SENDING until the lock expires. */
function killedAtSentMark(db: ReturnType<ReturnType<typeof useTestDatabase>["get"]>["prisma"]) {
  const outboxMessage = new Proxy(db.outboxMessage, {
    get(target, prop, receiver) {
      if (prop !== "updateMany") return Reflect.get(target, prop, receiver);
      return () => Promise.reject(new Error("killed before marking the rows"));
    },
  });
  return new Proxy(db, {
    get: (target, prop, receiver) => (prop === "outboxMessage" ? outboxMessage : Reflect.get(target, prop, receiver)),
  });
}

/** Makes the first write of one of the mail stand-in's two files fail, as if the process died there. */
function killMailboxAt(which: "marker" | "message") {
  const hits = (p: unknown) => {
    if (typeof p !== "string" || !p.startsWith(mailboxDir())) return false;
    const marker = p.includes(`${path.sep}.idempotency${path.sep}`);
    return which === "marker" ? marker : !marker && /\.json/.test(path.basename(p));
  };
  let fired = false;
  const once = <F extends (...args: never[]) => unknown>(original: F) =>
    ((...args: Parameters<F>) => {
      if (!fired && args.some(hits)) {
        fired = true;
        throw new Error(`killed while writing the ${which}`);
      }
      return original(...args);
    }) as F;
  const original = { writeFileSync: fs.writeFileSync, renameSync: fs.renameSync, linkSync: fs.linkSync };
  const spies = [
    vi.spyOn(fs, "writeFileSync").mockImplementation(once(original.writeFileSync)),
    vi.spyOn(fs, "renameSync").mockImplementation(once(original.renameSync)),
    vi.spyOn(fs, "linkSync").mockImplementation(once(original.linkSync)),
  ];
  return () => spies.forEach((s) => s.mockRestore());
}

const database = useTestDatabase();
const DUE = new Date("2026-03-31T00:00:00Z");
let stopMocks: () => void;

beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-outbox-"));
  stopMocks = startMockServer({ stripe: false, gocardless: false, resend: true });
});
afterAll(() => stopMocks());
afterEach(() => {
  delete process.env.MOCK_RESEND_FAIL;
});

async function dueInvoices(count: number, debtorOverrides: Parameters<typeof makeDebtor>[2] = {}) {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db);
  const debtor = await makeDebtor(db, creditor.id, debtorOverrides);
  const invoices = [];
  for (let i = 0; i < count; i++) {
    invoices.push(
      await makeInvoice(db, { creditorId: creditor.id, debtorId: debtor.id, policy }, { dueDate: DUE, now: addDays(DUE, -20) }),
    );
  }
  return { db, creditor, debtor, invoices };
}

describe("outbox sender", () => {
  it("sends one email listing all of a debtor's invoices due the same day, with a portal link, and records it", async () => {
    const { db, creditor, debtor, invoices } = await dueInvoices(2);
    const now = addDays(DUE, 1);
    await runDunningTick(db, { now, creditorId: creditor.id });
    const report = await sendPendingOutbox(db, { clock: fixedClock(now) });
    expect(report).toMatchObject({ groups: 1, emails: 1 });

    const mails = readEmails({ to: debtor.email! });
    expect(mails).toHaveLength(1);
    for (const invoice of invoices) expect(mails[0]!.text).toContain(invoice.number);
    expect(mails[0]!.text).toMatch(/http:\/\/localhost:3000\/p\/[\w-]+\.[\w-]+\.[\w-]+/);

    const trace = await db.communication.findMany({ where: { creditorId: creditor.id, debtorId: debtor.id, kind: "dunning.email" } });
    expect(trace).toHaveLength(1);
    expect(trace[0]).toMatchObject({
      channel: "EMAIL",
      direction: "OUT",
      templateKey: "first_reminder",
      deliveryStatus: "SENT",
      recipient: debtor.email,
    });
    expect(trace[0]!.providerMessageId).toBe(mails[0]!.id);
    expect(await db.outboxMessage.count({ where: { creditorId: creditor.id, status: "SENT" } })).toBe(2);
    expect(await db.accessLink.count({ where: { creditorId: creditor.id, debtorId: debtor.id } })).toBe(1);
  });

  it("writes as the creditor: its sender name as the From display name, its logo at the top", async () => {
    const { db, creditor, debtor } = await dueInvoices(1);
    await db.creditor.update({ where: { id: creditor.id }, data: { senderName: 'Atelier "Durand" — Compta' } });
    const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");
    const logo = await replaceLogo(db, creditor.id, { name: "logo.png", bytes: png }, DUE);
    const now = addDays(DUE, 1);
    await runDunningTick(db, { now, creditorId: creditor.id });
    await sendPendingOutbox(db, { clock: fixedClock(now) });
    const [mail] = readEmails({ to: debtor.email! });
    expect(mail!.from).toMatch(/^"Atelier \\"Durand\\" — Compta" <[^<>\s]+@[^<>\s]+>$/);
    expect(mail!.html).toContain(`http://localhost:3000/brand/${creditor.id}/logo?v=${logo.id.slice(0, 12)}`);
  });

  it("creates a staff task instead of silently skipping a debtor without a usable email", async () => {
    const { db, creditor, debtor } = await dueInvoices(1, { email: "not-an-address" });
    const now = addDays(DUE, 1);
    await runDunningTick(db, { now, creditorId: creditor.id });
    await sendPendingOutbox(db, { clock: fixedClock(now) });
    const tasks = await db.task.findMany({ where: { creditorId: creditor.id, debtorId: debtor.id } });
    expect(tasks.map((t) => t.kind)).toEqual(["FIND_CONTACT"]);
    expect(readEmails({ to: "not-an-address" })).toHaveLength(0);
  });

  it("turns call, letter and hand-off levels into staff tasks (the letter is emailed too)", async () => {
    const { db, creditor, debtor } = await dueInvoices(1);
    for (const day of [-3, 45, 60]) {
      const now = addDays(DUE, day);
      await db.dunningState.updateMany({
        where: { creditorId: creditor.id },
        data: { level: day === -3 ? 0 : day === 45 ? 5 : 6, nextActionAt: now },
      });
      await runDunningTick(db, { now, creditorId: creditor.id });
      await sendPendingOutbox(db, { clock: fixedClock(now) });
    }
    const tasks = await db.task.findMany({ where: { creditorId: creditor.id }, orderBy: { dueAt: "asc" } });
    expect(tasks.map((t) => t.kind)).toEqual(["CALL", "LETTER", "HANDOFF"]);
    const mails = readEmails({ to: debtor.email! });
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject.toLowerCase()).toContain("mise en demeure");
  });

  it("retries with backoff when the provider is down, then sends exactly once", async () => {
    const { db, creditor, debtor } = await dueInvoices(1);
    const now = addDays(DUE, 1);
    await runDunningTick(db, { now, creditorId: creditor.id });
    process.env.MOCK_RESEND_FAIL = "500";
    const failed = await sendPendingOutbox(db, { clock: fixedClock(now) });
    expect(failed.retried).toBe(1);
    const row = await db.outboxMessage.findFirstOrThrow({ where: { creditorId: creditor.id } });
    expect(row.status).toBe("PENDING");
    expect(row.availableAt.getTime()).toBe(now.getTime() + 60_000);
    delete process.env.MOCK_RESEND_FAIL;
    expect((await sendPendingOutbox(db, { clock: fixedClock(now) })).groups).toBe(0);
    await sendPendingOutbox(db, { clock: fixedClock(new Date(now.getTime() + 61_000)) });
    expect(readEmails({ to: debtor.email! })).toHaveLength(1);
  });

  it("a worker killed mid-batch: the restarted sender sends each pending reminder exactly once", async () => {
    const { db, creditor, debtor } = await dueInvoices(3);
    const now = addDays(DUE, 1);
    await runDunningTick(db, { now, creditorId: creditor.id });
    // Crash 1: rows claimed (SENDING) and the process dies before anything else.
    await db.outboxMessage.updateMany({
      where: { creditorId: creditor.id },
      data: { status: "SENDING", lockedUntil: new Date(now.getTime() + 300_000), attempts: 1 },
    });
    // Nothing is sent while the dead worker's lock lasts.
    expect((await sendPendingOutbox(db, { clock: fixedClock(now) })).groups).toBe(0);
    // Crash 2: after the lock expires the new worker sends; then it dies before marking the rows…
    const later = new Date(now.getTime() + 301_000);
    await sendPendingOutbox(db, { clock: fixedClock(later) });
    await db.outboxMessage.updateMany({ where: { creditorId: creditor.id }, data: { status: "SENDING", lockedUntil: later } });
    // …and the next worker retries: the provider's idempotency key stops a second email.
    await sendPendingOutbox(db, { clock: fixedClock(new Date(later.getTime() + 1_000)) });
    expect(readEmails({ to: debtor.email! })).toHaveLength(1);
    expect(await db.outboxMessage.count({ where: { creditorId: creditor.id, status: "SENT" } })).toBe(3);
    expect(await db.communication.count({ where: { creditorId: creditor.id, kind: "dunning.email" } })).toBe(1);
  });

  it("killed between the trace and the SENT mark: the rerun writes no second trace and no second email", async () => {
    const { db, creditor, debtor } = await dueInvoices(2);
    const now = addDays(DUE, 1);
    await runDunningTick(db, { now, creditorId: creditor.id });
    await expect(sendPendingOutbox(killedAtSentMark(db), { clock: fixedClock(now) })).rejects.toThrow("killed");
    expect(await db.communication.count({ where: { creditorId: creditor.id, kind: "dunning.email" } })).toBe(1);
    expect(await db.outboxMessage.count({ where: { creditorId: creditor.id, status: "SENDING" } })).toBe(2);
    // The next worker, once the dead one's lock has expired.
    await sendPendingOutbox(db, { clock: fixedClock(new Date(now.getTime() + 301_000)) });
    expect(await db.outboxMessage.count({ where: { creditorId: creditor.id, status: "SENT" } })).toBe(2);
    expect(await db.communication.count({ where: { creditorId: creditor.id, kind: "dunning.email" } })).toBe(1);
    expect(readEmails({ to: debtor.email! })).toHaveLength(1);
  });

  for (const which of ["marker", "message"] as const) {
    it(`the mail stand-in killed while writing its ${which}: the retry leaves one email and one trace`, async () => {
      const { db, creditor, debtor } = await dueInvoices(1);
      const now = addDays(DUE, 1);
      await runDunningTick(db, { now, creditorId: creditor.id });
      const restore = killMailboxAt(which);
      try {
        expect(await sendPendingOutbox(db, { clock: fixedClock(now) })).toMatchObject({ emails: 0, retried: 1 });
      } finally {
        restore();
      }
      await sendPendingOutbox(db, { clock: fixedClock(addDays(now, 1)) });
      const mails = readEmails({ to: debtor.email! });
      expect(mails).toHaveLength(1);
      const trace = await db.communication.findMany({ where: { creditorId: creditor.id, kind: "dunning.email" } });
      expect(trace.map((t) => t.providerMessageId)).toEqual([mails[0]!.id]);
      expect(await db.outboxMessage.count({ where: { creditorId: creditor.id, status: "SENT" } })).toBe(1);
    });
  }
});
