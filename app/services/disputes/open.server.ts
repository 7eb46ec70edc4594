import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { cleanFileName, sniffUpload, UPLOAD_LIMITS } from "~/domain/intake/uploads";
import { invoiceBalance } from "~/domain/money";
import { disputeReasonLabel } from "~/i18n/labels";
import type { Db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import type { PortalIdentity } from "~/utils/portal-session.server";
import { recordCommunication } from "../messaging/communications.server";
import { queueNotice } from "../messaging/notices.server";
import { applyInvoiceEvent, type Actor } from "../dunning/invoice-events.server";

export type DisputeReason = "NOT_RECEIVED" | "AMOUNT_WRONG" | "DEFECTIVE" | "ALREADY_PAID" | "OTHER";
export type UploadedFile = { name: string; bytes: Uint8Array };

export class DisputeError extends Error {
  constructor(
    public readonly field: "invoiceId" | "attachments",
    public readonly code: string,
  ) {
    super(code);
    this.name = "DisputeError";
  }
}

/** Uploads live outside the web root, per creditor; served only through scoped routes. */
export function uploadsRoot() {
  return path.resolve(getEnv().DATA_DIR, "uploads");
}

/** Checks every file by content before anything is written (all or nothing). */
export function checkAttachments(files: UploadedFile[]) {
  if (files.length > UPLOAD_LIMITS.maxFiles) throw new DisputeError("attachments", "tooMany");
  return files.map((file) => {
    if (file.bytes.byteLength > UPLOAD_LIMITS.maxBytes) throw new DisputeError("attachments", "tooLarge");
    const kind = sniffUpload(file.bytes);
    if (!kind) throw new DisputeError("attachments", "wrongType");
    return { ...file, kind };
  });
}

/**
 * The debtor contests one of its invoices: the dispute, its first message and
 * attachments are stored, dunning pauses on THAT invoice only, and the trace
 * records it. Another debtor's invoice is "not found".
 */
export async function openDispute(
  db: Db,
  identity: PortalIdentity,
  input: { invoiceId: string; reason: DisputeReason; message: string; files: UploadedFile[] },
  now: Date,
  /** How the debtor said it: on the portal (default) or in an email reply staff accepted as a dispute. */
  via: { channel: "PORTAL" } | { channel: "EMAIL"; staffId: string } = { channel: "PORTAL" },
) {
  const checked = checkAttachments(input.files);
  const invoice = await db.invoice.findFirst({
    where: {
      id: input.invoiceId,
      creditorId: identity.creditorId,
      debtorId: identity.debtorId,
      status: { in: ["OPEN", "PARTIALLY_PAID"] },
    },
    include: { disputes: { where: { status: "OPEN" }, select: { id: true } } },
  });
  if (!invoice) throw new DisputeError("invoiceId", "notFound");
  if (invoice.disputes.length > 0) throw new DisputeError("invoiceId", "alreadyOpen");

  const debtor = await db.debtor.findFirstOrThrow({
    where: { id: identity.debtorId, creditorId: identity.creditorId },
    select: { name: true },
  });
  const dir = path.join(uploadsRoot(), identity.creditorId);
  await fs.mkdir(dir, { recursive: true });
  const stored = await Promise.all(
    checked.map(async (file) => {
      const storagePath = path.join(identity.creditorId, `${crypto.randomUUID()}.${file.kind.extension}`);
      await fs.writeFile(path.join(uploadsRoot(), storagePath), file.bytes, { mode: 0o600 });
      return {
        creditorId: identity.creditorId,
        fileName: cleanFileName(file.name, file.kind.extension),
        contentType: file.kind.contentType,
        size: file.bytes.byteLength,
        storagePath,
        sha256: crypto.createHash("sha256").update(file.bytes).digest("hex"),
      };
    }),
  );
  const dispute = await db.dispute.create({
    data: {
      creditorId: identity.creditorId,
      debtorId: identity.debtorId,
      invoiceId: invoice.id,
      reason: input.reason,
      message: input.message,
      messages: { create: { creditorId: identity.creditorId, author: "DEBTOR", authorName: debtor.name, body: input.message } },
      attachments: { create: stored },
    },
  });
  await applyInvoiceEvent(db, {
    creditorId: identity.creditorId,
    invoiceId: invoice.id,
    event: { type: "DISPUTE_OPENED" },
    actor: { type: "DEBTOR", id: identity.debtorId },
    now,
  });
  await recordCommunication(db, {
    creditorId: identity.creditorId,
    debtorId: identity.debtorId,
    invoiceId: invoice.id,
    direction: "IN",
    channel: via.channel,
    kind: via.channel === "EMAIL" ? "email.dispute_opened" : "portal.dispute_opened",
    subject: `Contestation — ${disputeReasonLabel("fr", input.reason)}`,
    bodyText: input.message,
    actorType: "DEBTOR",
    actorId: identity.debtorId,
    data: {
      disputeId: dispute.id,
      attachments: stored.map((s) => s.fileName),
      ...(via.channel === "EMAIL" ? { acceptedBy: via.staffId } : {}),
    },
    occurredAt: now,
  });
  // The acknowledgement (what we received, what happens next) leaves through the outbox once this commits.
  await queueNotice(db, {
    creditorId: identity.creditorId,
    debtorId: identity.debtorId,
    invoiceId: invoice.id,
    key: "dispute_received",
    extra: {
      invoiceNumber: invoice.number,
      reason: input.reason,
      message: input.message,
      openedAt: now,
      amount: invoiceBalance(invoice),
      currency: invoice.currency,
    },
    idempotencyKey: `dispute:${dispute.id}:received`,
    now,
  });
  return dispute;
}

/** An attachment of the session's own dispute, or null (404 for anyone else's). */
export async function findDebtorAttachment(db: Db, identity: PortalIdentity, attachmentId: string) {
  return db.attachment.findFirst({
    where: { id: attachmentId, creditorId: identity.creditorId, dispute: { debtorId: identity.debtorId } },
  });
}

export async function readAttachment(attachment: { storagePath: string }) {
  const full = path.resolve(uploadsRoot(), attachment.storagePath);
  if (!full.startsWith(uploadsRoot() + path.sep)) throw new Error("attachment outside the uploads folder");
  return fs.readFile(full);
}

/**
 * The buyer contested the invoice through its plateforme agréée (e-invoice
 * status 207 En litige or 210 Refusée): a dispute carrying the platform's
 * reason, dunning paused on that invoice through the door. No acknowledgement
 * is emailed: the buyer spoke to its platform, not to us. An invoice already
 * disputed keeps its dispute (returned as is).
 */
export async function openPlatformDispute(
  db: Db,
  input: { creditorId: string; invoiceId: string; message: string; authorName: string; actor: Actor; now: Date },
) {
  const invoice = await db.invoice.findFirstOrThrow({
    where: { id: input.invoiceId, creditorId: input.creditorId },
    include: { disputes: { where: { status: "OPEN" }, select: { id: true } } },
  });
  if (invoice.disputes[0]) return { id: invoice.disputes[0].id, opened: false };
  const dispute = await db.dispute.create({
    data: {
      creditorId: input.creditorId,
      debtorId: invoice.debtorId,
      invoiceId: invoice.id,
      reason: "OTHER",
      message: input.message,
      messages: { create: { creditorId: input.creditorId, author: "DEBTOR", authorName: input.authorName, body: input.message } },
    },
  });
  await applyInvoiceEvent(db, {
    creditorId: input.creditorId,
    invoiceId: invoice.id,
    event: { type: "DISPUTE_OPENED" },
    actor: input.actor,
    now: input.now,
    note: input.message,
  });
  return { id: dispute.id, opened: true };
}
