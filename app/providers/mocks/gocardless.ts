import { delay, http, HttpResponse } from "msw";
import { getEnv } from "~/utils/env.server";
import { randomId } from "./utils";

const bases = ["https://api-sandbox.gocardless.com", "https://api.gocardless.com"];

type Json = Record<string, unknown>;
type Store = {
  billingRequests: Map<string, Json>;
  payments: Map<string, Json>;
  schedules: Map<string, Json>;
  idempotency: Map<string, Json>;
};

/** Shared across module copies (the server bundle and the boot code both load this file). */
export function gocardlessStore(): Store {
  const g = globalThis as { __relanceGoCardless?: Store };
  return (g.__relanceGoCardless ??= { billingRequests: new Map(), payments: new Map(), schedules: new Map(), idempotency: new Map() });
}

const appUrl = () => getEnv().APP_URL;

async function outage() {
  if (process.env.MOCK_GOCARDLESS_FAIL === "500")
    return HttpResponse.json({ error: { code: 500, type: "gocardless", message: "Mocked outage", errors: [] } }, { status: 500 });
  if (process.env.MOCK_GOCARDLESS_FAIL === "timeout") {
    await delay(35_000);
    return HttpResponse.json({ error: { code: 504, type: "gocardless", message: "Mocked timeout", errors: [] } }, { status: 504 });
  }
  return null;
}

const notFound = () =>
  HttpResponse.json(
    { error: { code: 404, type: "invalid_api_usage", message: "Resource not found", errors: [{ reason: "resource_not_found" }] } },
    { status: 404 },
  );

/** GoCardless's answer to a missing or revoked access token. */
export const unauthorised = () =>
  HttpResponse.json(
    {
      error: {
        code: 401,
        type: "invalid_api_usage",
        message: "Access token not found",
        errors: [{ reason: "access_token_not_found", message: "Access token not found" }],
        documentation_url: "https://developer.gocardless.com/api-reference#access_token_not_found",
        request_id: "mock-request",
      },
    },
    { status: 401 },
  );

/** The sandbox's GoCardless creditor, shaped like an item of GET /creditors. */
export function mockGoCardlessCreditor(overrides: Json = {}): Json {
  return {
    id: "CR000RELANCE0SBX",
    name: "relance sandbox",
    created_at: "2026-01-05T09:00:00.000Z",
    country_code: "FR",
    verification_status: "successful",
    scheme_identifiers: [{ scheme: "sepa", reference: "FR12ZZZ123456", status: "active" }],
    ...overrides,
  };
}

/** Like GoCardless: a repeated Idempotency-Key answers 409 with the existing resource's id (the SDK then fetches it). */
function conflict(key: string | null, resource: string) {
  const earlier = key ? gocardlessStore().idempotency.get(`${resource}:${key}`) : undefined;
  if (!earlier) return null;
  return HttpResponse.json(
    {
      error: {
        code: 409,
        type: "invalid_state",
        message: "A resource has already been created with this idempotency key",
        errors: [
          {
            reason: "idempotent_creation_conflict",
            message: "A resource has already been created with this idempotency key",
            links: { conflicting_resource_id: earlier.id },
          },
        ],
      },
    },
    { status: 409 },
  );
}

