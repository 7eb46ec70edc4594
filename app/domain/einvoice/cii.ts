import { calendarDate } from "~/domain/bank/decimal";
import { profileFromGuideline } from "./profiles";
import { EInvoice, EInvoiceAddress, EInvoiceBuyer, EInvoiceLine, EInvoiceParseError, EInvoiceParty, EInvoiceVat } from "./types";
import { Cursor, parseXmlRoot } from "./xml";

export const CII_NAMESPACE = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100";

/**
 * UN/CEFACT Cross Industry Invoice (D16B, the syntax Factur-X and ZUGFeRD
 * embed) → EInvoice. Only what dunning needs is read; an element that is
 * present but wrong is an error naming its path, one that is absent is null
 * where the profile allows it (MINIMUM has no due date, no lines).
 */
export function parseCii(input: string | Uint8Array): EInvoice {
  const root = parseXmlRoot(input);
  if (root.name !== "CrossIndustryInvoice") throw new EInvoiceParseError(root.name, "the root element must be rsm:CrossIndustryInvoice");
  if (root.namespace && root.namespace !== CII_NAMESPACE) throw new EInvoiceParseError(root.name, `unexpected namespace ${root.namespace}`);
  const doc = new Cursor(root.node, root.name);

  const profile = profileFromGuideline(doc.text("ExchangedDocumentContext/GuidelineSpecifiedDocumentContextParameter/ID"));
  const header = doc.at("ExchangedDocument");
  if (!header.exists) header.fail("missing");
  const number = header.required("ID");
  const typeCode = header.required("TypeCode");
  const issueDate = ciiDate(header.at("IssueDateTime/DateTimeString")) ?? header.fail("missing or empty", "IssueDateTime/DateTimeString");

  const transaction = doc.at("SupplyChainTradeTransaction");
  if (!transaction.exists) transaction.fail("missing");
  const agreement = transaction.at("ApplicableHeaderTradeAgreement");
  const settlement = transaction.at("ApplicableHeaderTradeSettlement");
  if (!agreement.exists) agreement.fail("missing");
  if (!settlement.exists) settlement.fail("missing");

  const currency = settlement.required("InvoiceCurrencyCode");
  if (!/^[A-Z]{3}$/.test(currency)) settlement.fail(`not an ISO 4217 currency: "${currency}"`, "InvoiceCurrencyCode");

  const sellerNode = agreement.at("SellerTradeParty");
  const buyerNode = agreement.at("BuyerTradeParty");
  if (!sellerNode.exists) sellerNode.fail("missing");
  if (!buyerNode.exists) buyerNode.fail("missing");

  const terms = settlement.at("SpecifiedTradePaymentTerms");
  const sums = settlement.at("SpecifiedTradeSettlementHeaderMonetarySummation");
  if (!sums.exists) sums.fail("missing");
  const vat = taxTotal(sums, currency);
  const gross = sums.requiredAmount(currency, "GrandTotalAmount");

  return {
    syntax: "CII",
    profile,
    number,
    typeCode,
    issueDate,
    dueDate: ciiDate(terms.at("DueDateDateTime/DateTimeString")),
    paymentTerms: terms.text("Description"),
    currency,
    seller: party(sellerNode),
    buyer: buyer(buyerNode),
    totals: {
      net: sums.requiredAmount(currency, "TaxBasisTotalAmount"),
      vat,
      gross,
      due: sums.requiredAmount(currency, "DuePayableAmount"),
    },
    vatBreakdown: settlement.all("ApplicableTradeTax").map((tax) => vatLine(tax, currency)),
    lines: transaction.all("IncludedSupplyChainTradeLineItem").map((line) => lineItem(line, currency)),
  };
}

