import { decodeJwt } from "jose";
import type { Clock } from "~/domain/clock";
import type { Db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { verifyPortalToken } from "~/utils/portal-token.server";

export type LinkBrand = { name: string; brandColor: string | null; contactEmail: string | null; contactPhone: string | null };

/**
 * Who sent an expired link, to brand the "link expired" page: the creditor its
 * `crd` claim names, once the signature is checked (only an expiry may be
 * wrong). Nothing else in the token is used, and only the creditor's public
 * name and contact are read: the page reveals nothing about the debtor.
 */
export async function brandOfExpiredLink(db: Db, token: string, clock: Clock): Promise<LinkBrand | null> {
  const verified = await verifyPortalToken(getEnv().PORTAL_TOKEN_SECRET, token, clock.now());
  if (verified.ok || verified.reason !== "expired") return null;
  let creditorId: unknown;
  try {
    creditorId = decodeJwt(token).crd;
  } catch {
    return null;
  }
  if (typeof creditorId !== "string") return null;
  const creditor = await db.creditor.findUnique({
    where: { id: creditorId },
    select: { legalName: true, brandName: true, brandColor: true, contactEmail: true, contactPhone: true },
  });
  if (!creditor) return null;
  return {
    name: creditor.brandName?.trim() || creditor.legalName,
    brandColor: creditor.brandColor,
    contactEmail: creditor.contactEmail,
    contactPhone: creditor.contactPhone,
  };
}