/** Minimal, faithful subset of GoCardless: Billing Requests + flows, payments, instalment schedules. */
export const gocardlessHandlers = bases.flatMap((base) => [
  http.post(`${base}/billing_requests`, async ({ request }) => {
    const down = await outage();
    if (down) return down;
    const key = request.headers.get("idempotency-key");
    const dup = conflict(key, "billing_requests");
    if (dup) return dup;
    const body = (await request.json()) as { billing_requests: Json };
    const id = randomId("BRQ");
    const br = { id, status: "pending", ...body.billing_requests, created_at: new Date().toISOString(), links: {} };
    gocardlessStore().billingRequests.set(id, br);
    if (key) gocardlessStore().idempotency.set(`billing_requests:${key}`, br);
    return HttpResponse.json({ billing_requests: br }, { status: 201 });
  }),
  http.get(`${base}/billing_requests/:id`, ({ params }) => {
    const br = gocardlessStore().billingRequests.get(String(params.id));
    return br ? HttpResponse.json({ billing_requests: br }) : notFound();
  }),
  http.post(`${base}/billing_request_flows`, async ({ request }) => {
    const down = await outage();
    if (down) return down;
    const body = (await request.json()) as {
      billing_request_flows: { links: { billing_request: string }; redirect_uri?: string; exit_uri?: string };
    };
    const flow = body.billing_request_flows;
    const br = gocardlessStore().billingRequests.get(flow.links.billing_request);
    if (!br) return notFound();
    Object.assign(br, { __redirect: flow.redirect_uri, __exit: flow.exit_uri });
    return HttpResponse.json(
      {
        billing_request_flows: {
          id: randomId("BRF"),
          authorisation_url: `${appUrl()}/dev/sandbox/gocardless/${br.id}`,
          links: { billing_request: br.id },
          redirect_uri: flow.redirect_uri,
          exit_uri: flow.exit_uri,
          created_at: new Date().toISOString(),
        },
      },
      { status: 201 },
    );
  }),
  // The creditor the access token belongs to (creditors.list()): what the go-live checklist verifies.
  http.get(`${base}/creditors`, async ({ request }) => {
    const down = await outage();
    if (down) return down;
    if (!request.headers.get("authorization")?.startsWith("Bearer ")) return unauthorised();
    return HttpResponse.json({ creditors: [mockGoCardlessCreditor()], meta: { cursors: { before: null, after: null }, limit: 50 } });
  }),
  http.get(`${base}/payments/:id`, ({ params }) => {
    const payment = gocardlessStore().payments.get(String(params.id));
    return payment ? HttpResponse.json({ payments: payment }) : notFound();
  }),
  http.post(`${base}/instalment_schedules/create_with_dates`, async ({ request }) => {
    const key = request.headers.get("idempotency-key");
    const dup = conflict(key, "instalment_schedules");
    if (dup) return dup;
    const body = (await request.json()) as {
      instalment_schedules: {
        total_amount: string | number;
        instalments: { charge_date: string; amount: string | number }[];
        currency: string;
        name: string;
        links: { mandate: string };
        metadata?: Json;
      };
    };
    const s = body.instalment_schedules;
    const sum = s.instalments.reduce((acc, i) => acc + Number(i.amount), 0);
    if (sum !== Number(s.total_amount)) {
      return HttpResponse.json(
        {
          error: {
            code: 422,
            type: "validation_failed",
            message: "Instalments must add up to the total amount",
            errors: [{ field: "instalments", message: "must add up to the total amount" }],
          },
        },
        { status: 422 },
      );
    }
    const id = randomId("IS");
    const payments = s.instalments.map((i) => {
      const pid = randomId("PM");
      const payment = {
        id: pid,
        status: "pending_submission",
        amount: Number(i.amount),
        currency: s.currency,
        charge_date: i.charge_date,
        metadata: {},
        links: { mandate: s.links.mandate, instalment_schedule: id },
      };
      gocardlessStore().payments.set(pid, payment);
      return pid;
    });
    const schedule = {
      id,
      status: "active",
      name: s.name,
      total_amount: Number(s.total_amount),
      currency: s.currency,
      metadata: s.metadata ?? {},
      links: { mandate: s.links.mandate, payments },
      created_at: new Date().toISOString(),
    };
    gocardlessStore().schedules.set(id, schedule);
    if (key) gocardlessStore().idempotency.set(`instalment_schedules:${key}`, schedule);
    return HttpResponse.json({ instalment_schedules: schedule }, { status: 201 });
  }),
  http.get(`${base}/instalment_schedules/:id`, ({ params }) => {
    const schedule = gocardlessStore().schedules.get(String(params.id));
    return schedule ? HttpResponse.json({ instalment_schedules: schedule }) : notFound();
  }),
]);

