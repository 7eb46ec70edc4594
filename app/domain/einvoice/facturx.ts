import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRawStream, PDFStream, PDFString } from "pdf-lib";
import { parseCii } from "./cii";
import { EInvoice, EInvoiceParseError } from "./types";

/**
 * Names of the embedded XML in a hybrid PDF: Factur-X 1.0 and ZUGFeRD 2.x
 * use factur-x.xml (ZUGFeRD 2.0 also zugferd-invoice.xml), ZUGFeRD 1.0
 * ZUGFeRD-invoice.xml, XRechnung in ZUGFeRD xrechnung.xml. Compared without case.
 */
export const EMBEDDED_INVOICE_NAMES = ["factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml"] as const;

export type EmbeddedInvoice = {
  fileName: string;
  /** The file specification's AFRelationship (Data or Alternative for Factur-X), null when absent. */
  relationship: string | null;
  xml: Uint8Array;
};

/** Reads a Factur-X / ZUGFeRD PDF and parses its embedded CII invoice; errors name the PDF object or the XML element. */
export async function extractFacturX(pdfBytes: Uint8Array): Promise<EInvoice> {
  const attachment = await findEmbeddedInvoice(pdfBytes);
  try {
    return parseCii(attachment.xml);
  } catch (error) {
    if (error instanceof EInvoiceParseError) throw new EInvoiceParseError(`${attachment.fileName}/${error.path}`, error.reason);
    throw error;
  }
}

/**
 * The invoice XML attached to a PDF: first among the catalog's associated
 * files (/AF, where PDF/A-3 requires it), then in the /Names /EmbeddedFiles
 * name tree, which older writers fill alone.
 */
export async function findEmbeddedInvoice(pdfBytes: Uint8Array): Promise<EmbeddedInvoice> {
  const pdf = await loadPdf(pdfBytes);
  const catalog = pdf.catalog;
  const candidates: { spec: PDFDict; path: string }[] = [];
  const af = catalog.lookupMaybe(PDFName.of("AF"), PDFArray);
  af?.asArray().forEach((_, i) => {
    const spec = af.lookupMaybe(i, PDFDict);
    if (spec) candidates.push({ spec, path: `Catalog/AF[${i}]` });
  });
  const tree = catalog.lookupMaybe(PDFName.of("Names"), PDFDict)?.lookupMaybe(PDFName.of("EmbeddedFiles"), PDFDict);
  if (tree) collectNameTree(tree, "Catalog/Names/EmbeddedFiles", candidates, 0);

  const seen: string[] = [];
  for (const { spec, path } of candidates) {
    const fileName = specFileName(spec);
    if (!fileName) continue;
    seen.push(fileName);
    if (!EMBEDDED_INVOICE_NAMES.includes(fileName.toLowerCase() as (typeof EMBEDDED_INVOICE_NAMES)[number])) continue;
    const relationship = spec.lookupMaybe(PDFName.of("AFRelationship"), PDFName)?.decodeText() ?? null;
    return { fileName, relationship, xml: fileBytes(spec, path) };
  }
  const found = [...new Set(seen)];
  throw new EInvoiceParseError(
    "Catalog/Names/EmbeddedFiles",
    `no factur-x.xml attachment${found.length ? ` (found: ${found.join(", ")})` : " (the PDF has no attachments)"}`,
  );
}

async function loadPdf(bytes: Uint8Array): Promise<PDFDocument> {
  try {
    return await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: false });
  } catch (error) {
    const name = error instanceof Error ? error.name : "";
    if (name === "EncryptedPDFError") throw new EInvoiceParseError("Trailer/Encrypt", "the PDF is encrypted");
    throw new EInvoiceParseError("PDF", `not a readable PDF (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** Walks a name tree (/Names pairs, /Kids subtrees); depth-capped against cyclic files. */
function collectNameTree(node: PDFDict, path: string, out: { spec: PDFDict; path: string }[], depth: number): void {
  if (depth > 16) return;
  const names = node.lookupMaybe(PDFName.of("Names"), PDFArray);
  if (names) {
    for (let i = 1; i < names.size(); i += 2) {
      const spec = names.lookupMaybe(i, PDFDict);
      if (spec) out.push({ spec, path: `${path}/Names[${i}]` });
    }
  }
  const kids = node.lookupMaybe(PDFName.of("Kids"), PDFArray);
  kids?.asArray().forEach((_, i) => {
    const kid = kids.lookupMaybe(i, PDFDict);
    if (kid) collectNameTree(kid, `${path}/Kids[${i}]`, out, depth + 1);
  });
}

/** /UF (Unicode) wins over /F, as PDF 1.7 §7.11.3 says readers should. */
function specFileName(spec: PDFDict): string | null {
  for (const key of ["UF", "F"]) {
    const value = spec.lookupMaybe(PDFName.of(key), PDFString, PDFHexString);
    if (value) return value.decodeText();
  }
  return null;
}

function fileBytes(spec: PDFDict, path: string): Uint8Array {
  const ef = spec.lookupMaybe(PDFName.of("EF"), PDFDict);
  const stream = ef?.lookupMaybe(PDFName.of("UF"), PDFStream) ?? ef?.lookupMaybe(PDFName.of("F"), PDFStream);
  if (!stream) throw new EInvoiceParseError(`${path}/EF/F`, "the file specification has no embedded file stream");
  if (!(stream instanceof PDFRawStream)) return stream.getContents();
  try {
    // Applies the stream's /Filter chain (FlateDecode in practice).
    return decodePDFRawStream(stream).decode();
  } catch (error) {
    throw new EInvoiceParseError(
      `${path}/EF/F`,
      `cannot decode the embedded file (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}
