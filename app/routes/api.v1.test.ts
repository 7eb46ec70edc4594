import type { ActionFunctionArgs } from "@remix-run/node";
import { createApiKey, revokeApiKey } from "~/services/api/keys.server";
import { recordCommunication } from "~/services/messaging/communications.server";
import { makeCreditor } from "../testing/factories";
import { useTestDatabase } from "../testing/db";
import * as debtorRoute from "./api.v1.debtors.$externalRef";
import * as eventsRoute from "./api.v1.events";
import * as invoiceRoute from "./api.v1.invoices.$number";
import * as cancelRoute from "./api.v1.invoices.$number_.cancel";
import * as paymentsRoute from "./api.v1.invoices.$number_.payments";
import * as openapiRoute from "./api.v1.openapi[.json]";

const database = useTestDatabase();
type Handler = (args: ActionFunctionArgs) => Response | Promise<Response>;

function call(
  handler: Handler,
  method: string,
  path: string,
  opts: { key?: string | null; body?: unknown; raw?: string; idem?: string; params?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  if (opts.idem) headers["idempotency-key"] = opts.idem;
  const body = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  return handler({
    request: new Request(`http://localhost/api/v1${path}`, { method, headers, body }),
    params: opts.params ?? {},
    context: {},
  });
}

async function tenant() {
  const db = database.get().prisma;
  const { creditor } = await makeCreditor(db);
  const { key, id } = await createApiKey(db, creditor.id, "ERP");
  return { db, creditor, key, keyId: id };
}

const put = (h: Handler, path: string, params: Record<string, string>, key: string, body: unknown, idem?: string) =>
  call(h, "PUT", path, { key, body, params, idem });
const DEBTOR = { name: "Boulangerie Martin", email: "compta@martin.test", kind: "BUSINESS" };
const invoiceBody = (over: Record<string, unknown> = {}) => ({
  debtorExternalRef: "C1",
  issueDate: "2026-03-01",
  dueDate: "2026-03-31",
  amount: 120_00,
  currency: "EUR",
  ...over,
});

async function withInvoice(key: string, number = "F-1") {
  await put(debtorRoute.action, "/debtors/C1", { externalRef: "C1" }, key, DEBTOR);
  const res = await put(invoiceRoute.action, `/invoices/${number}`, { number }, key, invoiceBody());
  expect(res.status).toBe(201);
}

describe("API authentication", () => {
  it("answers 401 without a key, with a wrong key and with a revoked key", async () => {
    const { db, creditor, key, keyId } = await tenant();
    const get = (k: string | null) => call(debtorRoute.loader, "GET", "/debtors/C1", { key: k, params: { externalRef: "C1" } });
    const none = await get(null);
    expect(none.status).toBe(401);
    expect(none.headers.get("WWW-Authenticate")).toContain("Bearer");
    expect(await none.json()).toMatchObject({ error: { code: "unauthorized" } });
    expect((await get(key.slice(0, -2) + "xx")).status).toBe(401);
    expect((await get(key)).status).toBe(404);
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: keyId } })).lastUsedAt).not.toBeNull();
    expect(await revokeApiKey(db, creditor.id, keyId, new Date())).toBe(true);
    expect((await get(key)).status).toBe(401);
  });

  it("stores only a hash of the key", async () => {
    const { db, key, keyId } = await tenant();
    expect(key).toMatch(/^rl_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    const row = await db.apiKey.findUniqueOrThrow({ where: { id: keyId } });
    expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
    // The secret is everything after the prefix: base64url may itself hold "_" (split("_")[2] was sometimes "").
    const secret = key.slice(`rl_${row.prefix}_`.length);
    expect(secret).toHaveLength(43);
    expect(JSON.stringify(row)).not.toContain(secret);
  });
});

describe("PUT /debtors/:externalRef", () => {
  it("creates, then updates the same debtor", async () => {
    const { db, creditor, key } = await tenant();
    const created = await put(debtorRoute.action, "/debtors/C1", { externalRef: "C1" }, key, DEBTOR);
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({
      externalRef: "C1",
      name: "Boulangerie Martin",
      kind: "BUSINESS",
      transferReference: expect.stringMatching(/^RF/),
    });
    const updated = await put(debtorRoute.action, "/debtors/C1", { externalRef: "C1" }, key, { name: "Martin & Fils", language: "en" });
    expect(updated.status).toBe(200);
    expect(await updated.json()).toMatchObject({ name: "Martin & Fils", email: "compta@martin.test", language: "en" });
    expect(await db.debtor.count({ where: { creditorId: creditor.id } })).toBe(1);
    const read = await call(debtorRoute.loader, "GET", "/debtors/C1", { key, params: { externalRef: "C1" } });
    expect(await read.json()).toMatchObject({ name: "Martin & Fils" });
  });

  it("refuses bad input with 400 and the problems listed", async () => {
    const { key } = await tenant();
    const bad = await put(debtorRoute.action, "/debtors/C1", { externalRef: "C1" }, key, { name: "", email: "nope", extra: 1 });
    expect(bad.status).toBe(400);
    const body = await bad.json();
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(["name", "email"]));
    const malformed = await call(debtorRoute.action, "PUT", "/debtors/C1", { key, raw: "{oops", params: { externalRef: "C1" } });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.code).toBe("invalid_json");
    expect((await call(debtorRoute.action, "POST", "/debtors/C1", { key, body: DEBTOR, params: { externalRef: "C1" } })).status).toBe(405);
  });
});

