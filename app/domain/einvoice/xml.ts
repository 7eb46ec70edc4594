import { decimalToMinor } from "~/domain/bank/decimal";
import { attribute, child, children, parseXmlDocument, text, type XmlDocument, type XmlNode } from "../xml";
import { EInvoiceParseError } from "./types";

export { attribute, child, children, text, type XmlNode } from "../xml";
export type XmlRoot = XmlDocument;

/** Parses a whole document and returns its root element, prefixes stripped; a bad file names its line. */
export function parseXmlRoot(input: string | Uint8Array): XmlRoot {
  return parseXmlDocument(input, (where, message) => new EInvoiceParseError(where, message));
}

/**
 * A document walker that knows where it is, so every error names the full
 * element path (`CrossIndustryInvoice/ExchangedDocument/ID`).
 */
export class Cursor {
  constructor(
    readonly node: XmlNode | undefined,
    readonly path: string,
  ) {}

  at(relative: string, index = 0): Cursor {
    const parts = relative.split("/");
    const last = parts.pop()!;
    const parent = parts.length ? child(this.node, parts.join("/")) : this.node;
    return new Cursor(children(parent, last)[index], `${this.path}/${relative}`);
  }

  all(relative: string): Cursor[] {
    const parts = relative.split("/");
    const last = parts.pop()!;
    const parent = parts.length ? child(this.node, parts.join("/")) : this.node;
    return children(parent, last).map((node, i) => new Cursor(node, `${this.path}/${relative}[${i + 1}]`));
  }

  get exists(): boolean {
    return this.node !== undefined;
  }

  text(relative?: string): string | null {
    return relative ? this.at(relative).text() : text(this.node);
  }

  attr(name: string): string | null {
    return attribute(this.node, name);
  }

  required(relative: string): string {
    const value = this.text(relative);
    if (value === null) throw new EInvoiceParseError(`${this.path}/${relative}`, "missing or empty");
    return value;
  }

  fail(reason: string, relative?: string): never {
    throw new EInvoiceParseError(relative ? `${this.path}/${relative}` : this.path, reason);
  }

  /** An amount element (this one, or at `relative`) → minor units of `currency` by string arithmetic; null when absent. */
  amount(currency: string, relative?: string): number | null {
    const raw = this.text(relative);
    if (raw === null) return null;
    const minor = decimalToMinor(raw, currency);
    if (minor === null) this.fail(`not an amount in ${currency}: "${raw}"`, relative);
    return minor;
  }

  requiredAmount(currency: string, relative?: string): number {
    const minor = this.amount(currency, relative);
    if (minor === null) this.fail("missing or empty", relative);
    return minor;
  }

  /** A decimal number (quantity, rate, unit price) kept as a normalised string. */
  decimal(relative: string): string | null {
    const raw = this.text(relative);
    if (raw === null) return null;
    const normalised = normaliseDecimal(raw);
    if (normalised === null) this.fail(`not a decimal number: "${raw}"`, relative);
    return normalised;
  }
}

/** "20.00" → "20", "5.50" → "5.5", "-1.250" → "-1.25"; null when not a plain decimal. */
export function normaliseDecimal(raw: string): string | null {
  const match = /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(raw.trim());
  if (!match) return null;
  const [, sign, whole, fraction = ""] = match;
  const w = whole!.replace(/^0+(?=\d)/, "");
  const f = fraction.replace(/0+$/, "");
  const body = f ? `${w}.${f}` : w;
  return sign === "-" && /[1-9]/.test(body) ? `-${body}` : body;
}
