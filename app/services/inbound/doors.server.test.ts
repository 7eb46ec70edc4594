import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { addDays, fixedClock } from "~/domain/clock";
import { addBusinessDays } from "~/domain/inbound/business-days";
import { signResendWebhook } from "~/providers/email.server";
import { storeMockReceivedEmail } from "~/providers/mocks/resend-inbound";
import { readEmails } from "~/providers/mocks/utils";
import { action as rawInboundEmail } from "~/routes/webhooks.inbound-email";
import { getEnv } from "~/utils/env.server";
import { startMockServer } from "../../providers/mocks/index";
import { useTestDatabase } from "../../testing/db";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { applyInvoiceEvent } from "../dunning/invoice-events.server";
import { runDunningTick } from "../dunning/tick.server";
import { sendPendingOutbox } from "../messaging/outbox.server";
import { processWebhookEvents } from "../webhooks/inbox.server";
import { receiveWebhook } from "../webhooks/receive.server";
import { beginAwaitingAnswer, endAwaitingAnswer } from "./awaiting.server";
import { decryptSecret, encryptSecret } from "./secrets.server";

process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-inbound-doors-"));
process.env.INBOUND_DOMAIN = "in.relance.test";

const database = useTestDatabase();
let stopMocks: () => void;
beforeAll(() => {
  stopMocks = startMockServer({ stripe: false, gocardless: false, resend: true });
});
afterAll(() => stopMocks());

const DUE = new Date("2026-11-15T00:00:00Z");
const NOW = new Date("2026-12-04T15:00:00Z"); // a Friday

async function setup() {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db);
  const debtor = await makeDebtor(db, creditor.id);
  const invoice = await makeInvoice(db, { creditorId: creditor.id, debtorId: debtor.id, policy }, { dueDate: DUE, now: DUE });
  return { db, creditor, debtor, invoice };
}
const state = (invoiceId: string) => database.get().prisma.dunningState.findUniqueOrThrow({ where: { invoiceId } });

describe("AWAITING_ANSWER: nobody is chased while their answer sits unread", () => {
  test("business days skip the weekend", () => {
    expect(addBusinessDays(NOW, 3)).toEqual(new Date("2026-12-09T15:00:00Z"));
    expect(addBusinessDays(new Date("2026-12-05T10:00:00Z"), 1)).toEqual(new Date("2026-12-08T10:00:00Z"));
    expect(addBusinessDays(new Date("2026-12-02T09:00:00Z"), 0)).toEqual(new Date("2026-12-02T09:00:00Z"));
  });

  test("a reply pauses the debtor's open invoices through the door; the tick sends nothing until the pause lapses, then resumes", async () => {
    const { db, creditor, debtor, invoice } = await setup();
    const before = await state(invoice.id);
    expect(before.nextActionAt!.getTime()).toBeLessThanOrEqual(NOW.getTime());
    const paused = await beginAwaitingAnswer(db, { creditorId: creditor.id, debtorId: debtor.id, inboundEmailId: "x", now: NOW });
    expect(paused).toEqual({ invoiceIds: [invoice.id], until: new Date("2026-12-09T15:00:00Z") });
    expect(await state(invoice.id)).toMatchObject({ pauseReason: "AWAITING_ANSWER", pausedUntil: new Date("2026-12-09T15:00:00Z") });
    expect(await db.communication.count({ where: { invoiceId: invoice.id, kind: "dunning.reply_received" } })).toBe(1);

    await runDunningTick(db, { now: addDays(NOW, 1), creditorId: creditor.id });
    expect((await state(invoice.id)).level).toBe(before.level);
    expect(await db.outboxMessage.count({ where: { invoiceId: invoice.id } })).toBe(0);

    // Expiry: the existing pause expiry of the tick takes over.
    await runDunningTick(db, { now: new Date("2026-12-09T16:00:00Z"), creditorId: creditor.id });
    const after = await state(invoice.id);
    expect(after.pauseReason).toBeNull();
    expect(after.level).toBeGreaterThan(before.level);
    expect(await db.outboxMessage.count({ where: { invoiceId: invoice.id } })).toBe(1);
  });

  test("staff handling the reply resume at once; a stronger pause (a promise) is neither replaced nor lifted", async () => {
    const { db, creditor, debtor, invoice } = await setup();
    await beginAwaitingAnswer(db, { creditorId: creditor.id, debtorId: debtor.id, inboundEmailId: "x", now: NOW });
    const resumed = await endAwaitingAnswer(db, { creditorId: creditor.id, debtorId: debtor.id, actor: { type: "STAFF" }, now: NOW });
    expect(resumed.invoiceIds).toEqual([invoice.id]);
    expect(await state(invoice.id)).toMatchObject({ pauseReason: null, pausedUntil: null });
    expect(await db.communication.count({ where: { invoiceId: invoice.id, kind: "dunning.reply_handled" } })).toBe(1);

    const promisedUntil = new Date("2026-12-20T00:00:00Z");
    await db.$transaction((tx) =>
      applyInvoiceEvent(tx, {
        creditorId: creditor.id,
        invoiceId: invoice.id,
        event: { type: "PROMISE_MADE", until: promisedUntil },
        actor: { type: "STAFF" },
        now: NOW,
      }),
    );
    const again = await beginAwaitingAnswer(db, { creditorId: creditor.id, debtorId: debtor.id, inboundEmailId: "y", now: NOW });
    expect(again.invoiceIds).toEqual([]);
    await endAwaitingAnswer(db, { creditorId: creditor.id, debtorId: debtor.id, actor: { type: "STAFF" }, now: NOW });
    expect(await state(invoice.id)).toMatchObject({ pauseReason: "PROMISE", pausedUntil: promisedUntil });
  });

  test("awaitingAnswerDays 0 turns the pause off", async () => {
    const { db, creditor, debtor, invoice } = await setup();
    await db.creditor.update({ where: { id: creditor.id }, data: { awaitingAnswerDays: 0 } });
    await beginAwaitingAnswer(db, { creditorId: creditor.id, debtorId: debtor.id, inboundEmailId: "x", now: NOW });
    expect((await state(invoice.id)).pauseReason).toBeNull();
  });
});

