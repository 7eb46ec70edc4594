import crypto from "node:crypto";
import { addDays, type Clock } from "~/domain/clock";
import type { Db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { signPortalToken } from "~/utils/portal-token.server";
import { MAX_SELECTED } from "../portal/links.server";

/**
 * Short portal links for SMS (decision 026): `/s/<code>` instead of the ~300-character signed token.
 * The code is a 12-character random name (71 bits) of one AccessLink row — the same row, expiry,
 * revocation and single-debtor scope as a long link; resolving it signs the long token again and hands
 * over to the ordinary magic-link landing (/p/<token>), which keeps its scanner-safe logic.
 */
const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
export const SHORT_CODE = /^[A-Za-z0-9]{12}$/;

function newCode(): string {
  // Rejection sampling keeps every character equally likely.
  let code = "";
  while (code.length < 12) {
    for (const byte of crypto.randomBytes(16)) {
      if (byte < 256 - (256 % ALPHABET.length) && code.length < 12) code += ALPHABET[byte % ALPHABET.length];
    }
  }
  return code;
}

export async function issueShortPortalLink(
  db: Db,
  debtor: { id: string; creditorId: string },
  opts: { clock: Clock; select?: string[] },
): Promise<{ url: string; code: string; expiresAt: Date }> {
  const creditor = await db.creditor.findUniqueOrThrow({ where: { id: debtor.creditorId }, select: { portalLinkDays: true } });
  const expiresAt = addDays(opts.clock.now(), creditor.portalLinkDays);
  const code = newCode();
  await db.accessLink.create({
    data: {
      jti: crypto.randomUUID(),
      creditorId: debtor.creditorId,
      debtorId: debtor.id,
      expiresAt,
      shortCode: code,
      selectIds: (opts.select ?? []).slice(0, MAX_SELECTED),
    },
  });
  return { url: `${getEnv().APP_URL}/s/${code}`, code, expiresAt };
}

/**
 * Where a short code leads: the long link of its row (re-signed with the row's own jti and expiry, so
 * an expired or revoked one lands on the usual "expired" / "not valid" page), or null for an unknown code.
 */
export async function resolveShortCode(db: Db, code: string): Promise<string | null> {
  if (!SHORT_CODE.test(code)) return null;
  const link = await db.accessLink.findUnique({ where: { shortCode: code } });
  if (!link) return null;
  const token = await signPortalToken(getEnv().PORTAL_TOKEN_SECRET, {
    debtorId: link.debtorId,
    creditorId: link.creditorId,
    jti: link.jti,
    expiresAt: link.expiresAt,
  });
  const query = link.selectIds.length > 0 ? `?select=${link.selectIds.map(encodeURIComponent).join(",")}` : "";
  return `/p/${token}${query}`;
}
