import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { addDays } from "~/domain/clock";
import { buildCiiXml } from "~/domain/einvoice/fixtures/builders";
import { startStaffSession } from "~/utils/staff-session.server";
import { makeCreditor, makeDebtor, makeInvoice } from "../testing/factories";
import { useTestDatabase } from "../testing/db";
import * as page from "./app.import.einvoices";

const database = useTestDatabase();

beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-einvoice-page-"));
});

async function staffOf(creditorId: string) {
  const user = await database
    .get()
    .prisma.user.create({ data: { creditorId, email: `agent-${crypto.randomUUID()}@example.test`, name: "Agent", role: "AGENT" } });
  return (await startStaffSession(user, new Request("http://localhost/login"))).split(";")[0]!;
}

const submit = async (cookie: string, body: FormData) => {
  const response = await page.action({
    request: new Request("http://localhost/app/import/einvoices", { method: "POST", headers: { cookie }, body }),
    params: {},
    context: {},
  });
  return { status: response.status, data: await response.json() };
};

describe("/app/import/einvoices", () => {
  it("imports a CII file from the upload form, refuses another seller's next to the field, and records a refusée from the status form", async () => {
    const db = database.get().prisma;
    const { creditor, policy } = await makeCreditor(db, { siren: "732829320", vatNumber: "FR44732829320" });
    const cookie = await staffOf(creditor.id);
    const spec = {
      profile: "EN16931" as const,
      number: "CII-PAGE-1",
      issueDate: "20260915",
      dueDate: "20261015",
      seller: { name: "Thermique", siren: "732829320", vat: "FR44732829320" },
      buyer: { name: "Garage Petit", siren: "823456789" },
      totals: { net: "100.00", vat: "20.00", gross: "120.00", due: "120.00" },
      vat: [{ rate: "20", base: "100.00", amount: "20.00" }],
    };
    const upload = (xml: string) => {
      const form = new FormData();
      form.append("intent", "import");
      form.append("file", new File([xml], "facture.xml", { type: "application/xml" }));
      return submit(cookie, form);
    };
    const ok = await upload(buildCiiXml(spec));
    expect(ok.data).toMatchObject({ intent: "import", ok: true, outcome: "created", number: "CII-PAGE-1", debtor: "Garage Petit" });
    const foreign = await upload(
      buildCiiXml({ ...spec, number: "X", seller: { name: "Autre", siren: "552100554", vat: "FR61552100554" } }),
    );
    expect(foreign).toMatchObject({ status: 422, data: { ok: false, error: "einvoice.error.another_seller" } });

    const debtor = await makeDebtor(db, creditor.id);
    const due = new Date("2026-10-15T00:00:00Z");
    const invoice = await makeInvoice(
      db,
      { creditorId: creditor.id, debtorId: debtor.id, policy },
      { dueDate: due, now: addDays(due, -30) },
    );
    const status = new FormData();
    status.append("number", invoice.number);
    status.append("code", "210");
    status.append("date", "2026-10-16");
    status.append("reason", "Livraison incomplète");
    expect((await submit(cookie, status)).data).toMatchObject({ intent: "status", ok: true, label: "Refusée" });
    expect(await db.dispute.count({ where: { invoiceId: invoice.id, status: "OPEN" } })).toBe(1);

    const wrong = new FormData();
    wrong.append("number", "NOPE");
    wrong.append("code", "210");
    wrong.append("date", "2026-10-16");
    expect(await submit(cookie, wrong)).toMatchObject({
      status: 422,
      data: { ok: false, errors: { number: "einvoice.status.error.invoice_not_found" }, values: { number: "NOPE" } },
    });
  });
});
