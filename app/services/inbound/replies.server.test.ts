import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { addDays, fixedClock } from "~/domain/clock";
import { startMockServer } from "../../providers/mocks/index";
import { readEmails } from "../../providers/mocks/utils";
import { useTestDatabase } from "../../testing/db";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { isPostgresUrl, type Db } from "~/utils/db.server";
import { sendPendingOutbox } from "../messaging/outbox.server";
import { beginAwaitingAnswer } from "./awaiting.server";
import { acceptReply, dismissReply, replyInbox, ReplyError, replyInThread } from "./replies.server";

const database = useTestDatabase();
const NOW = new Date("2026-12-02T10:00:00Z");
const clock = fixedClock(NOW);
let stopMocks: () => void;

beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-replies-"));
  stopMocks = startMockServer({ stripe: false, gocardless: false, resend: true });
});
afterAll(() => stopMocks());

type Understanding = { trigger: string[]; promisedFor?: string | null; invoiceNumbers?: string[]; requested?: string | null };

/** A debtor with two overdue invoices whose email reply was read, routed and paused the chase (as the pipeline leaves it). */
async function withReply(db: Db, intent: string, understanding: Understanding) {
  const { creditor, policy } = await makeCreditor(db, { iban: "FR7630006000011234567890189", bic: "AGRIFRPPXXX" });
  const debtor = await makeDebtor(db, creditor.id);
  const ctx = { creditorId: creditor.id, debtorId: debtor.id, policy };
  const first = await makeInvoice(db, ctx, {
    dueDate: addDays(NOW, -20),
    amount: 1200_00,
    now: addDays(NOW, -20),
    number: `FA-${debtor.id.slice(-6)}-1`,
  });
  const second = await makeInvoice(db, ctx, {
    dueDate: addDays(NOW, -10),
    amount: 300_00,
    now: addDays(NOW, -10),
    number: `FA-${debtor.id.slice(-6)}-2`,
  });
  const user = await db.user.create({
    data: { creditorId: creditor.id, email: `agent-${debtor.id}@example.test`, name: "Agent", role: "AGENT" },
  });
  const sent = await db.communication.create({
    data: {
      creditorId: creditor.id,
      debtorId: debtor.id,
      direction: "OUT",
      channel: "EMAIL",
      kind: "dunning.email",
      subject: "Relance : factures échues",
      bodyText: "Bonjour, vos factures sont échues.",
      recipient: debtor.email,
      messageId: `<sent-${debtor.id}@relance.test>`,
      actorType: "SYSTEM",
      occurredAt: addDays(NOW, -1),
    },
  });
  const received = await db.communication.create({
    data: {
      creditorId: creditor.id,
      debtorId: debtor.id,
      direction: "IN",
      channel: "EMAIL",
      kind: "email.received",
      subject: "Re: Relance : factures échues",
      bodyText: "Nous réglerons la facture le 15 janvier.",
      messageId: `<answer-${debtor.id}@client.test>`,
      inReplyTo: sent.messageId,
      actorType: "DEBTOR",
      occurredAt: NOW,
    },
  });
  const inbound = await db.inboundEmail.create({
    data: {
      creditorId: creditor.id,
      source: "DEV",
      messageId: received.messageId!,
      status: "PROCESSED",
      storagePath: "inbound/x.eml",
      size: 100,
      sha256: "0",
      fromAddress: "tresorerie@client.test",
      subject: received.subject,
      debtorId: debtor.id,
      communicationId: received.id,
      routedBy: "THREAD",
      visibleText: received.bodyText,
      intent,
      understanding: { invoiceNumbers: [], ...understanding },
      suggestionStatus: "PENDING",
      receivedAt: NOW,
    },
  });
  await beginAwaitingAnswer(db, { creditorId: creditor.id, debtorId: debtor.id, inboundEmailId: inbound.id, now: NOW });
  return { creditor, debtor, first, second, staff: { userId: user.id }, inbound, sent, received };
}

const stateOf = (db: Db, invoiceId: string) => db.dunningState.findUniqueOrThrow({ where: { invoiceId } });

describe("the inbox's replies", () => {
  it("lists a pending reply with who, the excerpt, the intent's trigger words and the invoices the reply names", async () => {
    const db = database.get().prisma;
    const { creditor, debtor, second } = await withReply(db, "dispute", { trigger: ["il manquait"], invoiceNumbers: [] });
    await db.inboundEmail.updateMany({
      where: { creditorId: creditor.id },
      data: { understanding: { trigger: ["il manquait"], invoiceNumbers: [second.number] } },
    });
    await db.inboundEmail.create({
      data: {
        creditorId: creditor.id,
        source: "DEV",
        messageId: `<u-${creditor.id}>`,
        status: "UNROUTED",
        storagePath: "x",
        size: 1,
        sha256: "1",
        fromAddress: "x@inconnu.test",
      },
    });
    const inbox = await replyInbox(db, creditor.id);
    expect(inbox.replyCount).toBe(1);
    expect(inbox.replies[0]).toMatchObject({
      intent: "dispute",
      debtor: { id: debtor.id },
      excerpt: "Nous réglerons la facture le 15 janvier.",
      understanding: { trigger: ["il manquait"] },
      suggestedInvoiceIds: [second.id],
    });
    expect(inbox.unknownSenders.map((u) => u.fromAddress)).toEqual(["x@inconnu.test"]);
    expect(inbox.debtorChoices.map((d) => d.id)).toContain(debtor.id);
  });
});

