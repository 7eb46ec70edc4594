import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { checkLogo } from "~/domain/creditor-settings";
import type { Db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";
import { documentsRoot, readDocument } from "./documents.server";

/**
 * The creditor's logo: an Attachment of kind LOGO kept with the generated
 * documents (DATA_DIR/documents/{creditor}/logo/), pointed at by
 * `Creditor.logoAttachmentId`. It is public on purpose — emails show it — so
 * the public route serves that one attachment and nothing else.
 */
export class LogoError extends Error {
  constructor(public readonly code: "intake.settings.errors.logoTooLarge" | "intake.settings.errors.logoType") {
    super(code);
    this.name = "LogoError";
  }
}

/** Stores a new logo and points the creditor at it; the previous one is deleted. Checked by content first. */
export async function replaceLogo(db: Db, creditorId: string, file: { name: string; bytes: Uint8Array }, now: Date) {
  const checked = checkLogo(file.bytes);
  if (!checked.ok) throw new LogoError(checked.error);
  const id = crypto.randomUUID();
  const storagePath = path.posix.join(creditorId, "logo", `${id}.${checked.kind.extension}`);
  const full = path.join(documentsRoot(), storagePath);
  await fs.mkdir(path.dirname(full), { recursive: true });
  await fs.writeFile(full, file.bytes, { mode: 0o600 });
  const logo = await db.attachment.create({
    data: {
      id,
      creditorId,
      kind: "LOGO",
      fileName: `logo.${checked.kind.extension}`,
      contentType: checked.kind.contentType,
      size: file.bytes.byteLength,
      storagePath,
      sha256: crypto.createHash("sha256").update(file.bytes).digest("hex"),
      createdAt: now,
    },
  });
  const previous = await db.creditor.findUniqueOrThrow({ where: { id: creditorId }, select: { logoAttachmentId: true } });
  await db.creditor.update({ where: { id: creditorId }, data: { logoAttachmentId: logo.id } });
  if (previous.logoAttachmentId) await deleteLogoAttachment(db, creditorId, previous.logoAttachmentId);
  return logo;
}

export async function removeLogo(db: Db, creditorId: string) {
  const { logoAttachmentId } = await db.creditor.findUniqueOrThrow({ where: { id: creditorId }, select: { logoAttachmentId: true } });
  if (!logoAttachmentId) return;
  await db.creditor.update({ where: { id: creditorId }, data: { logoAttachmentId: null } });
  await deleteLogoAttachment(db, creditorId, logoAttachmentId);
}

async function deleteLogoAttachment(db: Db, creditorId: string, attachmentId: string) {
  const old = await db.attachment.findFirst({ where: { id: attachmentId, creditorId, kind: "LOGO" } });
  if (!old) return;
  await db.attachment.delete({ where: { id: old.id } });
  await fs.rm(path.join(documentsRoot(), old.storagePath), { force: true }).catch((err) => logger.warn({ err }, "old logo not removed"));
}

/** The creditor's current logo (kind LOGO, its own), or null. Only this is reachable from the public route. */
export async function findCreditorLogo(db: Db, creditorId: string) {
  const creditor = await db.creditor.findUnique({ where: { id: creditorId }, select: { logoAttachmentId: true } });
  if (!creditor?.logoAttachmentId) return null;
  return db.attachment.findFirst({
    where: { id: creditor.logoAttachmentId, creditorId, kind: "LOGO" },
    select: { id: true, contentType: true, size: true, storagePath: true, sha256: true },
  });
}

export async function readLogo(logo: { storagePath: string }): Promise<Buffer> {
  return readDocument(logo);
}

/**
 * Absolute URL of the public logo route (emails need one), versioned by the
 * attachment so a replaced logo is fetched afresh; null without a logo.
 */
export function logoUrl(creditor: { id: string; logoAttachmentId: string | null }): string | null {
  const pathname = logoPath(creditor);
  return pathname ? `${getEnv().APP_URL}${pathname}` : null;
}

/** The same, as a path: for our own pages (the portal header, the settings preview). */
export function logoPath(creditor: { id: string; logoAttachmentId: string | null }): string | null {
  if (!creditor.logoAttachmentId) return null;
  return `/brand/${encodeURIComponent(creditor.id)}/logo?v=${encodeURIComponent(creditor.logoAttachmentId.slice(0, 12))}`;
}
