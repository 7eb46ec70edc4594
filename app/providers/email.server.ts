import crypto from "node:crypto";
import { Resend } from "resend";
import { Webhook, WebhookVerificationError } from "svix";
import { z } from "zod";
import { getEnv } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";
import { singleton } from "~/utils/singleton.server";

export type OutgoingEmail = {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Same key → the provider sends once (Resend keeps it 24 h): a retried send never doubles. */
  idempotencyKey: string;
  tags?: Record<string, string>;
  /** E.g. the formal notice PDF. */
  attachments?: { filename: string; content: Buffer; contentType: string }[];
  /** Where the debtor's reply goes (reply+<token>@inbound domain, or the creditor's address). */
  replyTo?: string | null;
  /** Our Message-ID (`<id@domain>`), and In-Reply-To / References when answering a thread. */
  messageId?: string;
  inReplyTo?: string | null;
  references?: string[];
  /** The creditor's sender name, shown as the From display name (the address stays EMAIL_FROM's). */
  fromName?: string | null;
};

export type SendResult = { ok: true; providerMessageId: string } | { ok: false; retryable: boolean; message: string };

/** Mock mode uses the real SDK with a placeholder key: the MSW handler answers its HTTP call. */
const client = () => singleton("resend", () => new Resend(getEnv().RESEND_API_KEY ?? "re_mock_local_key"));

export async function sendEmail(email: OutgoingEmail): Promise<SendResult> {
  const env = getEnv();
  try {
    const { data, error } = await client().emails.send(
      {
        from: email.fromName ? fromWithName(env.EMAIL_FROM, email.fromName) : env.EMAIL_FROM,
        to: [email.to],
        subject: email.subject,
        html: email.html,
        text: email.text,
        tags: Object.entries(email.tags ?? {}).map(([name, value]) => ({ name, value: value.replace(/[^\w-]/g, "_") })),
        attachments: email.attachments?.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })),
        ...(email.replyTo ? { replyTo: email.replyTo } : {}),
        ...(threadHeaders(email) ? { headers: threadHeaders(email) } : {}),
      },
      { idempotencyKey: email.idempotencyKey },
    );
    if (error || !data) {
      const status = (error as { statusCode?: number | null } | null)?.statusCode ?? 0;
      const retryable = status === 0 || status === 429 || status >= 500;
      logger.warn({ status, error }, "email provider refused the message");
      return { ok: false, retryable, message: error?.message ?? "no response from the email provider" };
    }
    return { ok: true, providerMessageId: data.id };
  } catch (error) {
    logger.warn({ err: error }, "email provider unreachable");
    return { ok: false, retryable: true, message: (error as Error).message };
  }
}

/** EMAIL_FROM's address under another display name, quoted (RFC 5322): "Atelier Durand" <factures@atelier.fr>. */
export function fromWithName(from: string, name: string): string {
  const address = /<([^>]+)>\s*$/.exec(from)?.[1] ?? from.trim();
  const display = name
    .replace(/[\r\n]+/g, " ")
    .replace(/["\\]/g, (c) => `\\${c}`)
    .trim();
  return display ? `"${display}" <${address}>` : from;
}

function threadHeaders(email: OutgoingEmail): Record<string, string> | undefined {
  const headers: Record<string, string> = {};
  if (email.messageId) headers["Message-ID"] = email.messageId;
  if (email.inReplyTo) headers["In-Reply-To"] = email.inReplyTo;
  if (email.references?.length) headers.References = email.references.join(" ");
  return Object.keys(headers).length > 0 ? headers : undefined;
}

/** A syntactically usable address (the provider is the judge of deliverability). */
export function isUsableEmail(address: string | null | undefined): address is string {
  return !!address && /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(address);
}

/** In mock mode a local secret stands in for Resend's, so the whole loop can be signed offline. */
export function resendWebhookSecret(): string {
  const env = getEnv();
  if (env.RESEND_WEBHOOK_SECRET) return env.RESEND_WEBHOOK_SECRET;
  const key = crypto.createHash("sha256").update(`resend-webhook:${env.SESSION_SECRET}`).digest("base64");
  return `whsec_${key}`;
}

const ResendEvent = z.object({
  type: z.string(),
  created_at: z.string(),
  data: z
    .object({
      email_id: z.string(),
      to: z.array(z.string()).optional(),
      bounce: z.object({ message: z.string().optional(), type: z.string().optional() }).optional(),
    })
    .loose(),
});
export type ResendEvent = z.infer<typeof ResendEvent>;

export type WebhookCheck = { ok: true; eventId: string; event: ResendEvent } | { ok: false; reason: "signature" | "payload" };

/** Verifies a Resend (svix) webhook on the raw body: signature and timestamp tolerance. */
export function verifyResendWebhook(rawBody: string, headers: { get(name: string): string | null }): WebhookCheck {
  const h = {
    "svix-id": headers.get("svix-id") ?? "",
    "svix-timestamp": headers.get("svix-timestamp") ?? "",
    "svix-signature": headers.get("svix-signature") ?? "",
  };
  try {
    new Webhook(resendWebhookSecret()).verify(rawBody, h);
  } catch (error) {
    // The library parses the body after checking the signature: a parse error means a signed but malformed body.
    return { ok: false, reason: error instanceof WebhookVerificationError ? "signature" : "payload" };
  }
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return { ok: false, reason: "payload" };
  }
  const parsed = ResendEvent.safeParse(json);
  if (!parsed.success) return { ok: false, reason: "payload" };
  return { ok: true, eventId: h["svix-id"], event: parsed.data };
}

/** Signs a payload like Resend does (tests and the local sandbox). */
export function signResendWebhook(id: string, payload: string, at = new Date()) {
  return {
    "svix-id": id,
    "svix-timestamp": String(Math.floor(at.getTime() / 1000)),
    "svix-signature": new Webhook(resendWebhookSecret()).sign(id, at, payload),
  };
}

export type SenderDomainCheck =
  | {
      ok: true;
      domain: string;
      found: boolean;
      status: string | null;
      records: { record: string; type: string; name: string; status: string }[];
    }
  | { ok: false; domain: string; message: string };

/** The domain reminders are sent from (EMAIL_FROM), e.g. "relance <factures@atelier.fr>" → "atelier.fr". */
export function senderDomain(from = getEnv().EMAIL_FROM): string {
  return /@([^>\s]+)>?\s*$/.exec(from)?.[1]?.toLowerCase() ?? "";
}

/**
 * Go-live checklist: the sender's domain as Resend knows it (domains.list(), then domains.get() for its DNS
 * records and their status), or Resend's own words when the key is refused.
 */
export async function verifySenderDomain(): Promise<SenderDomainCheck> {
  const domain = senderDomain();
  try {
    const listed = await client().domains.list();
    if (listed.error || !listed.data) return { ok: false, domain, message: listed.error?.message ?? "no response from Resend" };
    const match = listed.data.data.find((d) => d.name.toLowerCase() === domain);
    if (!match) return { ok: true, domain, found: false, status: null, records: [] };
    const detail = await client().domains.get(match.id);
    if (detail.error || !detail.data) return { ok: false, domain, message: detail.error?.message ?? "no response from Resend" };
    return {
      ok: true,
      domain,
      found: true,
      status: detail.data.status,
      records: detail.data.records.map((r) => ({ record: r.record, type: r.type, name: r.name, status: r.status })),
    };
  } catch (error) {
    return { ok: false, domain, message: (error as Error).message };
  }
}
