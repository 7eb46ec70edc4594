import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fixedClock } from "~/domain/clock";
import { replyToken } from "~/domain/inbound/reply-token";
import { useTestDatabase } from "../../testing/db";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { processInboundEmail, processReceivedInboundEmails, type InboundUnderstanding } from "./process.server";
import { readInboundRaw, receiveInboundEmail } from "./receive.server";
import { learnSenderAddress } from "./routing.server";
import { replyTokenSecret } from "./secrets.server";

process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-inbound-"));

const database = useTestDatabase();
const NOW = new Date("2026-12-02T09:00:00Z"); // a Wednesday
const clock = fixedClock(NOW);
const DUE = new Date("2026-11-15T00:00:00Z");
const uid = () => crypto.randomBytes(5).toString("hex");
const fixture = (name: string) => fs.readFileSync(new URL(`../../domain/inbound/fixtures/${name}`, import.meta.url), "latin1");

/** A fixture with its own Message-ID (ids are unique across the test database) and the headers a test needs. */
function mail(name: string, headers: { inReplyTo?: string | null; to?: string; from?: string; returnedMessageId?: string } = {}) {
  let text = fixture(name).replace(/^Message-I[Dd]: <[^>]+>/m, `Message-ID: <${uid()}@client.test>`);
  if (headers.inReplyTo !== undefined) {
    text = text.replace(/^In-Reply-To: <[^>]+>/m, headers.inReplyTo ? `In-Reply-To: ${headers.inReplyTo}` : "X-No-Reply-To: none");
    text = text.replace(/^References: .*$/m, headers.inReplyTo ? `References: ${headers.inReplyTo}` : "X-No-References: none");
  }
  if (headers.to) text = text.replace(/^To: .*$/m, `To: ${headers.to}`);
  if (headers.from) text = text.replace(/^From: .*$/m, `From: ${headers.from}`);
  if (headers.returnedMessageId)
    text = text.replace(/^Message-ID: <rem-2026-0042-1@relance.app>/m, `Message-ID: ${headers.returnedMessageId}`);
  return Buffer.from(text, "latin1");
}

async function setup(debtor: Parameters<typeof makeDebtor>[2], invoiceNumbers: string[] = [`F-${uid()}`]) {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db);
  const d = await makeDebtor(db, creditor.id, debtor);
  const invoices = [];
  for (const number of invoiceNumbers) {
    invoices.push(await makeInvoice(db, { creditorId: creditor.id, debtorId: d.id, policy }, { dueDate: DUE, now: DUE, number }));
  }
  return { db, creditor, debtor: d, invoices };
}

/** A reminder we sent, with our Message-ID. */
async function sentReminder(db: ReturnType<typeof database.get>["prisma"], creditorId: string, debtorId: string) {
  const messageId = `<${uid()}@relance.test>`;
  const sent = await db.communication.create({
    data: {
      creditorId,
      debtorId,
      direction: "OUT",
      channel: "EMAIL",
      kind: "dunning.email",
      subject: "Rappel",
      recipient: "x@client.test",
      messageId,
      deliveryStatus: "SENT",
      actorType: "SYSTEM",
      occurredAt: DUE,
    },
  });
  return { ...sent, messageId };
}

async function receiveAndProcess(raw: Buffer, creditorId?: string) {
  const db = database.get().prisma;
  const { id } = await receiveInboundEmail(db, { source: "RAW", raw, creditorId, clock });
  const outcome = await processInboundEmail(db, id, clock);
  const row = await db.inboundEmail.findUniqueOrThrow({ where: { id } });
  return { id, outcome, row, understanding: row.understanding as InboundUnderstanding | null };
}

async function pauseOf(invoiceId: string) {
  return database.get().prisma.dunningState.findUniqueOrThrow({ where: { invoiceId }, select: { pauseReason: true, pausedUntil: true } });
}

