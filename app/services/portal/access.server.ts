import { decodeJwt } from "jose";
import type { Clock } from "~/domain/clock";
import { isUsableEmail, sendEmail } from "~/providers/email.server";
import type { Db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";
import { verifyPortalToken } from "~/utils/portal-token.server";
import { renderEmail } from "../../../emails/index";
import { issuePortalLink } from "./links.server";
import { recordCommunication } from "../messaging/communications.server";
import { logoUrl } from "../documents/logo.server";
import { consumerMediatorOf } from "~/domain/mediation/mediator";

export type LinkCheck =
  { ok: true; debtorId: string; creditorId: string; accessLinkId: string } | { ok: false; reason: "expired" | "invalid" | "revoked" };

/** Verifies a magic link against its signature, claims and AccessLink row. Reads only: the opening is recorded by the first portal page (getPortalIdentity). */
export async function checkPortalLink(db: Db, token: string, clock: Clock): Promise<LinkCheck> {
  const verified = await verifyPortalToken(getEnv().PORTAL_TOKEN_SECRET, token, clock.now());
  if (!verified.ok) return { ok: false, reason: verified.reason };
  const { claims } = verified;
  const link = await db.accessLink.findUnique({ where: { jti: claims.jti } });
  if (!link || link.debtorId !== claims.debtorId || link.creditorId !== claims.creditorId) return { ok: false, reason: "invalid" };
  if (link.revokedAt) return { ok: false, reason: "revoked" };
  if (link.expiresAt <= clock.now()) return { ok: false, reason: "expired" };
  return { ok: true, debtorId: link.debtorId, creditorId: link.creditorId, accessLinkId: link.id };
}

export async function recordLinkOpened(
  db: Db,
  link: { debtorId: string; creditorId: string; accessLinkId: string },
  clock: Clock,
  userAgent: string | null,
) {
  await db.accessLink.update({ where: { id: link.accessLinkId }, data: { lastUsedAt: clock.now() } });
  await recordCommunication(db, {
    creditorId: link.creditorId,
    debtorId: link.debtorId,
    direction: "IN",
    channel: "PORTAL",
    kind: "portal.link_opened",
    actorType: "DEBTOR",
    actorId: link.debtorId,
    data: { userAgent: userAgent?.slice(0, 200) ?? null },
    occurredAt: clock.now(),
  });
}

/**
 * "Send me a fresh link": only for a genuine link that has expired, and only to
 * the address on file. The caller answers the same thing whatever happens.
 */
export async function resendPortalLink(db: Db, token: string, clock: Clock): Promise<void> {
  const verified = await verifyPortalToken(getEnv().PORTAL_TOKEN_SECRET, token, clock.now());
  if (verified.ok || verified.reason !== "expired") return;
  const jti = (() => {
    try {
      return decodeJwt(token).jti;
    } catch {
      return undefined;
    }
  })();
  if (!jti) return;
  const link = await db.accessLink.findUnique({ where: { jti }, include: { debtor: true, creditor: true } });
  if (!link || link.revokedAt || !isUsableEmail(link.debtor.email)) return;
  const fresh = await issuePortalLink(db, link.debtor, { clock });
  const rendered = await renderEmail("portal_link", {
    locale: link.debtor.locale,
    creditor: {
      legalName: link.creditor.legalName,
      brandName: link.creditor.brandName,
      brandColor: link.creditor.brandColor,
      siren: link.creditor.siren,
      contactEmail: link.creditor.contactEmail,
      contactPhone: link.creditor.contactPhone,
      logoUrl: logoUrl(link.creditor),
      // Named to a consumer only (renderEmail blanks it for a business).
      consumerMediator: consumerMediatorOf(link.creditor),
    },
    debtor: { name: link.debtor.name, kind: link.debtor.kind },
    portalUrl: fresh.url,
  } as never);
  const result = await sendEmail({
    to: link.debtor.email,
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    idempotencyKey: `portal-link:${link.id}:${clock.now().toISOString().slice(0, 13)}`,
    fromName: link.creditor.senderName ?? link.creditor.brandName ?? link.creditor.legalName,
    tags: { kind: "portal_link" },
  });
  if (!result.ok) {
    logger.warn({ debtorId: link.debtorId }, "fresh portal link could not be sent");
    return;
  }
  await recordCommunication(db, {
    creditorId: link.creditorId,
    debtorId: link.debtorId,
    direction: "OUT",
    channel: "EMAIL",
    kind: "portal.link_resent",
    templateKey: "portal_link",
    subject: rendered.subject,
    bodyText: rendered.text,
    recipient: link.debtor.email,
    providerMessageId: result.providerMessageId,
    deliveryStatus: "SENT",
    actorType: "DEBTOR",
    actorId: link.debtorId,
    occurredAt: clock.now(),
  });
}

/** Staff action: every link of the debtor stops working, open portal sessions end. */
export async function revokeAllLinks(db: Db, creditorId: string, debtorId: string, actor: { userId: string }, clock: Clock) {
  const now = clock.now();
  const links = await db.accessLink.updateMany({ where: { creditorId, debtorId, revokedAt: null }, data: { revokedAt: now } });
  await db.portalSession.updateMany({ where: { creditorId, debtorId, revokedAt: null }, data: { revokedAt: now } });
  await recordCommunication(db, {
    creditorId,
    debtorId,
    direction: "OUT",
    channel: "SYSTEM",
    kind: "portal.links_revoked",
    actorType: "STAFF",
    actorId: actor.userId,
    data: { count: links.count },
    occurredAt: now,
  });
  return links.count;
}
