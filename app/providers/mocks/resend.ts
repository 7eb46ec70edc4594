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
      const { to, attachments, ...rest } = parsed.data;
      const stored = writeEmail({
        ...rest,
        to: Array.isArray(to) ? to : [to],
        headers: key ? { "Idempotency-Key": key } : undefined,
        attachments: attachments?.map((a) => ({ filename: a.filename, contentType: a.content_type ?? null, content: a.content })),
      });
      return HttpResponse.json({ id: stored.id });
    },
  ),
];
