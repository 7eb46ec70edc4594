import { emailThreads } from "~/domain/inbound/threads";
import type { Db } from "~/utils/db.server";
import { readDocument } from "../documents/documents.server";
import { readInboundRaw } from "./receive.server";
import { referencesOf } from "./replies.server";

/**
 * One debtor's email conversations for its file: our emails and its replies grouped into threads, each
 * message with its sender, its words (the visible reply for the debtor's, without the quoted history),
 * its attachments and, for a received one, the inbound email whose original staff may open.
 */
export async function emailConversations(db: Db, creditorId: string, debtorId: string) {
  const emails = await db.communication.findMany({
    where: { creditorId, debtorId, channel: "EMAIL" },
    orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
    take: 300,
    select: {
      id: true,
      direction: true,
      kind: true,
      messageId: true,
      inReplyTo: true,
      occurredAt: true,
      subject: true,
      bodyText: true,
      recipient: true,
      data: true,
      attachments: { where: { creditorId }, orderBy: { createdAt: "asc" }, select: { id: true, fileName: true } },
    },
  });
  const inbound = await db.inboundEmail.findMany({
    where: { creditorId, debtorId, communicationId: { in: emails.filter((e) => e.direction === "IN").map((e) => e.id) } },
    select: { id: true, communicationId: true, fromAddress: true, fromName: true, visibleText: true },
  });
  const threads = emailThreads(emails.map((e) => ({ ...e, references: referencesOf(e.data) })));
  return threads.map((thread) => ({
    id: thread.id,
    subject: thread.subject,
    /** The message a staff answer replies to (the latest with a Message-ID). */
    answerId: thread.replyTo?.id ?? thread.messages.at(-1)!.id,
    messages: thread.messages.map((m) => {
      const received = inbound.find((i) => i.communicationId === m.id);
      return {
        id: m.id,
        direction: m.direction,
        kind: m.kind,
        occurredAt: m.occurredAt,
        subject: m.subject,
        text: received?.visibleText ?? m.bodyText ?? "",
        from: received ? (received.fromName ? `${received.fromName} <${received.fromAddress ?? ""}>` : (received.fromAddress ?? "")) : null,
        to: m.recipient,
        inboundEmailId: received?.id ?? null,
        files: m.attachments,
        fileNames: attachmentNames(m.data).filter((name) => !m.attachments.some((a) => a.fileName === name)),
      };
    }),
  }));
}

/** Attachment names a trace entry lists in its data (strings, or objects with a file name). */
function attachmentNames(data: unknown): string[] {
  const list = (data as { attachments?: unknown } | null)?.attachments;
  if (!Array.isArray(list)) return [];
  return list.flatMap((a) => {
    if (typeof a === "string") return [a];
    const name =
      (a as { filename?: unknown; fileName?: unknown; name?: unknown } | null)?.filename ?? (a as { fileName?: unknown }).fileName;
    return typeof name === "string" ? [name] : [];
  });
}

/** The original bytes of one of this creditor's received emails, or null (another creditor's: 404). */
export async function inboundOriginal(db: Db, creditorId: string, inboundEmailId: string) {
  const inbound = await db.inboundEmail.findFirst({ where: { id: inboundEmailId, creditorId }, select: { storagePath: true } });
  return inbound ? readInboundRaw(inbound) : null;
}

/** A file attached to one of this creditor's received emails with its bytes, or null (404). */
export async function inboundAttachment(db: Db, creditorId: string, attachmentId: string) {
  const attachment = await db.attachment.findFirst({ where: { id: attachmentId, creditorId, kind: "EMAIL_ATTACHMENT" } });
  return attachment ? { attachment, bytes: await readDocument(attachment) } : null;
}