describe("inbound email, received and processed (fixtures)", () => {
  test("Outlook FR, HTML only, quoted original: routed by In-Reply-To, dispute on the invoice named, the chase waits 3 business days", async () => {
    const { db, creditor, debtor, invoices } = await setup({ email: "compta@transports-durand.fr" }, ["FA-2026-0042"]);
    const sent = await sentReminder(db, creditor.id, debtor.id);
    const { outcome, row, understanding } = await receiveAndProcess(mail("outlook-fr-html.eml", { inReplyTo: sent.messageId }));

    expect(outcome.status).toBe("PROCESSED");
    expect(row).toMatchObject({ status: "PROCESSED", routedBy: "THREAD", debtorId: debtor.id, creditorId: creditor.id });
    expect(row.repliesToCommunicationId).toBe(sent.id);
    expect(row.intent).toBe("dispute");
    expect(row.suggestionStatus).toBe("PENDING");
    expect(understanding).toMatchObject({ invoiceNumbers: ["FA-2026-0042"], invoiceIds: [invoices[0]!.id] });
    expect(understanding?.trigger).toContain("il manquait");
    expect(row.visibleText).toMatch(/^Bonjour,\n\nLa facture FA-2026-0042 est fausse/);
    expect(row.visibleText).not.toMatch(/De :|Envoyé :/);

    const comm = await db.communication.findUniqueOrThrow({ where: { id: outcome.communicationId! } });
    expect(comm).toMatchObject({
      direction: "IN",
      channel: "EMAIL",
      kind: "email.received",
      debtorId: debtor.id,
      invoiceId: invoices[0]!.id,
      inReplyTo: sent.messageId,
      bodyText: row.visibleText,
      subject: "RE: Rappel : facture FA-2026-0042 à régler",
    });
    expect(comm.messageId).toBe(row.messageId);
    expect((comm.data as { intent: string }).intent).toBe("dispute");
    // Wednesday 09:00 + 3 business days = Monday 09:00.
    expect(await pauseOf(invoices[0]!.id)).toEqual({ pauseReason: "AWAITING_ANSWER", pausedUntil: new Date("2026-12-07T09:00:00Z") });
    const trace = await db.communication.findFirst({ where: { invoiceId: invoices[0]!.id, kind: "dunning.reply_received" } });
    expect(trace).not.toBeNull();
  });

  test("Gmail EN: routed by our reply+token address, promise for next Friday on INV-118", async () => {
    const { db, creditor, debtor, invoices } = await setup({ email: "ap@northwind.test", locale: "en" }, ["INV-118"]);
    const sent = await sentReminder(db, creditor.id, debtor.id);
    const to = `${replyToken({ communicationId: sent.id }, replyTokenSecret())}@in.relance.test`;
    const { row, understanding } = await receiveAndProcess(mail("gmail-en.eml", { inReplyTo: null, to: `Atelier Bois <${to}>` }));
    expect(row).toMatchObject({
      status: "PROCESSED",
      routedBy: "TOKEN",
      debtorId: debtor.id,
      intent: "promise",
      suggestionStatus: "PENDING",
    });
    expect(understanding).toMatchObject({ promisedFor: "2026-12-11", invoiceNumbers: ["INV-118"], invoiceIds: [invoices[0]!.id] });
    expect(understanding?.trigger).toEqual(["we will pay", "next friday"]);
  });

  test("a forged token routes nothing by itself (falls through to the sender's address)", async () => {
    const { creditor } = await setup({ email: "someone@else.test" });
    const forged = `reply+${"a".repeat(45)}@in.relance.test`;
    const { row } = await receiveAndProcess(mail("gmail-en.eml", { inReplyTo: null, to: forged }), creditor.id);
    expect(row.status).toBe("UNROUTED");
    expect(row.debtorId).toBeNull();
  });

  test("Apple Mail FR: routed by the sender's exact address, already paid", async () => {
    const { row } = await (async () => {
      const s = await setup({ email: "Paul.Girard@boulangerie-girard.fr" });
      return receiveAndProcess(mail("apple-mail-fr.eml", { inReplyTo: null }), s.creditor.id);
    })();
    expect(row).toMatchObject({ status: "PROCESSED", routedBy: "ADDRESS", intent: "already_paid", suggestionStatus: "PENDING" });
    expect((row.understanding as InboundUnderstanding).trigger).toContain("le virement est parti");
  });

  test("quoted-printable accents: routed by the company's domain (business debtor), promise for the end of the month", async () => {
    const { debtor, creditor } = await setup({ email: "compta@menuiserie-roux.fr", kind: "BUSINESS" });
    const { row, understanding } = await receiveAndProcess(mail("qp-accents.eml", { inReplyTo: null }), creditor.id);
    expect(row).toMatchObject({ status: "PROCESSED", routedBy: "DOMAIN", debtorId: debtor.id, intent: "promise" });
    expect(row.fromName).toBe("Hélène Roux");
    expect(understanding?.promisedFor).toBe("2026-12-31");
  });

  test("no domain routing for a consumer debtor, nor for a free-mail domain", async () => {
    const consumer = await setup({ email: "compta@menuiserie-roux.fr", kind: "CONSUMER" });
    const a = await receiveAndProcess(mail("qp-accents.eml", { inReplyTo: null }), consumer.creditor.id);
    expect(a.row.status).toBe("UNROUTED");
    const freeMail = await setup({ email: "atelier.dupont@gmail.com", kind: "BUSINESS" });
    const b = await receiveAndProcess(
      mail("gmail-en.eml", { inReplyTo: null, from: "Someone <someone.else@gmail.com>" }),
      freeMail.creditor.id,
    );
    expect(b.row.status).toBe("UNROUTED");
  });

  test("a forwarded message from a copy address (ccEmails): promise within a week, the IBAN asked for", async () => {
    const db = database.get().prisma;
    const s = await setup({ email: "direction@garage-martin.test" });
    await db.debtor.update({ where: { id: s.debtor.id }, data: { ccEmails: ["S.Martin@garage-martin.fr"] } });
    const { row, understanding } = await receiveAndProcess(mail("forwarded.eml"), s.creditor.id);
    expect(row).toMatchObject({ routedBy: "ADDRESS", debtorId: s.debtor.id, intent: "promise" });
    expect(understanding).toMatchObject({ promisedFor: "2026-12-10", requested: "iban" });
  });

  test("an out-of-office FR is recorded but pauses nothing; its return date is a suggested pause", async () => {
    const { db, creditor, debtor, invoices } = await setup({ email: "j.blanc@cabinet-blanc.fr" });
    const sent = await sentReminder(db, creditor.id, debtor.id);
    const { row, outcome, understanding } = await receiveAndProcess(mail("ooo-fr.eml", { inReplyTo: sent.messageId }));
    expect(row).toMatchObject({ status: "PROCESSED", automated: true, automatedReason: "auto_reply", suggestionStatus: "NONE" });
    expect(understanding).toMatchObject({ kind: "auto_reply", suggestedPauseUntil: "2027-01-05", intent: null });
    expect(understanding?.signals.length).toBeGreaterThan(0);
    expect(outcome.communicationId).not.toBeNull();
    expect(await pauseOf(invoices[0]!.id)).toEqual({ pauseReason: null, pausedUntil: null });
  });

  test("a DSN bounce goes to the bounce flow of the email it returns: BOUNCED, a find-contact task, no timeline reply", async () => {
    const { db, creditor, debtor, invoices } = await setup({ email: "compta@client-disparu.fr" });
    const sent = await sentReminder(db, creditor.id, debtor.id);
    const { row, outcome } = await receiveAndProcess(mail("dsn-bounce.eml", { returnedMessageId: sent.messageId }));
    expect(row).toMatchObject({ status: "PROCESSED", routedBy: "BOUNCE", automatedReason: "bounce", debtorId: debtor.id });
    expect(outcome.communicationId).toBeNull();
    expect((await db.communication.findUniqueOrThrow({ where: { id: sent.id } })).deliveryStatus).toBe("BOUNCED");
    const task = await db.task.findUnique({ where: { sourceKey: `bounce:${sent.id}` } });
    expect(task).toMatchObject({ kind: "FIND_CONTACT", debtorId: debtor.id });
    expect(await pauseOf(invoices[0]!.id)).toEqual({ pauseReason: null, pausedUntil: null });
  });

  test("a large attachment (400 KB remittance advice) is stored, listed on the communication, and reads as already paid", async () => {
    const { db, creditor } = await setup({ email: "compta@grosse-piece.test" });
    const pdf = crypto.randomBytes(400 * 1024);
    const raw = Buffer.from(
      [
        "From: Compta <compta@grosse-piece.test>",
        "To: relance@creditor.test",
        `Message-ID: <${uid()}@grosse-piece.test>`,
        "Subject: Paiement",
        "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="b1"',
        "",
        "--b1",
        "Content-Type: text/plain; charset=utf-8",
        "",
        "Bonjour, ci-joint.",
        "--b1",
        'Content-Type: application/pdf; name="Avis de virement 2026-12.pdf"',
        'Content-Disposition: attachment; filename="Avis de virement 2026-12.pdf"',
        "Content-Transfer-Encoding: base64",
        "",
        pdf.toString("base64").replace(/.{76}/g, "$&\r\n"),
        "--b1--",
        "",
      ].join("\r\n"),
    );
    const { row, outcome, understanding } = await receiveAndProcess(raw, creditor.id);
    expect(row).toMatchObject({ status: "PROCESSED", intent: "already_paid" });
    expect(understanding?.trigger).toEqual(["attachment: Avis de virement 2026-12.pdf"]);
    const attachments = await db.attachment.findMany({ where: { communicationId: outcome.communicationId! } });
    expect(attachments).toHaveLength(1);
    expect(attachments[0]).toMatchObject({ kind: "EMAIL_ATTACHMENT", fileName: "Avis de virement 2026-12.pdf", size: pdf.byteLength });
    expect(attachments[0]!.sha256).toBe(crypto.createHash("sha256").update(pdf).digest("hex"));
  });

  test("malformed MIME: FAILED with a readable reason, the raw message kept, nothing written", async () => {
    const db = database.get().prisma;
    const raw = fs.readFileSync(new URL("../../domain/inbound/fixtures/malformed.eml", import.meta.url));
    const { id, outcome, row } = await receiveAndProcess(raw);
    expect(outcome.status).toBe("FAILED");
    expect(row.status).toBe("FAILED");
    expect(row.error).toMatch(/no sender and no content/);
    expect(row.communicationId).toBeNull();
    expect(Buffer.compare(await readInboundRaw(row), raw)).toBe(0);
    // Processing again is a no-op.
    expect((await processInboundEmail(db, id, clock)).status).toBe("SKIPPED");
  });
});

