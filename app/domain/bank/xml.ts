import { parseXmlDocument, type XmlDocument } from "../xml";
import { StatementParseError } from "./types";

export { attribute, child, children, text, type XmlDocument, type XmlNode } from "../xml";

/** A statement's XML document; a file that is not well-formed names its line. */
export function parseXml(text: string): XmlDocument {
  return parseXmlDocument(text, (where, message) => new StatementParseError(where, message));
}
