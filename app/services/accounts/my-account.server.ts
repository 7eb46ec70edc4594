import type { Clock } from "~/domain/clock";
import type { Db } from "~/utils/db.server";
import { hashPassword, passwordMatches } from "~/utils/staff-session.server";
import { recordAudit } from "./audit.server";
import { StaffAccountError, type Actor } from "./schemas";
import { inTransaction } from "./support.server";

/** The signed-in user's own account: sessions and password. */

export async function listMySessions(db: Db, actor: Actor, now: Date) {
  const rows = await db.session.findMany({
    where: { userId: actor.userId, creditorId: actor.creditorId, expiresAt: { gt: now } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true, createdAt: true, userAgent: true },
  });
  return rows.map((r) => ({ ...r, current: r.id === actor.sessionId }));
}

/** Ends every session of the user but the one making the request. */
export async function signOutOtherSessions(db: Db, actor: Actor, clock: Clock) {
  const now = clock.now();
  const { count } = await db.session.deleteMany({
    where: { userId: actor.userId, creditorId: actor.creditorId, id: { not: actor.sessionId ?? "" } },
  });
  await recordAudit(db, {
    creditorId: actor.creditorId,
    actorUserId: actor.userId,
    action: "account.sessions_revoked",
    targetType: "User",
    targetId: actor.userId,
    meta: { count },
    at: now,
  });
  return count;
}

/** Needs the current password; other devices are signed out (whoever knew the old password is out). */
export async function changePassword(db: Db, actor: Actor, input: { currentPassword: string; password: string }, clock: Clock) {
  const user = await db.user.findFirst({ where: { id: actor.userId, creditorId: actor.creditorId, deactivatedAt: null } });
  if (!user) throw new StaffAccountError("not_found");
  if (!(await passwordMatches(input.currentPassword, user.passwordHash))) throw new StaffAccountError("wrong_password");
  const passwordHash = await hashPassword(input.password);
  const now = clock.now();
  return inTransaction(db, async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    const sessions = await tx.session.deleteMany({ where: { userId: user.id, id: { not: actor.sessionId ?? "" } } });
    await tx.passwordResetCode.updateMany({ where: { userId: user.id, usedAt: null }, data: { usedAt: now } });
    await recordAudit(tx, {
      creditorId: actor.creditorId,
      actorUserId: actor.userId,
      action: "account.password_changed",
      targetType: "User",
      targetId: actor.userId,
      meta: { sessionsRevoked: sessions.count },
      at: now,
    });
    return sessions.count;
  });
}