describe("PUT /invoices/:number", () => {
  it("creates an invoice with its dunning state, then updates it without doubling", async () => {
    const { db, creditor, key } = await tenant();
    await withInvoice(key);
    const invoice = await db.invoice.findFirstOrThrow({
      where: { creditorId: creditor.id, number: "F-1" },
      include: { dunningState: true },
    });
    expect(invoice.dunningState).not.toBeNull();
    const again = await put(invoiceRoute.action, "/invoices/F-1", { number: "F-1" }, key, invoiceBody({ amount: 150_00 }));
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({
      number: "F-1",
      amount: 150_00,
      balance: 150_00,
      status: "OPEN",
      dunning: { stopped: false },
    });
    expect(await db.invoice.count({ where: { creditorId: creditor.id } })).toBe(1);
  });

  it("records the delivery date (where prescription starts), and clears it with null", async () => {
    const { db, creditor, key } = await tenant();
    await withInvoice(key);
    const set = await put(invoiceRoute.action, "/invoices/F-1", { number: "F-1" }, key, invoiceBody({ deliveredAt: "2026-03-02" }));
    expect(await set.json()).toMatchObject({ number: "F-1", deliveredAt: "2026-03-02" });
    const stored = await db.invoice.findFirstOrThrow({ where: { creditorId: creditor.id, number: "F-1" } });
    expect(stored.deliveredAt?.toISOString()).toBe("2026-03-02T00:00:00.000Z");
    const kept = await put(invoiceRoute.action, "/invoices/F-1", { number: "F-1" }, key, invoiceBody({}));
    expect(await kept.json()).toMatchObject({ deliveredAt: "2026-03-02" });
    const cleared = await put(invoiceRoute.action, "/invoices/F-1", { number: "F-1" }, key, invoiceBody({ deliveredAt: null }));
    expect(await cleared.json()).toMatchObject({ deliveredAt: null });
    const bad = await put(invoiceRoute.action, "/invoices/F-1", { number: "F-1" }, key, invoiceBody({ deliveredAt: "02/03/2026" }));
    expect(bad.status).toBe(400);
  });

  it("a due date change moves the next reminder, later and into the past", async () => {
    const { db, creditor, key } = await tenant();
    const today = new Date(new Date().toISOString().slice(0, 10) + "T00:00:00Z");
    const day = (n: number) => new Date(today.getTime() + n * 86_400_000);
    const ymd = (n: number) => day(n).toISOString().slice(0, 10);
    const state = async () =>
      (await db.invoice.findFirstOrThrow({ where: { creditorId: creditor.id, number: "F-9" }, include: { dunningState: true } }))
        .dunningState!;
    const putDue = (n: number) =>
      put(invoiceRoute.action, "/invoices/F-9", { number: "F-9" }, key, invoiceBody({ issueDate: ymd(-60), dueDate: ymd(n) }));
    await put(debtorRoute.action, "/debtors/C1", { externalRef: "C1" }, key, DEBTOR);
    expect((await putDue(30)).status).toBe(201);
    expect((await state()).nextActionAt).toEqual(day(30 - 8));
    expect((await putDue(60)).status).toBe(200);
    expect((await state()).nextActionAt).toEqual(day(60 - 8));
    expect((await putDue(-20)).status).toBe(200);
    // The J-8 of the new date has passed: due today (the tick then runs the latest level whose day came).
    expect(await state()).toMatchObject({ level: -1, nextActionAt: today });
    const trace = await db.communication.findMany({
      where: { creditorId: creditor.id, kind: "dunning.rescheduled" },
      orderBy: { occurredAt: "asc" },
    });
    expect(trace.map((t) => (t.data as { to: { nextActionAt: string } }).to.nextActionAt)).toEqual([
      day(52).toISOString(),
      today.toISOString(),
    ]);
    expect(trace[0]).toMatchObject({ actorType: "SYSTEM", actorId: expect.stringMatching(/^api-key:/) });
    // An amount change alone leaves the schedule and adds no trace row.
    expect(
      (
        await put(
          invoiceRoute.action,
          "/invoices/F-9",
          { number: "F-9" },
          key,
          invoiceBody({ issueDate: ymd(-60), dueDate: ymd(-20), amount: 130_00 }),
        )
      ).status,
    ).toBe(200);
    expect(await db.communication.count({ where: { creditorId: creditor.id, kind: "dunning.rescheduled" } })).toBe(2);
  });

  it("400 on bad dates, 422 on an unknown debtor", async () => {
    const { key } = await tenant();
    const bad = await put(
      invoiceRoute.action,
      "/invoices/F-1",
      { number: "F-1" },
      key,
      invoiceBody({ dueDate: "2026-02-01", amount: -5, currency: "EURO" }),
    );
    expect(bad.status).toBe(400);
    const paths = (await bad.json()).error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(["amount", "currency"]));
    const backwards = await put(invoiceRoute.action, "/invoices/F-1", { number: "F-1" }, key, invoiceBody({ dueDate: "2026-02-01" }));
    expect((await backwards.json()).error.details[0].path).toBe("dueDate");
    const unknown = await put(invoiceRoute.action, "/invoices/F-1", { number: "F-1" }, key, invoiceBody({ debtorExternalRef: "NOPE" }));
    expect(unknown.status).toBe(422);
    expect((await unknown.json()).error.code).toBe("unknown_debtor");
  });
});

