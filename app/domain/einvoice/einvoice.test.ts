import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseCii } from "./cii";
import { canEnterDunning, checkForDunning } from "./dunning";
import { extractFacturX, findEmbeddedInvoice } from "./facturx";
import { buildCiiXml, buildFacturXPdf, type CiiSpec } from "./fixtures/builders";
import { EInvoiceParseError } from "./types";
import { parseUbl } from "./ubl";

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, "fixtures", name), "utf8");
const day = (iso: string) => new Date(`${iso}T00:00:00.000Z`);

async function errorOf(run: () => unknown): Promise<EInvoiceParseError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof EInvoiceParseError) return error;
    throw error;
  }
  throw new Error("expected an EInvoiceParseError");
}

const seller = { name: "Plomberie Durand SAS", siren: "552100554", vat: "FR61552100554" };

const basic: CiiSpec = {
  profile: "BASIC",
  number: "F-2026-0107",
  issueDate: "20260915",
  dueDate: "20261015",
  paymentTerms: "30 jours nets",
  seller,
  buyer: {
    name: "SCI Les Tilleuls",
    siren: "404833048",
    vat: "FR32404833048",
    email: "gestion@tilleuls.example",
    address: { line1: "5 avenue Alsace-Lorraine", postalCode: "38000", city: "Grenoble", country: "FR" },
  },
  totals: { net: "1000.10", vat: "200.02", gross: "1200.12", due: "1200.12" },
  vat: [{ rate: "20.00", base: "1000.10", amount: "200.02" }],
  lines: [
    { description: "Remplacement ballon d'eau chaude", quantity: "1", unitPrice: "850.10", net: "850.10", vatRate: "20" },
    { description: "Main d'œuvre", quantity: "2.5", unitPrice: "60.00", net: "150.00", vatRate: "20" },
  ],
};

describe("parseCii (hand-written EN 16931 file)", () => {
  const invoice = parseCii(fixture("cii-en16931.xml"));

  it("reads the header, the parties and the payment terms", () => {
    expect(invoice).toMatchObject({
      syntax: "CII",
      profile: "EN16931",
      number: "FA-2026-00417",
      typeCode: "380",
      issueDate: day("2026-09-14"),
      dueDate: day("2026-10-31"),
      paymentTerms: "Paiement à 30 jours fin de mois par virement",
      currency: "EUR",
      seller: { name: "Thermique Services du Rhône SAS", siren: "732829320", vat: "FR44732829320" },
      buyer: {
        name: "Résidence Les Tilleuls & Fils SARL",
        siren: "404833048",
        vat: "FR32404833048",
        email: "compta@tilleuls.example",
        address: { line1: "5 avenue Alsace-Lorraine", postalCode: "38000", city: "Grenoble", country: "FR" },
      },
    });
  });

  it("gives totals, VAT per rate and lines in minor units, the amount due net of the prepayment", () => {
    expect(invoice.totals).toEqual({ net: 239340, vat: 26214, gross: 265554, due: 215554 });
    expect(invoice.vatBreakdown).toEqual([
      { rate: "20", base: 90000, amount: 18000 },
      { rate: "5.5", base: 149340, amount: 8214 },
    ]);
    expect(invoice.lines).toEqual([
      { description: "Maintenance annuelle chaudière", quantity: "2", unitPrice: "450", net: 90000, vatRate: "20" },
      { description: "Travaux d'isolation des combles", quantity: "40", unitPrice: "37.335", net: 149340, vatRate: "5.5" },
    ]);
  });

  it("has nothing missing for dunning", () => {
    expect(checkForDunning(invoice)).toEqual([]);
  });
});

