import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ActionFunctionArgs } from "@remix-run/node";
import { addDays } from "~/domain/clock";
import { buildCiiXml, buildFacturXPdf } from "~/domain/einvoice/fixtures/builders";
import { createApiKey } from "~/services/api/keys.server";
import { makeCreditor, makeDebtor, makeInvoice } from "../testing/factories";
import { useTestDatabase } from "../testing/db";
import * as importRoute from "./api.v1.invoices.import";
import * as lifecycleRoute from "./api.v1.invoices.$number_.lifecycle";

const database = useTestDatabase();
const DUE = new Date("2026-10-15T00:00:00Z");

beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-einvoice-api-"));
});

async function withInvoice() {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db, { siren: "732829320", vatNumber: "FR44732829320" });
  const debtor = await makeDebtor(db, creditor.id);
  const invoice = await makeInvoice(db, { creditorId: creditor.id, debtorId: debtor.id, policy }, { dueDate: DUE, now: addDays(DUE, -30) });
  return { db, creditor, invoice };
}

type Handler = (args: ActionFunctionArgs) => Response | Promise<Response>;
const post = (handler: Handler, url: string, key: string, body: BodyInit, contentType: string, params: Record<string, string> = {}) =>
  handler({
    request: new Request(`http://localhost/api/v1${url}`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "idempotency-key": crypto.randomUUID(), "content-type": contentType },
      body,
    }),
    params,
    context: {},
  });

describe("e-invoice API", () => {
  it("API: an unknown code is a 422 listing the known codes; 212 is refused as ours; a known one is 201 with its effect", async () => {
    const { db, creditor, invoice } = await withInvoice();
    const { key } = await createApiKey(db, creditor.id, "PA connector");
    const json = (body: unknown) => JSON.stringify(body);
    const unknown = await post(
      lifecycleRoute.action,
      `/invoices/${invoice.number}/lifecycle`,
      key,
      json({ code: 299 }),
      "application/json",
      {
        number: invoice.number,
      },
    );
    expect(unknown.status).toBe(422);
    const body = await unknown.json();
    expect(body.error.code).toBe("unknown_code");
    expect(body.error.details.knownCodes).toEqual([200, 201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211, 213]);
    const ours = await post(lifecycleRoute.action, `/invoices/${invoice.number}/lifecycle`, key, json({ code: 212 }), "application/json", {
      number: invoice.number,
    });
    expect(ours.status).toBe(422);
    expect((await ours.json()).error.code).toBe("emitted_by_relance");
    const ok = await post(
      lifecycleRoute.action,
      `/invoices/${invoice.number}/lifecycle`,
      key,
      json({ code: 210, date: "2026-10-17", reason: "Quantités erronées" }),
      "application/json",
      { number: invoice.number },
    );
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ code: 210, label: "Refusée", effect: "open_dispute", occurredAt: "2026-10-17T00:00:00.000Z" });
    const missing = await post(lifecycleRoute.action, "/invoices/NOPE/lifecycle", key, json({ code: 205 }), "application/json", {
      number: "NOPE",
    });
    expect(missing.status).toBe(404);
    expect(await db.invoiceLifecycleEvent.count({ where: { creditorId: creditor.id } })).toBe(1);
  });

  it("API: POST /invoices/import takes a Factur-X PDF (201 created, then updated) and refuses another seller's with 422", async () => {
    const { db, creditor } = await withInvoice();
    const { key } = await createApiKey(db, creditor.id, "ERP");
    const spec = {
      profile: "EN16931" as const,
      number: "FX-API-1",
      issueDate: "20260915",
      dueDate: "20261015",
      seller: { name: "Thermique", siren: "732829320", vat: "FR44732829320" },
      buyer: { name: "Garage Petit", siren: "823456789" },
      totals: { net: "100.00", vat: "20.00", gross: "120.00", due: "120.00" },
      vat: [{ rate: "20", base: "100.00", amount: "20.00" }],
      lines: [{ description: "Vidange", quantity: "1", unitPrice: "100.00", net: "100.00", vatRate: "20" }],
    };
    const pdf = Buffer.from(await buildFacturXPdf(buildCiiXml(spec), "FX-API-1"));
    const created = await post(importRoute.action, "/invoices/import?fileName=FX-API-1.pdf", key, pdf, "application/pdf");
    expect(created.status).toBe(201);
    const body = await created.json();
    expect(body).toMatchObject({
      created: true,
      outcome: "created",
      invoice: { number: "FX-API-1", amount: 120_00 },
      debtor: { name: "Garage Petit", externalRef: "823456789" },
    });
    const updated = await post(importRoute.action, "/invoices/import", key, pdf, "application/pdf");
    expect(await updated.json()).toMatchObject({ updated: true, outcome: "updated" });
    const foreign = Buffer.from(
      await buildFacturXPdf(
        buildCiiXml({ ...spec, number: "X-2", seller: { name: "Autre", siren: "552100554", vat: "FR61552100554" } }),
        "X-2",
      ),
    );
    const refused = await post(importRoute.action, "/invoices/import", key, foreign, "application/pdf");
    expect(refused.status).toBe(422);
    expect((await refused.json()).error).toMatchObject({ code: "another_seller" });
    expect(await db.invoice.count({ where: { creditorId: creditor.id, number: { in: ["FX-API-1", "X-2"] } } })).toBe(1);
  });
});
