import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { http, HttpResponse } from "msw";
import { getEnv } from "~/utils/env.server";
import { mailboxDir } from "./utils";

const base = () => (getEnv().RESEND_BASE_URL ?? "https://api.resend.com").replace(/\/$/, "");
const receivedDir = () => path.join(mailboxDir(), "received");

/**
 * Stands in for a message Resend Inbound received: the raw bytes are kept where the receiving API
 * mock serves them, and the id is what an `email.received` webhook would name.
 */
export function storeMockReceivedEmail(raw: Uint8Array | string): string {
  const id = crypto.randomUUID();
  fs.mkdirSync(receivedDir(), { recursive: true });
  fs.writeFileSync(path.join(receivedDir(), `${id}.eml`), raw);
  return id;
}

function readReceived(id: string): Buffer | null {
  if (!/^[0-9a-f-]{36}$/.test(id)) return null;
  try {
    return fs.readFileSync(path.join(receivedDir(), `${id}.eml`));
  } catch {
    return null;
  }
}

const notFound = () => HttpResponse.json({ statusCode: 404, name: "not_found", message: "Email not found" }, { status: 404 });
const missingKey = () => HttpResponse.json({ statusCode: 401, name: "missing_api_key", message: "Missing API key" }, { status: 401 });

/** Resend's receiving API: GET /emails/receiving/:id (with a signed raw download URL), its attachments, the raw file. */
export const resendInboundHandlers = [
  http.get(
    ({ request }) => /\/emails\/receiving\/[^/]+\/raw$/.test(new URL(request.url).pathname) && request.url.startsWith(base()),
    ({ request }) => {
      const id = new URL(request.url).pathname.split("/").at(-2)!;
      const raw = readReceived(id);
      if (!raw) return notFound();
      return new HttpResponse(raw, { headers: { "content-type": "message/rfc822" } });
    },
  ),
  http.get(
    ({ request }) => /\/emails\/receiving\/[^/]+\/attachments$/.test(new URL(request.url).pathname) && request.url.startsWith(base()),
    ({ request }) => {
      if (!request.headers.get("authorization")?.startsWith("Bearer ")) return missingKey();
      const id = new URL(request.url).pathname.split("/").at(-2)!;
      if (!readReceived(id)) return notFound();
      return HttpResponse.json({ object: "list", has_more: false, data: [] });
    },
  ),
  http.get(
    ({ request }) => /\/emails\/receiving\/[^/]+$/.test(new URL(request.url).pathname) && request.url.startsWith(base()),
    ({ request }) => {
      if (!request.headers.get("authorization")?.startsWith("Bearer ")) return missingKey();
      const id = new URL(request.url).pathname.split("/").at(-1)!;
      const raw = readReceived(id);
      if (!raw) return notFound();
      const head = raw.toString("latin1").split(/\r?\n\r?\n/)[0] ?? "";
      const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, "im").exec(head)?.[1]?.trim() ?? "";
      return HttpResponse.json({
        object: "email",
        id,
        to: [field("To")],
        from: field("From"),
        created_at: new Date().toISOString(),
        subject: field("Subject"),
        bcc: null,
        cc: null,
        reply_to: null,
        received_for: [field("To")],
        html: null,
        text: null,
        headers: null,
        message_id: field("Message-ID"),
        raw: { download_url: `${base()}/emails/receiving/${id}/raw`, expires_at: new Date(Date.now() + 3_600_000).toISOString() },
        attachments: [],
      });
    },
  ),
];
