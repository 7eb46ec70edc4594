import type { Db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";
import { MAX_INBOUND_BYTES, receiveInboundEmail } from "./receive.server";
import { sameSecret } from "./secrets.server";

type Reply = { status: number; body: Record<string, unknown> };

/**
 * POST /webhooks/inbound-email, for any relay that forwards raw MIME (a Postfix pipe, a provider's
 * "forward raw"): `Authorization: Bearer <INBOUND_EMAIL_SECRET>` checked in constant time before the
 * body is read, `Content-Type: message/rfc822`, at most MAX_INBOUND_BYTES. Stored and answered 202 at
 * once; the worker reads it. Without a configured secret (production) the door stays shut.
 */
export async function receiveRawInboundEmail(db: Db, request: Request): Promise<Reply> {
  const secret = getEnv().INBOUND_EMAIL_SECRET;
  if (!secret) return { status: 404, body: { error: "not_configured" } };
  const given = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "")?.[1] ?? "";
  if (!sameSecret(given, secret)) {
    logger.warn({ hasAuthorization: !!request.headers.get("authorization") }, "inbound email refused: bad secret");
    return { status: 401, body: { error: "unauthorized" } };
  }
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type !== "message/rfc822") return { status: 415, body: { error: "unsupported_media_type", expected: "message/rfc822" } };
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_INBOUND_BYTES) return tooLarge();
  const raw = await readLimited(request, MAX_INBOUND_BYTES);
  if (raw === "too_large") return tooLarge();
  if (raw.byteLength === 0) return { status: 400, body: { error: "empty_message" } };
  const { id, duplicate } = await receiveInboundEmail(db, { source: "RAW", raw });
  return { status: 202, body: { received: true, id, duplicate } };
}

function tooLarge(): Reply {
  return { status: 413, body: { error: "too_large", maxBytes: MAX_INBOUND_BYTES } };
}

/** The body, read chunk by chunk and abandoned past the limit (a lying Content-Length cannot fill memory). */
async function readLimited(request: Request, limit: number): Promise<Uint8Array | "too_large"> {
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return "too_large";
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