describe("parseUbl (hand-written UBL 2.1 invoice)", () => {
  const invoice = parseUbl(fixture("ubl-invoice.xml"));

  it("reads the invoice to the same model", () => {
    expect(invoice).toEqual({
      syntax: "UBL",
      profile: "EN16931",
      number: "2026-INV-0093",
      typeCode: "380",
      issueDate: day("2026-10-02"),
      dueDate: day("2026-11-01"),
      paymentTerms: "30 jours date de facture",
      currency: "EUR",
      seller: { name: "Atelier Numérique SARL", siren: "552100554", vat: "FR61552100554" },
      buyer: {
        name: "Boulangerie Martin EURL",
        siren: "356000000",
        vat: "FR83356000000",
        email: "claire@boulangerie-martin.example",
        address: { line1: "3 place du Marché", postalCode: "35000", city: "Rennes", country: "FR" },
      },
      totals: { net: 126750, vat: 25350, gross: 152100, due: 152100 },
      vatBreakdown: [{ rate: "20", base: 126750, amount: 25350 }],
      lines: [
        { description: "Développement site vitrine", quantity: "7.5", unitPrice: "85", net: 63750, vatRate: "20" },
        { description: "Hébergement et maintenance", quantity: "3", unitPrice: "210", net: 63000, vatRate: "20" },
      ],
    });
  });

  it("reads a credit note: its own type code and line names, due date from PaymentMeans", () => {
    const credit = fixture("ubl-invoice.xml")
      .replace("xsd:Invoice-2", "xsd:CreditNote-2")
      .replace("<Invoice ", "<CreditNote ")
      .replace("</Invoice>", "</CreditNote>")
      .replace("<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>", "<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>")
      .replace("<cbc:DueDate>2026-11-01</cbc:DueDate>", "")
      .replace(
        "<cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>",
        "<cbc:PaymentMeansCode>30</cbc:PaymentMeansCode><cbc:PaymentDueDate>2026-11-05</cbc:PaymentDueDate>",
      )
      .replaceAll("InvoiceLine>", "CreditNoteLine>")
      .replaceAll("InvoicedQuantity", "CreditedQuantity");
    const note = parseUbl(credit);
    expect(note).toMatchObject({ typeCode: "381", dueDate: day("2026-11-05"), totals: { due: 152100 } });
    expect(note.lines.map((l) => l.quantity)).toEqual(["7.5", "3"]);
    expect(checkForDunning(note)).toContainEqual({ field: "typeCode", blocking: true, reason: "credit_note" });
  });
});

describe("extractFacturX (PDFs built with pdf-lib)", () => {
  it("reads a BASIC Factur-X PDF: the attachment is in /AF and /Names, Data relationship, FlateDecode", async () => {
    const pdf = await buildFacturXPdf(buildCiiXml(basic), "Facture F-2026-0107");
    const attachment = await findEmbeddedInvoice(pdf);
    expect(attachment).toMatchObject({ fileName: "factur-x.xml", relationship: "Data" });
    const invoice = await extractFacturX(pdf);
    expect(invoice).toMatchObject({
      profile: "BASIC",
      number: "F-2026-0107",
      issueDate: day("2026-09-15"),
      dueDate: day("2026-10-15"),
      paymentTerms: "30 jours nets",
      seller,
      buyer: { name: "SCI Les Tilleuls", siren: "404833048", email: "gestion@tilleuls.example" },
      totals: { net: 100010, vat: 20002, gross: 120012, due: 120012 },
      vatBreakdown: [{ rate: "20", base: 100010, amount: 20002 }],
    });
    expect(invoice.lines.map((l) => [l.quantity, l.unitPrice, l.net])).toEqual([
      ["1", "850.1", 85010],
      ["2.5", "60", 15000],
    ]);
  });

  it("reads an EN 16931 PDF whose attachment is only in the name tree, with Alternative relationship, among other files", async () => {
    const xml = buildCiiXml({ ...basic, profile: "EN16931", number: "F-2026-0108" });
    const pdf = await buildFacturXPdf(xml, "Facture F-2026-0108", {
      relationship: "Alternative",
      nameTreeOnly: true,
      extraFiles: { "conditions.txt": "CGV" },
    });
    expect(await findEmbeddedInvoice(pdf)).toMatchObject({ fileName: "factur-x.xml", relationship: "Alternative" });
    expect(await extractFacturX(pdf)).toMatchObject({ profile: "EN16931", number: "F-2026-0108", totals: { due: 120012 } });
  });

  it("accepts the ZUGFeRD 1.0 file name", async () => {
    const pdf = await buildFacturXPdf(buildCiiXml(basic), "Rechnung", { fileName: "ZUGFeRD-invoice.xml" });
    expect((await extractFacturX(pdf)).number).toBe("F-2026-0107");
  });

  it("MINIMUM: no due date, no lines, no buyer address: the missing list says so", async () => {
    const minimum: CiiSpec = { ...basic, profile: "MINIMUM", number: "M-1", buyer: { name: "SCI Les Tilleuls", siren: "404833048" } };
    const invoice = await extractFacturX(await buildFacturXPdf(buildCiiXml(minimum), "Facture M-1"));
    expect(invoice).toMatchObject({
      profile: "MINIMUM",
      dueDate: null,
      paymentTerms: null,
      lines: [],
      vatBreakdown: [],
      totals: { net: 100010, vat: 20002, gross: 120012, due: 120012 },
    });
    const gaps = checkForDunning(invoice);
    expect(gaps).toEqual([
      { field: "dueDate", blocking: true, reason: "absent_from_profile" },
      { field: "buyer.email", blocking: false, reason: "absent" },
      { field: "buyer.address", blocking: false, reason: "absent" },
    ]);
    expect(canEnterDunning(gaps)).toBe(false);
  });

  it("a PDF without the invoice attachment names what it found", async () => {
    const pdf = await buildFacturXPdf(null, "Facture scannée", { extraFiles: { "notes.txt": "x" } });
    const error = await errorOf(() => extractFacturX(pdf));
    expect(error.path).toBe("Catalog/Names/EmbeddedFiles");
    expect(error.reason).toContain("found: notes.txt");
  });

  it("a file that is not a PDF is refused as such", async () => {
    const error = await errorOf(() => extractFacturX(new TextEncoder().encode("<html>not a pdf</html>")));
    expect(error.path).toBe("PDF");
  });

  it("an error inside the embedded XML names the attachment and the element", async () => {
    const xml = buildCiiXml(basic).replace(
      "<ram:DuePayableAmount>1200.12</ram:DuePayableAmount>",
      "<ram:DuePayableAmount>12O0.12</ram:DuePayableAmount>",
    );
    const pdf = await buildFacturXPdf(xml, "Facture F-2026-0107");
    const error = await errorOf(() => extractFacturX(pdf));
    expect(error.path).toBe(
      "factur-x.xml/CrossIndustryInvoice/SupplyChainTradeTransaction/ApplicableHeaderTradeSettlement/SpecifiedTradeSettlementHeaderMonetarySummation/DuePayableAmount",
    );
  });
});

