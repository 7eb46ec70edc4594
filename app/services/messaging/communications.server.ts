import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/utils/db.server";
import { emitForTrace } from "../webhooks/outbound.server";

export type CommunicationInput = {
  /** Fixed ahead when the row's id must be known before it is written (an email's Message-ID and reply token). */
  id?: string;
  creditorId: string;
  debtorId: string;
  invoiceId?: string | null;
  direction: "OUT" | "IN";
  channel: "EMAIL" | "SMS" | "CALL" | "LETTER" | "PORTAL" | "PAYMENT" | "SYSTEM";
  /** Machine-readable event name, e.g. `dunning.email`, `portal.link_opened`, `dunning.paused`. */
  kind: string;
  templateKey?: string | null;
  subject?: string | null;
  bodyText?: string | null;
  bodyHtml?: string | null;
  recipient?: string | null;
  providerMessageId?: string | null;
  /** RFC 5322 Message-ID (with its angle brackets) of an email sent or received, and the one it answers. */
  messageId?: string | null;
  inReplyTo?: string | null;
  deliveryStatus?: "QUEUED" | "SENT" | "DELIVERED" | "BOUNCED" | "COMPLAINED" | "FAILED" | "NOT_APPLICABLE";
  actorType: "SYSTEM" | "DEBTOR" | "STAFF" | "PROVIDER";
  actorId?: string | null;
  data?: Prisma.InputJsonValue;
  occurredAt: Date;
};

/**
 * Appends to the written trace. The app never updates a trace row except its
 * delivery status. Idempotent on the provider message id: a resent email that
 * the provider deduplicated is traced once.
 */
export async function recordCommunication(db: Db, input: CommunicationInput) {
  if (input.id) {
    const existing = await db.communication.findUnique({ where: { id: input.id } });
    if (existing) return existing;
  }
  if (input.providerMessageId) {
    const existing = await db.communication.findUnique({ where: { providerMessageId: input.providerMessageId } });
    if (existing) return existing;
    const row = await db.communication.upsert({ where: { providerMessageId: input.providerMessageId }, create: input, update: {} });
    await emitForTrace(db, row);
    return row;
  }
  const row = await db.communication.create({ data: input });
  // The entries that are outbound events (payment.succeeded, reminder.sent…) queue their webhooks in the same transaction.
  await emitForTrace(db, row);
  return row;
}

/** The timeline of one debtor, newest first, always scoped to its creditor. */
export async function debtorTimeline(db: Db, creditorId: string, debtorId: string, take = 200) {
  return db.communication.findMany({
    where: { creditorId, debtorId },
    orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
    take,
  });
}
