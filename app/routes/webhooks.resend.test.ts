import { addDays } from "~/domain/clock";
import { registerWakeUp, type WakeableJob } from "~/services/wake.server";
import { signResendWebhook } from "~/providers/email.server";
import { recordCommunication } from "~/services/messaging/communications.server";
import { processWebhookEvents } from "~/services/webhooks/inbox.server";
import { makeCreditor, makeDebtor } from "../testing/factories";
import { useTestDatabase } from "../testing/db";
import { action } from "./webhooks.resend";

const database = useTestDatabase();
const NOW = new Date("2026-04-02T10:00:00Z");

function post(body: string, headers: Record<string, string>) {
  return action({
    request: new Request("http://localhost/webhooks/resend", {
      method: "POST",
      body,
      headers: { "content-type": "application/json", ...headers },
    }),
    params: {},
    context: {},
  });
}

async function sentEmail() {
  const db = database.get().prisma;
  const { creditor } = await makeCreditor(db);
  const debtor = await makeDebtor(db, creditor.id);
  const messageId = `msg_${debtor.id}`;
  const communication = await recordCommunication(db, {
    creditorId: creditor.id,
    debtorId: debtor.id,
    direction: "OUT",
    channel: "EMAIL",
    kind: "dunning.email",
    subject: "Rappel",
    recipient: debtor.email,
    providerMessageId: messageId,
    deliveryStatus: "SENT",
    actorType: "SYSTEM",
    occurredAt: NOW,
  });
  return { db, creditor, debtor, communication, messageId };
}

const event = (type: string, emailId: string) =>
  JSON.stringify({
    type,
    created_at: NOW.toISOString(),
    data: { email_id: emailId, to: ["x@example.test"], bounce: { message: "Mailbox does not exist" } },
  });

describe("POST /webhooks/resend", () => {
  it("refuses a bad signature and stores nothing", async () => {
    const { db, messageId } = await sentEmail();
    const body = event("email.bounced", messageId);
    const headers = signResendWebhook("msg_bad_sig", body);
    const response = await post(body.replace("bounced", "delivered"), headers);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "invalid_signature" });
    expect(await db.webhookEvent.count({ where: { eventId: "msg_bad_sig" } })).toBe(0);
  });

  it("refuses a stale timestamp", async () => {
    const { messageId } = await sentEmail();
    const body = event("email.delivered", messageId);
    const response = await post(body, signResendWebhook("msg_stale", body, addDays(new Date(), -1)));
    expect(response.status).toBe(400);
  });

  it("stores a signed event once, and a bounce marks the email and asks staff for another contact", async () => {
    const { db, creditor, communication, messageId } = await sentEmail();
    const body = event("email.bounced", messageId);
    const id = `evt_${messageId}`;
    const first = await post(body, signResendWebhook(id, body));
    expect(await first.json()).toEqual({ received: true, duplicate: false });
    const again = await post(body, signResendWebhook(id, body));
    expect(await again.json()).toEqual({ received: true, duplicate: true });
    expect(await db.webhookEvent.count({ where: { eventId: id } })).toBe(1);

    await processWebhookEvents(db, new Date());
    expect((await db.communication.findUniqueOrThrow({ where: { id: communication.id } })).deliveryStatus).toBe("BOUNCED");
    const tasks = await db.task.findMany({ where: { creditorId: creditor.id } });
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ kind: "FIND_CONTACT", status: "OPEN" });
    expect(tasks[0]!.details).toContain("Mailbox does not exist");

    // A late "delivered" never hides the bounce.
    const late = event("email.delivered", messageId);
    await post(late, signResendWebhook(`evt_late_${messageId}`, late));
    await processWebhookEvents(db, new Date());
    expect((await db.communication.findUniqueOrThrow({ where: { id: communication.id } })).deliveryStatus).toBe("BOUNCED");
  });

  it("wakes the worker for a new event at once, not for a redelivery", async () => {
    const { messageId } = await sentEmail();
    const woken: WakeableJob[] = [];
    registerWakeUp(async (job) => void woken.push(job));
    try {
      const body = event("email.delivered", messageId);
      await post(body, signResendWebhook(`evt_wake_${messageId}`, body));
      await post(body, signResendWebhook(`evt_wake_${messageId}`, body));
      // (Other jobs may be woken by the worker's own passes meanwhile; this is about the inbox.)
      expect(woken.filter((job) => job === "webhook_process")).toEqual(["webhook_process"]);
    } finally {
      registerWakeUp(null);
    }
  });

  it("refuses malformed JSON even when signed", async () => {
    await sentEmail();
    const body = "{not json";
    const response = await post(body, signResendWebhook("msg_malformed", body));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "invalid_payload" });
  });
});
