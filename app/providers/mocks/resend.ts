import { http, HttpResponse } from "msw";
import { z } from "zod";
import { getEnv } from "~/utils/env.server";
import { emailIdForIdempotencyKey, writeEmail } from "./utils";

const base = () => (getEnv().RESEND_BASE_URL ?? "https://api.resend.com").replace(/\/$/, "");

const EmailBody = z.object({
  from: z.string(),
  to: z.union([z.string(), z.array(z.string())]),
  subject: z.string(),
  html: z.string().optional(),
  text: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  reply_to: z.union([z.string(), z.array(z.string())]).optional(),
  tags: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
  // Resend takes base64 content; the SDK encodes Buffers.
  attachments: z
    .array(z.object({ filename: z.string(), content: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/), content_type: z.string().optional() }))
    .optional(),
});

/**
 * Resend's POST /emails: validates like the real API and stores the email in the local mailbox.
 * The URL is matched per request, not when this module loads: reading the environment at import
 * would cache it (getEnv) before a test or script has finished setting it (DATA_DIR, RESEND_BASE_URL).
 */
export const resendHandlers = [
  http.post(
    ({ request }) => request.url === `${base()}/emails`,
    async ({ request }) => {
      if (!request.headers.get("authorization")?.startsWith("Bearer ")) {
        return HttpResponse.json({ statusCode: 401, name: "missing_api_key", message: "Missing API key" }, { status: 401 });
      }
      const parsed = EmailBody.safeParse(await request.json());
      if (!parsed.success) {
        return HttpResponse.json({ statusCode: 422, name: "validation_error", message: parsed.error.message }, { status: 422 });
      }
      // Like Resend: a repeated Idempotency-Key returns the first email's id and sends nothing.
      const key = request.headers.get("idempotency-key");
      const earlier = key ? emailIdForIdempotencyKey(key) : null;
      if (earlier) return HttpResponse.json({ id: earlier });
      if (process.env.MOCK_RESEND_FAIL === "500") {
        return HttpResponse.json({ statusCode: 500, name: "internal_server_error", message: "Mocked outage" }, { status: 500 });
      }
      const { to, attachments, reply_to: replyTo, headers, ...rest } = parsed.data;
      // The thread headers we set (Message-ID, In-Reply-To) and the Reply-To stay readable: the dev mailbox replies to them.
      const kept = {
        ...headers,
        ...(replyTo ? { "Reply-To": Array.isArray(replyTo) ? replyTo.join(", ") : replyTo } : {}),
        ...(key ? { "Idempotency-Key": key } : {}),
      };
      const stored = writeEmail({
        ...rest,
        to: Array.isArray(to) ? to : [to],
        headers: Object.keys(kept).length > 0 ? kept : undefined,
        attachments: attachments?.map((a) => ({ filename: a.filename, contentType: a.content_type ?? null, content: a.content })),
      });
      return HttpResponse.json({ id: stored.id });
    },
  ),
  // The sending domains and their DNS records (domains.list() / domains.get()): what the go-live checklist verifies.
  http.get(
    ({ request }) => request.url.split("?")[0] === `${base()}/domains`,
    ({ request }) => {
      if (!request.headers.get("authorization")?.startsWith("Bearer ")) return missingKey();
      const domain = mockResendDomain();
      const { records: _records, object: _object, ...listed } = domain;
      return HttpResponse.json({ object: "list", has_more: false, data: [listed] });
    },
  ),
  http.get(
    ({ request }) => request.url.startsWith(`${base()}/domains/`),
    ({ request }) => {
      if (!request.headers.get("authorization")?.startsWith("Bearer ")) return missingKey();
      const domain = mockResendDomain();
      if (!request.url.endsWith(`/domains/${domain.id}`)) {
        return HttpResponse.json({ statusCode: 404, name: "not_found", message: "Domain not found" }, { status: 404 });
      }
      return HttpResponse.json(domain);
    },
  ),
];

const missingKey = () => HttpResponse.json({ statusCode: 401, name: "missing_api_key", message: "Missing API key" }, { status: 401 });

/** The sender's domain (from EMAIL_FROM) as Resend describes it once verified: SPF (MX + TXT) and DKIM records. */
export function mockResendDomain(name = senderDomain()) {
  const record = (r: { record: "SPF" | "DKIM"; type: "MX" | "TXT"; name: string; value: string; priority?: number }) => ({
    ...r,
    ttl: "Auto",
    status: "verified" as const,
  });
  return {
    object: "domain" as const,
    id: "4dd369bc-aa82-4ff3-97de-514ae3000000",
    name,
    status: "verified" as const,
    created_at: "2026-01-05 09:00:00.000000+00",
    region: "eu-west-1" as const,
    capabilities: { sending: "enabled" as const, receiving: "disabled" as const },
    records: [
      record({ record: "SPF", type: "MX", name: "send", value: "feedback-smtp.eu-west-1.amazonses.com", priority: 10 }),
      record({ record: "SPF", type: "TXT", name: "send", value: "v=spf1 include:amazonses.com ~all" }),
      record({ record: "DKIM", type: "TXT", name: "resend._domainkey", value: "p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC" }),
    ],
  };
}

const senderDomain = () => /@([^>\s]+)>?\s*$/.exec(getEnv().EMAIL_FROM)?.[1] ?? "localhost";
