import { createCookieSessionStorage, redirect } from "@remix-run/node";
import bcrypt from "bcryptjs";
import { db } from "./db.server";
import { getEnv } from "./env.server";
import { singleton } from "./singleton.server";

/** Back-office sessions: a signed cookie naming a Session row (revocable, expires). */
const storage = () =>
  singleton("staff-session-storage", () => {
    const env = getEnv();
    return createCookieSessionStorage<{ sid: string }>({
      cookie: {
        name: "__staff",
        httpOnly: true,
        sameSite: "lax",
        path: "/",
        secure: env.NODE_ENV === "production" && env.APP_URL.startsWith("https:"),
        secrets: [env.SESSION_SECRET],
        maxAge: 60 * 60 * 12,
      },
    });
  });

export type StaffRole = "OWNER" | "AGENT" | "VIEWER";
export type Staff = { userId: string; creditorId: string; role: StaffRole; name: string; email: string; sessionId: string };

const RANK: Record<StaffRole, number> = { VIEWER: 0, AGENT: 1, OWNER: 2 };
const SESSION_HOURS = 12;
/** bcrypt cost: ~70 ms per hash with bcryptjs on the 2-core reference machine. */
const BCRYPT_COST = 10;

/** Constant-time-ish: a missing user still costs one bcrypt comparison. */
const DUMMY_HASH = "$2b$10$/67BkPZw6Np/Wn.yu3bMIO.C3NcgnD9hv7fNgNChji4fkVRdvu9T2";

export const hashPassword = (password: string) => bcrypt.hash(password, BCRYPT_COST);

/** Compares against a dummy hash when there is none, so a wrong address costs the same time as a wrong password. */
export const passwordMatches = (password: string, hash: string | null | undefined) =>
  bcrypt.compare(password, hash ?? DUMMY_HASH).then((ok) => ok && !!hash);

/** The user behind these credentials, or null (unknown address, wrong password, deactivated member). */
export async function verifyLogin(email: string, password: string) {
  const user = await db.user.findUnique({ where: { email: email.trim().toLowerCase() } });
  const ok = await passwordMatches(password, user?.passwordHash);
  return ok && user && !user.deactivatedAt ? user : null;
}

/**
 * Opens a Session row and returns the Set-Cookie header naming it. A session
 * the browser already held (another account, an older sign-in) is ended.
 */
export async function startStaffSession(user: { id: string; creditorId: string }, request: Request) {
  const session = await storage().getSession(request.headers.get("Cookie"));
  const previous = session.get("sid");
  if (previous) await db.session.deleteMany({ where: { id: previous } });
  const row = await db.session.create({
    data: {
      userId: user.id,
      creditorId: user.creditorId,
      expiresAt: new Date(Date.now() + SESSION_HOURS * 3_600_000),
      userAgent: request.headers.get("User-Agent")?.slice(0, 300) ?? null,
    },
  });
  session.set("sid", row.id);
  return storage().commitSession(session);
}

export async function getStaff(request: Request): Promise<Staff | null> {
  const session = await storage().getSession(request.headers.get("Cookie"));
  const sid = session.get("sid");
  if (!sid) return null;
  const row = await db.session.findUnique({ where: { id: sid }, include: { user: true } });
  if (!row || row.expiresAt <= new Date() || row.user.deactivatedAt) return null;
  // The role is read from the user on every request: a role change applies at once.
  return {
    userId: row.userId,
    creditorId: row.creditorId,
    role: row.user.role,
    name: row.user.name,
    email: row.user.email,
    sessionId: row.id,
  };
}

export const hasRole = (staff: { role: StaffRole }, role: StaffRole) => RANK[staff.role] >= RANK[role];

/** Every back-office loader/action starts here: signed in, and at least `role`. */
export async function requireStaff(request: Request, role: StaffRole = "VIEWER"): Promise<Staff> {
  const staff = await getStaff(request);
  if (!staff) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  if (!hasRole(staff, role)) throw new Response("Forbidden", { status: 403 });
  return staff;
}

/** Signs out: the Session row is deleted (the sign-out is recorded in the staff audit trail). */
export async function endStaffSession(request: Request) {
  const session = await storage().getSession(request.headers.get("Cookie"));
  const sid = session.get("sid");
  if (sid) {
    const row = await db.session.findUnique({ where: { id: sid }, select: { userId: true, creditorId: true } });
    await db.session.deleteMany({ where: { id: sid } });
    if (row) {
      await db.auditEvent.create({
        data: { creditorId: row.creditorId, actorUserId: row.userId, action: "auth.logout", targetType: "User", targetId: row.userId },
      });
    }
  }
  return storage().destroySession(session);
}