describe("reminders carry our Message-ID and a reply address", () => {
  test("with INBOUND_DOMAIN: Message-ID <trace id@domain>, Reply-To reply+<token> within 64 octets, kept on the trace", async () => {
    const { db, creditor, debtor } = await setup();
    const now = addDays(DUE, 1);
    await runDunningTick(db, { now, creditorId: creditor.id });
    await sendPendingOutbox(db, { clock: fixedClock(now) });
    const [sent] = readEmails({ to: debtor.email! });
    const trace = await db.communication.findFirstOrThrow({ where: { debtorId: debtor.id, kind: "dunning.email" } });
    expect(trace.messageId).toBe(`<${trace.id}@in.relance.test>`);
    expect(sent!.headers?.["Message-ID"]).toBe(trace.messageId);
    const replyTo = sent!.headers?.["Reply-To"] ?? "";
    expect(replyTo).toMatch(/^reply\+[a-z2-7]+@in\.relance\.test$/);
    expect(replyTo.split("@")[0]!.length).toBeLessThanOrEqual(64);
  });
});

describe("the raw MIME door", () => {
  const post = (headers: Record<string, string>, body = "From: a@b.test\r\nMessage-ID: <raw-1@b.test>\r\n\r\nBonjour") =>
    rawInboundEmail({
      request: new Request("http://localhost/webhooks/inbound-email", { method: "POST", headers, body }),
      params: {},
      context: {},
    });

  test("refuses a missing or wrong secret (401) and another media type (415); stores and answers 202", async () => {
    const db = database.get().prisma;
    const secret = getEnv().INBOUND_EMAIL_SECRET!;
    expect(secret.length).toBeGreaterThanOrEqual(24);
    expect((await post({ "content-type": "message/rfc822" })).status).toBe(401);
    expect((await post({ "content-type": "message/rfc822", authorization: `Bearer ${secret}x` })).status).toBe(401);
    expect((await post({ "content-type": "message/rfc822", authorization: "Bearer " })).status).toBe(401);
    expect(await db.inboundEmail.count({ where: { messageId: "<raw-1@b.test>" } })).toBe(0);
    expect((await post({ "content-type": "text/plain", authorization: `Bearer ${secret}` })).status).toBe(415);
    const ok = await post({ "content-type": "message/rfc822", authorization: `Bearer ${secret}` });
    expect(ok.status).toBe(202);
    const body = (await ok.json()) as { id: string; duplicate: boolean };
    expect(body.duplicate).toBe(false);
    expect(await db.inboundEmail.findUniqueOrThrow({ where: { id: body.id } })).toMatchObject({
      source: "RAW",
      messageId: "<raw-1@b.test>",
    });
    const again = await post({ "content-type": "message/rfc822", authorization: `Bearer ${secret}` });
    expect(await again.json()).toMatchObject({ id: body.id, duplicate: true });
  });
});

describe("Resend Inbound", () => {
  const raw =
    "From: Paul <paul@client.test>\r\nTo: reply@in.relance.test\r\nMessage-ID: <resend-in-1@client.test>\r\nSubject: Re\r\n\r\nLe virement est parti hier.";

  test("email.received with a bad signature is refused and nothing is stored", async () => {
    const db = database.get().prisma;
    const body = JSON.stringify({ type: "email.received", created_at: new Date().toISOString(), data: { email_id: "x" } });
    const headers = new Headers({ ...signResendWebhook("msg_bad", body), "content-type": "application/json" });
    headers.set("svix-signature", "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    const reply = await receiveWebhook(db, "resend", body, headers);
    expect(reply.status).toBe(400);
    expect(await db.webhookEvent.count({ where: { eventId: "msg_bad" } })).toBe(0);
  });

  test("a signed email.received: the worker fetches the message from the receiving API and receives it", async () => {
    const db = database.get().prisma;
    const emailId = storeMockReceivedEmail(raw);
    const body = JSON.stringify({
      type: "email.received",
      created_at: new Date().toISOString(),
      data: { email_id: emailId, to: ["reply@in.relance.test"] },
    });
    const reply = await receiveWebhook(
      db,
      "resend",
      body,
      new Headers({ ...signResendWebhook("msg_in_1", body), "content-type": "application/json" }),
    );
    expect(reply.status).toBe(200);
    await processWebhookEvents(db, new Date());
    const row = await db.inboundEmail.findUniqueOrThrow({ where: { messageId: "<resend-in-1@client.test>" } });
    expect(row).toMatchObject({ source: "RESEND", fromAddress: "paul@client.test", status: "RECEIVED" });
  });
});

describe("mailbox passwords", () => {
  test("are sealed with AES-256-GCM: another ciphertext each time, any change refused", () => {
    const a = encryptSecret("s3cret-pässword");
    expect(a).not.toContain("s3cret");
    expect(encryptSecret("s3cret-pässword")).not.toBe(a);
    expect(decryptSecret(a)).toBe("s3cret-pässword");
    const parts = a.split(".");
    const body = Buffer.from(parts[3]!, "base64url");
    body[0] = body[0]! ^ 1;
    expect(() => decryptSecret([parts[0], parts[1], parts[2], body.toString("base64url")].join("."))).toThrow();
  });
});
