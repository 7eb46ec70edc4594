import crypto from "node:crypto";
import { createCookieSessionStorage, redirect } from "@remix-run/node";
import { isbot } from "isbot";
import { addDays, type Clock, systemClock } from "~/domain/clock";
import { recordLinkOpened } from "~/services/portal/access.server";
import { db } from "./db.server";
import { getEnv } from "./env.server";
import { singleton } from "./singleton.server";

/**
 * The debtor's portal session: a signed cookie naming a PortalSession row
 * (revocable server-side). One session = one debtor of one creditor; every
 * portal query filters on both.
 */
const storage = () =>
  singleton("portal-session-storage", () => {
    const env = getEnv();
    return createCookieSessionStorage<{ sid: string; opening?: PendingOpening }>({
      cookie: {
        name: "__portal",
        httpOnly: true,
        sameSite: "lax",
        path: "/",
        secure: env.NODE_ENV === "production" && env.APP_URL.startsWith("https:"),
        secrets: [env.SESSION_SECRET],
        maxAge: 60 * 60 * 24 * 7,
      },
    });
  });

export const PORTAL_SESSION_DAYS = 7;
/** How long the cookie set by /p/:token may wait for its first portal page. */
const OPENING_MINUTES = 15;

/**
 * A verified link whose session is not created yet: the session id is chosen
 * up front, the row (and the "link opened" trace) only when a person's
 * browser brings the cookie back to a portal page.
 */
type PendingOpening = { debtorId: string; creditorId: string; accessLinkId: string; until: number; previous?: string };

export type PortalIdentity = { sessionId: string; debtorId: string; creditorId: string };

/** Opens a session at once (staff tools and tests; the magic link goes through startPortalOpening) and returns its Set-Cookie header. */
export async function openPortalSession(
  identity: { debtorId: string; creditorId: string; accessLinkId: string },
  request: Request,
  clock: Clock = systemClock,
): Promise<string> {
  const row = await db.portalSession.create({
    data: {
      debtorId: identity.debtorId,
      creditorId: identity.creditorId,
      accessLinkId: identity.accessLinkId,
      expiresAt: addDays(clock.now(), PORTAL_SESSION_DAYS),
    },
  });
  const session = await storage().getSession(request.headers.get("Cookie"));
  const previous = session.get("sid");
  if (previous) await db.portalSession.updateMany({ where: { id: previous }, data: { revokedAt: clock.now() } });
  session.set("sid", row.id);
  return storage().commitSession(session);
}

// Link scanners (Safe Links, Proofpoint, Barracuda, Mimecast…) fetch every URL of a
// mail; isbot knows most of them, these few present themselves otherwise.
const SCANNER_AGENTS = /safe ?links|microsoft office|ms-office|defender|url-?protect|linkscan/i;

/** HEAD, no user agent, or a known crawler or mail scanner: never a person opening the portal. */
export function isAutomatedVisit(request: Request): boolean {
  if (request.method === "HEAD") return true;
  const agent = request.headers.get("User-Agent") ?? "";
  return !agent.trim() || isbot(agent) || SCANNER_AGENTS.test(agent);
}

/**
 * /p/:token, after the link was verified: writes nothing to the database. The
 * cookie names the session to be, and the first portal page that brings it
 * back (a person's browser, not a scanner) opens it: see claimOpening.
 */
export async function startPortalOpening(
  identity: { debtorId: string; creditorId: string; accessLinkId: string },
  request: Request,
  clock: Clock = systemClock,
): Promise<string> {
  const session = await storage().getSession(request.headers.get("Cookie"));
  const previous = session.get("sid");
  session.set("sid", crypto.randomUUID());
  session.set("opening", {
    debtorId: identity.debtorId,
    creditorId: identity.creditorId,
    accessLinkId: identity.accessLinkId,
    until: clock.now().getTime() + OPENING_MINUTES * 60_000,
    ...(previous ? { previous } : {}),
  });
  return storage().commitSession(session);
}

/**
 * The opening is consumed once: the session row is created with the id the
 * cookie carries (a second request with the same cookie, a reload or a
 * parallel loader, finds it and records nothing), together with the link's
 * last use and the one `portal.link_opened` trace.
 */
async function claimOpening(sid: string, opening: PendingOpening, request: Request, clock: Clock): Promise<boolean> {
  const now = clock.now();
  if (opening.until <= now.getTime() || isAutomatedVisit(request)) return false;
  return db.$transaction(async (tx) => {
    const link = await tx.accessLink.findFirst({
      where: {
        id: opening.accessLinkId,
        debtorId: opening.debtorId,
        creditorId: opening.creditorId,
        revokedAt: null,
        expiresAt: { gt: now },
      },
      select: { id: true },
    });
    if (!link) return false;
    const created = await tx.portalSession.createMany({
      data: [
        {
          id: sid,
          debtorId: opening.debtorId,
          creditorId: opening.creditorId,
          accessLinkId: opening.accessLinkId,
          expiresAt: addDays(now, PORTAL_SESSION_DAYS),
        },
      ],
      skipDuplicates: true,
    });
    if (created.count === 0) return true;
    if (opening.previous) {
      await tx.portalSession.updateMany({
        where: { id: opening.previous, creditorId: opening.creditorId, revokedAt: null },
        data: { revokedAt: now },
      });
    }
    await recordLinkOpened(tx, opening, clock, request.headers.get("User-Agent"));
    return true;
  });
}

/** A page's loaders (layout + page) run on one Request: the session row is read once per request. */
const identityOfRequest = new WeakMap<Request, Promise<PortalIdentity | null>>();

export function getPortalIdentity(request: Request, clock: Clock = systemClock): Promise<PortalIdentity | null> {
  if (clock !== systemClock) return readPortalIdentity(request, clock);
  let identity = identityOfRequest.get(request);
  if (!identity) {
    identity = readPortalIdentity(request, clock);
    identityOfRequest.set(request, identity);
  }
  return identity;
}

async function readPortalIdentity(request: Request, clock: Clock): Promise<PortalIdentity | null> {
  const session = await storage().getSession(request.headers.get("Cookie"));
  const sid = session.get("sid");
  if (!sid) return null;
  let row = await db.portalSession.findUnique({ where: { id: sid } });
  const opening = session.get("opening");
  if (!row && opening && (await claimOpening(sid, opening, request, clock))) {
    row = await db.portalSession.findUnique({ where: { id: sid } });
  }
  if (!row || row.revokedAt || row.expiresAt <= clock.now()) return null;
  return { sessionId: row.id, debtorId: row.debtorId, creditorId: row.creditorId };
}

/** For portal loaders and actions: the session's debtor, or back to the "open your link" page. */
export async function requirePortalIdentity(request: Request): Promise<PortalIdentity> {
  const identity = await getPortalIdentity(request);
  if (!identity) throw redirect("/portal/expired");
  return identity;
}
