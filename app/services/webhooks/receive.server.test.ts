import { signStripePayload } from "~/providers/stripe.server";
import { action as gocardlessWebhook } from "~/routes/webhooks.gocardless";
import { action as stripeWebhook } from "~/routes/webhooks.stripe";
import { startMockServer } from "../../providers/mocks/index";
import { stripeEvent } from "../../providers/mocks/stripe";
import { useTestDatabase } from "../../testing/db";
import { processWebhookEvents } from "./inbox.server";

const database = useTestDatabase();
let stopMocks: () => void;

beforeAll(() => {
  stopMocks = startMockServer({ stripe: true, gocardless: true, resend: true });
});
afterAll(() => stopMocks());

async function deliverStripe(event: object, at = new Date()) {
  const body = JSON.stringify(event);
  return stripeWebhook({ request: new Request("http://localhost/webhooks/stripe", { method: "POST", body, headers: { "stripe-signature": signStripePayload(body, at), "content-type": "application/json" } }), params: {}, context: {} });
}

describe("webhook endpoints refuse what they cannot trust", () => {
  it("Stripe: bad signature, stale timestamp and malformed JSON are refused and nothing is stored; unknown types are ignored", async () => {
    const db = database.get().prisma;
    const event = stripeEvent("checkout.session.completed", { id: "cs_x", metadata: { payment_id: "nope" } });
    const body = JSON.stringify(event);
    const forged = await stripeWebhook({ request: new Request("http://localhost/webhooks/stripe", { method: "POST", body, headers: { "stripe-signature": signStripePayload(body).replace(/v1=\w+/, "v1=deadbeef") } }), params: {}, context: {} });
    expect(forged.status).toBe(400);
    expect((await deliverStripe(event, new Date(Date.now() - 3_600_000))).status).toBe(400);
    const malformed = "{not json";
    const bad = await stripeWebhook({ request: new Request("http://localhost/webhooks/stripe", { method: "POST", body: malformed, headers: { "stripe-signature": signStripePayload(malformed) } }), params: {}, context: {} });
    expect(bad.status).toBe(400);
    expect(await db.webhookEvent.count({ where: { eventId: event.id } })).toBe(0);

    const unknown = stripeEvent("customer.created", { id: "cus_1" });
    expect((await deliverStripe(unknown)).status).toBe(200);
    await processWebhookEvents(db, new Date());
    expect((await db.webhookEvent.findFirstOrThrow({ where: { eventId: unknown.id } })).status).toBe("IGNORED");
  });

  it("GoCardless: an invalid signature answers 498 and stores nothing", async () => {
    const db = database.get().prisma;
    const body = JSON.stringify({ events: [{ id: "EVforged", resource_type: "payments", action: "confirmed", links: { payment: "PM1" } }] });
    const response = await gocardlessWebhook({ request: new Request("http://localhost/webhooks/gocardless", { method: "POST", body, headers: { "webhook-signature": "0".repeat(64) } }), params: {}, context: {} });
    expect(response.status).toBe(498);
    expect(await db.webhookEvent.count({ where: { eventId: "EVforged" } })).toBe(0);
  });
});
