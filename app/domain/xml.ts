import { XMLParser, XMLValidator } from "fast-xml-parser";

/**
 * The one XML reader of the domain (bank statements, e-invoices): a real
 * parser (fast-xml-parser, never regexes), namespace prefixes stripped, the
 * root's namespace kept, and small helpers to walk the tree.
 */

/** An element as fast-xml-parser gives it: text, or children by name (always arrays here) plus "@_attr" / "#text". */
export type XmlNode = string | { [name: string]: XmlNode[] | string };

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
});

export type XmlDocument = { name: string; namespace: string | null; node: XmlNode };

/**
 * Parses a whole XML document (fast-xml-parser, never regexes), strips
 * namespace prefixes (`ns2:Ntry` → `Ntry`) and returns its root element with
 * the namespace it declares, so camt versions .02–.08 read alike.
 */
export function parseXmlDocument(input: string | Uint8Array, fail: (where: string, message: string) => Error): XmlDocument {
  const text = (typeof input === "string" ? input : new TextDecoder("utf-8").decode(input)).replace(/^\uFEFF/, "");
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw fail(`line ${valid.err.line}`, `not well-formed XML (${valid.err.msg})`);
  const parsed = parser.parse(text) as Record<string, XmlNode[]>;
  const rootName = Object.keys(parsed).find((key) => !key.startsWith("?") && !key.startsWith("#"));
  if (!rootName) throw fail("line 1", "no root element");
  const root = parsed[rootName]?.[0];
  if (root === undefined) throw fail("line 1", "no root element");
  const prefix = rootName.includes(":") ? rootName.slice(0, rootName.indexOf(":")) : null;
  const namespace = typeof root === "object" ? ((root[prefix ? `@_xmlns:${prefix}` : "@_xmlns"] as string | undefined) ?? null) : null;
  return { name: localName(rootName), namespace, node: stripPrefixes(root) };
}

function localName(name: string): string {
  const colon = name.indexOf(":");
  return colon >= 0 && !name.startsWith("@_") ? name.slice(colon + 1) : name;
}

function stripPrefixes(node: XmlNode): XmlNode {
  if (typeof node === "string") return node;
  const out: { [name: string]: XmlNode[] | string } = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith("@_xmlns")) continue;
    const name = key.startsWith("@_") ? `@_${localName(key.slice(2))}` : localName(key);
    out[name] = Array.isArray(value) ? value.map(stripPrefixes) : value;
  }
  return out;
}

/** Children named `name` of an element. */
export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  if (!node || typeof node === "string") return [];
  const value = node[name];
  return Array.isArray(value) ? value : [];
}

/** The first element at a relative path ("Refs/EndToEndId"), or undefined. */
export function child(node: XmlNode | undefined, path: string): XmlNode | undefined {
  let current: XmlNode | undefined = node;
  for (const part of path.split("/")) {
    current = children(current, part)[0];
    if (current === undefined) return undefined;
  }
  return current;
}

/** Text of an element (leaf or "#text" of an element with attributes); null when absent or empty. */
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
