import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { Clock } from "~/domain/clock";
import { parseCii } from "~/domain/einvoice/cii";
import { checkForDunning, type DunningGap } from "~/domain/einvoice/dunning";
import { extractFacturX } from "~/domain/einvoice/facturx";
import { EInvoiceParseError, type EInvoice, type EInvoiceBuyer } from "~/domain/einvoice/types";
import { parseUbl } from "~/domain/einvoice/ubl";
import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/utils/db.server";
import { inTransaction } from "~/utils/db.server";
import { invoicesRoot } from "../documents/documents.server";
import type { Actor } from "../dunning/invoice-events.server";
import { policyForDebtor } from "../dunning/policies.server";
import { rescheduleInvoice } from "../dunning/reschedule.server";
import { createInvoice } from "../intake/invoices.server";
import { transferReferences } from "../intake/write-batch.server";
import { recordCommunication } from "../messaging/communications.server";

/** Files above this are refused before parsing (a Factur-X with a scanned page stays well below). */
export const EINVOICE_MAX_BYTES = 10 * 1024 * 1024;

export type EInvoiceImportErrorCode =
  "unsupported_type" | "too_large" | "malformed" | "another_seller" | "creditor_identity_missing" | "not_for_dunning" | "invoice_locked";

/** Every refusal of an import, typed: `path` names the element at fault, `missing` what dunning lacks. */
export class EInvoiceImportError extends Error {
  constructor(
    readonly code: EInvoiceImportErrorCode,
    message: string,
    readonly details: { path?: string; missing?: DunningGap[]; seller?: { siren: string | null; vat: string | null } } = {},
  ) {
    super(message);
    this.name = "EInvoiceImportError";
  }
}

export type ImportEInvoiceInput = {
  creditorId: string;
  bytes: Uint8Array;
  contentType: string;
  fileName: string;
  actor: Actor;
  clock: Clock;
};

export type ImportEInvoiceResult = {
  outcome: "created" | "updated";
  invoice: { id: string; number: string; amount: number; currency: string; issueDate: Date; dueDate: Date };
  debtor: { id: string; name: string; created: boolean };
  /** Non-blocking gaps (no email, no address…): dunning runs, some channels wait for the debtor record. */
  warnings: DunningGap[];
};

type Format =
  | { container: "facturx"; extension: "pdf"; contentType: "application/pdf" }
  | { container: "xml"; extension: "xml"; contentType: "application/xml" };

/** By content, not by the announced type: a PDF starts with %PDF-, an XML document with < (after a BOM and blanks). */
export function detectEInvoiceFormat(bytes: Uint8Array, contentType: string): Format {
  const head = Buffer.from(bytes.subarray(0, 64)).toString("latin1");
  if (head.startsWith("%PDF-")) return { container: "facturx", extension: "pdf", contentType: "application/pdf" };
  if (/^(\xEF\xBB\xBF)?\s*</.test(head)) return { container: "xml", extension: "xml", contentType: "application/xml" };
  throw new EInvoiceImportError(
    "unsupported_type",
    `The file is neither a PDF nor an XML document (announced as ${contentType || "nothing"}).`,
  );
}

/** The XML root decides between CII and UBL; the domain readers name the element at fault. */
async function parse(bytes: Uint8Array, format: Format): Promise<EInvoice> {
  try {
    if (format.container === "facturx") return await extractFacturX(bytes);
    const head = Buffer.from(bytes.subarray(0, 4096)).toString("utf8");
    if (/<([\w-]+:)?CrossIndustryInvoice[\s>]/.test(head)) return parseCii(bytes);
    if (/<([\w-]+:)?(Invoice|CreditNote)[\s>]/.test(head)) return parseUbl(bytes);
    throw new EInvoiceParseError("/", "the root element is neither CrossIndustryInvoice (CII) nor Invoice / CreditNote (UBL 2.1)");
  } catch (error) {
    if (error instanceof EInvoiceParseError)
      throw new EInvoiceImportError("malformed", `${error.path}: ${error.reason}`, { path: error.path });
    throw error;
  }
}

const digits = (value: string | null | undefined) => (value ?? "").replace(/\s/g, "").toUpperCase();

/** The SIREN inside a French VAT number (FR + 2-character key + SIREN), or null. */
export function sirenFromVat(vat: string | null): string | null {
  const match = /^FR[0-9A-Z]{2}(\d{9})$/.exec(digits(vat));
  return match ? match[1]! : null;
}

function checkSeller(invoice: EInvoice, creditor: { siren: string | null; vatNumber: string | null }) {
  const ours = { siren: digits(creditor.siren) || sirenFromVat(creditor.vatNumber), vat: digits(creditor.vatNumber) || null };
  if (!ours.siren && !ours.vat)
    throw new EInvoiceImportError(
      "creditor_identity_missing",
      "Your SIREN or VAT number is not recorded in the company profile: the invoice's seller cannot be checked.",
    );
  const theirs = { siren: digits(invoice.seller.siren) || sirenFromVat(invoice.seller.vat), vat: digits(invoice.seller.vat) || null };
  const same = (!!ours.siren && ours.siren === theirs.siren) || (!!ours.vat && ours.vat === theirs.vat);
  if (!same)
    throw new EInvoiceImportError("another_seller", `Invoice of another seller (${invoice.seller.name}).`, {
      seller: { siren: invoice.seller.siren, vat: invoice.seller.vat },
    });
}

