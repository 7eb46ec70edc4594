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

/** Constant-time-ish: a missing user still costs one bcrypt comparison. */
const DUMMY_HASH = "$2b$10$/67BkPZw6Np/Wn.yu3bMIO.C3NcgnD9hv7fNgNChji4fkVRdvu9T2";

export async function verifyLogin(email: string, password: string) {
  const user = await db.user.findUnique({ where: { email: email.trim().toLowerCase() } });
  const ok = await bcrypt.compare(password, user?.passwordHash ?? DUMMY_HASH);
  return ok && user?.passwordHash ? user : null;
}

export async function startStaffSession(user: { id: string; creditorId: string }, request: Request) {
  const row = await db.session.create({
    data: { userId: user.id, creditorId: user.creditorId, expiresAt: new Date(Date.now() + SESSION_HOURS * 3_600_000) },
  });
  const session = await storage().getSession(request.headers.get("Cookie"));
  session.set("sid", row.id);
  return storage().commitSession(session);
}

export async function getStaff(request: Request): Promise<Staff | null> {
  const session = await storage().getSession(request.headers.get("Cookie"));
  const sid = session.get("sid");
  if (!sid) return null;
  const row = await db.session.findUnique({ where: { id: sid }, include: { user: true } });
  if (!row || row.expiresAt <= new Date()) return null;
  return { userId: row.userId, creditorId: row.creditorId, role: row.user.role, name: row.user.name, email: row.user.email, sessionId: row.id };
}

/** Every back-office loader/action starts here: signed in, and at least `role`. */
export async function requireStaff(request: Request, role: StaffRole = "VIEWER"): Promise<Staff> {
  const staff = await getStaff(request);
  if (!staff) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  if (RANK[staff.role] < RANK[role]) throw new Response("Forbidden", { status: 403 });
  return staff;
}

export async function endStaffSession(request: Request) {
  const session = await storage().getSession(request.headers.get("Cookie"));
  const sid = session.get("sid");
  if (sid) await db.session.deleteMany({ where: { id: sid } });
  return storage().destroySession(session);
}