describe("accepting a reply's suggestion", () => {
  it("a promise: one promise to pay per open invoice for the date found, the chase paused until then, the reply handled once", async () => {
    const db = database.get().prisma;
    const { creditor, first, second, staff, inbound } = await withReply(db, "promise", {
      trigger: ["nous réglerons", "le 15 janvier"],
      promisedFor: "2027-01-15",
    });
    expect((await stateOf(db, first.id)).pauseReason).toBe("AWAITING_ANSWER");
    const outcome = await acceptReply(db, { creditorId: creditor.id, inboundEmailId: inbound.id, staff, now: NOW });
    expect(outcome.promiseIds).toHaveLength(2);
    const promises = await db.promiseToPay.findMany({ where: { creditorId: creditor.id }, orderBy: { amount: "desc" } });
    expect(promises.map((p) => [p.invoiceId, p.promisedAt.toISOString().slice(0, 10), p.amount, p.status])).toEqual([
      [first.id, "2027-01-15", 1200_00, "PENDING"],
      [second.id, "2027-01-15", 300_00, "PENDING"],
    ]);
    const state = await stateOf(db, first.id);
    expect(state.pauseReason).toBe("PROMISE");
    expect(state.pausedUntil!.getTime()).toBeGreaterThan(new Date("2027-01-15").getTime());
    const handled = await db.inboundEmail.findUniqueOrThrow({ where: { id: inbound.id } });
    expect(handled).toMatchObject({ suggestionStatus: "ACCEPTED", handledById: staff.userId });
    expect(await db.communication.count({ where: { creditorId: creditor.id, kind: "email.reply_accepted" } })).toBe(1);

    const again = acceptReply(db, { creditorId: creditor.id, inboundEmailId: inbound.id, staff, now: NOW });
    await expect(again).rejects.toMatchObject({ name: "ReplyError", code: "already_handled" });
    expect(await db.promiseToPay.count({ where: { creditorId: creditor.id } })).toBe(2);
  });

  it("edited: another intent on the invoice staff chose — a dispute opens on that invoice only", async () => {
    const db = database.get().prisma;
    const { creditor, first, second, staff, inbound } = await withReply(db, "promise", { trigger: ["nous réglerons"], promisedFor: null });
    await acceptReply(db, {
      creditorId: creditor.id,
      inboundEmailId: inbound.id,
      edit: { intent: "dispute", invoiceIds: [second.id] },
      staff,
      now: NOW,
    });
    const disputes = await db.dispute.findMany({ where: { creditorId: creditor.id } });
    expect(disputes.map((d) => [d.invoiceId, d.reason, d.message])).toEqual([
      [second.id, "OTHER", "Nous réglerons la facture le 15 janvier."],
    ]);
    expect((await stateOf(db, second.id)).pauseReason).toBe("DISPUTE");
    // The trace says the dispute came by email and who accepted it, not that the debtor used the portal.
    const opened = await db.communication.findMany({ where: { creditorId: creditor.id, kind: "email.dispute_opened" } });
    expect(opened.map((c) => [c.kind, c.channel, (c.data as { acceptedBy?: string }).acceptedBy])).toEqual([
      ["email.dispute_opened", "EMAIL", staff.userId],
    ]);
    // The other invoice's AWAITING_ANSWER pause ended with the handling.
    expect((await stateOf(db, first.id)).pauseReason).toBeNull();
  });

  it("a promise without a date asks for one; another debtor's invoice is refused; nothing is claimed", async () => {
    const db = database.get().prisma;
    const { creditor, staff, inbound } = await withReply(db, "promise", { trigger: ["nous réglerons"] });
    const other = await withReply(db, "promise", { trigger: [] });
    const noDate = acceptReply(db, { creditorId: creditor.id, inboundEmailId: inbound.id, staff, now: NOW });
    await expect(noDate).rejects.toMatchObject({ field: "date", code: "required" });
    const foreign = acceptReply(db, {
      creditorId: creditor.id,
      inboundEmailId: inbound.id,
      edit: { intent: "promise", date: new Date("2026-12-20"), invoiceIds: [other.first.id] },
      staff,
      now: NOW,
    });
    await expect(foreign).rejects.toBeInstanceOf(ReplyError);
    expect((await db.inboundEmail.findUniqueOrThrow({ where: { id: inbound.id } })).suggestionStatus).toBe("PENDING");
    const cross = acceptReply(db, { creditorId: creditor.id, inboundEmailId: other.inbound.id, staff, now: NOW });
    await expect(cross).rejects.toMatchObject({ code: "not_found" });
  });

  it("a request for a copy: the invoice PDF goes out through the outbox, threaded under the debtor's email, and is traced", async () => {
    const db = database.get().prisma;
    const { creditor, debtor, first, staff, inbound, sent, received } = await withReply(db, "request", {
      trigger: ["copie de la facture"],
      requested: "copy",
    });
    await db.inboundEmail.updateMany({
      where: { id: inbound.id },
      data: { understanding: { trigger: ["copie"], invoiceNumbers: [first.number], requested: "copy" } },
    });
    const outcome = await acceptReply(db, { creditorId: creditor.id, inboundEmailId: inbound.id, staff, now: NOW });
    expect(outcome.documentsQueued).toBe(true);
    await sendPendingOutbox(db, { clock });
    const mail = readEmails({ to: "tresorerie@client.test" }).find((m) => m.subject === "Re: Relance : factures échues");
    expect(mail?.attachments?.map((a) => a.filename)).toEqual([`${first.number}.pdf`]);
    expect(mail?.text).toContain(first.number);
    const traced = await db.communication.findFirstOrThrow({
      where: { creditorId: creditor.id, debtorId: debtor.id, kind: "email.documents_sent" },
    });
    expect(traced).toMatchObject({
      direction: "OUT",
      channel: "EMAIL",
      inReplyTo: received.messageId,
      actorType: "STAFF",
      actorId: staff.userId,
    });
    expect(traced.messageId).toMatch(/^<.+@.+>$/);
    expect((traced.data as { references: string[] }).references).toEqual([sent.messageId, received.messageId]);
  });

  it("dismissing: the reply leaves the inbox handled and the chase resumes", async () => {
    const db = database.get().prisma;
    const { creditor, first, staff, inbound } = await withReply(db, "already_paid", { trigger: ["le virement est parti"] });
    await dismissReply(db, { creditorId: creditor.id, inboundEmailId: inbound.id, staff, now: NOW });
    expect((await db.inboundEmail.findUniqueOrThrow({ where: { id: inbound.id } })).suggestionStatus).toBe("DISMISSED");
    expect((await stateOf(db, first.id)).pauseReason).toBeNull();
    expect((await replyInbox(db, creditor.id)).replyCount).toBe(0);
  });
});