/**
 * Imports one e-invoice (Factur-X PDF, UBL 2.1 or CII XML) for a creditor:
 * the seller must be the creditor (SIREN or VAT); the buyer becomes a debtor
 * found by SIREN, then VAT, then name and postal code; the invoice is created
 * by the intake path (so its dunning state is made as any other's) or updated
 * by number, payments kept. The original file is kept as the invoice's
 * document. All in one transaction: a refusal writes nothing.
 */
export async function importEInvoice(db: Db, input: ImportEInvoiceInput): Promise<ImportEInvoiceResult> {
  if (input.bytes.byteLength > EINVOICE_MAX_BYTES)
    throw new EInvoiceImportError("too_large", `The file is larger than ${EINVOICE_MAX_BYTES / 1024 / 1024} MB.`);
  const format = detectEInvoiceFormat(input.bytes, input.contentType);
  const einvoice = await parse(input.bytes, format);
  const creditor = await db.creditor.findUniqueOrThrow({
    where: { id: input.creditorId },
    select: { siren: true, vatNumber: true, defaultLocale: true },
  });
  checkSeller(einvoice, creditor);
  const gaps = checkForDunning(einvoice);
  const blocking = gaps.filter((gap) => gap.blocking);
  if (blocking.length > 0)
    throw new EInvoiceImportError(
      "not_for_dunning",
      `The invoice cannot be chased: missing ${blocking.map((gap) => gap.field).join(", ")}${einvoice.profile === "MINIMUM" ? " (the MINIMUM profile carries no due date)" : ""}.`,
      { missing: blocking },
    );

  const stored = await storeOriginal(input.creditorId, input.bytes, format);
  try {
    const result = await inTransaction(db, (tx) => write(tx, input, einvoice, stored, creditor.defaultLocale));
    return { ...result, warnings: gaps.filter((gap) => !gap.blocking) };
  } catch (error) {
    if (stored.fresh) await fs.rm(stored.fullPath, { force: true });
    throw error;
  }
}

type StoredOriginal = { relativePath: string; fullPath: string; sha256: string; fresh: boolean; format: Format };

/** Kept under the creditor's folder of invoice originals, named by content (a re-import of the same file rewrites nothing). */
async function storeOriginal(creditorId: string, bytes: Uint8Array, format: Format): Promise<StoredOriginal> {
  const sha256 = crypto.createHash("sha256").update(bytes).digest("hex");
  const relativePath = path.join(creditorId, `einvoice-${sha256}.${format.extension}`);
  const fullPath = path.join(invoicesRoot(), relativePath);
  await fs.mkdir(path.dirname(fullPath), { recursive: true });
  try {
    await fs.writeFile(fullPath, bytes, { flag: "wx", mode: 0o600 });
    return { relativePath, fullPath, sha256, fresh: true, format };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return { relativePath, fullPath, sha256, fresh: false, format };
    throw error;
  }
}

