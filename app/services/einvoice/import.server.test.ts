import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildCiiXml, buildFacturXPdf, type CiiSpec } from "~/domain/einvoice/fixtures/builders";
import { makeCreditor } from "../../testing/factories";
import { useTestDatabase } from "../../testing/db";
import { EInvoiceImportError, importEInvoice } from "./import.server";

const database = useTestDatabase();
const NOW = new Date("2026-10-01T09:00:00Z");
const clock = { now: () => NOW };
const actor = { type: "STAFF" as const, id: null };
const fixture = (name: string) => new Uint8Array(fs.readFileSync(path.join(__dirname, "../../domain/einvoice/fixtures", name)));
const encode = (text: string) => new TextEncoder().encode(text);

let dataDir = "";
beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "relance-einvoice-"));
  process.env.DATA_DIR = dataDir;
});

const SELLER = { name: "Thermique Services du Rhône SAS", siren: "732829320", vat: "FR44732829320" };

function spec(overrides: Partial<CiiSpec> = {}): CiiSpec {
  return {
    profile: "BASIC",
    number: "FX-2026-001",
    issueDate: "20260915",
    dueDate: "20261015",
    paymentTerms: "30 jours fin de mois",
    seller: SELLER,
    buyer: {
      name: "Menuiserie Lambert SARL",
      siren: "812345678",
      email: "compta@lambert.example",
      address: { line1: "3 rue des Forges", postalCode: "42000", city: "Saint-Étienne", country: "FR" },
    },
    totals: { net: "1000.00", vat: "155.00", gross: "1155.00", due: "1155.00" },
    vat: [
      { rate: "20", base: "500.00", amount: "100.00" },
      { rate: "10", base: "500.00", amount: "50.00" },
      { rate: "5.5", base: "100.00", amount: "5.00" },
    ],
    lines: [
      { description: "Pose de fenêtres", quantity: "2", unitPrice: "250.00", net: "500.00", vatRate: "20" },
      { description: "Rénovation", quantity: "1", unitPrice: "500.00", net: "500.00", vatRate: "10" },
    ],
    ...overrides,
  };
}

const pdfOf = async (s: CiiSpec) => buildFacturXPdf(buildCiiXml(s), `Facture ${s.number}`);

async function setup(overrides: Record<string, unknown> = {}) {
  const db = database.get().prisma;
  const { creditor } = await makeCreditor(db, { siren: SELLER.siren, vatNumber: SELLER.vat, ...overrides });
  const run = (bytes: Uint8Array, contentType: string, fileName = "invoice") =>
    importEInvoice(db, { creditorId: creditor.id, bytes, contentType, fileName, actor, clock });
  const counts = async () => ({
    invoices: await db.invoice.count({ where: { creditorId: creditor.id } }),
    debtors: await db.debtor.count({ where: { creditorId: creditor.id } }),
    lines: await db.invoiceLine.count({ where: { creditorId: creditor.id } }),
    states: await db.dunningState.count({ where: { creditorId: creditor.id } }),
    files: fs.existsSync(path.join(dataDir, "invoices", creditor.id))
      ? fs.readdirSync(path.join(dataDir, "invoices", creditor.id)).length
      : 0,
  });
  return { db, creditor, run, counts };
}

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EInvoiceImportError);
  return error as EInvoiceImportError;
}