/** A GoCardless event, as delivered in a webhook's `events` array. */
export function gocardlessEvent(resource_type: string, action: string, links: Record<string, string>, details: Json = {}) {
  return {
    id: randomId("EV"),
    created_at: new Date().toISOString(),
    resource_type,
    action,
    links,
    details: { origin: "gocardless", ...details },
    metadata: {},
  };
}

export type GoCardlessSandboxAction = "pay" | "fail" | "cancel" | "authorise";

/**
 * What the hosted flow and the bank would do for a Billing Request: "pay" (instant
 * bank pay, confirmed at once), "fail" (the bank refuses), "cancel" (the payer
 * leaves), "authorise" (a mandate-only request: the mandate becomes active).
 */
export function gocardlessSandboxAct(
  id: string,
  action: GoCardlessSandboxAction,
): { events: ReturnType<typeof gocardlessEvent>[]; redirect: string | null } {
  const store = gocardlessStore();
  const br = store.billingRequests.get(id) as
    | (Json & {
        status: string;
        links: Record<string, string>;
        payment_request?: Json;
        mandate_request?: Json;
        __redirect?: string;
        __exit?: string;
      })
    | undefined;
  if (!br) throw new Error(`No such billing request: ${id}`);
  if (br.status !== "pending") return { events: [], redirect: action === "cancel" ? (br.__exit ?? null) : (br.__redirect ?? null) };
  if (action === "cancel") {
    br.status = "cancelled";
    return { events: [gocardlessEvent("billing_requests", "cancelled", { billing_request: id })], redirect: br.__exit ?? null };
  }
  br.status = "fulfilled";
  br.links.customer = randomId("CU");
  const events: ReturnType<typeof gocardlessEvent>[] = [];
  if (br.mandate_request) {
    br.links.mandate_request_mandate = randomId("MD");
    events.push(gocardlessEvent("mandates", "active", { mandate: br.links.mandate_request_mandate }));
  }
  if (br.payment_request) {
    const pid = randomId("PM");
    br.links.payment_request_payment = pid;
    const request = br.payment_request as { amount: number | string; currency: string; metadata?: Json };
    store.payments.set(pid, {
      id: pid,
      status: action === "fail" ? "failed" : "confirmed",
      amount: Number(request.amount),
      currency: request.currency,
      charge_date: new Date().toISOString().slice(0, 10),
      metadata: request.metadata ?? {},
      links: { billing_request: id },
    });
    events.push(gocardlessEvent("payments", "created", { payment: pid }));
    events.push(
      action === "fail"
        ? gocardlessEvent(
            "payments",
            "failed",
            { payment: pid },
            { cause: "insufficient_funds", description: "The customer's account had insufficient funds." },
          )
        : gocardlessEvent("payments", "confirmed", { payment: pid }),
    );
  }
  events.unshift(
    gocardlessEvent("billing_requests", "fulfilled", {
      billing_request: id,
      ...(br.links.payment_request_payment ? { payment_request_payment: br.links.payment_request_payment } : {}),
      ...(br.links.mandate_request_mandate ? { mandate_request_mandate: br.links.mandate_request_mandate } : {}),
    }),
  );
  return { events, redirect: br.__redirect ?? null };
}

/** The bank collects (or fails to collect) one installment of a schedule. */
export function gocardlessCollectInstalment(paymentId: string, outcome: "confirmed" | "failed") {
  const payment = gocardlessStore().payments.get(paymentId) as (Json & { status: string }) | undefined;
  if (!payment) throw new Error(`No such payment: ${paymentId}`);
  payment.status = outcome;
  return [
    gocardlessEvent("payments", "submitted", { payment: paymentId }),
    outcome === "confirmed"
      ? gocardlessEvent("payments", "confirmed", { payment: paymentId })
      : gocardlessEvent(
          "payments",
          "failed",
          { payment: paymentId },
          { cause: "insufficient_funds", description: "The customer's account had insufficient funds." },
        ),
  ];
}
