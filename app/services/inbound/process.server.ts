import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { Clock } from "~/domain/clock";
import { classifyAutomated, type AutomatedClassification } from "~/domain/inbound/automated";
import { understandReply, type ReplyUnderstanding } from "~/domain/inbound/intent";
import { parseInboundEmail } from "~/domain/inbound/parse";
import { InboundParseError, type InboundAttachment, type InboundMessage } from "~/domain/inbound/types";
import { visibleReply } from "~/domain/inbound/visible-reply";
import type { Db } from "~/utils/db.server";
import { logger } from "~/utils/logger.server";
import { inTransaction } from "~/utils/db.server";
import { documentsRoot } from "../documents/documents.server";
import { recordCommunication } from "../messaging/communications.server";
import { recordDeliveryStatus } from "../webhooks/resend.server";
import { beginAwaitingAnswer } from "./awaiting.server";
import { readInboundRaw } from "./receive.server";
import { findRoute, type Route, type RouteBy } from "./route.server";

export type ProcessOutcome = { status: "PROCESSED" | "UNROUTED" | "FAILED" | "SKIPPED"; communicationId: string | null };

/** Intents staff can act on in one click (promise, dispute, documents, payment check): they get a suggestion. */
const ACTIONABLE = new Set(["already_paid", "promise", "dispute", "request"]);

/**
 * What relance understood of an email, stored as InboundEmail.understanding (JSON): the intent and the
 * words that triggered it, the promised day, the invoice numbers named (and their ids), the document
 * asked for, the attachments' names; for an out-of-office, the day the person is back (a suggested pause).
 */
/** What sort of message it is: written by a person, an automatic answer, or a delivery report. */
export type InboundNature = "human" | "auto_reply" | "bounce";

export type InboundUnderstanding = {
  kind: InboundNature;
  intent: ReplyUnderstanding["intent"] | null;
  trigger: string[];
  /** yyyy-mm-dd */
  promisedFor: string | null;
  invoiceNumbers: string[];
  invoiceIds: string[];
  requested: ReplyUnderstanding["requested"] | null;
  attachments: { fileName: string; contentType: string; size: number }[];
  /** Out-of-office: the return day (yyyy-mm-dd), offered as a pause until then; nothing is paused. */
  suggestedPauseUntil: string | null;
  /** Why it was taken for an automated message (headers, subject). */
  signals: string[];
  /** How the debtor was found, in detail (the token, the message id, the address or domain matched). */
  routedBy: RouteBy | "BOUNCE" | null;
  routeDetail: string | null;
};

/**
 * Reads one received email (the worker's job, see processReceivedInboundEmails): parse (mailparser), route
 * (reply token → thread → sender address → company domain), classify (human, auto-reply, bounce), clean
 * (the visible reply), understand (intent and its trigger words), then write the timeline entry (an IN
 * EMAIL Communication "email.received" with its attachments) and, for a human reply, pause the debtor's
 * chase (AWAITING_ANSWER) and leave a suggestion for staff. A bounce notice goes to the delivery-status
 * flow of the email it reports. A message that cannot be read is FAILED with the reason; its raw bytes
 * stay stored. Runs once per email: the row is locked and must still be RECEIVED.
 */
