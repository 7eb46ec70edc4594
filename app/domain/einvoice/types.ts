/**
 * One e-invoice, whatever carried it (Factur-X PDF, CII XML, UBL XML), in
 * the words relance needs to chase it. Amounts are integer minor units of
 * `currency`; rates and quantities stay decimal strings as written (a unit
 * price may carry 4 decimals, a quantity 3), so nothing goes through a float.
 */
export type EInvoiceParty = {
  name: string;
  /** SIREN (9 digits) from a legal-organisation id with scheme 0002, or null. */
  siren: string | null;
  /** Intra-community VAT number, or null. */
  vat: string | null;
};

export type EInvoiceAddress = {
  line1: string | null;
  postalCode: string | null;
  city: string | null;
  /** ISO 3166-1 alpha-2. */
  country: string | null;
};

export type EInvoiceBuyer = EInvoiceParty & { address: EInvoiceAddress | null; email: string | null };

export type EInvoiceVat = {
  /** Percent as written, normalised ("20", "5.5"). */
  rate: string;
  base: number;
  amount: number;
};

export type EInvoiceLine = {
  description: string;
  /** Decimal string ("2", "1.5"). */
  quantity: string;
  /** Net unit price, decimal string as written (may carry more decimals than the currency). */
  unitPrice: string;
  net: number;
  vatRate: string | null;
};

/** Factur-X profiles; UBL and plain CII documents are read as EN16931 when they say so. */
export type EInvoiceProfile = "MINIMUM" | "BASIC_WL" | "BASIC" | "EN16931" | "EXTENDED" | "XRECHNUNG" | "UNKNOWN";

export type EInvoiceSyntax = "CII" | "UBL";

export type EInvoice = {
  syntax: EInvoiceSyntax;
  profile: EInvoiceProfile;
  number: string;
  /** UNTDID 1001: 380 commercial invoice, 381 credit note, 384 corrective, 389 self-billed… */
  typeCode: string;
  issueDate: Date;
  dueDate: Date | null;
  paymentTerms: string | null;
  currency: string;
  seller: EInvoiceParty;
  buyer: EInvoiceBuyer;
  totals: { net: number; vat: number; gross: number; due: number };
  vatBreakdown: EInvoiceVat[];
  lines: EInvoiceLine[];
};

/** A file that is not the e-invoice it claims to be; `path` names the element (or PDF object) at fault. */
export class EInvoiceParseError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = "EInvoiceParseError";
  }
}
