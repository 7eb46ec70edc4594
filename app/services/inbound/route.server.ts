import { emailDomain, isFreeMailDomain } from "~/domain/inbound/free-mail";
import { readReplyToken } from "~/domain/inbound/reply-token";
import type { InboundMessage } from "~/domain/inbound/types";
import type { Db } from "~/utils/db.server";
import { replyTokenSecret } from "./secrets.server";

/** How an email found its debtor (InboundEmail.routedBy). STAFF: assigned by hand (routing.server.ts). */
export type RouteBy = "TOKEN" | "THREAD" | "ADDRESS" | "DOMAIN" | "STAFF";

export type Route =
  | {
      found: true;
      by: RouteBy;
      /** What matched, for the inbox ("reply+… token", "In-Reply-To <…>", "address a@b.fr", "domain b.fr"). */
      detail: string;
      creditorId: string;
      debtorId: string;
      /** The email of ours it answers (token or thread), when known. */
      communicationId: string | null;
      invoiceId: string | null;
    }
  | { found: false; creditorId: string | null; reason: "unknown_creditor" | "unknown_sender" | "ambiguous_sender" };

/**
 * Whose email is it, in the order of certainty: our reply+<token> address (signed: names the email we
 * sent), then In-Reply-To / References pointing at one of our Message-IDs, then the sender's exact
 * address (a debtor's email or copy address, or an address staff assigned once), then the sender's
 * company domain for business debtors (never a free-mail domain). A creditor's own mailbox (IMAP) fixes
 * the creditor; otherwise the token, the thread or the address it was sent to (the creditor's reply-to or
 * contact address) says it. Two debtors sharing an address or a domain is not guessed: unrouted.
 */
export async function findRoute(db: Db, input: { message: InboundMessage; creditorId: string | null }): Promise<Route> {
  const { message } = input;
  const fixed = input.creditorId;

  // 1. The signed reply address.
  const secret = replyTokenSecret();
  for (const to of message.to) {
    const token = readReplyToken(to.address, secret);
    if (!token) continue;
    const sent = await db.communication.findUnique({
      where: { id: token.communicationId },
      select: { id: true, creditorId: true, debtorId: true, invoiceId: true },
    });
    if (sent && (!fixed || sent.creditorId === fixed)) {
      return { found: true, by: "TOKEN", detail: to.address, ...ours(sent) };
    }
  }

  // 2. The thread: the newest of our Message-IDs the email answers.
  const refs = [...new Set([message.inReplyTo, ...[...message.references].reverse()].filter((r): r is string => !!r))].slice(0, 20);
  if (refs.length > 0) {
    const sent = await db.communication.findMany({
      where: { messageId: { in: refs }, ...(fixed ? { creditorId: fixed } : {}) },
      select: { id: true, creditorId: true, debtorId: true, invoiceId: true, messageId: true },
    });
    const best = refs.map((ref) => sent.find((s) => s.messageId === ref)).find((s) => !!s);
    if (best) return { found: true, by: "THREAD", detail: best.messageId!, ...ours(best) };
  }

  const creditorId = fixed ?? (await creditorOfRecipients(db, message));
  if (!creditorId) return { found: false, creditorId: null, reason: "unknown_creditor" };
  const from = message.from?.address?.toLowerCase();
  if (!from) return { found: false, creditorId, reason: "unknown_sender" };

  // 3. The sender's exact address.
  const exact = await debtorsByAddress(db, creditorId, from);
  if (exact.length === 1) {
    return { found: true, by: "ADDRESS", detail: from, creditorId, debtorId: exact[0]!, communicationId: null, invoiceId: null };
  }
  if (exact.length > 1) return { found: false, creditorId, reason: "ambiguous_sender" };

  // 4. The company's domain (business debtors only, never gmail.com & co).
  const domain = emailDomain(from);
  if (domain && !isFreeMailDomain(domain)) {
    const byDomain = await debtorsByDomain(db, creditorId, domain);
    if (byDomain.length === 1) {
      return { found: true, by: "DOMAIN", detail: domain, creditorId, debtorId: byDomain[0]!, communicationId: null, invoiceId: null };
    }
    if (byDomain.length > 1) return { found: false, creditorId, reason: "ambiguous_sender" };
  }
  return { found: false, creditorId, reason: "unknown_sender" };
}

function ours(sent: { id: string; creditorId: string; debtorId: string; invoiceId: string | null }) {
  return { creditorId: sent.creditorId, debtorId: sent.debtorId, communicationId: sent.id, invoiceId: sent.invoiceId };
}

/** The one creditor whose reply-to or contact address the email was sent to (a relay or a shared inbound domain). */
async function creditorOfRecipients(db: Db, message: InboundMessage): Promise<string | null> {
  const to = message.to.map((a) => a.address.toLowerCase());
  if (to.length === 0) return null;
  const rows = await db.$queryRawUnsafe<{ id: string }[]>(
    `SELECT id FROM "Creditor"
     WHERE lower("replyToEmail") IN (SELECT value FROM json_array_elements_text($1::json))
        OR lower("contactEmail") IN (SELECT value FROM json_array_elements_text($1::json))
     LIMIT 2`,
    JSON.stringify(to),
  );
  return rows.length === 1 ? rows[0]!.id : null;
}

/** Debtors of the creditor with this address: their email, a copy address, or an address staff assigned. */
export async function debtorsByAddress(db: Db, creditorId: string, address: string): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<{ id: string }[]>(
    `SELECT d.id FROM "Debtor" d
     WHERE d."creditorId" = $1
       AND (lower(d.email) = $2 OR EXISTS (SELECT 1 FROM unnest(d."ccEmails") cc WHERE lower(cc) = $2))
     UNION
     SELECT k."debtorId" FROM "KnownSenderAddress" k WHERE k."creditorId" = $1 AND k.address = $2`,
    creditorId,
    address.toLowerCase(),
  );
  return rows.map((r) => r.id);
}

async function debtorsByDomain(db: Db, creditorId: string, domain: string): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<{ id: string }[]>(
    `SELECT d.id FROM "Debtor" d
     WHERE d."creditorId" = $1 AND d.kind = 'BUSINESS'
       AND (lower(split_part(d.email, '@', 2)) = $2
         OR EXISTS (SELECT 1 FROM unnest(d."ccEmails") cc WHERE lower(split_part(cc, '@', 2)) = $2))
     UNION
     SELECT k."debtorId" FROM "KnownSenderAddress" k JOIN "Debtor" d ON d.id = k."debtorId"
     WHERE k."creditorId" = $1 AND d.kind = 'BUSINESS' AND split_part(k.address, '@', 2) = $2`,
    creditorId,
    domain,
  );
  return rows.map((r) => r.id);
}
