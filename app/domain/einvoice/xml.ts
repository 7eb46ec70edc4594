import { XMLParser, XMLValidator } from "fast-xml-parser";
import { decimalToMinor } from "~/domain/bank/decimal";
import { EInvoiceParseError } from "./types";

/** An element as fast-xml-parser gives it: text, or children by local name (always arrays) plus "@_attr" / "#text". */
export type XmlNode = string | { [name: string]: XmlNode[] | string };

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  removeNSPrefix: true,
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
});

export type XmlRoot = { name: string; namespace: string | null; node: XmlNode };

/** Parses a whole document (fast-xml-parser, never regexes) and returns its root element, prefixes stripped. */
export function parseXmlRoot(input: string | Uint8Array): XmlRoot {
  const xml = typeof input === "string" ? input.replace(/^\uFEFF/, "") : new TextDecoder("utf-8").decode(input).replace(/^\uFEFF/, "");
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new EInvoiceParseError(`line ${valid.err.line}`, `not well-formed XML (${valid.err.msg})`);
  // removeNSPrefix drops xmlns declarations too, so read the root's namespace before.
  const raw = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@_", isArray: () => false }).parse(xml) as Record<
    string,
    unknown
  >;
  const rawName = Object.keys(raw).find((key) => !key.startsWith("?") && !key.startsWith("#"));
  if (!rawName) throw new EInvoiceParseError("line 1", "no root element");
  const rawRoot = raw[rawName];
  const prefix = rawName.includes(":") ? rawName.slice(0, rawName.indexOf(":")) : null;
  const nsKey = prefix ? `@_xmlns:${prefix}` : "@_xmlns";
  const namespace =
    rawRoot && typeof rawRoot === "object" ? (((rawRoot as Record<string, unknown>)[nsKey] as string | undefined) ?? null) : null;
  const parsed = parser.parse(xml) as Record<string, XmlNode[]>;
  const name = rawName.includes(":") ? rawName.slice(rawName.indexOf(":") + 1) : rawName;
  const node = parsed[name]?.[0];
  if (node === undefined) throw new EInvoiceParseError("line 1", "no root element");
  return { name, namespace, node };
}

export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  if (!node || typeof node === "string") return [];
  const value = node[name];
  return Array.isArray(value) ? value : [];
}

/** The first element at a relative path ("SellerTradeParty/Name"), or undefined. */
export function child(node: XmlNode | undefined, path: string): XmlNode | undefined {
  let current: XmlNode | undefined = node;
  for (const part of path.split("/")) {
    current = children(current, part)[0];
    if (current === undefined) return undefined;
  }
  return current;
}

/** Text of an element (leaf or "#text" of one with attributes); null when absent or empty. */
export function text(node: XmlNode | undefined, path?: string): string | null {
  const target = path ? child(node, path) : node;
  if (target === undefined) return null;
  if (typeof target === "string") return target.trim() || null;
  const inner = target["#text"];
  return typeof inner === "string" && inner.trim() ? inner.trim() : null;
}

export function attribute(node: XmlNode | undefined, name: string): string | null {
  if (!node || typeof node === "string") return null;
  const value = node[`@_${name}`];
  return typeof value === "string" ? value : null;
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
