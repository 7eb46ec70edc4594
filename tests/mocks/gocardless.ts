import { http, HttpResponse } from "msw";
import { randomId } from "./utils";

const bases = ["https://api-sandbox.gocardless.com", "https://api.gocardless.com"];
const billingRequests = new Map<string, Record<string, unknown>>();

function appUrl() {
  return (process.env.APP_URL ?? "http://localhost:3000").replace(/\/$/, "");
}

/** Minimal, faithful subset of GoCardless: Billing Requests and their hosted flow. */
export const gocardlessHandlers = bases.flatMap((base) => [
  http.post(`${base}/billing_requests`, async ({ request }) => {
    const body = (await request.json()) as { billing_requests: Record<string, unknown> };
    const id = randomId("BRQ");
    const br = { id, status: "pending", ...body.billing_requests, created_at: new Date().toISOString(), links: {} };
    billingRequests.set(id, br);
    return HttpResponse.json({ billing_requests: br }, { status: 201 });
  }),
  http.get(`${base}/billing_requests/:id`, ({ params }) => {
    const br = billingRequests.get(String(params.id));
    if (!br) return HttpResponse.json({ error: { code: 404, type: "invalid_api_usage", message: "Resource not found", errors: [] } }, { status: 404 });
    return HttpResponse.json({ billing_requests: br });
  }),
  http.post(`${base}/billing_request_flows`, async ({ request }) => {
    const body = (await request.json()) as { billing_request_flows: { links: { billing_request: string } } };
    const brId = body.billing_request_flows.links.billing_request;
    const id = randomId("BRF");
    return HttpResponse.json(
      {
        billing_request_flows: {
          id,
          authorisation_url: `${appUrl()}/dev/sandbox/gocardless/${brId}`,
          links: { billing_request: brId },
          created_at: new Date().toISOString(),
        },
      },
      { status: 201 },
    );
  }),
]);