describe("POST /invoices/:number/payments", () => {
  it("a partial payment leaves it PARTIALLY_PAID, the rest makes it PAID and stops dunning", async () => {
    const { db, creditor, key } = await tenant();
    await withInvoice(key);
    let n = 0;
    const pay = (amount: number) =>
      call(paymentsRoute.action, "POST", "/invoices/F-1/payments", {
        key,
        body: { amount },
        params: { number: "F-1" },
        idem: `pay-${++n}`,
      });
    const first = await pay(20_00);
    expect(first.status).toBe(201);
    expect((await first.json()).invoice).toMatchObject({ status: "PARTIALLY_PAID", amountPaid: 20_00, balance: 100_00 });
    const tooMuch = await pay(200_00);
    expect(tooMuch.status).toBe(422);
    expect((await tooMuch.json()).error).toMatchObject({ code: "amount_exceeds_balance", details: { balance: 100_00 } });
    const rest = await pay(100_00);
    expect((await rest.json()).invoice).toMatchObject({ status: "PAID", balance: 0, dunning: { stopped: true } });
    const payments = await db.payment.findMany({ where: { creditorId: creditor.id }, include: { allocations: true } });
    expect(payments.map((p) => [p.provider, p.status, p.allocations[0]?.amount])).toEqual(
      expect.arrayContaining([
        ["MANUAL", "SUCCEEDED", 20_00],
        ["MANUAL", "SUCCEEDED", 100_00],
      ]),
    );
    const settled = await pay(1_00);
    expect(settled.status).toBe(409);
    expect((await settled.json()).error.code).toBe("invoice_settled");
    expect(
      (
        await call(paymentsRoute.action, "POST", "/invoices/NOPE/payments", {
          key,
          body: { amount: 1 },
          params: { number: "NOPE" },
          idem: "nope",
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await call(paymentsRoute.action, "POST", "/invoices/F-1/payments", {
          key,
          body: { amount: "10" },
          params: { number: "F-1" },
          idem: "bad",
        })
      ).status,
    ).toBe(400);
  });

  it("refuses a POST without an Idempotency-Key (400, naming the header) and books nothing; a PUT may omit it", async () => {
    const { db, creditor, key } = await tenant();
    await withInvoice(key);
    const posts = [
      [paymentsRoute.action, "/invoices/F-1/payments", { amount: 10_00 }],
      [cancelRoute.action, "/invoices/F-1/cancel", {}],
    ] as const;
    for (const [handler, path, body] of posts) {
      const res = await call(handler, "POST", path, { key, body, params: { number: "F-1" } });
      expect(res.status).toBe(400);
      expect(res.headers.get("Content-Type")).toContain("application/json");
      expect(await res.json()).toEqual({
        error: {
          code: "idempotency_key_required",
          message: expect.stringContaining("Idempotency-Key"),
          details: { header: "Idempotency-Key" },
        },
      });
    }
    const tooLong = await call(paymentsRoute.action, "POST", "/invoices/F-1/payments", {
      key,
      body: { amount: 10_00 },
      params: { number: "F-1" },
      idem: "x".repeat(256),
    });
    expect(await tooLong.json()).toMatchObject({ error: { code: "invalid_idempotency_key", details: { header: "Idempotency-Key" } } });
    // The same payment sent twice without a key is refused twice: nothing booked.
    expect(await db.payment.count({ where: { creditorId: creditor.id } })).toBe(0);
    expect(await db.invoice.findFirstOrThrow({ where: { creditorId: creditor.id, number: "F-1" } })).toMatchObject({
      status: "OPEN",
      amountPaid: 0,
    });
    // Without a key the API key is still checked first.
    expect(
      (await call(paymentsRoute.action, "POST", "/invoices/F-1/payments", { body: { amount: 10_00 }, params: { number: "F-1" } })).status,
    ).toBe(401);
  });

  it("replays the first answer for the same Idempotency-Key and body; 422 for another body", async () => {
    const { db, creditor, key } = await tenant();
    await withInvoice(key);
    const pay = (amount: number) =>
      call(paymentsRoute.action, "POST", "/invoices/F-1/payments", { key, body: { amount }, params: { number: "F-1" }, idem: "pay-1" });
    const first = await pay(30_00);
    const firstBody = await first.json();
    const replay = await pay(30_00);
    expect(replay.status).toBe(201);
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await replay.json()).toEqual(firstBody);
    expect(await db.payment.count({ where: { creditorId: creditor.id } })).toBe(1);
    const reused = await pay(40_00);
    expect(reused.status).toBe(422);
    expect((await reused.json()).error.code).toBe("idempotency_key_reused");
    expect((await db.invoice.findFirstOrThrow({ where: { creditorId: creditor.id, number: "F-1" } })).amountPaid).toBe(30_00);
  });
});

describe("POST /invoices/:number/cancel", () => {
  it("cancels (dunning stops), is harmless twice, and refuses a paid invoice", async () => {
    const { db, creditor, key } = await tenant();
    await withInvoice(key, "F-1");
    await withInvoice(key, "F-2");
    let k = 0;
    const cancel = (n: string) =>
      call(cancelRoute.action, "POST", `/invoices/${n}/cancel`, {
        key,
        body: { reason: "Avoir émis" },
        params: { number: n },
        idem: `cancel-${++k}`,
      });
    const res = await cancel("F-1");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "CANCELLED", dunning: { stopped: true } });
    expect((await cancel("F-1")).status).toBe(200);
    await call(paymentsRoute.action, "POST", "/invoices/F-2/payments", {
      key,
      body: { amount: 120_00 },
      params: { number: "F-2" },
      idem: "pay-f2",
    });
    const paid = await cancel("F-2");
    expect(paid.status).toBe(409);
    const trace = await db.communication.findFirst({ where: { creditorId: creditor.id, kind: "dunning.invoice_cancelled" } });
    expect(trace?.bodyText).toBe("Avoir émis");
  });
});