async function write(tx: Db, input: ImportEInvoiceInput, einvoice: EInvoice, stored: StoredOriginal, locale: "fr" | "en") {
  const now = input.clock.now();
  const dueDate = einvoice.dueDate!;
  const debtor = await upsertBuyer(tx, input.creditorId, einvoice.buyer, now, locale);
  const meta: Prisma.InputJsonValue = {
    syntax: einvoice.syntax,
    profile: einvoice.profile,
    typeCode: einvoice.typeCode,
    paymentTerms: einvoice.paymentTerms,
    totals: einvoice.totals,
    vatBreakdown: einvoice.vatBreakdown,
    original: {
      path: stored.relativePath,
      fileName: input.fileName.slice(0, 200),
      contentType: stored.format.contentType,
      sha256: stored.sha256,
      size: input.bytes.byteLength,
    },
    importedAt: now.toISOString(),
  };
  const documentFields = { einvoice: meta, pdfPath: stored.format.container === "facturx" ? stored.relativePath : null };
  const existing = await tx.invoice.findUnique({
    where: { creditorId_number: { creditorId: input.creditorId, number: einvoice.number } },
  });
  let invoiceId: string;
  if (!existing) {
    const created = await createInvoice(tx, {
      creditorId: input.creditorId,
      debtorId: debtor.id,
      policy: await policyForDebtor(tx, input.creditorId, debtor.id),
      number: einvoice.number,
      issueDate: einvoice.issueDate,
      dueDate,
      amount: einvoice.totals.due,
      currency: einvoice.currency,
      description: einvoice.lines[0]?.description ?? null,
      now,
    });
    invoiceId = created.id;
    await tx.invoice.update({ where: { id: invoiceId }, data: documentFields });
  } else {
    const settledPart = existing.amountPaid + existing.amountCredited;
    const moneyIn = settledPart > 0;
    if (!["OPEN", "PARTIALLY_PAID"].includes(existing.status))
      throw new EInvoiceImportError("invoice_locked", `Invoice ${existing.number} is already settled: it was left as it is.`);
    if (einvoice.totals.due <= settledPart || (moneyIn && (existing.currency !== einvoice.currency || existing.debtorId !== debtor.id)))
      throw new EInvoiceImportError(
        "invoice_locked",
        `Invoice ${existing.number} has payments or credit notes that the new file contradicts (amount, currency or buyer): it was left as it is.`,
      );
    invoiceId = existing.id;
    await tx.invoice.update({
      where: { id: existing.id },
      data: {
        debtorId: debtor.id,
        issueDate: einvoice.issueDate,
        dueDate,
        amount: einvoice.totals.due,
        currency: einvoice.currency,
        ...documentFields,
      },
    });
    await rescheduleInvoice(tx, { creditorId: input.creditorId, invoiceId, now, actor: input.actor, reason: "import" });
  }
  await tx.invoiceLine.deleteMany({ where: { creditorId: input.creditorId, invoiceId } });
  if (einvoice.lines.length > 0)
    await tx.invoiceLine.createMany({
      data: einvoice.lines.map((line, position) => ({
        creditorId: input.creditorId,
        invoiceId,
        position,
        description: line.description,
        quantity: line.quantity,
        unitPrice: line.unitPrice,
        net: line.net,
        vatRate: line.vatRate,
      })),
    });
  await recordCommunication(tx, {
    creditorId: input.creditorId,
    debtorId: debtor.id,
    invoiceId,
    direction: "IN",
    channel: "SYSTEM",
    kind: existing ? "einvoice.updated" : "einvoice.imported",
    actorType: input.actor.type,
    actorId: input.actor.id ?? null,
    data: { syntax: einvoice.syntax, profile: einvoice.profile, fileName: input.fileName.slice(0, 200), sha256: stored.sha256 },
    occurredAt: now,
  });
  const invoice = await tx.invoice.findUniqueOrThrow({
    where: { id: invoiceId },
    select: { id: true, number: true, amount: true, currency: true, issueDate: true, dueDate: true },
  });
  return { outcome: existing ? ("updated" as const) : ("created" as const), invoice, debtor };
}

/**
 * The buyer as a debtor of this creditor: found by SIREN (kept in `legalId`,
 * a SIRET starts with it), then by VAT number (kept as the debtor's reference
 * when it has no SIREN), then by name and postal code; created otherwise.
 * What the file says fills the record; what it leaves out keeps the record's.
 */
async function upsertBuyer(tx: Db, creditorId: string, buyer: EInvoiceBuyer, now: Date, locale: "fr" | "en") {
  const siren = digits(buyer.siren) || sirenFromVat(buyer.vat);
  const vat = digits(buyer.vat) || null;
  const address = buyer.address;
  const found =
    (siren
      ? await tx.debtor.findFirst({
          where: { creditorId, OR: [{ legalId: { startsWith: siren } }, { externalRef: siren }] },
          orderBy: { createdAt: "asc" },
        })
      : null) ??
    (vat ? await tx.debtor.findFirst({ where: { creditorId, externalRef: vat }, orderBy: { createdAt: "asc" } }) : null) ??
    (address?.postalCode
      ? await tx.debtor.findFirst({
          where: { creditorId, name: { equals: buyer.name, mode: "insensitive" }, postalCode: address.postalCode },
          orderBy: { createdAt: "asc" },
        })
      : null);
  const fields = {
    name: buyer.name,
    ...(siren ? { legalId: siren } : {}),
    ...(buyer.email ? { email: buyer.email } : {}),
    ...(address?.line1 ? { addressLine1: address.line1 } : {}),
    ...(address?.postalCode ? { postalCode: address.postalCode } : {}),
    ...(address?.city ? { city: address.city } : {}),
    ...(address?.country ? { country: address.country } : {}),
  };
  if (found) {
    // A SIRET already recorded is more precise than the SIREN it starts with.
    const keepLegalId = found.legalId && siren && found.legalId.startsWith(siren);
    const updated = await tx.debtor.update({
      where: { id: found.id },
      data: { ...fields, ...(keepLegalId ? { legalId: found.legalId } : {}), updatedAt: now },
    });
    return { id: updated.id, name: updated.name, created: false };
  }
  const externalRef = siren ?? vat ?? `EI-${crypto.randomBytes(5).toString("hex").toUpperCase()}`;
  const transferReference = (await transferReferences(tx, creditorId, [externalRef])).get(externalRef)!;
  const created = await tx.debtor.create({
    data: { creditorId, externalRef, kind: "BUSINESS", locale, transferReference, ...fields },
  });
  return { id: created.id, name: created.name, created: true };
}
