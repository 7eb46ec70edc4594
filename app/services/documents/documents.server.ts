import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { addDays, fixedClock, isoDay, startOfDayUTC, todayIn, wallClockIn } from "~/domain/clock";
import { translate, type Locale } from "~/i18n";
import { buildFormalNotice, FORMAL_NOTICE_DAYS } from "~/pdf/formal-notice";
import { buildInjunctionDossier } from "~/pdf/injunction-dossier";
import { buildInvoiceDocument } from "~/pdf/invoice";
import { buildStatement } from "~/pdf/statement";
import type { CreditorIdentity, DebtorIdentity } from "~/pdf/types";
import type { Db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";
import type { PortalIdentity } from "~/utils/portal-session.server";
import { issuePortalLink } from "../portal/links.server";
import { invoiceBalance } from "~/domain/money";
import { prescriptionStart, prescriptionWatch } from "~/domain/legal";
import { formalNoticeSentAt } from "../legal/formal-notice.server";
import { consumerMediatorOf } from "~/domain/mediation/mediator";
import { loadRateBook } from "../legal/rates.server";
// The letters, the portal and the emails read the open invoices the same way.
import { claimOnCreditorClock, loadClaimInvoices as loadOpenInvoices } from "../legal/claim.server";

/**
 * Generated PDFs. Legal documents (mise en demeure, injonction dossier) are
 * stored once as `Attachment` rows under DATA_DIR/documents/{creditor}/{debtor}/
 * — what was sent must stay readable as sent. Portal statements and invoice
 * copies are rebuilt on each download from live data. Every query is scoped
 * to the creditor, and to the debtor for the portal.
 */
export type DocumentKind = "FORMAL_NOTICE" | "INJUNCTION_DOSSIER" | "MEDIATION_DOSSIER" | "CLAIM_DECLARATION";
export const GENERATED_KINDS: readonly DocumentKind[] = ["FORMAL_NOTICE", "INJUNCTION_DOSSIER", "MEDIATION_DOSSIER", "CLAIM_DECLARATION"];

export class NoOpenInvoicesError extends Error {
  constructor() {
    super("No open invoice of this debtor among the ones given");
    this.name = "NoOpenInvoicesError";
  }
}

export function documentsRoot() {
  return path.resolve(getEnv().DATA_DIR, "documents");
}

/** The creditor and debtor identities every document prints, with the legal settings of the claim. */
export async function loadParties(db: Db, creditorId: string, debtorId: string) {
  const debtor = await db.debtor.findFirstOrThrow({ where: { id: debtorId, creditorId }, include: { creditor: true } });
  const c = debtor.creditor;
  const address = (a: {
    addressLine1: string | null;
    addressLine2: string | null;
    postalCode: string | null;
    city: string | null;
    country: string;
  }) =>
    [
      a.addressLine1,
      a.addressLine2,
      [a.postalCode, a.city].filter(Boolean).join(" ") || null,
      a.country !== "FR" ? a.country : null,
    ].filter((l): l is string => !!l);
  const creditor: CreditorIdentity = {
    legalName: c.legalName,
    brandName: c.brandName,
    siren: c.siren,
    vatNumber: c.vatNumber,
    addressLines: address(c),
    city: c.city,
    contactEmail: c.contactEmail,
    contactPhone: c.contactPhone,
    iban: c.iban,
    bic: c.bic,
    legalForm: c.legalForm,
    shareCapital: c.shareCapital,
    rcsCity: c.rcsCity,
    signatoryName: c.signatoryName,
    signatoryRole: c.signatoryRole,
    legalRepresentative: c.legalRepresentative,
    logo: await letterLogo(db, c),
    timeZone: c.timeZone,
    // Only a consumer is told of the consumer mediator (C. conso. L616-1).
    consumerMediator: debtor.kind === "CONSUMER" ? consumerMediatorOf(c) : null,
  };
  const identity: DebtorIdentity = {
    name: debtor.name,
    kind: debtor.kind,
    legalId: debtor.legalId,
    addressLines: address(debtor),
    city: debtor.city,
    email: debtor.email,
    phone: debtor.phone,
    transferReference: debtor.transferReference,
    legalForm: debtor.legalForm,
    country: debtor.country,
    postalCode: debtor.postalCode,
  };
  return {
    creditor,
    debtor: identity,
    locale: debtor.locale as Locale,
    timeZone: c.timeZone,
    settings: {
      debtorKind: debtor.kind,
      jurisdiction: c.jurisdiction,
      contractualRateBps: c.lateInterestRateBps,
      rates: await loadRateBook(db, creditorId),
    },
  };
}

/** The creditor's logo for the letters, or null when none or unreadable: a letter never fails for its logo. */
async function letterLogo(db: Db, c: { id: string; logoAttachmentId: string | null }): Promise<Buffer | null> {
  if (!c.logoAttachmentId) return null;
  const logo = await db.attachment.findFirst({
    where: { id: c.logoAttachmentId, creditorId: c.id, kind: "LOGO" },
    select: { storagePath: true },
  });
  if (!logo) return null;
  return readDocument(logo).catch((err: unknown) => {
    logger.warn({ err, creditorId: c.id }, "logo unreadable");
    return null;
  });
}

export function reference(prefix: string, now: Date, id: string) {
  return `${prefix}-${isoDay(now).replaceAll("-", "")}-${id.slice(0, 8).toUpperCase()}`;
}

export async function storeDocument(
  db: Db,
  doc: {
    id: string;
    creditorId: string;
    debtorId: string;
    kind: DocumentKind;
    fileName: string;
    bytes: Buffer;
    now: Date;
    taskId?: string | null;
    communicationId?: string | null;
  },
) {
  // The debtor is in the path: Attachment has no debtor column, and the dossier looks notices up by it.
  const storagePath = path.posix.join(doc.creditorId, doc.debtorId, `${doc.id}.pdf`);
  const full = path.join(documentsRoot(), storagePath);
  await fs.mkdir(path.dirname(full), { recursive: true });
  await fs.writeFile(full, doc.bytes, { mode: 0o600 });
  return db.attachment.create({
    data: {
      creditorId: doc.creditorId,
      kind: doc.kind,
      fileName: doc.fileName,
      contentType: "application/pdf",
      size: doc.bytes.byteLength,
      storagePath,
      sha256: crypto.createHash("sha256").update(doc.bytes).digest("hex"),
      taskId: doc.taskId ?? null,
      communicationId: doc.communicationId ?? null,
      createdAt: doc.now,
    },
  });
}

export async function readDocument(attachment: { storagePath: string }) {
  const root = documentsRoot();
  const full = path.resolve(root, attachment.storagePath);
  if (!full.startsWith(root + path.sep)) throw new Error("document outside the documents folder");
  return fs.readFile(full);
}

/** A generated document of this creditor, or null (the route answers 404). */
export async function findCreditorDocument(db: Db, creditorId: string, attachmentId: string) {
  return db.attachment.findFirst({ where: { id: attachmentId, creditorId, kind: { in: [...GENERATED_KINDS] } } });
}

/** The debtor's latest formal notice, with the trace entry it went out with (if any). */
export async function findLatestFormalNotice(db: Db, creditorId: string, debtorId: string) {
  return db.attachment.findFirst({
    where: {
      creditorId,
      kind: "FORMAL_NOTICE",
      OR: [{ storagePath: { startsWith: `${creditorId}/${debtorId}/` } }, { task: { debtorId } }, { communication: { debtorId } }],
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    include: { communication: { select: { channel: true, occurredAt: true, recipient: true, deliveryStatus: true } } },
  });
}

export type FormalNoticeInput = {
  creditorId: string;
  debtorId: string;
  invoiceIds: string[];
  now: Date;
  portalUrl: string;
  deadline?: Date;
  communicationId?: string | null;
  taskId?: string | null;
  /** How the letter goes out; by default a LETTER task's notice is posted by registered letter and emailed when the debtor has an address. */
  sentBy?: { registeredLetter: boolean; email: boolean };
};

/** Builds and stores a mise en demeure for some open invoices of one debtor (kind FORMAL_NOTICE). */
export async function generateFormalNotice(db: Db, input: FormalNoticeInput) {
  const { creditor, debtor, locale, settings, timeZone } = await loadParties(db, input.creditorId, input.debtorId);
  const invoices = await loadOpenInvoices(db, input.creditorId, input.debtorId, input.now, input.invoiceIds);
  if (invoices.length === 0) throw new NoOpenInvoicesError();
  // A consumer's interest runs from the sending of a formal notice: an earlier one already sent, else this one (nothing due yet).
  const claim = claimOnCreditorClock(
    invoices,
    input.now,
    { ...settings, formalNoticeAt: await formalNoticeSentAt(db, input.creditorId, input.debtorId) },
    timeZone,
  );
  const id = crypto.randomUUID();
  const ref = reference("MED", input.now, id);
  const bytes = await buildFormalNotice(
    {
      reference: ref,
      date: input.now,
      // The deadline counts from the creditor's today (decision 012).
      deadline: input.deadline ?? addDays(todayIn(timeZone, input.now), FORMAL_NOTICE_DAYS),
      creditor,
      debtor,
      claim,
      portalUrl: input.portalUrl,
      rates: settings.rates,
      sentBy: input.sentBy ?? { registeredLetter: !!input.taskId, email: !!debtor.email },
    },
    locale,
  );
  return storeDocument(db, {
    id,
    creditorId: input.creditorId,
    debtorId: input.debtorId,
    kind: "FORMAL_NOTICE",
    bytes,
    now: input.now,
    fileName: `${locale === "fr" ? "mise-en-demeure" : "formal-notice"}-${ref}.pdf`,
    taskId: input.taskId,
    communicationId: input.communicationId,
  });
}

export type InjunctionDossierInput = { creditorId: string; debtorId: string; invoiceIds: string[]; now: Date; taskId?: string | null };

/** Builds and stores the injonction de payer hand-off dossier (kind INJUNCTION_DOSSIER). */
export async function generateInjunctionDossier(db: Db, input: InjunctionDossierInput) {
  const { creditorId, debtorId, now } = input;
  const { creditor, debtor, locale, settings, timeZone } = await loadParties(db, creditorId, debtorId);
  const invoices = await loadOpenInvoices(db, creditorId, debtorId, now, input.invoiceIds);
  if (invoices.length === 0) throw new NoOpenInvoicesError();
  const notice = await findLatestFormalNotice(db, creditorId, debtorId);
  const noticeSentAt = await formalNoticeSentAt(db, creditorId, debtorId);
  const claim = claimOnCreditorClock(invoices, now, { ...settings, formalNoticeAt: noticeSentAt }, timeZone);
  const prescriptions = invoices.map((i) => {
    const start = prescriptionStart(i);
    const acknowledged = i.payments.map((p) => p.date).sort((a, b) => b.getTime() - a.getTime())[0] ?? null;
    return {
      number: i.number,
      ...start,
      start: start.date,
      // Prescription's days on the creditor's calendar, like the claim's.
      watch: prescriptionWatch(start.date, debtor.kind, wallClockIn(timeZone, now), {
        interruptedAt: acknowledged ? wallClockIn(timeZone, acknowledged) : null,
      }),
    };
  });
  const trace = await db.communication.findMany({
    where: { creditorId, debtorId },
    orderBy: [{ occurredAt: "asc" }, { id: "asc" }],
    select: { occurredAt: true, channel: true, direction: true, kind: true, subject: true, deliveryStatus: true },
  });
  const id = crypto.randomUUID();
  const ref = reference("IP", now, id);
  const bytes = await buildInjunctionDossier(
    {
      reference: ref,
      date: now,
      creditor,
      debtor,
      claim,
      trace,
      noticeSentAt,
      prescriptions,
      formalNotice: notice
        ? {
            fileName: notice.fileName,
            createdAt: notice.createdAt,
            delivery: notice.communication
              ? {
                  channel: notice.communication.channel,
                  occurredAt: notice.communication.occurredAt,
                  recipient: notice.communication.recipient,
                  status: notice.communication.deliveryStatus,
                }
              : null,
          }
        : null,
    },
    locale,
  );
  return storeDocument(db, {
    id,
    creditorId,
    debtorId,
    kind: "INJUNCTION_DOSSIER",
    bytes,
    now,
    fileName: `${locale === "fr" ? "dossier-injonction-de-payer" : "order-for-payment-file"}-${ref}.pdf`,
    taskId: input.taskId,
  });
}

/**
 * For the dunning sender: the LETTER task gets its formal notice, the HANDOFF
 * task its dossier. Never throws — a document that fails to build must not
 * stop the task (staff can still act); the error is logged.
 */
export async function attachDunningDocument(
  db: Db,
  input: { channel: string; creditorId: string; debtorId: string; invoiceIds: string[]; taskId: string; now: Date },
): Promise<string | null> {
  try {
    if (input.channel === "LETTER") {
      const link = await issuePortalLink(db, { id: input.debtorId, creditorId: input.creditorId }, { clock: fixedClock(input.now) });
      return (await generateFormalNotice(db, { ...input, portalUrl: link.url })).id;
    }
    if (input.channel === "HANDOFF") return (await generateInjunctionDossier(db, input)).id;
    return null;
  } catch (error) {
    logger.error({ err: error, taskId: input.taskId, channel: input.channel }, "generated document failed");
    return null;
  }
}

/** The formal notice generated for the LETTER task of these outbox rows (keys = the tasks' source keys). */
export async function findTaskFormalNotice(db: Db, creditorId: string, taskSourceKeys: string[]) {
  return db.attachment.findFirst({
    where: { creditorId, kind: "FORMAL_NOTICE", task: { creditorId, sourceKey: { in: taskSourceKeys } } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { fileName: true, storagePath: true },
  });
}

/**
 * Once the notice has gone out by email, it points at that trace entry, whose
 * delivery status (updated by the provider's webhooks) the dossier reports.
 * Found through the tasks of the outbox rows, so a retried send links it too.
 */
export async function linkFormalNoticeToEmail(db: Db, creditorId: string, taskSourceKeys: string[], communicationId: string) {
  await db.attachment.updateMany({
    where: { creditorId, kind: "FORMAL_NOTICE", communicationId: null, task: { creditorId, sourceKey: { in: taskSourceKeys } } },
    data: { communicationId },
  });
}

/** Portal: the relevé de compte of the session's debtor, with the same figures as the portal home. */
export async function buildPortalStatement(db: Db, identity: PortalIdentity, now: Date, locale: Locale) {
  const { creditorId, debtorId } = identity;
  const { creditor, debtor, settings, timeZone } = await loadParties(db, creditorId, debtorId);
  const invoices = await loadOpenInvoices(db, creditorId, debtorId, now);
  // Like the portal: a consumer's interest runs from the sending of the formal notice (none sent: none).
  const claim = claimOnCreditorClock(
    invoices,
    now,
    { ...settings, formalNoticeAt: await formalNoticeSentAt(db, creditorId, debtorId) },
    timeZone,
  );
  const today = todayIn(timeZone, now);
  const rows = invoices.map((i) => ({
    number: i.number,
    issueDate: i.issueDate,
    dueDate: i.dueDate,
    amount: i.amount,
    paid: i.amountPaid + i.amountCredited,
    balance: invoiceBalance(i),
    currency: i.currency,
    daysLate: Math.max(0, Math.round((today.getTime() - startOfDayUTC(i.dueDate).getTime()) / 86_400_000)),
  }));
  const overdue = rows.filter((r) => r.currency === claim.currency && r.daysLate > 0).reduce((s, r) => s + r.balance, 0);
  return buildStatement(
    { reference: `REL-${isoDay(now).replaceAll("-", "")}`, date: now, creditor, debtor, invoices: rows, claim, overdue },
    locale,
  );
}

/** Where the creditors' own invoice PDFs are kept: `Invoice.pdfPath` is relative to it, under the creditor's folder. */
export function invoicesRoot() {
  return path.resolve(getEnv().DATA_DIR, "invoices");
}

/** The creditor's original PDF of an invoice, or null when it is missing, outside its folder or not a PDF. */
async function readOriginalInvoice(creditorId: string, pdfPath: string) {
  const folder = path.join(invoicesRoot(), creditorId) + path.sep;
  const full = path.resolve(invoicesRoot(), pdfPath);
  if (!full.startsWith(folder)) {
    logger.warn({ creditorId }, "invoice pdfPath outside the creditor's folder: copy generated instead");
    return null;
  }
  try {
    const bytes = await fs.readFile(full);
    return bytes.subarray(0, 5).toString("latin1") === "%PDF-" ? bytes : null;
  } catch (error) {
    logger.warn({ creditorId, err: (error as Error).message }, "original invoice PDF unreadable: copy generated instead");
    return null;
  }
}

/**
 * Portal: one of the session debtor's invoices as a PDF named after its
 * number — the creditor's original when one was loaded, else a copy built from
 * the data we hold (with HT / TVA / TTC when its lines are known). Null for
 * anyone else's invoice (404).
 */
export async function portalInvoicePdf(db: Db, identity: PortalIdentity, invoiceId: string, now: Date, locale: Locale) {
  const { creditorId, debtorId } = identity;
  const invoice = await db.invoice.findFirst({
    where: { id: invoiceId, creditorId, debtorId },
    include: {
      allocations: {
        where: { payment: { status: "SUCCEEDED" } },
        include: { payment: { select: { succeededAt: true, createdAt: true } } },
      },
      lines: { where: { creditorId }, orderBy: { position: "asc" } },
    },
  });
  if (!invoice) return null;
  const fileName = translate(locale, "documents.invoice.fileName", { number: invoice.number });
  const original = invoice.pdfPath ? await readOriginalInvoice(creditorId, invoice.pdfPath) : null;
  if (original) return { pdf: original, fileName, original: true };
  const { creditor, debtor } = await loadParties(db, creditorId, debtorId);
  const pdf = await buildInvoiceDocument(
    {
      date: now,
      creditor,
      debtor,
      invoice: { ...invoice, balance: invoiceBalance(invoice) },
      payments: invoice.allocations.map((a) => ({ date: a.payment.succeededAt ?? a.payment.createdAt, amount: a.amount })),
    },
    locale,
  );
  return { pdf, fileName, original: false };
}

/** The PDF bytes alone (see portalInvoicePdf). */
export async function buildPortalInvoice(db: Db, identity: PortalIdentity, invoiceId: string, now: Date, locale: Locale) {
  return (await portalInvoicePdf(db, identity, invoiceId, now, locale))?.pdf ?? null;
}

/** Headers for a PDF download; `inline` opens it in the browser's viewer. */
export function pdfHeaders(fileName: string, opts: { inline?: boolean; size: number }) {
  const ascii = fileName.replace(/[^\w.-]/g, "_");
  return {
    "Content-Type": "application/pdf",
    "Content-Length": String(opts.size),
    "Content-Disposition": `${opts.inline ? "inline" : "attachment"}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
    "Cache-Control": "private, no-store",
    "X-Content-Type-Options": "nosniff",
  };
}