describe("GET /events", () => {
  it("pages through the creditor's trace with a cursor", async () => {
    const { db, creditor, key } = await tenant();
    const debtor = await db.debtor.create({
      data: { creditorId: creditor.id, externalRef: "E1", kind: "BUSINESS", name: "E", transferReference: `RF-${creditor.id}` },
    });
    for (let i = 0; i < 5; i++) {
      await recordCommunication(db, {
        creditorId: creditor.id,
        debtorId: debtor.id,
        direction: "OUT",
        channel: "EMAIL",
        kind: "dunning.email",
        subject: `Rappel ${i}`,
        actorType: "SYSTEM",
        occurredAt: new Date(Date.UTC(2026, 2, 1, 10, i)),
      });
    }
    const page = async (after?: string) => {
      const res = await call(eventsRoute.loader, "GET", `/events?limit=2${after ? `&after=${after}` : ""}`, { key });
      expect(res.status).toBe(200);
      return res.json();
    };
    const p1 = await page();
    expect(p1.data.map((e: { subject: string }) => e.subject)).toEqual(["Rappel 0", "Rappel 1"]);
    expect(p1).toMatchObject({ hasMore: true });
    expect(p1.data[0]).toMatchObject({ debtorExternalRef: "E1", channel: "EMAIL" });
    const p2 = await page(p1.nextCursor);
    const p3 = await page(p2.nextCursor);
    expect([...p2.data, ...p3.data].map((e: { subject: string }) => e.subject)).toEqual(["Rappel 2", "Rappel 3", "Rappel 4"]);
    expect(p3.hasMore).toBe(false);
    const bad = await call(eventsRoute.loader, "GET", "/events?after=garbage", { key });
    expect(bad.status).toBe(400);
  });
});