export async function processInboundEmail(
  db: Db,
  inboundEmailId: string,
  clock: Clock,
  opts: { route?: Extract<Route, { found: true }> } = {},
): Promise<ProcessOutcome> {
  const now = clock.now();
  const row = await db.inboundEmail.findUnique({ where: { id: inboundEmailId } });
  if (!row || row.status !== "RECEIVED") return { status: "SKIPPED", communicationId: row?.communicationId ?? null };

  let message: InboundMessage;
  try {
    message = await parseInboundEmail(await readInboundRaw(row));
  } catch (error) {
    const reason =
      error instanceof InboundParseError
        ? error.reason === "empty"
          ? "The message has no sender and no content (malformed MIME?). The original is kept."
          : `The message cannot be read: ${error.message}. The original is kept.`
        : `The stored message cannot be read: ${(error as Error).message}`;
    await db.inboundEmail.updateMany({
      where: { id: row.id, status: "RECEIVED" },
      data: { status: "FAILED", error: reason, processedAt: now },
    });
    return { status: "FAILED", communicationId: null };
  }

  const automated = classifyAutomated(message, row.receivedAt);
  // Staff assigning an unrouted email (routing.server.ts) give the route themselves.
  const route: Route = opts.route ?? (await findRoute(db, { message, creditorId: row.creditorId }));
  const visible = visibleReply(message);

  return inTransaction(db, async (tx) => {
    const locked = await tx.$queryRawUnsafe<{ status: string }[]>(
      `SELECT status::text AS status FROM "InboundEmail" WHERE id = $1 FOR UPDATE`,
      row.id,
    );
    if (locked[0]?.status !== "RECEIVED") return { status: "SKIPPED" as const, communicationId: null };

    const header = {
      messageId: message.messageId ?? row.messageId,
      fromAddress: message.from?.address ?? row.fromAddress,
      fromName: message.from?.name || row.fromName,
      toAddress: message.to.map((a) => a.address).join(", ") || row.toAddress,
      subject: message.subject || row.subject,
      inReplyTo: message.inReplyTo,
      automated: automated.kind !== "human",
      automatedReason: automated.kind === "human" ? null : automated.kind,
      visibleText: visible,
      processedAt: now,
    };
    const base: InboundUnderstanding = {
      kind: automated.kind,
      intent: null,
      trigger: [],
      promisedFor: null,
      invoiceNumbers: [],
      invoiceIds: [],
      requested: null,
      attachments: listedAttachments(message.attachments),
      suggestedPauseUntil: automated.returnDate ? isoDay(automated.returnDate) : null,
      signals: automated.signals,
      routedBy: route.found === true ? route.by : null,
      routeDetail: route.found === true ? route.detail : null,
    };

    if (automated.kind === "bounce") {
      const bounced = await bouncedCommunication(tx, message, automated, route);
      if (bounced) {
        const reason = [automated.status, automated.failedRecipient].filter(Boolean).join(" ") || null;
        await recordDeliveryStatus(tx, bounced, "BOUNCED", reason, now);
      }
      await tx.inboundEmail.update({
        where: { id: row.id },
        data: {
          ...header,
          status: bounced ? "PROCESSED" : "UNROUTED",
          creditorId: bounced?.creditorId ?? route.creditorId ?? row.creditorId,
          debtorId: bounced?.debtorId ?? null,
          routedBy: bounced ? "BOUNCE" : null,
          repliesToCommunicationId: bounced?.id ?? null,
          understanding: base,
        },
      });
      return { status: bounced ? ("PROCESSED" as const) : ("UNROUTED" as const), communicationId: null };
    }

    if (!route.found) {
      await tx.inboundEmail.update({
        where: { id: row.id },
        data: { ...header, status: "UNROUTED", creditorId: route.creditorId ?? row.creditorId, understanding: base },
      });
      return { status: "UNROUTED" as const, communicationId: null };
    }

    const { creditorId, debtorId } = route;
    const understanding = automated.kind === "human" ? await understand(tx, route, message, visible, now) : base;
    const full: InboundUnderstanding = { ...base, ...understanding };
    const communicationId = await writeReceivedEmail(tx, {
      creditorId,
      debtorId,
      inboundEmailId: row.id,
      message,
      visible,
      understanding: full,
      invoiceId: full.invoiceIds.length === 1 ? full.invoiceIds[0]! : route.invoiceId,
      // When it entered the trace (the API's event cursor moves forward only); the arrival time is in data.
      occurredAt: now,
      receivedAt: row.receivedAt,
    });
    const human = automated.kind === "human";
    await tx.inboundEmail.update({
      where: { id: row.id },
      data: {
        ...header,
        status: "PROCESSED",
        creditorId,
        debtorId,
        routedBy: route.by,
        communicationId,
        repliesToCommunicationId: route.communicationId,
        intent: full.intent,
        understanding: full,
        suggestionStatus: human && full.intent && ACTIONABLE.has(full.intent) ? "PENDING" : "NONE",
      },
    });
    // Nobody is chased while their answer sits unread; auto-replies pause nothing.
    if (human) await beginAwaitingAnswer(tx, { creditorId, debtorId, inboundEmailId: row.id, now });
    return { status: "PROCESSED" as const, communicationId };
  });
}

