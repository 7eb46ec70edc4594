import { signGoCardlessBody } from "~/providers/gocardless.server";
import { signResendWebhook } from "~/providers/email.server";
import { signStripePayload } from "~/providers/stripe.server";
import { makeT } from "~/i18n";
import { loader as inboxLoader } from "~/routes/app._index";
import { startStaffSession } from "~/utils/staff-session.server";
import { action as gocardlessWebhook } from "~/routes/webhooks.gocardless";
import { action as stripeWebhook } from "~/routes/webhooks.stripe";
import { startMockServer } from "../../providers/mocks/index";
import { stripeEvent } from "../../providers/mocks/stripe";
import { makeCreditor, makeDebtor } from "../../testing/factories";
import { useTestDatabase } from "../../testing/db";
import { processWebhookEvents } from "./inbox.server";
import { receiveWebhook } from "./receive.server";

const database = useTestDatabase();
let stopMocks: () => void;

beforeAll(() => {
  stopMocks = startMockServer({ stripe: true, gocardless: true, resend: true });
});
afterAll(() => stopMocks());

async function deliverStripe(event: object, at = new Date()) {
  const body = JSON.stringify(event);
  return stripeWebhook({
    request: new Request("http://localhost/webhooks/stripe", {
      method: "POST",
      body,
      headers: { "stripe-signature": signStripePayload(body, at), "content-type": "application/json" },
    }),
    params: {},
    context: {},
  });
}

describe("webhook endpoints refuse what they cannot trust", () => {
  it("Stripe: bad signature, stale timestamp and malformed JSON are refused and nothing is stored; unknown types are ignored", async () => {
    const db = database.get().prisma;
    const event = stripeEvent("checkout.session.completed", { id: "cs_x", metadata: { payment_id: "nope" } });
    const body = JSON.stringify(event);
    const forged = await stripeWebhook({
      request: new Request("http://localhost/webhooks/stripe", {
        method: "POST",
        body,
        headers: { "stripe-signature": signStripePayload(body).replace(/v1=\w+/, "v1=deadbeef"), "content-type": "application/json" },
      }),
      params: {},
      context: {},
    });
    expect(forged.status).toBe(400);
    expect((await deliverStripe(event, new Date(Date.now() - 3_600_000))).status).toBe(400);
    const malformed = "{not json";
    const bad = await stripeWebhook({
      request: new Request("http://localhost/webhooks/stripe", {
        method: "POST",
        body: malformed,
        headers: { "stripe-signature": signStripePayload(malformed), "content-type": "application/json" },
      }),
      params: {},
      context: {},
    });
    expect(bad.status).toBe(400);
    expect(await db.webhookEvent.count({ where: { eventId: event.id } })).toBe(0);

    const unknown = stripeEvent("customer.created", { id: "cus_1" });
    expect((await deliverStripe(unknown)).status).toBe(200);
    await processWebhookEvents(db, new Date());
    expect((await db.webhookEvent.findFirstOrThrow({ where: { eventId: unknown.id } })).status).toBe("IGNORED");
  });

  it("GoCardless: an invalid signature answers 498 and stores nothing", async () => {
    const db = database.get().prisma;
    const body = JSON.stringify({
      events: [{ id: "EVforged", resource_type: "payments", action: "confirmed", links: { payment: "PM1" } }],
    });
    const response = await gocardlessWebhook({
      request: new Request("http://localhost/webhooks/gocardless", {
        method: "POST",
        body,
        headers: { "webhook-signature": "0".repeat(64), "content-type": "application/json" },
      }),
      params: {},
      context: {},
    });
    expect(response.status).toBe(498);
    expect(await db.webhookEvent.count({ where: { eventId: "EVforged" } })).toBe(0);
  });
});