/** udt:DateTimeString with format 102 (YYYYMMDD), the only one Factur-X allows for these dates. */
function ciiDate(cursor: Cursor): Date | null {
  const raw = cursor.text();
  if (raw === null) return null;
  const format = cursor.attr("format") ?? "102";
  if (format !== "102") cursor.fail(`unsupported date format ${format} (expected 102)`);
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(raw);
  const date = match ? calendarDate(Number(match[1]), Number(match[2]), Number(match[3])) : null;
  if (!date) cursor.fail(`not a date in format 102 (YYYYMMDD): "${raw}"`);
  return date;
}

/** TaxTotalAmount may be given twice (invoice and accounting currency): take the invoice currency's. */
function taxTotal(sums: Cursor, currency: string): number {
  const totals = sums.all("TaxTotalAmount");
  const chosen = totals.find((t) => (t.attr("currencyID") ?? currency) === currency);
  // No VAT total at all is a zero-VAT invoice (franchise en base); one only in another currency is an error.
  if (!chosen) return totals.length === 0 ? 0 : sums.fail(`no amount in the invoice currency ${currency}`, "TaxTotalAmount");
  return chosen.requiredAmount(currency);
}

function siren(organisation: Cursor): string | null {
  const id = organisation.at("ID");
  const value = id.text();
  if (!value) return null;
  const scheme = id.attr("schemeID");
  const digits = value.replace(/\s+/g, "");
  // 0002 is the SIREN scheme (ISO 6523 ICD); 0009 a SIRET, whose first 9 digits are the SIREN.
  if (scheme === "0002" && /^\d{9}$/.test(digits)) return digits;
  if (scheme === "0009" && /^\d{14}$/.test(digits)) return digits.slice(0, 9);
  if (scheme === "0002" || scheme === "0009") id.fail(`not a ${scheme === "0002" ? "SIREN" : "SIRET"}: "${value}"`);
  return null;
}

function party(node: Cursor): EInvoiceParty {
  const vat =
    node
      .all("SpecifiedTaxRegistration/ID")
      .find((id) => id.attr("schemeID") === "VA")
      ?.text() ?? null;
  return { name: node.required("Name"), siren: siren(node.at("SpecifiedLegalOrganization")), vat };
}

function buyer(node: Cursor): EInvoiceBuyer {
  const email =
    node
      .all("URIUniversalCommunication/URIID")
      .find((id) => (id.attr("schemeID") ?? "EM") === "EM")
      ?.text() ?? null;
  return { ...party(node), address: address(node.at("PostalTradeAddress")), email };
}

function address(node: Cursor): EInvoiceAddress | null {
  if (!node.exists) return null;
  return {
    line1: node.text("LineOne"),
    postalCode: node.text("PostcodeCode"),
    city: node.text("CityName"),
    country: node.text("CountryID"),
  };
}

function vatLine(tax: Cursor, currency: string): EInvoiceVat {
  const rate = tax.decimal("RateApplicablePercent") ?? "0";
  return { rate, base: tax.requiredAmount(currency, "BasisAmount"), amount: tax.requiredAmount(currency, "CalculatedAmount") };
}

function lineItem(line: Cursor, currency: string): EInvoiceLine {
  const product = line.at("SpecifiedTradeProduct");
  const description = product.text("Name") ?? product.text("Description");
  if (!description) line.fail("missing or empty", "SpecifiedTradeProduct/Name");
  const quantity = line.decimal("SpecifiedLineTradeDelivery/BilledQuantity");
  if (quantity === null) line.fail("missing or empty", "SpecifiedLineTradeDelivery/BilledQuantity");
  const unitPrice = line.decimal("SpecifiedLineTradeAgreement/NetPriceProductTradePrice/ChargeAmount");
  if (unitPrice === null) line.fail("missing or empty", "SpecifiedLineTradeAgreement/NetPriceProductTradePrice/ChargeAmount");
  return {
    description,
    quantity,
    unitPrice,
    net: line.requiredAmount(currency, "SpecifiedLineTradeSettlement/SpecifiedTradeSettlementLineMonetarySummation/LineTotalAmount"),
    vatRate: line.decimal("SpecifiedLineTradeSettlement/ApplicableTradeTax/RateApplicablePercent"),
  };
}
