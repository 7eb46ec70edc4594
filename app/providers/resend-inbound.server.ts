import { Resend } from "resend";
import { getEnv } from "~/utils/env.server";
import { singleton } from "~/utils/singleton.server";

export type ReceivedEmailFetch = { ok: true; raw: Uint8Array } | { ok: false; retryable: boolean; message: string };

const client = () => singleton("resend-receiving", () => new Resend(getEnv().RESEND_API_KEY ?? "re_mock_local_key"));

/**
 * An email Resend Inbound received (the `email.received` webhook names it), as raw RFC 5322 bytes: the
 * receiving API's original message (`raw.download_url`) when Resend offers it, else the message rebuilt
 * from its parts — headers, text, HTML, and each attachment downloaded from its signed URL.
 */
export async function fetchReceivedEmail(emailId: string): Promise<ReceivedEmailFetch> {
  try {
    const { data, error } = await client().emails.receiving.get(emailId, { html_format: "cid" });
    if (error || !data) return refused(error, "no response from Resend");
    if (data.raw?.download_url) {
      const response = await fetch(data.raw.download_url);
      if (response.ok) return { ok: true, raw: new Uint8Array(await response.arrayBuffer()) };
    }
    const listed = data.attachments.length > 0 ? await client().emails.receiving.attachments.list({ emailId }) : null;
    if (listed?.error) return refused(listed.error, "attachments unavailable");
    const attachments = [];
    for (const a of listed?.data?.data ?? []) {
      const response = await fetch(a.download_url);
      if (!response.ok) return { ok: false, retryable: true, message: `attachment ${a.id}: HTTP ${response.status}` };
      attachments.push({ filename: a.filename ?? null, contentType: a.content_type, content: Buffer.from(await response.arrayBuffer()) });
    }
    return { ok: true, raw: new TextEncoder().encode(rebuildMime(data, attachments)) };
  } catch (error) {
    return { ok: false, retryable: true, message: (error as Error).message };
  }
}

function refused(error: { message?: string; statusCode?: number | null } | null, fallback: string): ReceivedEmailFetch {
  const status = error?.statusCode ?? 0;
  return { ok: false, retryable: status === 0 || status === 429 || status >= 500, message: error?.message ?? fallback };
}

type Parts = {
  from: string;
  to: string[];
  subject: string;
  created_at: string;
  message_id: string;
  text: string | null;
  html: string | null;
  headers: Record<string, string> | null;
};

/** A multipart/mixed message from the receiving API's fields (its headers first, ours filling the gaps). */
export function rebuildMime(email: Parts, attachments: { filename: string | null; contentType: string; content: Buffer }[]): string {
  const boundary = `relance-${Math.random().toString(36).slice(2)}`;
  const alt = `${boundary}-alt`;
  const given = Object.fromEntries(Object.entries(email.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const header = (name: string, value: string | undefined) => (value ? `${name}: ${value.replace(/\r?\n/g, " ")}\r\n` : "");
  const b64 = (buf: Buffer) => buf.toString("base64").replace(/.{76}/g, "$&\r\n");
  const encodeWord = (s: string) => (/^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${Buffer.from(s).toString("base64")}?=`);
  let out =
    header("From", given.from ?? email.from) +
    header("To", given.to ?? email.to.join(", ")) +
    header("Subject", given.subject ?? encodeWord(email.subject)) +
    header("Date", given.date ?? new Date(email.created_at).toUTCString()) +
    header("Message-ID", given["message-id"] ?? email.message_id) +
    header("In-Reply-To", given["in-reply-to"]) +
    header("References", given.references) +
    header("Auto-Submitted", given["auto-submitted"]) +
    header("X-Autoreply", given["x-autoreply"]) +
    header("X-Auto-Response-Suppress", given["x-auto-response-suppress"]) +
    header("Precedence", given.precedence) +
    "MIME-Version: 1.0\r\n" +
    `Content-Type: multipart/mixed; boundary="${boundary}"\r\n\r\n`;
  out += `--${boundary}\r\nContent-Type: multipart/alternative; boundary="${alt}"\r\n\r\n`;
  if (email.text)
    out += `--${alt}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64(Buffer.from(email.text))}\r\n`;
  if (email.html)
    out += `--${alt}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64(Buffer.from(email.html))}\r\n`;
  out += `--${alt}--\r\n`;
  for (const a of attachments) {
    const name = encodeWord(a.filename ?? "attachment");
    out += `--${boundary}\r\nContent-Type: ${a.contentType}; name="${name}"\r\nContent-Disposition: attachment; filename="${name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64(a.content)}\r\n`;
  }
  return `${out}--${boundary}--\r\n`;
}