export const MAX_PROCESS_ATTEMPTS = 5;

/**
 * The worker's pass over received emails, oldest first. An email whose processing throws (the database
 * busy, a file missing for a moment) is tried again at the next pass, and after MAX_PROCESS_ATTEMPTS
 * it is FAILED with the last error, listed for staff; the raw message stays stored.
 */
export async function processReceivedInboundEmails(db: Db, clock: Clock, opts: { limit?: number } = {}) {
  const due = await db.inboundEmail.findMany({
    where: { status: "RECEIVED", attempts: { lt: MAX_PROCESS_ATTEMPTS } },
    orderBy: { receivedAt: "asc" },
    select: { id: true },
    take: opts.limit ?? 50,
  });
  const report = { processed: 0, unrouted: 0, failed: 0, retried: 0 };
  for (const { id } of due) {
    try {
      const outcome = await processInboundEmail(db, id, clock);
      if (outcome.status === "PROCESSED") report.processed++;
      else if (outcome.status === "UNROUTED") report.unrouted++;
      else if (outcome.status === "FAILED") report.failed++;
    } catch (error) {
      logger.warn({ err: error, inboundEmailId: id }, "inbound email processing failed");
      const updated = await db.inboundEmail.update({
        where: { id },
        data: { attempts: { increment: 1 }, error: (error as Error).message.slice(0, 2000) },
        select: { attempts: true },
      });
      if (updated.attempts >= MAX_PROCESS_ATTEMPTS) {
        await db.inboundEmail.updateMany({ where: { id, status: "RECEIVED" }, data: { status: "FAILED", processedAt: clock.now() } });
        report.failed++;
      } else report.retried++;
    }
  }
  return report;
}

async function understand(
  db: Db,
  route: Extract<Route, { found: true }>,
  message: InboundMessage,
  visible: string,
  now: Date,
): Promise<Partial<InboundUnderstanding>> {
  const [debtor, invoices] = await Promise.all([
    db.debtor.findFirstOrThrow({ where: { id: route.debtorId, creditorId: route.creditorId }, select: { locale: true } }),
    db.invoice.findMany({
      where: { creditorId: route.creditorId, debtorId: route.debtorId },
      select: { id: true, number: true, status: true },
      orderBy: { dueDate: "desc" },
      take: 500,
    }),
  ]);
  const read = understandReply(visible, {
    now,
    locale: debtor.locale === "en" ? "en" : "fr",
    invoiceNumbers: invoices.map((i) => i.number),
    attachmentNames: message.attachments.map((a) => a.filename ?? ""),
  });
  return {
    intent: read.intent,
    trigger: read.trigger,
    promisedFor: read.promisedFor ? isoDay(read.promisedFor) : null,
    invoiceNumbers: read.invoiceNumbers,
    invoiceIds: read.invoiceNumbers.map((n) => invoices.find((i) => i.number === n)?.id).filter((id): id is string => !!id),
    requested: read.requested ?? null,
  };
}

