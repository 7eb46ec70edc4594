import { delay, http, HttpResponse } from "msw";
import { getEnv } from "~/utils/env.server";
import { randomId } from "./utils";

/** The Stripe API base the SDK calls (host/port/protocol are configurable in the SDK). */
const base = "https://api.stripe.com";

export type MockCheckoutSession = {
  id: string;
  object: "checkout.session";
  mode: string;
  status: "open" | "complete" | "expired";
  payment_status: "unpaid" | "paid" | "no_payment_required";
  amount_total: number;
  currency: string;
  client_reference_id: string | null;
  customer_email: string | null;
  metadata: Record<string, string>;
  payment_method_types: string[];
  success_url: string | null;
  cancel_url: string | null;
  url: string;
  payment_intent: string;
  livemode: false;
  created: number;
  __idem: string | null;
};

/** Shared across module copies (the server bundle and the boot code both load this file). */
export function stripeSessions(): Map<string, MockCheckoutSession> {
  const g = globalThis as { __relanceStripeSessions?: Map<string, MockCheckoutSession> };
  return (g.__relanceStripeSessions ??= new Map());
}

const appUrl = () => getEnv().APP_URL;

/** MOCK_STRIPE_FAIL=500 answers every call with a server error, =timeout never answers in time. */
async function outage() {
  if (process.env.MOCK_STRIPE_FAIL === "500")
    return HttpResponse.json({ error: { type: "api_error", message: "Mocked outage" } }, { status: 500 });
  if (process.env.MOCK_STRIPE_FAIL === "timeout") {
    await delay(15_000);
    return HttpResponse.json({ error: { type: "api_error", message: "Mocked timeout" } }, { status: 504 });
  }
  return null;
}

/** Minimal, faithful subset of Stripe's API: Checkout Sessions (form-encoded bodies, like the real one). */
export const stripeHandlers = [
  http.post(`${base}/v1/checkout/sessions`, async ({ request }) => {
    if (!request.headers.get("authorization")?.startsWith("Bearer ")) {
      return HttpResponse.json({ error: { type: "invalid_request_error", message: "No API key provided." } }, { status: 401 });
    }
    const down = await outage();
    if (down) return down;
    const form = new URLSearchParams(await request.text());
    const idempotencyKey = request.headers.get("idempotency-key");
    const existing = idempotencyKey ? [...stripeSessions().values()].find((s) => s.__idem === idempotencyKey) : undefined;
    if (existing) return HttpResponse.json(existing);
    const amount = Number(form.get("line_items[0][price_data][unit_amount]"));
    if (!Number.isInteger(amount) || amount < 50) {
      return HttpResponse.json(
        { error: { type: "invalid_request_error", param: "line_items[0][price_data][unit_amount]", message: "Invalid integer" } },
        { status: 400 },
      );
    }
    const id = randomId("cs_test_");
    const metadata: Record<string, string> = {};
    for (const [k, v] of form) {
      const m = /^metadata\[(.+)\]$/.exec(k);
      if (m) metadata[m[1]!] = v;
    }
    const session: MockCheckoutSession = {
      id,
      object: "checkout.session",
      mode: form.get("mode") ?? "payment",
      status: "open",
      payment_status: "unpaid",
      amount_total: amount,
      currency: form.get("line_items[0][price_data][currency]") ?? "eur",
      client_reference_id: form.get("client_reference_id"),
      customer_email: form.get("customer_email"),
      metadata,
      payment_method_types: [...form].filter(([k]) => /^(allowed_)?payment_method_types/.test(k)).map(([, v]) => v),
      success_url: form.get("success_url"),
      cancel_url: form.get("cancel_url"),
      url: `${appUrl()}/dev/sandbox/stripe/${id}`,
      payment_intent: randomId("pi_"),
      livemode: false,
      created: Math.floor(Date.now() / 1000),
      __idem: idempotencyKey,
    };
    stripeSessions().set(id, session);
    return HttpResponse.json(session);
  }),
  http.get(`${base}/v1/checkout/sessions/:id`, async ({ params }) => {
    const down = await outage();
    if (down) return down;
    const session = stripeSessions().get(String(params.id));
    if (!session) {
      return HttpResponse.json(
        { error: { type: "invalid_request_error", code: "resource_missing", message: `No such checkout.session: '${params.id}'` } },
        { status: 404 },
      );
    }
    return HttpResponse.json(session);
  }),
  // The account the key belongs to (accounts.retrieve() without an id): what the go-live checklist verifies.
  http.get(`${base}/v1/account`, async ({ request }) => {
    const down = await outage();
    if (down) return down;
    if (!request.headers.get("authorization")?.startsWith("Bearer ")) {
      return HttpResponse.json({ error: { type: "invalid_request_error", message: "You did not provide an API key." } }, { status: 401 });
    }
    return HttpResponse.json(mockStripeAccount());
  }),
];

