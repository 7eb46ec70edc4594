import { calendarDate } from "~/domain/bank/decimal";
import { profileFromGuideline } from "./profiles";
import { EInvoice, EInvoiceAddress, EInvoiceBuyer, EInvoiceLine, EInvoiceParseError, EInvoiceParty, EInvoiceVat } from "./types";
import { Cursor, parseXmlRoot } from "./xml";

const NAMESPACES = {
  Invoice: "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
  CreditNote: "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
} as const;

/** The names that differ between the two UBL 2.1 documents. */
const SHAPES = {
  Invoice: { typeCode: "InvoiceTypeCode", line: "InvoiceLine", quantity: "InvoicedQuantity", defaultType: "380" },
  CreditNote: { typeCode: "CreditNoteTypeCode", line: "CreditNoteLine", quantity: "CreditedQuantity", defaultType: "381" },
} as const;

/**
 * OASIS UBL 2.1 Invoice or CreditNote (as EN 16931 / Peppol BIS bind it) →
 * EInvoice. Errors name the element path, as for CII.
 */
export function parseUbl(input: string | Uint8Array): EInvoice {
  const root = parseXmlRoot(input);
  if (root.name !== "Invoice" && root.name !== "CreditNote")
    throw new EInvoiceParseError(root.name, "the root element must be a UBL Invoice or CreditNote");
  const kind = root.name;
  if (root.namespace && root.namespace !== NAMESPACES[kind]) throw new EInvoiceParseError(kind, `unexpected namespace ${root.namespace}`);
  const shape = SHAPES[kind];
  const doc = new Cursor(root.node, kind);

  const currency = doc.required("DocumentCurrencyCode");
  if (!/^[A-Z]{3}$/.test(currency)) doc.fail(`not an ISO 4217 currency: "${currency}"`, "DocumentCurrencyCode");
  const supplier = doc.at("AccountingSupplierParty/Party");
  const customer = doc.at("AccountingCustomerParty/Party");
  if (!supplier.exists) supplier.fail("missing");
  if (!customer.exists) customer.fail("missing");
  const totals = doc.at("LegalMonetaryTotal");
  if (!totals.exists) totals.fail("missing");

  // A credit note has no cbc:DueDate; EN 16931 binds BT-9 there to PaymentMeans/PaymentDueDate.
  const dueDate = ublDate(doc.at("DueDate")) ?? ublDate(doc.at("PaymentMeans/PaymentDueDate"));
  const taxTotal = doc.all("TaxTotal").find((t) => (t.at("TaxAmount").attr("currencyID") ?? currency) === currency);

  return {
    syntax: "UBL",
    profile: profileFromGuideline(doc.text("CustomizationID")),
    number: doc.required("ID"),
    typeCode: doc.text(shape.typeCode) ?? shape.defaultType,
    issueDate: ublDate(doc.at("IssueDate")) ?? doc.fail("missing or empty", "IssueDate"),
    dueDate,
    paymentTerms: doc.text("PaymentTerms/Note"),
    currency,
    seller: party(supplier),
    buyer: buyer(customer),
    totals: {
      net: totals.requiredAmount(currency, "TaxExclusiveAmount"),
      vat: taxTotal?.amount(currency, "TaxAmount") ?? 0,
      gross: totals.requiredAmount(currency, "TaxInclusiveAmount"),
      due: totals.requiredAmount(currency, "PayableAmount"),
    },
    vatBreakdown: (taxTotal?.all("TaxSubtotal") ?? []).map((sub) => vatLine(sub, currency)),
    lines: doc.all(shape.line).map((line) => lineItem(line, currency, shape.quantity)),
  };
}

/** xs:date "YYYY-MM-DD" (a time zone suffix is allowed by the schema and ignored). */
function ublDate(cursor: Cursor): Date | null {
  const raw = cursor.text();
  if (raw === null) return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:Z|[+-]\d{2}:\d{2})?$/.exec(raw);
  const date = match ? calendarDate(Number(match[1]), Number(match[2]), Number(match[3])) : null;
  if (!date) cursor.fail(`not a date (YYYY-MM-DD): "${raw}"`);
  return date;
}

function siren(entity: Cursor): string | null {
  const id = entity.at("CompanyID");
  const value = id.text()?.replace(/\s+/g, "");
  if (!value) return null;
  const scheme = id.attr("schemeID");
  if (scheme === "0002" && /^\d{9}$/.test(value)) return value;
  if (scheme === "0009" && /^\d{14}$/.test(value)) return value.slice(0, 9);
  if (scheme === "0002" || scheme === "0009") id.fail(`not a ${scheme === "0002" ? "SIREN" : "SIRET"}: "${value}"`);
  return null;
}

function party(node: Cursor): EInvoiceParty {
  const entity = node.at("PartyLegalEntity");
  const name =
    entity.text("RegistrationName") ?? node.text("PartyName/Name") ?? node.fail("missing or empty", "PartyLegalEntity/RegistrationName");
  const vatScheme = node.all("PartyTaxScheme").find((scheme) => (scheme.text("TaxScheme/ID") ?? "VAT") === "VAT");
  return { name, siren: siren(entity), vat: vatScheme?.text("CompanyID") ?? null };
}

function buyer(node: Cursor): EInvoiceBuyer {
  const endpoint = node.at("EndpointID");
  const email = node.text("Contact/ElectronicMail") ?? (endpoint.attr("schemeID") === "EM" ? endpoint.text() : null);
  return { ...party(node), address: address(node.at("PostalAddress")), email };
}

function address(node: Cursor): EInvoiceAddress | null {
  if (!node.exists) return null;
  return {
    line1: node.text("StreetName"),
    postalCode: node.text("PostalZone"),
    city: node.text("CityName"),
    country: node.text("Country/IdentificationCode"),
  };
}

function vatLine(sub: Cursor, currency: string): EInvoiceVat {
  return {
    rate: sub.decimal("TaxCategory/Percent") ?? "0",
    base: sub.requiredAmount(currency, "TaxableAmount"),
    amount: sub.requiredAmount(currency, "TaxAmount"),
  };
}

function lineItem(line: Cursor, currency: string, quantityName: string): EInvoiceLine {
  const description = line.text("Item/Name") ?? line.text("Item/Description") ?? line.fail("missing or empty", "Item/Name");
  return {
    description,
    quantity: line.decimal(quantityName) ?? line.fail("missing or empty", quantityName),
    unitPrice: line.decimal("Price/PriceAmount") ?? line.fail("missing or empty", "Price/PriceAmount"),
    net: line.requiredAmount(currency, "LineExtensionAmount"),
    vatRate: line.decimal("Item/ClassifiedTaxCategory/Percent"),
  };
}
