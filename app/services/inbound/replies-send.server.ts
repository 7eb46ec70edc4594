import type { Clock } from "~/domain/clock";
import { sendEmail } from "~/providers/email.server";
import type { Db } from "~/utils/db.server";
import { buildPortalInvoice, buildPortalStatement } from "../documents/documents.server";
import { creditorName } from "../accounts/support.server";
import { recordCommunication } from "../messaging/communications.server";
import { communicationIdFor, outgoingThreadHeaders } from "./reply-address.server";
import type { QueuedReply } from "./replies.server";
import { consumerMediatorOf, mediatorLine } from "~/domain/mediation/mediator";
import { translate } from "~/i18n";

type Outcome = { status: "sent" } | { status: "failed"; retryable: boolean; message: string };

/**
 * Sends an email staff wrote or asked for (a thread answer, the documents a debtor requested), claimed
 * by the outbox sender: threaded with In-Reply-To / References, its PDFs built now, and traced as an
 * outgoing EMAIL with its own Message-ID so the debtor's next answer joins the thread. The outbox row's
 * key is the provider's idempotency key: a retried send never doubles.
 */
export async function sendQueuedReply(
  db: Db,
  row: { id: string; creditorId: string; debtorId: string; idempotencyKey: string; payload: unknown },
  clock: Clock,
): Promise<Outcome> {
  const payload = row.payload as QueuedReply;
  const now = clock.now();
  const debtor = await db.debtor.findFirstOrThrow({
    where: { id: row.debtorId, creditorId: row.creditorId },
    include: {
      creditor: {
        select: {
          legalName: true,
          brandName: true,
          contactEmail: true,
          replyToEmail: true,
          consumerMediatorName: true,
          consumerMediatorUrl: true,
          consumerMediatorAddr: true,
        },
      },
    },
  });
  const identity = { sessionId: "", creditorId: row.creditorId, debtorId: row.debtorId };
  const locale = debtor.locale === "en" ? "en" : "fr";
  const attachments: { filename: string; content: Buffer; contentType: string }[] = [];
  for (const invoiceId of payload.invoiceCopies) {
    const invoice = await db.invoice.findFirst({ where: { id: invoiceId, creditorId: row.creditorId, debtorId: row.debtorId } });
    const pdf = invoice ? await buildPortalInvoice(db, identity, invoiceId, now, locale) : null;
    if (invoice && pdf) attachments.push({ filename: `${invoice.number}.pdf`, content: pdf, contentType: "application/pdf" });
  }
  if (payload.statement) {
    const pdf = await buildPortalStatement(db, identity, now, locale);
    attachments.push({
      filename: locale === "en" ? "statement.pdf" : "releve-de-compte.pdf",
      content: pdf,
      contentType: "application/pdf",
    });
  }
  // Fixed by the outbox key: a retried send carries the same Message-ID and reply address as the first.
  const communicationId = communicationIdFor(row.idempotencyKey);
  const { messageId, replyTo } = outgoingThreadHeaders(debtor.creditor, communicationId);
  const html = `<div style="font-family:Arial,sans-serif;font-size:15px;line-height:1.5">${payload.text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`)
    .join("")}</div>`;
  // Every email to a consumer names the consumer mediator (C. conso. L616-1), staff's own words too.
  const mediator = debtor.kind === "CONSUMER" ? consumerMediatorOf(debtor.creditor) : null;
  const mention = mediator ? translate(locale, "mediation.mention", { mediator: mediatorLine(mediator) }) : null;
  const result = await sendEmail({
    to: payload.to,
    subject: payload.subject,
    html: mention ? `${html}<p style="font-family:Arial,sans-serif;font-size:13px;color:#555">${escapeHtml(mention)}</p>` : html,
    text: mention ? `${payload.text}\n\n${mention}` : payload.text,
    idempotencyKey: row.idempotencyKey,
    tags: { kind: "reply" },
    attachments: attachments.length > 0 ? attachments : undefined,
    messageId,
    inReplyTo: payload.inReplyTo,
    references: payload.references,
    fromName: creditorName(debtor.creditor),
    replyTo,
  });
  if (!result.ok) return { status: "failed", retryable: result.retryable, message: result.message };
  await recordCommunication(db, {
    id: communicationId,
    creditorId: row.creditorId,
    debtorId: row.debtorId,
    direction: "OUT",
    channel: "EMAIL",
    kind: payload.kind,
    subject: payload.subject,
    bodyText: payload.text,
    bodyHtml: html,
    recipient: payload.to,
    providerMessageId: result.providerMessageId,
    // The thread ids: the debtor's answer to this email joins the thread.
    messageId,
    inReplyTo: payload.inReplyTo,
    deliveryStatus: "SENT",
    actorType: "STAFF",
    actorId: payload.actorId,
    data: { references: payload.references, attachments: attachments.map((a) => a.filename) },
    occurredAt: now,
  });
  return { status: "sent" };
}

function escapeHtml(text: string) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
