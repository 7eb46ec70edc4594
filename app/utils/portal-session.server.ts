import { createCookieSessionStorage, redirect } from "@remix-run/node";
import { addDays, type Clock, systemClock } from "~/domain/clock";
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
    return createCookieSessionStorage<{ sid: string }>({
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

export type PortalIdentity = { sessionId: string; debtorId: string; creditorId: string };

/** Opens a fresh session (rotated on every link opening) and returns its Set-Cookie header. */
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
  const row = await db.portalSession.findUnique({ where: { id: sid } });
  if (!row || row.revokedAt || row.expiresAt <= clock.now()) return null;
  return { sessionId: row.id, debtorId: row.debtorId, creditorId: row.creditorId };
}

/** For portal loaders and actions: the session's debtor, or back to the "open your link" page. */
export async function requirePortalIdentity(request: Request): Promise<PortalIdentity> {
  const identity = await getPortalIdentity(request);
  if (!identity) throw redirect("/portal/expired");
  return identity;
}

export async function closePortalSession(request: Request) {
  const session = await storage().getSession(request.headers.get("Cookie"));
  const sid = session.get("sid");
  if (sid) await db.portalSession.updateMany({ where: { id: sid }, data: { revokedAt: new Date() } });
  return storage().destroySession(session);
}
