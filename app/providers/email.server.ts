import { Resend } from "resend";
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
};

export type SendResult =
  | { ok: true; providerMessageId: string }
  | { ok: false; retryable: boolean; message: string };

/** Mock mode uses the real SDK with a placeholder key: the MSW handler answers its HTTP call. */
const client = () => singleton("resend", () => new Resend(getEnv().RESEND_API_KEY ?? "re_mock_local_key"));

export async function sendEmail(email: OutgoingEmail): Promise<SendResult> {
  const env = getEnv();
  try {
    const { data, error } = await client().emails.send(
      {
        from: env.EMAIL_FROM,
        to: [email.to],
        subject: email.subject,
        html: email.html,
        text: email.text,
        tags: Object.entries(email.tags ?? {}).map(([name, value]) => ({ name, value: value.replace(/[^\w-]/g, "_") })),
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

/** A syntactically usable address (the provider is the judge of deliverability). */
export function isUsableEmail(address: string | null | undefined): address is string {
  return !!address && /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(address);
}
