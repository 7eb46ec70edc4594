import crypto from "node:crypto";
import type { Clock } from "~/domain/clock";
import { sendEmail } from "~/providers/email.server";
import type { Db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";
import { hashPassword } from "~/utils/staff-session.server";
import { renderStaffEmail } from "../../../emails/index";
import { recordAudit } from "./audit.server";
import { INVITATION_DAYS, StaffAccountError, type Actor, type Locale, type Role } from "./schemas";
import { creditorName, inTransaction } from "./support.server";

/**
 * The team of one creditor: invitations, roles, deactivation. Team changes
 * are for owners only, checked here as well as in the routes.
 */

const sha256 = (value: string) => crypto.createHash("sha256").update(value).digest("hex");
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

function requireOwner(actor: Actor) {
  if (actor.role !== "OWNER") throw new StaffAccountError("forbidden");
}

/**
 * Team changes of one creditor run one at a time (the creditor row is locked),
 * and the actor must still be an active owner when it is their turn: two
 * owners demoting each other at once cannot leave the team without one.
 */
async function lockTeam(tx: Db, actor: Actor) {
  await tx.$queryRaw`SELECT "id" FROM "Creditor" WHERE "id" = ${actor.creditorId} FOR UPDATE`;
  const me = await tx.user.findFirst({
    where: { id: actor.userId, creditorId: actor.creditorId, role: "OWNER", deactivatedAt: null },
    select: { id: true },
  });
  if (!me) throw new StaffAccountError("forbidden");
}

async function memberOf(tx: Db, actor: Actor, userId: string) {
  const user = await tx.user.findFirst({ where: { id: userId, creditorId: actor.creditorId } });
  if (!user) throw new StaffAccountError("not_found");
  return user;
}

async function otherActiveOwners(tx: Db, creditorId: string, userId: string) {
  return tx.user.count({ where: { creditorId, role: "OWNER", deactivatedAt: null, id: { not: userId } } });
}

export async function teamOverview(db: Db, creditorId: string, now: Date) {
  const [members, invitations] = await Promise.all([
    db.user.findMany({
      where: { creditorId },
      orderBy: [{ name: "asc" }, { id: "asc" }],
      select: { id: true, name: true, email: true, role: true, lastLoginAt: true, deactivatedAt: true },
    }),
    db.staffInvitation.findMany({
      where: { creditorId, acceptedAt: null, revokedAt: null },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: { id: true, email: true, role: true, expiresAt: true, createdAt: true, invitedBy: { select: { name: true } } },
    }),
  ]);
  return {
    members: [...members].sort((a, b) => Number(!!a.deactivatedAt) - Number(!!b.deactivatedAt)),
    invitations: invitations.map((i) => ({ ...i, expired: i.expiresAt <= now })),
  };
}

/**
 * Invites a colleague: a single-use link valid 7 days, emailed in the
 * inviter's language. A new invitation to the same address replaces the
 * pending one. An address that already has an account cannot be invited.
 * Traced once the email is out; an invitation whose email failed is revoked.
 */
export async function inviteColleague(db: Db, actor: Actor, input: { email: string; role: Role; locale: Locale }, clock: Clock) {
  requireOwner(actor);
  const now = clock.now();
  const address = input.email.trim().toLowerCase();
  const token = crypto.randomBytes(32).toString("base64url");
  const invitation = await inTransaction(db, async (tx) => {
    await lockTeam(tx, actor);
    if (await tx.user.findUnique({ where: { email: address }, select: { id: true } })) throw new StaffAccountError("already_member");
    await tx.staffInvitation.updateMany({
      where: { creditorId: actor.creditorId, email: address, acceptedAt: null, revokedAt: null },
      data: { revokedAt: now },
    });
    const created = await tx.staffInvitation.create({
      data: {
        creditorId: actor.creditorId,
        email: address,
        role: input.role,
        locale: input.locale,
        tokenHash: sha256(token),
        invitedById: actor.userId,
        expiresAt: new Date(now.getTime() + INVITATION_DAYS * 86_400_000),
        createdAt: now,
      },
      include: { creditor: { select: { legalName: true, brandName: true } }, invitedBy: { select: { name: true } } },
    });
    return created;
  });
  const rendered = await renderStaffEmail("staff_invitation", {
    locale: input.locale,
    inviterName: invitation.invitedBy?.name ?? "",
    creditorName: creditorName(invitation.creditor),
    role: input.role,
    expiresAt: invitation.expiresAt,
    actionUrl: `${getEnv().APP_URL}/invitations/${token}`,
  });
  const sent = await sendEmail({
    to: address,
    ...rendered,
    idempotencyKey: `staff-invitation:${invitation.id}`,
    tags: { kind: "staff_invitation" },
  });
  if (!sent.ok) {
    // An invitation nobody received must not stay usable: the owner is told to try again.
    await db.staffInvitation.update({ where: { id: invitation.id }, data: { revokedAt: now } });
    logger.warn({ invitationId: invitation.id, message: sent.message }, "invitation email failed");
    throw new StaffAccountError("email_failed");
  }
  await recordAudit(db, {
    creditorId: actor.creditorId,
    actorUserId: actor.userId,
    action: "team.invitation_sent",
    targetType: "StaffInvitation",
    targetId: invitation.id,
    meta: { email: address, role: input.role },
    at: now,
  });
  return { id: invitation.id };
}

export async function revokeInvitation(db: Db, actor: Actor, invitationId: string, clock: Clock) {
  requireOwner(actor);
  const now = clock.now();
  return inTransaction(db, async (tx) => {
    await lockTeam(tx, actor);
    const invitation = await tx.staffInvitation.findFirst({ where: { id: invitationId, creditorId: actor.creditorId } });
    if (!invitation) throw new StaffAccountError("not_found");
    if (invitation.acceptedAt || invitation.revokedAt) return false;
    await tx.staffInvitation.update({ where: { id: invitation.id }, data: { revokedAt: now } });
    await recordAudit(tx, {
      creditorId: actor.creditorId,
      actorUserId: actor.userId,
      action: "team.invitation_revoked",
      targetType: "StaffInvitation",
      targetId: invitation.id,
      meta: { email: invitation.email, role: invitation.role },
      at: now,
    });
    return true;
  });
}

/** An owner may step down (another active owner must remain); nobody else's role can leave the team without an owner either. */
export async function changeRole(db: Db, actor: Actor, userId: string, role: Role, clock: Clock) {
  requireOwner(actor);
  const now = clock.now();
  return inTransaction(db, async (tx) => {
    await lockTeam(tx, actor);
    const member = await memberOf(tx, actor, userId);
    if (member.role === role) return false;
    if (member.role === "OWNER" && !member.deactivatedAt && (await otherActiveOwners(tx, actor.creditorId, member.id)) === 0) {
      throw new StaffAccountError("last_owner");
    }
    await tx.user.update({ where: { id: member.id }, data: { role } });
    await recordAudit(tx, {
      creditorId: actor.creditorId,
      actorUserId: actor.userId,
      action: "team.role_changed",
      targetType: "User",
      targetId: member.id,
      meta: { name: member.name, email: member.email, from: member.role, to: role },
      at: now,
    });
    return true;
  });
}

/** Removes a member's access: no sign-in, sessions and reset codes end. Rows stay for the trace. */
export async function deactivateMember(db: Db, actor: Actor, userId: string, clock: Clock) {
  requireOwner(actor);
  if (userId === actor.userId) throw new StaffAccountError("self");
  const now = clock.now();
  return inTransaction(db, async (tx) => {
    await lockTeam(tx, actor);
    const member = await memberOf(tx, actor, userId);
    if (member.deactivatedAt) return false;
    if (member.role === "OWNER" && (await otherActiveOwners(tx, actor.creditorId, member.id)) === 0)
      throw new StaffAccountError("last_owner");
    await tx.user.update({ where: { id: member.id }, data: { deactivatedAt: now } });
    const sessions = await tx.session.deleteMany({ where: { userId: member.id } });
    await tx.passwordResetCode.updateMany({ where: { userId: member.id, usedAt: null }, data: { usedAt: now } });
    await recordAudit(tx, {
      creditorId: actor.creditorId,
      actorUserId: actor.userId,
      action: "team.member_deactivated",
      targetType: "User",
      targetId: member.id,
      meta: { name: member.name, email: member.email, sessionsRevoked: sessions.count },
      at: now,
    });
    return true;
  });
}

export async function reactivateMember(db: Db, actor: Actor, userId: string, clock: Clock) {
  requireOwner(actor);
  const now = clock.now();
  return inTransaction(db, async (tx) => {
    await lockTeam(tx, actor);
    const member = await memberOf(tx, actor, userId);
    if (!member.deactivatedAt) return false;
    await tx.user.update({ where: { id: member.id }, data: { deactivatedAt: null } });
    await recordAudit(tx, {
      creditorId: actor.creditorId,
      actorUserId: actor.userId,
      action: "team.member_reactivated",
      targetType: "User",
      targetId: member.id,
      meta: { name: member.name, email: member.email },
      at: now,
    });
    return true;
  });
}

// ---- accepting an invitation ----

/** The invitation behind an emailed link, if it can still be accepted. Reads only (mail scanners follow links). */
export async function findOpenInvitation(db: Db, token: string, now: Date) {
  if (!TOKEN.test(token)) return null;
  const invitation = await db.staffInvitation.findUnique({
    where: { tokenHash: sha256(token) },
    include: { creditor: { select: { legalName: true, brandName: true } }, invitedBy: { select: { name: true } } },
  });
  if (!invitation || invitation.acceptedAt || invitation.revokedAt || invitation.expiresAt <= now) return null;
  return {
    id: invitation.id,
    email: invitation.email,
    role: invitation.role,
    expiresAt: invitation.expiresAt,
    creditorName: creditorName(invitation.creditor),
    inviterName: invitation.invitedBy?.name ?? null,
  };
}

/** Creates the colleague's account from the link, once. The caller signs them in. */
export async function acceptInvitation(db: Db, token: string, input: { name: string; password: string }, clock: Clock) {
  const now = clock.now();
  const open = await findOpenInvitation(db, token, now);
  if (!open) throw new StaffAccountError("invitation_invalid");
  const passwordHash = await hashPassword(input.password);
  try {
    return await inTransaction(db, async (tx) => {
      const claimed = await tx.staffInvitation.updateMany({
        where: { id: open.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
        data: { acceptedAt: now },
      });
      if (claimed.count === 0) throw new StaffAccountError("invitation_invalid");
      const invitation = await tx.staffInvitation.findUniqueOrThrow({ where: { id: open.id } });
      if (await tx.user.findUnique({ where: { email: invitation.email }, select: { id: true } }))
        throw new StaffAccountError("already_member");
      const user = await tx.user.create({
        data: {
          creditorId: invitation.creditorId,
          email: invitation.email,
          name: input.name.trim(),
          role: invitation.role,
          passwordHash,
          locale: invitation.locale,
          lastLoginAt: now,
        },
      });
      await tx.staffInvitation.update({ where: { id: invitation.id }, data: { acceptedUserId: user.id } });
      await recordAudit(tx, {
        creditorId: invitation.creditorId,
        actorUserId: user.id,
        action: "team.invitation_accepted",
        targetType: "StaffInvitation",
        targetId: invitation.id,
        meta: { name: user.name, email: user.email, role: user.role },
        at: now,
      });
      return { id: user.id, creditorId: user.creditorId };
    });
  } catch (error) {
    if ((error as { code?: string } | null)?.code === "P2002") throw new StaffAccountError("already_member");
    throw error;
  }
}
