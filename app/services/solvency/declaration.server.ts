import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { isoDay, middayIn } from "~/domain/clock";
import { translate } from "~/i18n";
import { buildClaimDeclaration } from "~/pdf/claim-declaration";
import type { Db } from "~/utils/db.server";
import { documentsRoot, loadParties } from "../documents/documents.server";
import { claimOnCreditorClock, loadClaimInvoices, loadClaimSettings } from "../legal/claim.server";

/**
 * The claim as it stood on the day of the opening judgment — the one reading
 * of the legal engine (`claimOnCreditorClock`) with the opening date as its
 * "as of": interest runs up to that day and stops there (L622-28). Only the
 * invoices issued on or before that day are claims to declare (later ones are
 * post-opening claims, L622-17); a payment after the opening is not counted
 * against the principal owed on that day.
 */
export async function claimAtOpening(db: Db, input: { creditorId: string; debtorId: string; openedOn: Date; now: Date; timeZone: string }) {
  const asOf = middayIn(input.timeZone, input.openedOn);
  const [all, settings] = await Promise.all([
    loadClaimInvoices(db, input.creditorId, input.debtorId, input.now),
    loadClaimSettings(db, input.creditorId, input.debtorId),
  ]);
  const invoices = all
    .filter((i) => i.issueDate.getTime() <= input.openedOn.getTime())
    .map((i) => {
      const payments = i.payments.filter((p) => p.date.getTime() <= asOf.getTime());
      return { ...i, payments, amountPaid: payments.reduce((s, p) => s + p.amount, 0) };
    });
  return { claim: claimOnCreditorClock(invoices, asOf, settings, input.timeZone), invoices };
}

/**
 * Builds and stores the pre-filled déclaration de créance of one proceeding
 * (Attachment kind CLAIM_DECLARATION, under DATA_DIR/documents/{creditor}/{debtor}/,
 * hanging off the DECLARE_CLAIM task), and links it to the proceeding.
 * Null when no invoice issued before the opening is still open.
 */
export async function generateClaimDeclaration(db: Db, input: { creditorId: string; proceedingId: string; now: Date }) {
  const p = await db.insolvencyProceeding.findFirstOrThrow({ where: { id: input.proceedingId, creditorId: input.creditorId } });
  const { creditor, debtor, locale, timeZone } = await loadParties(db, input.creditorId, p.debtorId);
  const { claim } = await claimAtOpening(db, {
    creditorId: input.creditorId,
    debtorId: p.debtorId,
    openedOn: p.openedOn,
    now: input.now,
    timeZone,
  });
  if (claim.lines.length === 0) return null;
  const id = crypto.randomUUID();
  const reference = `DC-${isoDay(input.now).replaceAll("-", "")}-${id.slice(0, 8).toUpperCase()}`;
  const bytes = await buildClaimDeclaration(
    {
      reference,
      date: input.now,
      creditor,
      debtor,
      claim,
      proceeding: {
        kind: p.kind,
        openedOn: p.openedOn,
        publishedOn: p.publishedOn,
        claimDeadline: p.claimDeadline,
        court: p.court,
        announcementId: p.announcementId,
        mandataire: p.mandataire,
      },
    },
    locale,
  );
  const storagePath = path.posix.join(input.creditorId, p.debtorId, `${id}.pdf`);
  const full = path.join(documentsRoot(), storagePath);
  await fs.mkdir(path.dirname(full), { recursive: true });
  await fs.writeFile(full, bytes, { mode: 0o600 });
  const attachment = await db.attachment.create({
    data: {
      creditorId: input.creditorId,
      kind: "CLAIM_DECLARATION",
      fileName: `${translate(locale, "documents.claimDeclaration.fileName")}-${reference}.pdf`,
      contentType: "application/pdf",
      size: bytes.byteLength,
      storagePath,
      sha256: crypto.createHash("sha256").update(bytes).digest("hex"),
      taskId: p.taskId,
      createdAt: input.now,
    },
  });
  await db.insolvencyProceeding.updateMany({ where: { id: p.id, creditorId: input.creditorId }, data: { declarationId: attachment.id } });
  return { attachment, claim };
}