describe("bad files name the element", () => {
  const cii = fixture("cii-en16931.xml");
  const ubl = fixture("ubl-invoice.xml");
  const cases: [string, () => unknown, string][] = [
    [
      "a missing invoice number",
      () => parseCii(cii.replace("<ram:ID>FA-2026-00417</ram:ID>", "")),
      "CrossIndustryInvoice/ExchangedDocument/ID",
    ],
    [
      "an impossible issue date",
      () => parseCii(cii.replace(">20260914<", ">20260231<")),
      "CrossIndustryInvoice/ExchangedDocument/IssueDateTime/DateTimeString",
    ],
    [
      "a date in another format",
      () => parseCii(cii.replace('format="102">20261031', 'format="610">202610')),
      "CrossIndustryInvoice/SupplyChainTradeTransaction/ApplicableHeaderTradeSettlement/SpecifiedTradePaymentTerms/DueDateDateTime/DateTimeString",
    ],
    [
      "a VAT amount with more decimals than the currency",
      () => parseCii(cii.replace("<ram:CalculatedAmount>82.14<", "<ram:CalculatedAmount>82.137<")),
      "CrossIndustryInvoice/SupplyChainTradeTransaction/ApplicableHeaderTradeSettlement/ApplicableTradeTax[2]/CalculatedAmount",
    ],
    [
      "a line without quantity",
      () => parseCii(cii.replace('<ram:BilledQuantity unitCode="MTK">40</ram:BilledQuantity>', "")),
      "CrossIndustryInvoice/SupplyChainTradeTransaction/IncludedSupplyChainTradeLineItem[2]/SpecifiedLineTradeDelivery/BilledQuantity",
    ],
    [
      "a malformed SIREN",
      () => parseCii(cii.replace(">732829320<", ">73282932<")),
      "CrossIndustryInvoice/SupplyChainTradeTransaction/ApplicableHeaderTradeAgreement/SellerTradeParty/SpecifiedLegalOrganization/ID",
    ],
    ["a UBL file given to the CII reader", () => parseCii(ubl), "Invoice"],
    ["broken XML", () => parseCii(cii.replace("</rsm:ExchangedDocument>", "")), "line "],
    [
      "a UBL invoice without payable amount",
      () => parseUbl(ubl.replace(/<cbc:PayableAmount[^>]*>1521.00<\/cbc:PayableAmount>/, "")),
      "Invoice/LegalMonetaryTotal/PayableAmount",
    ],
    [
      "a UBL line price that is not a number",
      () => parseUbl(ubl.replace(">210.00</cbc:PriceAmount>", ">deux cent dix</cbc:PriceAmount>")),
      "Invoice/InvoiceLine[2]/Price/PriceAmount",
    ],
  ];
  it.each(cases)("%s", async (_label, run, expected) => {
    const error = await errorOf(run);
    if (expected.endsWith(" ")) expect(error.path.startsWith(expected)).toBe(true);
    else expect(error.path).toBe(expected);
  });
});
