import { findDate } from "./dates";
import type { InboundMessage } from "./types";
import { visibleReply } from "./visible-reply";
import { words } from "./words";

/**
 * Is this a person, an auto-reply or a bounce? Read from RFC 3834 headers (Auto-Submitted other than
 * "no"), the vendor headers (X-Autoreply, X-Autorespond, X-Auto-Response-Suppress, Precedence), the
 * out-of-office subjects FR/EN, and RFC 3464 delivery status notifications. Each reason is a `signal`.
 */
export interface AutomatedClassification {
  kind: "human" | "auto_reply" | "bounce";
  /** For an out-of-office: the day the person says they are back. */
  returnDate?: Date;
  /** For a bounce: the address that failed, and its RFC 3463 status (e.g. "5.1.1"). */
  failedRecipient?: string;
  status?: string;
  signals: string[];
}

const OUT_OF_OFFICE_SUBJECT = words(
  /\b(?:absence\s+du\s+bureau|absent(?:e)?\s+du\s+bureau|réponse\s+automatique|message\s+d'absence|out\s+of\s+(?:the\s+)?office|automatic\s+reply|auto(?:matic)?[\s-]?reply|autoreply|auto[\s-]?response|absence)\b/i,
);
const BOUNCE_SUBJECT = words(
  /\b(?:undelivered\s+mail|undeliverable|delivery\s+status\s+notification\s+\(failure\)|mail\s+delivery\s+(?:failed|failure)|returned\s+mail|non\s+remis|échec\s+de\s+(?:la\s+)?remise|message\s+non\s+distribué)\b/i,
);
const DAEMON = /^(?:mailer-daemon|postmaster|mail-daemon)@/i;
// An explicit return ("de retour le", "back on") wins over the last day away ("jusqu'au", "until").
const RETURN_PHRASES = [
  words(
    /\b(?:de\s+retour|retour\s+prévu|je\s+reviens|back\s+(?:in\s+the\s+office\s+)?(?:on\s+)?|returning(?:\s+on)?|return(?:\s+on)?)\b/gi,
  ),
  words(/\b(?:jusqu['’](?:au|à)|until)\b/gi),
];

export function classifyAutomated(message: InboundMessage, now: Date = message.date ?? new Date()): AutomatedClassification {
  const signals: string[] = [];
  const h = message.headers;

  // A delivery status notification: RFC 3464 report, or a daemon writing about an undelivered message.
  const contentType = (h["content-type"] ?? "").toLowerCase();
  const isReport = contentType.startsWith("multipart/report") && /report-type=["']?delivery-status/.test(contentType);
  if (isReport) signals.push("Content-Type: multipart/report; report-type=delivery-status");
  if (message.from && DAEMON.test(message.from.address)) signals.push(`From: ${message.from.address}`);
  if (BOUNCE_SUBJECT.test(message.subject)) signals.push(`Subject: ${message.subject}`);
  if (h["x-failed-recipients"]) signals.push(`X-Failed-Recipients: ${h["x-failed-recipients"]}`);
  const dsn = readDeliveryStatus(message);
  if (isReport || signals.length >= 2 || h["x-failed-recipients"]) {
    if (dsn.action && dsn.action !== "failed") {
      signals.push(`Action: ${dsn.action}`);
      return { kind: "auto_reply", signals };
    }
    const failedRecipient = dsn.recipient ?? h["x-failed-recipients"]?.split(",")[0]?.trim() ?? undefined;
    return { kind: "bounce", signals, ...(failedRecipient ? { failedRecipient } : {}), ...(dsn.status ? { status: dsn.status } : {}) };
  }
  signals.length = 0;

  const autoSubmitted = h["auto-submitted"]?.trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== "no") signals.push(`Auto-Submitted: ${h["auto-submitted"]}`);
  if (h["x-autoreply"] !== undefined) signals.push(`X-Autoreply: ${h["x-autoreply"]}`);
  if (h["x-autorespond"] !== undefined) signals.push(`X-Autorespond: ${h["x-autorespond"]}`);
  if (h["x-auto-response-suppress"] !== undefined) signals.push(`X-Auto-Response-Suppress: ${h["x-auto-response-suppress"]}`);
  const precedence = (h.precedence ?? h["x-precedence"] ?? "").trim().toLowerCase();
  if (["auto_reply", "bulk", "junk", "list"].includes(precedence)) signals.push(`Precedence: ${precedence}`);
  if (OUT_OF_OFFICE_SUBJECT.test(message.subject)) signals.push(`Subject: ${message.subject}`);
  if (signals.length === 0) return { kind: "human", signals };

  const returnDate = findReturnDate(visibleReply(message), now);
  return { kind: "auto_reply", signals, ...(returnDate ? { returnDate } : {}) };
}

/** The first date after a "de retour le / back on" phrase, else after a "jusqu'au / until". */
function findReturnDate(text: string, now: Date): Date | undefined {
  for (const phrase of RETURN_PHRASES) {
    for (const m of text.matchAll(phrase)) {
      const after = text.slice(m.index + m[0].length, m.index + m[0].length + 60);
      const found = findDate(after, now, "fr") ?? findDate(after, now, "en");
      if (found) return found.date;
    }
  }
  return undefined;
}

interface DeliveryStatus {
  recipient?: string;
  action?: string;
  status?: string;
}

/** The first per-recipient block of a message/delivery-status part (RFC 3464 §2.3). */
function readDeliveryStatus(message: InboundMessage): DeliveryStatus {
  const part = message.attachments.find((a) => /^(?:message|text)\/(?:global-)?delivery-status$/i.test(a.contentType));
  const text = part ? new TextDecoder().decode(part.content) : message.text;
  const field = (name: string) => new RegExp(`^${name}:\\s*(.+)$`, "im").exec(text)?.[1]?.trim();
  const recipient = (field("Final-Recipient") ?? field("Original-Recipient"))?.replace(/^rfc822;\s*/i, "").toLowerCase();
  const action = field("Action")?.toLowerCase();
  const status = field("Status")?.split(/\s/)[0];
  return { ...(recipient ? { recipient } : {}), ...(action ? { action } : {}), ...(status ? { status } : {}) };
}
