import crypto from "node:crypto";
import { getEnv } from "~/utils/env.server";

/**
 * Keys derived from the app secret (SESSION_SECRET), one per purpose, so a key leaked from one use
 * (a reply token's MAC) says nothing about another (the mailbox passwords' encryption).
 */
function derive(purpose: string, bytes = 32): Buffer {
  return Buffer.from(crypto.hkdfSync("sha256", getEnv().SESSION_SECRET, "relance", purpose, bytes));
}

/** The HMAC secret of reply+<token> addresses (domain/inbound/reply-token.ts). */
export function replyTokenSecret(): string {
  return derive("reply-token").toString("hex");
}

const VERSION = "v1";

/** AES-256-GCM under a key derived from the app secret: `v1.<iv>.<tag>.<ciphertext>` (base64url). */
export function encryptSecret(clear: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", derive("mailbox-password"), iv);
  const body = Buffer.concat([cipher.update(clear, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
}

/** The clear text of encryptSecret's output; throws when it was altered or made under another app secret. */
export function decryptSecret(sealed: string): string {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error("Not an encrypted secret.");
  const decipher = crypto.createDecipheriv("aes-256-gcm", derive("mailbox-password"), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}

/** Constant-time comparison of two secrets of any length (the lengths leak, not the contents). */
export function sameSecret(given: string, expected: string): boolean {
  const a = crypto.createHash("sha256").update(given).digest();
  const b = crypto.createHash("sha256").update(expected).digest();
  return crypto.timingSafeEqual(a, b) && given.length === expected.length;
}
