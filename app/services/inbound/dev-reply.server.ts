import crypto from "node:crypto";
import { systemClock, type Clock } from "~/domain/clock";
import { composeReplyMime } from "~/domain/inbound/compose-mime";
import { replySubject } from "~/domain/inbound/threads";
import type { Db } from "~/utils/db.server";
import { receiveInboundEmail } from "./receive.server";
import { outgoingThreadHeaders } from "./reply-address.server";

/** An email the mocked provider "sent" (the dev mailbox's JSON files), as much as a reply needs. */
export type SentMockEmail = { id: string; to: string[]; subject: string; text: string; createdAt: string };

/**
 * Development: answers an email of the dev mailbox as the debtor would, with a real MIME reply
 * (In-Reply-To and References = that email's Message-ID, To = its Reply-To, the original quoted) fed to
 * the same pipeline as real replies (source DEV). With `fromUnknown`, the message comes from that
 * address instead, written fresh to the creditor's address with no threading headers: an unknown sender.
 */
export async function replyAsDebtor(
  db: Db,
  input: { email: SentMockEmail; text: string; fromUnknown?: string | null; clock?: Clock },
): Promise<{ id: string; duplicate: boolean }> {
  const clock = input.clock ?? systemClock;
  const sent = await db.communication.findUnique({
    where: { providerMessageId: input.email.id },
    select: {
      id: true,
      creditorId: true,
      messageId: true,
      creditor: { select: { legalName: true, brandName: true, contactEmail: true, replyToEmail: true } },
    },
  });
  // Where a reply to this email goes: what the Reply-To said when it was sent (same function, same ids).
  const replyTo = sent ? outgoingThreadHeaders(sent.creditor, sent.id).replyTo : null;
  const creditorAddress = sent?.creditor.replyToEmail ?? sent?.creditor.contactEmail ?? "compta@localhost";
  const unknown = input.fromUnknown?.trim().toLowerCase() || null;
  const raw = composeReplyMime({
    from: { address: unknown ?? input.email.to[0] ?? "debiteur@localhost" },
    to: unknown ? creditorAddress : (replyTo ?? creditorAddress),
    subject: replySubject(input.email.subject),
    text: input.text,
    date: clock.now(),
    messageId: `dev-${crypto.randomUUID()}@mailbox.localhost`,
    inReplyTo: unknown ? null : (sent?.messageId ?? null),
    quoted: unknown
      ? null
      : {
          from: sent?.creditor.brandName ?? sent?.creditor.legalName ?? "relance",
          date: new Date(input.email.createdAt),
          text: input.email.text,
        },
  });
  return receiveInboundEmail(db, { source: "DEV", raw: Buffer.from(raw, "utf8"), creditorId: sent?.creditorId ?? null, clock });
}
