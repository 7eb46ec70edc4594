import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { setupServer } from "msw/node";
import { http, HttpResponse } from "msw";
import { sendSms, signSmsWebhook, smsCallbackUrl } from "~/providers/sms.server";
import { processWebhookEvents } from "~/services/webhooks/inbox.server";
import { useTestDatabase } from "~/testing/db";
import { makeCreditor, makeDebtor } from "~/testing/factories";
import { action } from "./webhooks.sms";

const database = useTestDatabase();
const NOW = new Date("2026-03-27T09:00:00Z");
/** Stored events are due from the real clock's now (the inbox writes now()): the worker pass runs just after. */
const later = () => new Date(Date.now() + 60_000);

/** A real Twilio endpoint as MSW answers it: what the SDK sent is kept for the assertions. */
const received: { url: string; auth: string | null; form: Record<string, string> }[] = [];
const twilio = setupServer(
  http.post("https://api.twilio.com/2010-04-01/Accounts/:sid/Messages.json", async ({ request, params }) => {
    const form = Object.fromEntries(new URLSearchParams(await request.text()));
    received.push({ url: request.url, auth: request.headers.get("authorization"), form });
    if (form.To === "+33600000000")
      return HttpResponse.json({ code: 21610, message: "Attempt to send to unsubscribed recipient", status: 400 }, { status: 400 });
    if (form.To === "+33611111111")
      return HttpResponse.json({ code: 20500, message: "Internal Server Error", status: 500 }, { status: 500 });
    return HttpResponse.json(
      { sid: "SM0123456789abcdef0123456789abcdef", account_sid: params.sid, status: "queued", to: form.To, body: form.Body },
      { status: 201 },
    );
  }),
);
beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-sms-webhook-"));
  twilio.listen({ onUnhandledRequest: "error" });
});
afterAll(() => twilio.close());

describe("the Twilio wrapper", () => {
  it("calls Twilio's Messages API through the real SDK: To, Body with the short link, StatusCallback, Basic auth", async () => {
    received.length = 0;
    const body = "Atelier Durand : 12,00 € dû. Payer : http://localhost:3000/s/AbCdEfGhJk23 STOP=arrêt";
    const result = await sendSms({ to: "+33612345678", body, statusCallback: smsCallbackUrl({ c: "ctrace1" }) });
    expect(result).toEqual({ ok: true, providerMessageId: "SM0123456789abcdef0123456789abcdef", status: "queued" });
    expect(received).toHaveLength(1);
    expect(received[0]!.url).toMatch(/\/Accounts\/AC0{32}\/Messages\.json$/);
    expect(received[0]!.auth).toMatch(/^Basic /);
    expect(received[0]!.form).toMatchObject({
      To: "+33612345678",
      Body: body,
      StatusCallback: "http://localhost:3000/webhooks/sms?c=ctrace1",
    });
    expect(received[0]!.form.Body).toContain("/s/AbCdEfGhJk23");
  });

  it("tells an unsubscribed number (21610) from an outage (5xx, retried)", async () => {
    expect(await sendSms({ to: "+33600000000", body: "x", statusCallback: smsCallbackUrl() })).toMatchObject({
      ok: false,
      reason: "opted_out",
      retryable: false,
    });
    expect(await sendSms({ to: "+33611111111", body: "x", statusCallback: smsCallbackUrl() })).toMatchObject({
      ok: false,
      reason: "provider",
      retryable: true,
    });
  });
});

async function sentSms(recipient = "+33612345678") {
  const db = database.get().prisma;
  const { creditor } = await makeCreditor(db);
  const debtor = await makeDebtor(db, creditor.id);
  const sms = await db.communication.create({
    data: {
      creditorId: creditor.id,
      debtorId: debtor.id,
      direction: "OUT",
      channel: "SMS",
      kind: "dunning.sms",
      recipient,
      bodyText: "…",
      providerMessageId: `SM${Math.random().toString(16).slice(2).padEnd(32, "0")}`,
      deliveryStatus: "SENT",
      actorType: "SYSTEM",
      occurredAt: NOW,
    },
  });
  return { db, creditor, debtor, sms };
}

function post(url: string, params: Record<string, string>, signature: string | null) {
  return action({
    request: new Request(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...(signature ? { "x-twilio-signature": signature } : {}) },
      body: new URLSearchParams(params).toString(),
    }),
    params: {},
    context: {},
  });
}

