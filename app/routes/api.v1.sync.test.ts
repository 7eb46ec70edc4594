import type { LoaderFunctionArgs } from "@remix-run/node";
import { createApiKey } from "~/services/api/keys.server";
import { seedDemo } from "../../prisma/seed";
import { makeCreditor, makeDebtor, makeInvoice } from "../testing/factories";
import { useTestDatabase } from "../testing/db";
import * as debtorsRoute from "./api.v1.debtors._index";
import * as disputesRoute from "./api.v1.disputes";
import * as invoicesRoute from "./api.v1.invoices._index";
import * as paymentsRoute from "./api.v1.payments";
import * as plansRoute from "./api.v1.plans";
import * as promisesRoute from "./api.v1.promises";
import * as openapiRoute from "./api.v1.openapi[.json]";

const database = useTestDatabase();

const routes: Record<string, (args: LoaderFunctionArgs) => Promise<Response>> = {
  invoices: invoicesRoute.loader,
  debtors: debtorsRoute.loader,
  payments: paymentsRoute.loader,
  plans: plansRoute.loader,
  disputes: disputesRoute.loader,
  promises: promisesRoute.loader,
};

/** `fetch` for the app's API: dispatches /api/v1/<resource> to its route, as the server would. */
const appFetch = (url: URL | string, init?: RequestInit) => {
  const u = new URL(url);
  const resource = u.pathname.replace("/api/v1/", "");
  return routes[resource]!({ request: new Request(u, init), params: {}, context: {} });
};

// ---- The sync loop of the README ("Sync loop"), verbatim but for fetch and the page size. ----
const BASE = "http://localhost:3000/api/v1";
async function syncAll(
  fetch: typeof appFetch,
  KEY: string,
  resource: string,
  cursor: string | null,
  onRow: (row: Record<string, unknown>) => unknown,
  limit = 100,
) {
  for (;;) {
    const url = new URL(`${BASE}/${resource}`);
    url.searchParams.set("limit", String(limit));
    if (cursor) url.searchParams.set("after", cursor);
    const res = await fetch(url, { headers: { Authorization: `Bearer ${KEY}` } });
    if (!res.ok) throw new Error(`${resource}: HTTP ${res.status}`);
    const page = (await res.json()) as { data: Record<string, unknown>[]; hasMore: boolean; nextCursor: string | null };
    for (const row of page.data) await onRow(row);
    cursor = page.nextCursor;
    if (!page.hasMore) return cursor; // keep it: the next run starts from here
  }
}

const idOf = (resource: string, row: Record<string, unknown>) =>
  String(resource === "invoices" ? row.number : resource === "debtors" ? row.externalRef : row.id);

describe("sync API (GET /api/v1/invoices, /debtors, /payments, /plans, /disputes, /promises)", () => {
  it("the README loop pages through every demo row exactly once, then resumes with nothing new until a row changes", async () => {
    const db = database.get().prisma;
    const { creditorId } = await seedDemo(db);
    const { key } = await createApiKey(db, creditorId, "ERP");
    // Another creditor's rows never show.
    const other = await makeCreditor(db);
    const stranger = await makeDebtor(db, other.creditor.id, { name: "Ne doit pas apparaître" });
    await makeInvoice(
      db,
      { creditorId: other.creditor.id, debtorId: stranger.id, policy: other.policy },
      { dueDate: new Date(), now: new Date(), number: "OTHER-1" },
    );

    const expected = {
      invoices: (await db.invoice.findMany({ where: { creditorId }, select: { number: true } })).map((r) => r.number),
      debtors: (await db.debtor.findMany({ where: { creditorId }, select: { externalRef: true } })).map((r) => r.externalRef),
      payments: (await db.payment.findMany({ where: { creditorId }, select: { id: true } })).map((r) => r.id),
      plans: (await db.installmentPlan.findMany({ where: { creditorId }, select: { id: true } })).map((r) => r.id),
      disputes: (await db.dispute.findMany({ where: { creditorId }, select: { id: true } })).map((r) => r.id),
      promises: (await db.promiseToPay.findMany({ where: { creditorId }, select: { id: true } })).map((r) => r.id),
    };
    expect(expected.invoices.length).toBeGreaterThan(10);
    expect(expected.payments.length).toBeGreaterThan(0);

    const cursors: Record<string, string | null> = {};
    for (const resource of Object.keys(routes)) {
      const seen: string[] = [];
      // A small page size so that every list needs several pages.
      cursors[resource] = await syncAll(appFetch, key, resource, null, (row) => seen.push(idOf(resource, row)), 3);
      expect(seen.length, resource).toBe(new Set(seen).size);
      expect([...seen].sort(), resource).toEqual([...expected[resource as keyof typeof expected]].sort());
    }
    expect(cursors.invoices).not.toBeNull();

    // Next run: nothing new…
    const again: string[] = [];
    await syncAll(appFetch, key, "invoices", cursors.invoices!, (row) => again.push(idOf("invoices", row)));
    expect(again).toEqual([]);
    // …until an invoice changes: it comes again, alone.
    const changed = expected.invoices[0]!;
    await db.invoice.update({ where: { creditorId_number: { creditorId, number: changed } }, data: { description: "changed" } });
    await syncAll(appFetch, key, "invoices", cursors.invoices!, (row) => again.push(idOf("invoices", row)));
    expect(again).toEqual([changed]);
  });

  it("payments come with their allocations to invoices; status and updatedSince filter", async () => {
    const db = database.get().prisma;
    const { creditorId } = await seedDemo(db);
    const { key } = await createApiKey(db, creditorId, "ERP");
    const get = async (path: string) => {
      const res = await appFetch(`${BASE}${path}`, { headers: { Authorization: `Bearer ${key}` } });
      return { status: res.status, body: (await res.json()) as { data: Record<string, unknown>[]; error?: { code: string } } };
    };
    const payments = await get("/payments?status=SUCCEEDED&limit=500");
    expect(payments.status).toBe(200);
    expect(payments.body.data.length).toBeGreaterThan(0);
    for (const p of payments.body.data) {
      expect(p.status).toBe("SUCCEEDED");
      const allocations = p.allocations as { invoiceNumber: string; amount: number }[];
      expect(allocations.length).toBeGreaterThan(0);
      expect(allocations.reduce((s, a) => s + a.amount, 0)).toBeLessThanOrEqual(p.amount as number);
    }
    const paid = await get("/invoices?status=PAID,partially_paid&limit=500");
    expect(paid.body.data.length).toBe(await db.invoice.count({ where: { creditorId, status: { in: ["PAID", "PARTIALLY_PAID"] } } }));
    expect(paid.body.data.every((i) => i.status === "PAID" || i.status === "PARTIALLY_PAID")).toBe(true);

    const future = await get(`/invoices?updatedSince=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`);
    expect(future.body.data).toEqual([]);
    expect((await get("/invoices?status=NOPE")).status).toBe(400);
    expect((await get("/invoices?updatedSince=yesterday")).status).toBe(400);
    expect((await get("/debtors?after=garbage")).body.error?.code).toBe("invalid_cursor");
    const unauth = await appFetch(`${BASE}/plans`);
    expect(unauth.status).toBe(401);
  });

  it("the OpenAPI document describes every list with an example", async () => {
    const res = openapiRoute.loader();
    const doc = (await res.json()) as { paths: Record<string, { get?: { responses: Record<string, { content?: unknown }> } }> };
    for (const resource of Object.keys(routes)) {
      const op = doc.paths[`/${resource}`]?.get;
      expect(op, resource).toBeDefined();
      expect(JSON.stringify(op!.responses["200"]), resource).toContain('"example"');
    }
  });
});