describe("webhook edges", () => {
  const MINUTE = 60_000;

  it("Stripe: a signature dated more than 5 minutes ahead is refused like a stale one; within 5 minutes either way it is accepted", async () => {
    const db = database.get().prisma;
    const ahead = stripeEvent("customer.created", { id: "cus_ahead" });
    const response = await deliverStripe(ahead, new Date(Date.now() + 10 * MINUTE));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "invalid_signature" });
    expect((await deliverStripe(stripeEvent("customer.created", { id: "cus_past" }), new Date(Date.now() - 10 * MINUTE))).status).toBe(400);
    expect(await db.webhookEvent.count({ where: { eventId: ahead.id } })).toBe(0);
    expect((await deliverStripe(stripeEvent("customer.created", { id: "cus_soon" }), new Date(Date.now() + 4 * MINUTE))).status).toBe(200);
    expect((await deliverStripe(stripeEvent("customer.created", { id: "cus_late" }), new Date(Date.now() - 4 * MINUTE))).status).toBe(200);
  });

  it("Resend (svix) bounds the signed timestamp both ways too; GoCardless signs no timestamp", async () => {
    const body = JSON.stringify({ type: "email.delivered", created_at: new Date().toISOString(), data: { email_id: "msg_none" } });
    const post = (at: Date, id: string) =>
      receiveWebhook(
        database.get().prisma,
        "resend",
        body,
        new Headers({ "content-type": "application/json", ...signResendWebhook(id, body, at) }),
      );
    expect((await post(new Date(Date.now() + 10 * MINUTE), "msg_ahead")).status).toBe(400);
    expect((await post(new Date(Date.now() - 10 * MINUTE), "msg_behind")).status).toBe(400);
    expect((await post(new Date(), "msg_now")).status).toBe(200);
  });

  it("a signed event that is not sent as JSON is refused with 415 and a typed body, on the Remix route and on the path server.ts takes", async () => {
    const db = database.get().prisma;
    const event = stripeEvent("customer.created", { id: "cus_text" });
    const body = JSON.stringify(event);
    const viaRoute = await stripeWebhook({
      request: new Request("http://localhost/webhooks/stripe", {
        method: "POST",
        body,
        headers: { "stripe-signature": signStripePayload(body), "content-type": "text/plain" },
      }),
      params: {},
      context: {},
    });
    expect(viaRoute.status).toBe(415);
    expect(await viaRoute.json()).toEqual({ error: "unsupported_media_type", expected: "application/json" });
    // server.ts hands receiveWebhook Express's req.get: the same rule, for every provider, and without any content type.
    const expressHeaders = (h: Record<string, string>) => ({ get: (name: string) => h[name.toLowerCase()] ?? null });
    expect(
      await receiveWebhook(
        db,
        "stripe",
        body,
        expressHeaders({ "stripe-signature": signStripePayload(body), "content-type": "text/plain; charset=utf-8" }),
      ),
    ).toEqual({
      status: 415,
      body: { error: "unsupported_media_type", expected: "application/json" },
    });
    expect((await receiveWebhook(db, "stripe", body, expressHeaders({ "stripe-signature": signStripePayload(body) }))).status).toBe(415);
    const gc = JSON.stringify({ events: [{ id: "EVtext", resource_type: "payments", action: "confirmed", links: { payment: "PMtext" } }] });
    expect(
      (
        await receiveWebhook(
          db,
          "gocardless",
          gc,
          expressHeaders({ "webhook-signature": signGoCardlessBody(gc), "content-type": "application/x-www-form-urlencoded" }),
        )
      ).status,
    ).toBe(415);
    expect(await db.webhookEvent.count({ where: { eventId: { in: [event.id, "EVtext"] } } })).toBe(0);
    // JSON with a charset parameter is fine.
    expect(
      (
        await receiveWebhook(
          db,
          "stripe",
          body,
          expressHeaders({ "stripe-signature": signStripePayload(body), "content-type": "application/json; charset=utf-8" }),
        )
      ).status,
    ).toBe(200);
  });

  it("a signed event with an object where Stripe sends a string fails once with the field named, and the inbox shows it in the staff's language", async () => {
    const db = database.get().prisma;
    const { creditor } = await makeCreditor(db);
    const debtor = await makeDebtor(db, creditor.id);
    const payment = await db.payment.create({
      data: {
        creditorId: creditor.id,
        debtorId: debtor.id,
        provider: "STRIPE",
        method: "card",
        amount: 100_00,
        idempotencyKey: `t:${crypto.randomUUID()}`,
        status: "REQUIRES_ACTION",
      },
    });
    const event = stripeEvent("checkout.session.completed", {
      id: "cs_weird",
      client_reference_id: payment.id,
      payment_status: "paid",
      metadata: { payment_id: { $ne: null } },
    });
    expect((await deliverStripe(event)).status).toBe(200);
    await processWebhookEvents(db, new Date());
    const row = await db.webhookEvent.findFirstOrThrow({ where: { eventId: event.id } });
    expect(row).toMatchObject({ status: "FAILED", creditorId: creditor.id, attempts: 8 });
    expect(row.lastError).toMatch(/^invalid_payload: data\.object\.metadata\.payment_id: /);
    expect((await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe("REQUIRES_ACTION");
    // Not retried by the worker's next passes (it cannot get better), unlike an error that may.
    expect((await processWebhookEvents(db, new Date(Date.now() + 86_400_000))).claimed).toBe(0);

    const user = await db.user.create({
      data: { creditorId: creditor.id, email: `owner-${creditor.id}@example.test`, name: "Owner", role: "OWNER" },
    });
    const cookie = (await startStaffSession(user, new Request("http://localhost/login"))).split(";")[0]!;
    const page = await (
      await inboxLoader({ request: new Request("http://localhost/app", { headers: { cookie } }), params: {}, context: {} })
    ).json();
    const listed = page.failedWebhooks.find((w: { eventId: string }) => w.eventId === event.id);
    expect(listed).toMatchObject({ invalidField: "data.object.metadata.payment_id" });
    const field = listed!.invalidField!;
    expect(makeT("fr")("bo.webhook.invalidPayload", { field })).toContain("champ data.object.metadata.payment_id");
    expect(makeT("en")("bo.webhook.invalidPayload", { field })).toContain("field data.object.metadata.payment_id");
  });

  it("GoCardless: a link that is not a string fails the event with the field named", async () => {
    const db = database.get().prisma;
    const events = [{ id: `EV${crypto.randomUUID()}`, resource_type: "payments", action: "confirmed", links: { payment: ["PM1", "PM2"] } }];
    const body = JSON.stringify({ events });
    const response = await gocardlessWebhook({
      request: new Request("http://localhost/webhooks/gocardless", {
        method: "POST",
        body,
        headers: { "webhook-signature": signGoCardlessBody(body), "content-type": "application/json" },
      }),
      params: {},
      context: {},
    });
    expect(response.status).toBe(200);
    await processWebhookEvents(db, new Date());
    const row = await db.webhookEvent.findFirstOrThrow({ where: { eventId: events[0]!.id } });
    expect(row.status).toBe("FAILED");
    expect(row.lastError).toMatch(/^invalid_payload: links\.payment: /);
  });
});
