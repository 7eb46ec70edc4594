import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * A Reply-To address that says, by itself, which of our emails a reply answers: `reply+<token>@<inbound
 * domain>`, where the token packs the communication id and an HMAC-SHA256 of it (truncated to 10 bytes,
 * 80 bits) under a server secret. The communication names its creditor and debtor, so nothing else is
 * carried; any changed character fails the MAC, checked in constant time.
 *
 * The token is base32 (RFC 4648, lower case, no padding) because mail systems may change the case of a
 * local part. A Prisma cuid ("c" + 24 base-36 chars) or a UUID packs in 16 bytes: the local part is then
 * 51 characters, inside RFC 5321's 64-octet limit. Other ids are packed as UTF-8 (up to 24 bytes).
 */
export interface ReplyTokenIds {
  communicationId: string;
}

const VERSION = 2;
const MAC_BYTES = 10;
/** RFC 5321 §4.5.3.1.1. */
export const MAX_LOCAL_PART = 64;
const LOCAL_PART = /^reply\+([a-z2-7]+)$/;
enum IdKind {
  Cuid = 1,
  Uuid = 2,
  Raw = 3,
}

/** The local part (`reply+<token>`, at most 64 characters) to put before `@<inbound domain>` in a Reply-To. */
export function replyToken(ids: ReplyTokenIds, secret: string): string {
  const payload = Buffer.concat([Buffer.from([VERSION]), packId(ids.communicationId)]);
  const local = `reply+${base32Encode(Buffer.concat([payload, mac(payload, secret)]))}`;
  if (local.length > MAX_LOCAL_PART) throw new Error(`The id ${ids.communicationId} is too long for a reply token.`);
  return local;
}

/** The communication in a reply address (`reply+<token>@domain`, a bare local part, or `Name <…>`), or null if forged. */
export function readReplyToken(address: string, secret: string): ReplyTokenIds | null {
  const bare = /<([^>]*)>/.exec(address)?.[1] ?? address;
  const local = bare.trim().split("@")[0]!.toLowerCase();
  const token = LOCAL_PART.exec(local)?.[1];
  if (!token) return null;
  const bytes = base32Decode(token);
  if (!bytes || bytes.length <= MAC_BYTES + 1) return null;
  const payload = bytes.subarray(0, bytes.length - MAC_BYTES);
  const given = bytes.subarray(bytes.length - MAC_BYTES);
  if (!timingSafeEqual(given, mac(payload, secret))) return null;
  if (payload[0] !== VERSION) return null;
  const read = unpackId(payload, 1);
  if (!read || read.next !== payload.length) return null;
  return { communicationId: read.id };
}

function mac(payload: Buffer, secret: string): Buffer {
  if (secret.length < 16) throw new Error("The reply-token secret must be at least 16 characters.");
  return createHmac("sha256", secret).update("relance reply token\0").update(payload).digest().subarray(0, MAC_BYTES);
}

const CUID = /^c[0-9a-z]{24}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function packId(id: string): Buffer {
  if (CUID.test(id)) {
    return Buffer.concat([
      Buffer.from([IdKind.Cuid]),
      toBytes(
        [...id.slice(1)].reduce((n, ch) => n * 36n + BigInt(parseInt(ch, 36)), 0n),
        16,
      ),
    ]);
  }
  if (UUID.test(id)) return Buffer.concat([Buffer.from([IdKind.Uuid]), Buffer.from(id.replace(/-/g, ""), "hex")]);
  const raw = Buffer.from(id, "utf8");
  if (raw.length === 0 || raw.length > 24) throw new Error(`Cannot pack id of ${raw.length} bytes in a reply token.`);
  return Buffer.concat([Buffer.from([IdKind.Raw, raw.length]), raw]);
}

function unpackId(bytes: Buffer, offset: number): { id: string; next: number } | null {
  const kind = bytes[offset];
  if (kind === IdKind.Cuid || kind === IdKind.Uuid) {
    if (offset + 17 > bytes.length) return null;
    const body = bytes.subarray(offset + 1, offset + 17);
    if (kind === IdKind.Uuid) {
      const hex = body.toString("hex");
      return { id: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`, next: offset + 17 };
    }
    const n = BigInt(`0x${body.toString("hex")}`);
    return { id: `c${n.toString(36).padStart(24, "0")}`, next: offset + 17 };
  }
  if (kind === IdKind.Raw) {
    const length = bytes[offset + 1];
    if (length === undefined || offset + 2 + length > bytes.length) return null;
    return { id: bytes.subarray(offset + 2, offset + 2 + length).toString("utf8"), next: offset + 2 + length };
  }
  return null;
}

function toBytes(n: bigint, length: number): Buffer {
  return Buffer.from(n.toString(16).padStart(length * 2, "0"), "hex");
}

const ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

function base32Encode(bytes: Buffer): string {
  let out = "";
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

function base32Decode(text: string): Buffer | null {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of text) {
    const index = ALPHABET.indexOf(ch);
    if (index < 0) return null;
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  // Leftover bits must be the zero padding of the last character, else the text was altered.
  if (bits >= 5 || (value & ((1 << bits) - 1)) !== 0) return null;
  return Buffer.from(out);
}