describe("receiving", () => {
  test("the same Message-ID twice is one row; a message without one is deduplicated on its sha256", async () => {
    const db = database.get().prisma;
    const raw = mail("gmail-en.eml");
    const first = await receiveInboundEmail(db, { source: "RAW", raw, clock });
    const again = await receiveInboundEmail(db, { source: "IMAP", raw, clock });
    expect(again).toEqual({ id: first.id, duplicate: true });
    const bare = Buffer.from(
      fixture("gmail-en.eml")
        .replace(/^Message-ID: .*\r?\n/m, "")
        .replace("next Friday", `next Friday ${uid()}`),
      "latin1",
    );
    const a = await receiveInboundEmail(db, { source: "RAW", raw: bare, clock });
    const b = await receiveInboundEmail(db, { source: "RAW", raw: bare, clock });
    expect(b).toEqual({ id: a.id, duplicate: true });
    const row = await db.inboundEmail.findUniqueOrThrow({ where: { id: a.id } });
    expect(row.messageId).toBe(`sha256:${row.sha256}`);
    expect(row.status).toBe("RECEIVED");
  });

  test("the worker's pass processes what was received, oldest first", async () => {
    const db = database.get().prisma;
    const s = await setup({ email: "paul.girard@boulangerie-girard.fr" });
    const { id } = await receiveInboundEmail(db, {
      source: "DEV",
      raw: mail("apple-mail-fr.eml", { inReplyTo: null }),
      creditorId: s.creditor.id,
      clock,
    });
    const report = await processReceivedInboundEmails(db, clock);
    expect(report.processed).toBeGreaterThanOrEqual(1);
    expect((await db.inboundEmail.findUniqueOrThrow({ where: { id } })).status).toBe("PROCESSED");
  });
});

