import crypto from "node:crypto";
import { replyToken } from "~/domain/inbound/reply-token";
import { getEnv } from "~/utils/env.server";
import { replyTokenSecret } from "./secrets.server";

/**
 * The thread headers of an email relance sends to a debtor. The Message-ID is ours (`<communication
 * id@domain>`), so a reply's In-Reply-To / References point back at the trace row; the Reply-To is
 * `reply+<token>@INBOUND_DOMAIN` when an inbound domain is configured, else the creditor's reply-to or
 * contact address (replies then arrive through the creditor's mailbox connection).
 */
export function outgoingThreadHeaders(
  creditor: { replyToEmail: string | null; contactEmail: string | null },
  communicationId: string,
): { messageId: string; replyTo: string | null } {
  const env = getEnv();
  const domain = env.INBOUND_DOMAIN ?? senderDomain(env.EMAIL_FROM);
  const replyTo = env.INBOUND_DOMAIN
    ? `${replyToken({ communicationId }, replyTokenSecret())}@${env.INBOUND_DOMAIN}`
    : (creditor.replyToEmail ?? creditor.contactEmail ?? null);
  return { messageId: `<${communicationId}@${domain}>`, replyTo };
}

/**
 * A cuid-shaped id ("c" + 24 base-36 characters) fixed by a key, for the trace row of an email before it
 * is sent: a retried send (same key) carries the same Message-ID and reply token as the first attempt.
 */
export function communicationIdFor(key: string): string {
  const digest = crypto.createHash("sha256").update(`communication:${key}`).digest();
  const n = BigInt(`0x${digest.subarray(0, 16).toString("hex")}`);
  return `c${n.toString(36).padStart(25, "0").slice(-24)}`;
}

function senderDomain(from: string): string {
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
  const domain = address.split("@")[1]?.trim().toLowerCase();
  return domain && /^[a-z0-9.-]+$/.test(domain) ? domain : "relance.local";
}