describe("importEInvoice", () => {
  it("imports a Factur-X BASIC PDF into a new debtor with its amounts, VAT per rate, lines, dunning state and the PDF as its document", async () => {
    const { db, creditor, run } = await setup();
    const bytes = await pdfOf(spec());
    const result = await run(bytes, "application/pdf", "FX-2026-001.pdf");
    expect(result.outcome).toBe("created");
    expect(result.debtor.created).toBe(true);
    const invoice = await db.invoice.findUniqueOrThrow({
      where: { id: result.invoice.id },
      include: { lines: true, dunningState: true, debtor: true },
    });
    expect(invoice).toMatchObject({ number: "FX-2026-001", amount: 115_500, currency: "EUR", creditorId: creditor.id });
    expect(invoice.dueDate.toISOString().slice(0, 10)).toBe("2026-10-15");
    expect(invoice.issueDate.toISOString().slice(0, 10)).toBe("2026-09-15");
    expect(invoice.dunningState).not.toBeNull();
    expect(invoice.debtor).toMatchObject({
      name: "Menuiserie Lambert SARL",
      legalId: "812345678",
      email: "compta@lambert.example",
      postalCode: "42000",
    });
    expect(
      invoice.lines.sort((a, b) => a.position - b.position).map((l) => [l.description, l.quantity, l.unitPrice, l.net, l.vatRate]),
    ).toEqual([
      ["Pose de fenêtres", "2", "250", 50_000, "20"],
      ["Rénovation", "1", "500", 50_000, "10"],
    ]);
    const meta = invoice.einvoice as { profile: string; paymentTerms: string; vatBreakdown: unknown[]; totals: Record<string, number> };
    expect(meta.profile).toBe("BASIC");
    expect(meta.paymentTerms).toBe("30 jours fin de mois");
    expect(meta.totals).toEqual({ net: 100_000, vat: 15_500, gross: 115_500, due: 115_500 });
    expect(meta.vatBreakdown).toEqual([
      { rate: "20", base: 50_000, amount: 10_000 },
      { rate: "10", base: 50_000, amount: 5_000 },
      { rate: "5.5", base: 10_000, amount: 500 },
    ]);
    expect(invoice.pdfPath).toMatch(new RegExp(`^${creditor.id}/einvoice-[0-9a-f]{64}\\.pdf$`));
    expect(Buffer.compare(fs.readFileSync(path.join(dataDir, "invoices", invoice.pdfPath!)), Buffer.from(bytes))).toBe(0);
  });

  it("imports a Factur-X EN 16931 PDF into the debtor already known by its SIREN, updating it", async () => {
    const { db, creditor, run } = await setup();
    const known = await db.debtor.create({
      data: {
        creditorId: creditor.id,
        externalRef: "C-77",
        kind: "BUSINESS",
        name: "Lambert",
        legalId: "81234567800019",
        transferReference: "RF18C77",
      },
    });
    const result = await run(await pdfOf(spec({ profile: "EN16931", number: "FX-EN-1" })), "application/pdf");
    expect(result.debtor).toMatchObject({ id: known.id, created: false });
    const debtor = await db.debtor.findUniqueOrThrow({ where: { id: known.id } });
    expect(debtor).toMatchObject({ legalId: "81234567800019", name: "Menuiserie Lambert SARL", city: "Saint-Étienne" });
    const invoice = await db.invoice.findUniqueOrThrow({ where: { id: result.invoice.id } });
    expect(invoice).toMatchObject({ debtorId: known.id, amount: 115_500 });
    expect((invoice.einvoice as { profile: string }).profile).toBe("EN16931");
  });

  it("imports a UBL 2.1 invoice for its seller, and a CII file: right debtors, right amounts, XML kept, no PDF path", async () => {
    const ubl = await setup({ siren: "552100554", vatNumber: "FR61552100554" });
    const u = await ubl.run(fixture("ubl-invoice.xml"), "application/xml", "2026-INV-0093.xml");
    const uInvoice = await ubl.db.invoice.findUniqueOrThrow({ where: { id: u.invoice.id }, include: { debtor: true, lines: true } });
    expect(uInvoice).toMatchObject({ number: "2026-INV-0093", amount: 152_100, pdfPath: null });
    expect(uInvoice.debtor).toMatchObject({ name: "Boulangerie Martin EURL", legalId: "356000000", postalCode: "35000" });
    expect(uInvoice.lines.length).toBe(2);
    expect((uInvoice.einvoice as { syntax: string; original: { contentType: string } }).original.contentType).toBe("application/xml");

    const cii = await setup();
    const c = await cii.run(fixture("cii-en16931.xml"), "text/xml");
    const cInvoice = await cii.db.invoice.findUniqueOrThrow({ where: { id: c.invoice.id }, include: { debtor: true } });
    expect(cInvoice).toMatchObject({ number: "FA-2026-00417", amount: 215_554 });
    expect(cInvoice.debtor.name).toBe("Résidence Les Tilleuls & Fils SARL");
    expect(cInvoice.dueDate.toISOString().slice(0, 10)).toBe("2026-10-31");
  });

  it("re-importing updates the invoice, keeps its payments, never duplicates", async () => {
    const { db, run, counts } = await setup();
    const first = await run(await pdfOf(spec()), "application/pdf");
    await db.invoice.update({ where: { id: first.invoice.id }, data: { amountPaid: 20_000, status: "PARTIALLY_PAID" } });
    const again = await run(
      await pdfOf(spec({ dueDate: "20261030", totals: { net: "1100.00", vat: "155.00", gross: "1255.00", due: "1255.00" } })),
      "application/pdf",
    );
    expect(again.outcome).toBe("updated");
    expect(again.invoice.id).toBe(first.invoice.id);
    const invoice = await db.invoice.findUniqueOrThrow({ where: { id: first.invoice.id } });
    expect(invoice).toMatchObject({ amount: 125_500, amountPaid: 20_000, status: "PARTIALLY_PAID" });
    expect(invoice.dueDate.toISOString().slice(0, 10)).toBe("2026-10-30");
    expect(await counts()).toMatchObject({ invoices: 1, debtors: 1, lines: 2, states: 1 });
  });

  it("refuses an invoice of another seller and writes nothing", async () => {
    const { run, counts } = await setup();
    const error = await refusal(
      run(await pdfOf(spec({ seller: { name: "Autre SAS", siren: "552100554", vat: "FR61552100554" } })), "application/pdf"),
    );
    expect(error.code).toBe("another_seller");
    expect(error.message).toContain("another seller");
    expect(await counts()).toEqual({ invoices: 0, debtors: 0, lines: 0, states: 0, files: 0 });
  });

  it("refuses a MINIMUM profile, saying the due date is missing", async () => {
    const { run, counts } = await setup();
    const error = await refusal(run(await pdfOf(spec({ profile: "MINIMUM", dueDate: undefined })), "application/pdf"));
    expect(error.code).toBe("not_for_dunning");
    expect(error.details.missing).toEqual([{ field: "dueDate", blocking: true, reason: "absent_from_profile" }]);
    expect(error.message).toContain("dueDate");
    expect(await counts()).toEqual({ invoices: 0, debtors: 0, lines: 0, states: 0, files: 0 });
  });

  it("names the element of a malformed file, and writes nothing", async () => {
    const { run, counts } = await setup();
    const xml = buildCiiXml(spec()).replace(
      "<ram:DuePayableAmount>1155.00</ram:DuePayableAmount>",
      "<ram:DuePayableAmount>douze</ram:DuePayableAmount>",
    );
    const error = await refusal(run(encode(xml), "application/xml"));
    expect(error.code).toBe("malformed");
    expect(error.details.path).toContain("DuePayableAmount");
    const broken = await refusal(run(encode("<rsm:CrossIndustryInvoice><oops></rsm:CrossIndustryInvoice>"), "application/xml"));
    expect(broken.code).toBe("malformed");
    const notInvoice = await refusal(run(encode("hello"), "application/pdf"));
    expect(notInvoice.code).toBe("unsupported_type");
    expect(await counts()).toEqual({ invoices: 0, debtors: 0, lines: 0, states: 0, files: 0 });
  });

  it("rolls back everything and removes the stored file when the write fails half-way", async () => {
    const { db, creditor, run, counts } = await setup();
    // A settled invoice with the same number: the re-import is refused inside the transaction, after the debtor was written.
    const first = await run(await pdfOf(spec({ number: "FX-LOCK" })), "application/pdf");
    await db.invoice.update({ where: { id: first.invoice.id }, data: { status: "PAID", amountPaid: 115_500 } });
    const before = await counts();
    const other = spec({ number: "FX-LOCK", buyer: { name: "Nouveau Client SAS", siren: "901234567" } });
    const error = await refusal(run(await pdfOf(other), "application/pdf"));
    expect(error.code).toBe("invoice_locked");
    expect(await counts()).toEqual(before);
    expect(await db.debtor.count({ where: { creditorId: creditor.id, legalId: "901234567" } })).toBe(0);
  });
});