/** The sandbox's Stripe account, shaped like GET /v1/account. */
export function mockStripeAccount(overrides: Record<string, unknown> = {}) {
  return {
    id: "acct_1RelanceSandbox00",
    object: "account",
    type: "standard",
    country: "FR",
    default_currency: "eur",
    email: "finance@relance.test",
    business_profile: { name: "relance sandbox", url: null, support_email: null },
    settings: { dashboard: { display_name: "relance sandbox", timezone: "Europe/Paris" } },
    charges_enabled: true,
    payouts_enabled: true,
    details_submitted: true,
    requirements: { currently_due: [], disabled_reason: null },
    created: 1_700_000_000,
    ...overrides,
  };
}

/** A Stripe event envelope around an object, as Stripe delivers it. */
export function stripeEvent(type: string, object: Record<string, unknown>) {
  return {
    id: randomId("evt_"),
    object: "event",
    api_version: "2026-10-28.endive",
    created: Math.floor(Date.now() / 1000),
    type,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: { object },
  };
}

export type StripeSandboxAction = "pay" | "fail" | "cancel" | "settle" | "debit_fail";

/**
 * What the hosted Checkout page and the bank would do: update the session and
 * return the events Stripe would send, and where the browser goes next.
 */
export function stripeSandboxAct(
  id: string,
  action: StripeSandboxAction,
): { events: ReturnType<typeof stripeEvent>[]; redirect: string | null } {
  const session = stripeSessions().get(id);
  if (!session) throw new Error(`No such checkout.session: ${id}`);
  const { __idem: _ignored, ...visible } = session;
  const isSepa = session.payment_method_types.includes("sepa_debit");
  switch (action) {
    case "pay": {
      if (session.status !== "open") return { events: [], redirect: session.success_url };
      session.status = "complete";
      // SEPA Debit is asynchronous: the session completes unpaid, the debit settles days later.
      session.payment_status = isSepa ? "unpaid" : "paid";
      return {
        events: [stripeEvent("checkout.session.completed", { ...visible, status: session.status, payment_status: session.payment_status })],
        redirect: session.success_url,
      };
    }
    case "settle":
    case "debit_fail": {
      if (session.status !== "complete" || session.payment_status !== "unpaid") return { events: [], redirect: null };
      if (action === "settle") session.payment_status = "paid";
      const type = action === "settle" ? "checkout.session.async_payment_succeeded" : "checkout.session.async_payment_failed";
      return {
        events: [stripeEvent(type, { ...visible, status: session.status, payment_status: session.payment_status })],
        redirect: null,
      };
    }
    case "fail": {
      // A declined card: the PaymentIntent fails; the debtor stays free to try again.
      const intent = {
        id: session.payment_intent,
        object: "payment_intent",
        amount: session.amount_total,
        currency: session.currency,
        status: "requires_payment_method",
        metadata: session.metadata,
        last_payment_error: { code: "card_declined", message: "Your card was declined." },
      };
      return { events: [stripeEvent("payment_intent.payment_failed", intent)], redirect: session.cancel_url };
    }
    case "cancel": {
      if (session.status !== "open") return { events: [], redirect: session.cancel_url };
      session.status = "expired";
      return { events: [stripeEvent("checkout.session.expired", { ...visible, status: "expired" })], redirect: session.cancel_url };
    }
  }
}