const report = (sid: string, status: string, extra: Record<string, string> = {}) => ({
  MessageSid: sid,
  SmsSid: sid,
  MessageStatus: status,
  AccountSid: "AC00000000000000000000000000000000",
  To: "+33612345678",
  From: "relance",
  ...extra,
});

describe("POST /webhooks/sms", () => {
  it("a correctly signed delivery report moves the trace to DELIVERED, once, and a late 'sent' does not move it back", async () => {
    const { db, creditor, sms } = await sentSms();
    const url = smsCallbackUrl({ c: sms.id });
    const delivered = report(sms.providerMessageId!, "delivered");
    const response = await post(url, delivered, signSmsWebhook(url, delivered));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("<Response>");
    expect(await db.webhookEvent.findMany({ where: { provider: "TWILIO", creditorId: creditor.id } })).toHaveLength(1);
    // Twilio retries: the same report is stored once.
    expect((await post(url, delivered, signSmsWebhook(url, delivered))).status).toBe(200);
    expect(await db.webhookEvent.count({ where: { provider: "TWILIO", creditorId: creditor.id } })).toBe(1);
    // Out of order: "sent" arrives after "delivered".
    const late = report(sms.providerMessageId!, "sent");
    await post(url, late, signSmsWebhook(url, late));

    await processWebhookEvents(db, later());
    expect((await db.communication.findUniqueOrThrow({ where: { id: sms.id } })).deliveryStatus).toBe("DELIVERED");
  });

  it("a forged or missing signature is refused with 403 and changes nothing", async () => {
    const { db, creditor, sms } = await sentSms();
    const url = smsCallbackUrl({ c: sms.id });
    const failed = report(sms.providerMessageId!, "undelivered", { ErrorCode: "30003" });
    // Signed for another URL (another trace row), signed with another token, or not signed at all.
    const forgeries = [signSmsWebhook(smsCallbackUrl({ c: "other" }), failed), "bm90IGEgc2lnbmF0dXJl", null];
    for (const signature of forgeries) expect((await post(url, failed, signature)).status).toBe(403);
    // A body changed after signing.
    const signed = signSmsWebhook(url, report(sms.providerMessageId!, "delivered"));
    expect((await post(url, failed, signed)).status).toBe(403);

    expect(await db.webhookEvent.count({ where: { provider: "TWILIO", creditorId: creditor.id } })).toBe(0);
    await processWebhookEvents(db, later());
    expect((await db.communication.findUniqueOrThrow({ where: { id: sms.id } })).deliveryStatus).toBe("SENT");
    expect(await db.task.count({ where: { creditorId: creditor.id } })).toBe(0);
  });

  it("an undelivered SMS is traced FAILED with a task to check the number; a row left without its id by a crash is found by ?c=", async () => {
    const { db, creditor, sms } = await sentSms();
    await db.communication.update({ where: { id: sms.id }, data: { providerMessageId: null, deliveryStatus: "QUEUED" } });
    const url = smsCallbackUrl({ c: sms.id });
    const failed = report("SMfeedfacefeedfacefeedfacefeedface", "undelivered", { ErrorCode: "30003" });
    expect((await post(url, failed, signSmsWebhook(url, failed))).status).toBe(200);
    await processWebhookEvents(db, later());
    expect(await db.communication.findUniqueOrThrow({ where: { id: sms.id } })).toMatchObject({
      deliveryStatus: "FAILED",
      providerMessageId: "SMfeedfacefeedfacefeedfacefeedface",
    });
    expect(await db.task.findMany({ where: { creditorId: creditor.id, kind: "FIND_CONTACT" } })).toHaveLength(1);
    expect(await db.communication.count({ where: { creditorId: creditor.id, kind: "sms.undelivered" } })).toBe(1);
  });

  it("a STOP reply opts the debtor out of SMS and is traced", async () => {
    const { db, creditor, debtor } = await sentSms("+33677889900");
    const url = smsCallbackUrl();
    const stop = {
      MessageSid: "SMabcabcabcabcabcabcabcabcabcabcab",
      From: "+33677889900",
      To: "relance",
      Body: "Stop",
      AccountSid: "AC00000000000000000000000000000000",
    };
    expect((await post(url, stop, signSmsWebhook(url, stop))).status).toBe(200);
    await processWebhookEvents(db, later());
    expect((await db.debtor.findUniqueOrThrow({ where: { id: debtor.id } })).smsOptOutAt).not.toBeNull();
    expect(await db.communication.count({ where: { creditorId: creditor.id, kind: "sms.opted_out" } })).toBe(1);
  });
});