describe("tenant isolation", () => {
  it("a key of creditor A cannot read or change anything of creditor B", async () => {
    const a = await tenant();
    const b = await tenant();
    await withInvoice(b.key, "F-B");
    const asA = { key: a.key };
    expect((await call(debtorRoute.loader, "GET", "/debtors/C1", { ...asA, params: { externalRef: "C1" } })).status).toBe(404);
    expect((await call(invoiceRoute.loader, "GET", "/invoices/F-B", { ...asA, params: { number: "F-B" } })).status).toBe(404);
    expect(
      (
        await call(paymentsRoute.action, "POST", "/invoices/F-B/payments", {
          ...asA,
          body: { amount: 1_00 },
          params: { number: "F-B" },
          idem: "a-pay",
        })
      ).status,
    ).toBe(404);
    expect(
      (await call(cancelRoute.action, "POST", "/invoices/F-B/cancel", { ...asA, body: {}, params: { number: "F-B" }, idem: "a-cancel" }))
        .status,
    ).toBe(404);
    // Using B's debtor reference from A: unknown to A.
    const cross = await put(invoiceRoute.action, "/invoices/F-B", { number: "F-B" }, a.key, invoiceBody());
    expect(cross.status).toBe(422);
    // A creating its own "C1" and "F-B" leaves B's rows untouched.
    await withInvoice(a.key, "F-B");
    const bInvoice = await b.db.invoice.findFirstOrThrow({ where: { creditorId: b.creditor.id, number: "F-B" } });
    expect(bInvoice).toMatchObject({ status: "OPEN", amountPaid: 0 });
    const events = await (await call(eventsRoute.loader, "GET", "/events", asA)).json();
    expect(events.data.every((e: { debtorExternalRef: string }) => e.debtorExternalRef === "C1")).toBe(true);
    // The same Idempotency-Key in two tenants does not collide.
    const idemA = await call(debtorRoute.action, "PUT", "/debtors/X", {
      key: a.key,
      body: DEBTOR,
      params: { externalRef: "X" },
      idem: "same",
    });
    const idemB = await call(debtorRoute.action, "PUT", "/debtors/X", {
      key: b.key,
      body: { name: "Other" },
      params: { externalRef: "X" },
      idem: "same",
    });
    expect([idemA.status, idemB.status]).toEqual([201, 201]);
  });
});

describe("GET /openapi.json", () => {
  it("is valid JSON describing every path, with request bodies from the zod schemas", async () => {
    const res = await openapiRoute.loader();
    expect(res.headers.get("Content-Type")).toContain("application/json");
    const doc = JSON.parse(await res.text());
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        "/bank-statements",
        "/debtors",
        "/debtors/{externalRef}",
        "/disputes",
        "/events",
        "/invoices",
        "/payments",
        "/plans",
        "/promises",
        "/invoices/{number}",
        "/invoices/{number}/cancel",
        "/invoices/{number}/payments",
        "/invoices/import",
        "/invoices/{number}/lifecycle",
        "/openapi.json",
      ].sort(),
    );
    // Every POST requires the Idempotency-Key header; a PUT accepts it.
    for (const [path, item] of Object.entries(doc.paths) as [
      string,
      Record<string, { parameters?: { name: string; in: string; required: boolean }[] }>,
    ][]) {
      const header = (method: string) => item[method]?.parameters?.find((p) => p.in === "header" && p.name === "Idempotency-Key");
      if (item.post) expect({ path, required: header("post")?.required }).toEqual({ path, required: true });
      if (item.put) expect({ path, required: header("put")?.required }).toEqual({ path, required: false });
    }
    // A bank statement is posted as the file itself, in one of the four formats; 201 gives the counts, 422 names what is wrong.
    const statements = doc.paths["/bank-statements"].post;
    expect(Object.keys(statements.requestBody.content).sort()).toEqual(["application/x-ofx", "application/xml", "text/csv", "text/plain"]);
    expect(statements.responses["201"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/StatementImported" });
    expect(doc.components.schemas.StatementImported.required).toEqual(["transactions", "new", "applied", "suggested", "unmatched"]);
    expect(statements.responses["422"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/Error" });
    expect(doc.components.schemas.InvoiceInput.required).toEqual(expect.arrayContaining(["debtorExternalRef", "issueDate", "amount"]));
    // The due date may be left to the debtor's payment terms (decision 025).
    expect(doc.components.schemas.InvoiceInput.required).not.toContain("dueDate");
    // Every $ref points at a defined schema.
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]!);
    for (const name of refs) expect(doc.components.schemas[name]).toBeDefined();
  });
});