async function writeReceivedEmail(
  db: Db,
  input: {
    creditorId: string;
    debtorId: string;
    inboundEmailId: string;
    message: InboundMessage;
    visible: string;
    understanding: InboundUnderstanding;
    invoiceId: string | null;
    occurredAt: Date;
    receivedAt: Date;
  },
): Promise<string> {
  const { message } = input;
  const communication = await recordCommunication(db, {
    creditorId: input.creditorId,
    debtorId: input.debtorId,
    invoiceId: input.invoiceId,
    direction: "IN",
    channel: "EMAIL",
    kind: "email.received",
    subject: message.subject || null,
    bodyText: input.visible,
    recipient: message.to[0]?.address ?? null,
    messageId: message.messageId,
    inReplyTo: message.inReplyTo,
    actorType: "DEBTOR",
    data: {
      inboundEmailId: input.inboundEmailId,
      receivedAt: input.receivedAt.toISOString(),
      from: message.from?.address ?? null,
      fromName: message.from?.name || null,
      intent: input.understanding.intent,
      automated: input.understanding.kind === "human" ? null : input.understanding.kind,
    },
    occurredAt: input.occurredAt,
  });
  await storeAttachments(db, input.creditorId, communication.id, message.attachments, input.occurredAt);
  return communication.id;
}

/** Files a person attached (inline images of a signature are left in the original only). */
function keptAttachments(attachments: InboundAttachment[]) {
  return attachments.filter(
    (a) =>
      !/^(?:message|text)\/(?:global-)?(?:delivery-status|rfc822-headers)$/i.test(a.contentType) &&
      (a.filename !== null || !a.contentType.startsWith("image/")),
  );
}

function listedAttachments(attachments: InboundAttachment[]) {
  return keptAttachments(attachments).map((a, i) => ({ fileName: fileNameOf(a, i), contentType: a.contentType, size: a.size }));
}

async function storeAttachments(db: Db, creditorId: string, communicationId: string, attachments: InboundAttachment[], now: Date) {
  const kept = keptAttachments(attachments);
  for (const [i, attachment] of kept.entries()) {
    const fileName = fileNameOf(attachment, i);
    const storagePath = path.posix.join("inbound", creditorId, communicationId, `${i + 1}-${safeName(fileName)}`);
    const full = path.join(documentsRoot(), storagePath);
    await fs.mkdir(path.dirname(full), { recursive: true });
    await fs.writeFile(full, attachment.content, { mode: 0o600 });
    await db.attachment.create({
      data: {
        creditorId,
        communicationId,
        kind: "EMAIL_ATTACHMENT",
        fileName,
        contentType: attachment.contentType,
        size: attachment.content.byteLength,
        storagePath,
        sha256: crypto.createHash("sha256").update(attachment.content).digest("hex"),
        createdAt: now,
      },
    });
  }
}

function fileNameOf(attachment: InboundAttachment, index: number): string {
  return attachment.filename?.trim() || `piece-jointe-${index + 1}`;
}

function safeName(name: string): string {
  return (
    name
      .normalize("NFKD")
      .replace(/[^\w.-]+/g, "_")
      .replace(/^[._]+/, "")
      .slice(0, 100) || "file"
  );
}

/**
 * The email a bounce notice reports: the Message-ID in its returned headers (one of ours), else the
 * latest email sent to the failed address by the creditor the notice came to.
 */
async function bouncedCommunication(db: Db, message: InboundMessage, automated: AutomatedClassification, route: Route) {
  const returned = message.attachments
    .filter((a) => /^(?:message\/rfc822|text\/rfc822-headers|message\/global-headers)$/i.test(a.contentType))
    .map((a) => /^message-id:\s*(<[^>\s]+>)/im.exec(new TextDecoder().decode(a.content))?.[1])
    .find((id): id is string => !!id);
  const select = {
    id: true,
    creditorId: true,
    debtorId: true,
    invoiceId: true,
    subject: true,
    recipient: true,
    deliveryStatus: true,
  } as const;
  if (returned) {
    const sent = await db.communication.findFirst({ where: { messageId: returned, direction: "OUT" }, select });
    if (sent) return sent;
  }
  const creditorId = route.creditorId;
  if (!automated.failedRecipient || !creditorId) return null;
  return db.communication.findFirst({
    where: { creditorId, direction: "OUT", channel: "EMAIL", recipient: { equals: automated.failedRecipient, mode: "insensitive" } },
    orderBy: { occurredAt: "desc" },
    select,
  });
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