describe("answering from the thread", () => {
  it("sends the staff's words with In-Reply-To / References of the thread, to the address that wrote, and counts as handling", async () => {
    const db = database.get().prisma;
    const { creditor, debtor, first, staff, inbound, sent, received } = await withReply(db, "other", { trigger: [] });
    await replyInThread(db, {
      creditorId: creditor.id,
      debtorId: debtor.id,
      communicationId: received.id,
      text: "Bien noté, merci.",
      staff,
      now: NOW,
    });
    expect((await db.inboundEmail.findUniqueOrThrow({ where: { id: inbound.id } })).handledAt).not.toBeNull();
    expect((await stateOf(db, first.id)).pauseReason).toBeNull();
    await sendPendingOutbox(db, { clock });
    const reply = await db.communication.findFirstOrThrow({ where: { creditorId: creditor.id, kind: "email.staff_reply" } });
    expect(reply).toMatchObject({
      direction: "OUT",
      recipient: "tresorerie@client.test",
      subject: "Re: Relance : factures échues",
      bodyText: "Bien noté, merci.",
      inReplyTo: received.messageId,
    });
    expect((reply.data as { references: string[] }).references).toEqual([sent.messageId, received.messageId]);
    const other = await withReply(db, "other", { trigger: [] });
    const foreign = replyInThread(db, {
      creditorId: creditor.id,
      debtorId: debtor.id,
      communicationId: other.received.id,
      text: "x",
      staff,
      now: NOW,
    });
    await expect(foreign).rejects.toMatchObject({ code: "not_found" });
  });
});

describe.skipIf(!isPostgresUrl(process.env.DATABASE_URL))("two staff accepting the same reply at once (PostgreSQL)", () => {
  it("make one promise per invoice, and the second is told the reply is handled", async () => {
    const db = database.get().prisma;
    const { creditor, staff, inbound } = await withReply(db, "promise", { trigger: ["nous réglerons"], promisedFor: "2026-12-15" });
    const accept = () => acceptReply(db, { creditorId: creditor.id, inboundEmailId: inbound.id, staff, now: NOW });
    const results = await Promise.allSettled([accept(), accept()]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ code: "already_handled" });
    expect(await db.promiseToPay.count({ where: { creditorId: creditor.id } })).toBe(2);
    expect(await db.communication.count({ where: { creditorId: creditor.id, kind: "email.reply_accepted" } })).toBe(1);
  });
});
