import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * A Reply-To address that says, by itself, which creditor, debtor and communication a reply belongs to:
 * `reply+<token>@<inbound domain>`, where the token packs the three ids and an HMAC-SHA256 of them
 * (truncated to 16 bytes) under a server secret. Nothing is stored: the address is checked and read
 * with the secret alone, and any changed character fails the MAC.
 *
 * The token is base32 (RFC 4648, lower case, no padding) because mail systems may change the case of a
 * local part. Ids are packed compactly: a Prisma cuid ("c" + 24 base-36 chars) or a UUID in 16 bytes,
 * anything else as its UTF-8 bytes with a length. Three cuids give a 109-character token (a 115-character local part): longer than
 * RFC 5321's 64-octet local part, which most receiving servers do not enforce; see README.md.
 */
export interface ReplyTokenIds {
  creditorId: string;
  debtorId: string;
  communicationId: string;
}

const VERSION = 1;
const MAC_BYTES = 16;
const LOCAL_PART = /^reply\+([a-z2-7]+)$/;
enum IdKind {
  Cuid = 1,
  Uuid = 2,
  Raw = 3,
}

/** The local part (`reply+<token>`) to put before `@<inbound domain>` in a Reply-To. */
export function replyToken(ids: ReplyTokenIds, secret: string): string {
  const payload = Buffer.concat([Buffer.from([VERSION]), packId(ids.creditorId), packId(ids.debtorId), packId(ids.communicationId)]);
  return `reply+${base32Encode(Buffer.concat([payload, mac(payload, secret)]))}`;
}

/** The ids in a reply address (`reply+<token>@domain`, a bare local part, or `Name <…>`), or null if forged. */
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
  const ids: string[] = [];
  let offset = 1;
  while (offset < payload.length) {
    const read = unpackId(payload, offset);
    if (!read) return null;
    ids.push(read.id);
    offset = read.next;
  }
  if (ids.length !== 3) return null;
  return { creditorId: ids[0]!, debtorId: ids[1]!, communicationId: ids[2]! };
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
  if (raw.length === 0 || raw.length > 255) throw new Error(`Cannot pack id of ${raw.length} bytes in a reply token.`);
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