describe("unknown senders", () => {
  test("assigned once by staff, the address is learned and the next email from it routes itself", async () => {
    const db = database.get().prisma;
    const { creditor, debtor, invoices } = await setup({ email: "facturation@entreprise.test" });
    const first = await receiveAndProcess(
      mail("apple-mail-fr.eml", { inReplyTo: null, from: "Nouveau <nouveau.contact@ailleurs.test>" }),
      creditor.id,
    );
    expect(first.row).toMatchObject({ status: "UNROUTED", creditorId: creditor.id, debtorId: null, communicationId: null });

    const learned = await learnSenderAddress(db, {
      creditorId: creditor.id,
      inboundEmailId: first.id,
      debtorId: debtor.id,
      actorId: null,
      clock,
    });
    expect(learned.address).toBe("nouveau.contact@ailleurs.test");
    const assigned = await db.inboundEmail.findUniqueOrThrow({ where: { id: first.id } });
    expect(assigned).toMatchObject({
      status: "PROCESSED",
      routedBy: "STAFF",
      debtorId: debtor.id,
      communicationId: learned.communicationId,
    });
    expect(
      await db.knownSenderAddress.count({
        where: { creditorId: creditor.id, address: "nouveau.contact@ailleurs.test", debtorId: debtor.id },
      }),
    ).toBe(1);
    expect((await pauseOf(invoices[0]!.id)).pauseReason).toBe("AWAITING_ANSWER");
    await expect(
      learnSenderAddress(db, { creditorId: creditor.id, inboundEmailId: first.id, debtorId: debtor.id, actorId: null, clock }),
    ).rejects.toMatchObject({ code: "already_routed" });

    const next = await receiveAndProcess(
      mail("qp-accents.eml", { inReplyTo: null, from: "Nouveau <Nouveau.Contact@ailleurs.test>" }),
      creditor.id,
    );
    expect(next.row).toMatchObject({ status: "PROCESSED", routedBy: "ADDRESS", debtorId: debtor.id });
  });

  test("another creditor cannot assign the email", async () => {
    const db = database.get().prisma;
    const a = await setup({ email: "x@a.test" });
    const b = await setup({ email: "y@b.test" });
    const { id } = await receiveAndProcess(mail("apple-mail-fr.eml", { inReplyTo: null, from: "Z <z@nowhere.test>" }), a.creditor.id);
    await expect(
      learnSenderAddress(db, { creditorId: b.creditor.id, inboundEmailId: id, debtorId: b.debtor.id, actorId: null }),
    ).rejects.toMatchObject({
      code: "not_found",
    });
  });
});
