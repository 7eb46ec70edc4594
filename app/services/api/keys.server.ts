import crypto from "node:crypto";
import type { Db } from "~/utils/db.server";

/**
 * Creditor API keys: `rl_<prefix>_<secret>`, shown once. The prefix finds the
 * row; only a SHA-256 of the whole key is stored. A fast hash is enough here:
 * the secret is 32 random bytes, so there is nothing to brute-force the way
 * there is with a password (bcrypt would only cost every API call ~50 ms).
 */
const KEY = /^rl_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export const hashApiKey = (key: string) => crypto.createHash("sha256").update(key).digest("hex");

export async function createApiKey(db: Db, creditorId: string, name: string) {
  const prefix = crypto.randomBytes(8).toString("hex").slice(0, 12);
  const secret = crypto.randomBytes(32).toString("base64url");
  const key = `rl_${prefix}_${secret}`;
  const row = await db.apiKey.create({ data: { creditorId, name: name.trim().slice(0, 100) || "API", prefix, hash: hashApiKey(key) } });
  return { id: row.id, name: row.name, prefix, key };
}

export async function listApiKeys(db: Db, creditorId: string) {
  return db.apiKey.findMany({
    where: { creditorId },
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
}

export async function revokeApiKey(db: Db, creditorId: string, id: string, now: Date) {
  const { count } = await db.apiKey.updateMany({ where: { id, creditorId, revokedAt: null }, data: { revokedAt: now } });
  return count > 0;
}

/** `lastUsedAt` is written at most once a minute per key, not on every call. */
const TOUCH_EVERY_MS = 60_000;

/** The creditor behind an `Authorization: Bearer rl_…` header, or null. */
export async function authenticateApiKey(
  db: Db,
  authorization: string | null,
  now: Date,
): Promise<{ creditorId: string; keyId: string } | null> {
  const match = KEY.exec(/^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1] ?? "");
  if (!match) return null;
  const row = await db.apiKey.findUnique({ where: { prefix: match[1]! } });
  if (!row || row.revokedAt) return null;
  const given = Buffer.from(hashApiKey(match[0]), "hex");
  const stored = Buffer.from(row.hash, "hex");
  if (given.length !== stored.length || !crypto.timingSafeEqual(given, stored)) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
    await db.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return { creditorId: row.creditorId, keyId: row.id };
}
