import { http, HttpResponse } from "msw";
import { randomId } from "./utils";

/** The Stripe API base the SDK calls (host/port/protocol are configurable in the SDK). */
const base = "https://api.stripe.com";
const sessions = new Map<string, Record<string, unknown>>();

function appUrl() {
  return (process.env.APP_URL ?? "http://localhost:3000").replace(/\/$/, "");
}

/** Minimal, faithful subset of Stripe's API: Checkout Sessions (form-encoded bodies, like the real one). */
export const stripeHandlers = [
  http.post(`${base}/v1/checkout/sessions`, async ({ request }) => {
    if (!request.headers.get("authorization")?.startsWith("Bearer ")) {
      return HttpResponse.json({ error: { type: "invalid_request_error", message: "No API key provided." } }, { status: 401 });
    }
    const form = new URLSearchParams(await request.text());
    const idempotencyKey = request.headers.get("idempotency-key");
    const existing = idempotencyKey ? [...sessions.values()].find((s) => s.__idem === idempotencyKey) : undefined;
    if (existing) return HttpResponse.json(existing);
    const id = randomId("cs_test_");
    const metadata: Record<string, string> = {};
    for (const [k, v] of form) {
      const m = /^metadata\[(.+)\]$/.exec(k);
      if (m) metadata[m[1]!] = v;
    }
    const session = {
      id,
      object: "checkout.session",
      mode: form.get("mode") ?? "payment",
      status: "open",
      payment_status: "unpaid",
      amount_total: Number(form.get("line_items[0][price_data][unit_amount]") ?? 0),
      currency: form.get("line_items[0][price_data][currency]") ?? "eur",
      client_reference_id: form.get("client_reference_id"),
      metadata,
      payment_method_types: [...form].filter(([k]) => k.startsWith("payment_method_types")).map(([, v]) => v),
      success_url: form.get("success_url"),
      cancel_url: form.get("cancel_url"),
      url: `${appUrl()}/dev/sandbox/stripe/${id}`,
      payment_intent: randomId("pi_"),
      __idem: idempotencyKey,
    };
    sessions.set(id, session);
    return HttpResponse.json(session);
  }),
  http.get(`${base}/v1/checkout/sessions/:id`, ({ params }) => {
    const session = sessions.get(String(params.id));
    if (!session) {
      return HttpResponse.json({ error: { type: "invalid_request_error", code: "resource_missing", message: `No such checkout.session: '${params.id}'` } }, { status: 404 });
    }
    return HttpResponse.json(session);
  }),
];
