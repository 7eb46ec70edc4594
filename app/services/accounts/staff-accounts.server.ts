import crypto from "node:crypto";
import { z } from "zod";
import type { Clock } from "~/domain/clock";
import type { Prisma, PrismaClient } from "~/generated/prisma/client";
import { sendEmail } from "~/providers/email.server";
import type { Db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";
import { hashPassword, passwordMatches } from "~/utils/staff-session.server";
import { renderStaffEmail } from "../../../emails/index";

/**
 * Staff accounts: password reset by emailed code, invitations, roles,
 * deactivation, the user's own password and sessions. Every change is written
 * to `AuditEvent` (who, what, when) and every query is scoped to the acting
 * user's creditor. Team changes are for owners only, checked here as well as
 * in the routes.
 */

export type Role = "OWNER" | "AGENT" | "VIEWER";
export type Actor = { userId: string; creditorId: string; role: Role; sessionId?: string };
type Locale = "fr" | "en";

export const ROLES = ["OWNER", "AGENT", "VIEWER"] as const satisfies readonly Role[];
export const MIN_PASSWORD_LENGTH = 10;
export const RESET_CODE_MINUTES = 15;
export const MAX_CODE_ATTEMPTS = 5;
/** A mailbox cannot be flooded, and a code cannot be guessed by asking for new ones: 3 codes an hour per account. */
export const MAX_CODES_PER_HOUR = 3;
export const INVITATION_DAYS = 7;

export type StaffAccountErrorCode =
  | "forbidden"
  | "not_found"
  | "self"
  | "last_owner"
  | "already_member"
  | "invalid_code"
  | "invitation_invalid"
  | "wrong_password"
  | "email_failed";

export class StaffAccountError extends Error {
  constructor(public readonly code: StaffAccountErrorCode) {
    super(code);
    this.name = "StaffAccountError";
  }
}

// ---- form schemas (server-side; messages are i18n keys of app/i18n/areas/accounts.ts) ----

const email = z
  .string({ message: "accounts.errors.email" })
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: "accounts.errors.email" }));
const newPassword = z
  .string({ message: "accounts.errors.passwordShort" })
  .min(MIN_PASSWORD_LENGTH, "accounts.errors.passwordShort")
  // bcrypt reads 72 bytes: a longer password would be silently cut.
  .refine((p) => Buffer.byteLength(p, "utf8") <= 72, "accounts.errors.passwordLong");
const confirmation = { confirm: z.string({ message: "accounts.errors.confirm" }) };
const matching = <T extends { password: string; confirm: string }>(data: T) => data.password === data.confirm;
const mismatch = { message: "accounts.errors.confirm", path: ["confirm"] };

export const ForgotPasswordSchema = z.object({ email });
export const ResetPasswordSchema = z
  .object({
    email,
    code: z
      .string({ message: "accounts.errors.codeFormat" })
      .transform((s) => s.replace(/\s+/g, ""))
      .pipe(z.string().regex(/^\d{6}$/, "accounts.errors.codeFormat")),
    password: newPassword,
    ...confirmation,
  })
  .refine(matching, mismatch);
export const AcceptInvitationSchema = z
  .object({
    name: z.string({ message: "accounts.errors.name" }).trim().min(1, "accounts.errors.name").max(100, "accounts.errors.nameLong"),
    password: newPassword,
    ...confirmation,
  })
  .refine(matching, mismatch);
export const ChangePasswordSchema = z
  .object({
    currentPassword: z.string({ message: "accounts.errors.currentPassword" }).min(1, "accounts.errors.currentPassword"),
    password: newPassword,
    ...confirmation,
  })
  .refine(matching, mismatch);
export const InviteSchema = z.object({ email, role: z.enum(ROLES, { message: "accounts.errors.role" }) });

// ---- audit trail ----

export const AUDIT_ACTIONS = [
  "auth.login",
  "auth.logout",
  "auth.reset_requested",
  "auth.reset_code_locked",
  "auth.password_reset",
  "account.password_changed",
  "account.sessions_revoked",
  "team.invitation_sent",
  "team.invitation_revoked",
  "team.invitation_accepted",
  "team.role_changed",
  "team.member_deactivated",
  "team.member_reactivated",
  "webhook.retried",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export async function recordAudit(
  db: Db,
  e: { creditorId: string; actorUserId: string | null; action: AuditAction; targetType: "User" | "StaffInvitation" | "WebhookEvent"; targetId: string | null; meta?: Prisma.InputJsonValue; at: Date },
) {
  return db.auditEvent.create({
    data: { creditorId: e.creditorId, actorUserId: e.actorUserId, action: e.action, targetType: e.targetType, targetId: e.targetId, meta: e.meta, createdAt: e.at },
  });
}

export async function recentAuditEvents(db: Db, creditorId: string, take = 30) {
  return db.auditEvent.findMany({
    where: { creditorId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    include: { actor: { select: { name: true } } },
  });
}

// ---- helpers ----

const sha256 = (value: string) => crypto.createHash("sha256").update(value).digest("hex");
/** Six digits are few: the stored form is keyed with the server secret, so a copy of the table alone reveals nothing. */
const codeHash = (userId: string, code: string) => crypto.createHmac("sha256", getEnv().SESSION_SECRET).update(`reset:${userId}:${code}`).digest("hex");
const minutes = (n: number) => n * 60_000;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Runs `fn` in a transaction, or in the caller's when `db` already is one. */
function inTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  return "$transaction" in db ? (db as PrismaClient).$transaction((tx) => fn(tx), { timeout: 30_000 }) : fn(db);
}

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
  const me = await tx.user.findFirst({ where: { id: actor.userId, creditorId: actor.creditorId, role: "OWNER", deactivatedAt: null }, select: { id: true } });
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

const creditorName = (c: { legalName: string; brandName: string | null }) => c.brandName?.trim() || c.legalName;

// ---- sign-in ----

/** After a successful password check: remembers when and in which language, and traces it. */
export async function recordSignIn(db: Db, user: { id: string; creditorId: string }, locale: Locale, clock: Clock) {
  const now = clock.now();
  await db.user.update({ where: { id: user.id }, data: { lastLoginAt: now, locale } });
  await recordAudit(db, { creditorId: user.creditorId, actorUserId: user.id, action: "auth.login", targetType: "User", targetId: user.id, at: now });
}

// ---- password reset by emailed code ----

/**
 * Emails a 6-digit code valid 15 minutes to an active account with this
 * address. Says nothing either way: the caller shows the same answer whatever
 * happens (no account enumeration), and does not wait for it.
 */
export async function requestPasswordReset(db: Db, rawEmail: string, clock: Clock): Promise<void> {
  const parsed = email.safeParse(rawEmail);
  if (!parsed.success) return;
  const user = await db.user.findUnique({ where: { email: parsed.data }, include: { creditor: { select: { legalName: true, brandName: true } } } });
  if (!user || user.deactivatedAt) return;
  const now = clock.now();
  const recent = await db.passwordResetCode.count({ where: { userId: user.id, createdAt: { gt: new Date(now.getTime() - minutes(60)) } } });
  if (recent >= MAX_CODES_PER_HOUR) {
    logger.info({ userId: user.id }, "password reset code not sent: hourly limit reached");
    return;
  }
  const code = String(crypto.randomInt(0, 1_000_000)).padStart(6, "0");
  // Only the newest code works.
  await db.passwordResetCode.updateMany({ where: { userId: user.id, usedAt: null, expiresAt: { gt: now } }, data: { expiresAt: now } });
  const row = await db.passwordResetCode.create({
    data: { creditorId: user.creditorId, userId: user.id, codeHash: codeHash(user.id, code), expiresAt: new Date(now.getTime() + minutes(RESET_CODE_MINUTES)), createdAt: now },
  });
  await recordAudit(db, { creditorId: user.creditorId, actorUserId: null, action: "auth.reset_requested", targetType: "User", targetId: user.id, meta: { name: user.name }, at: now });
  const resetUrl = `${getEnv().APP_URL}/reset-password?email=${encodeURIComponent(user.email)}`;
  const rendered = await renderStaffEmail("staff_reset_code", {
    locale: user.locale, name: user.name, code, validMinutes: RESET_CODE_MINUTES, creditorName: creditorName(user.creditor), actionUrl: resetUrl,
  });
  const sent = await sendEmail({ to: user.email, ...rendered, idempotencyKey: `staff-reset:${row.id}`, tags: { kind: "staff_reset_code" } });
  if (!sent.ok) logger.warn({ userId: user.id, message: sent.message }, "password reset code email failed");
}

/**
 * Checks the code and sets the new password. Each try is counted before it is
 * checked (concurrent guesses included); after 5 the code is dead. On success
 * every session of the user ends; the caller opens a new one.
 * Any failure is the same `invalid_code`: unknown address, no code, expired,
 * used, dead or wrong.
 */
export async function resetPassword(db: Db, input: { email: string; code: string; password: string }, clock: Clock) {
  const now = clock.now();
  const user = await db.user.findUnique({ where: { email: input.email.trim().toLowerCase() } });
  const row =
    user && !user.deactivatedAt
      ? await db.passwordResetCode.findFirst({ where: { userId: user.id, usedAt: null }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] })
      : null;
  if (!user || !row) throw new StaffAccountError("invalid_code");
  const counted = await db.passwordResetCode.updateMany({
    where: { id: row.id, usedAt: null, attempts: { lt: MAX_CODE_ATTEMPTS }, expiresAt: { gt: now } },
    data: { attempts: { increment: 1 } },
  });
  if (counted.count === 0) throw new StaffAccountError("invalid_code");
  const given = Buffer.from(codeHash(user.id, input.code), "hex");
  if (!crypto.timingSafeEqual(given, Buffer.from(row.codeHash, "hex"))) {
    if (row.attempts + 1 >= MAX_CODE_ATTEMPTS) {
      await recordAudit(db, { creditorId: user.creditorId, actorUserId: null, action: "auth.reset_code_locked", targetType: "User", targetId: user.id, meta: { name: user.name }, at: now });
    }
    throw new StaffAccountError("invalid_code");
  }
  const passwordHash = await hashPassword(input.password);
  return inTransaction(db, async (tx) => {
    const used = await tx.passwordResetCode.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: now } });
    if (used.count === 0) throw new StaffAccountError("invalid_code");
    await tx.user.update({ where: { id: user.id }, data: { passwordHash, lastLoginAt: now } });
    const sessions = await tx.session.deleteMany({ where: { userId: user.id } });
    await recordAudit(tx, {
      creditorId: user.creditorId, actorUserId: user.id, action: "auth.password_reset", targetType: "User", targetId: user.id, meta: { sessionsRevoked: sessions.count }, at: now,
    });
    return { id: user.id, creditorId: user.creditorId };
  });
}

// ---- the team (owners) ----

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
    await tx.staffInvitation.updateMany({ where: { creditorId: actor.creditorId, email: address, acceptedAt: null, revokedAt: null }, data: { revokedAt: now } });
    const created = await tx.staffInvitation.create({
      data: {
        creditorId: actor.creditorId, email: address, role: input.role, locale: input.locale, tokenHash: sha256(token), invitedById: actor.userId,
        expiresAt: new Date(now.getTime() + INVITATION_DAYS * 86_400_000), createdAt: now,
      },
      include: { creditor: { select: { legalName: true, brandName: true } }, invitedBy: { select: { name: true } } },
    });
    return created;
  });
  const rendered = await renderStaffEmail("staff_invitation", {
    locale: input.locale, inviterName: invitation.invitedBy?.name ?? "", creditorName: creditorName(invitation.creditor), role: input.role,
    expiresAt: invitation.expiresAt, actionUrl: `${getEnv().APP_URL}/invitations/${token}`,
  });
  const sent = await sendEmail({ to: address, ...rendered, idempotencyKey: `staff-invitation:${invitation.id}`, tags: { kind: "staff_invitation" } });
  if (!sent.ok) {
    // An invitation nobody received must not stay usable: the owner is told to try again.
    await db.staffInvitation.update({ where: { id: invitation.id }, data: { revokedAt: now } });
    logger.warn({ invitationId: invitation.id, message: sent.message }, "invitation email failed");
    throw new StaffAccountError("email_failed");
  }
  await recordAudit(db, {
    creditorId: actor.creditorId, actorUserId: actor.userId, action: "team.invitation_sent", targetType: "StaffInvitation", targetId: invitation.id,
    meta: { email: address, role: input.role }, at: now,
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
      creditorId: actor.creditorId, actorUserId: actor.userId, action: "team.invitation_revoked", targetType: "StaffInvitation", targetId: invitation.id,
      meta: { email: invitation.email, role: invitation.role }, at: now,
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
      creditorId: actor.creditorId, actorUserId: actor.userId, action: "team.role_changed", targetType: "User", targetId: member.id,
      meta: { name: member.name, email: member.email, from: member.role, to: role }, at: now,
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
    if (member.role === "OWNER" && (await otherActiveOwners(tx, actor.creditorId, member.id)) === 0) throw new StaffAccountError("last_owner");
    await tx.user.update({ where: { id: member.id }, data: { deactivatedAt: now } });
    const sessions = await tx.session.deleteMany({ where: { userId: member.id } });
    await tx.passwordResetCode.updateMany({ where: { userId: member.id, usedAt: null }, data: { usedAt: now } });
    await recordAudit(tx, {
      creditorId: actor.creditorId, actorUserId: actor.userId, action: "team.member_deactivated", targetType: "User", targetId: member.id,
      meta: { name: member.name, email: member.email, sessionsRevoked: sessions.count }, at: now,
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
      creditorId: actor.creditorId, actorUserId: actor.userId, action: "team.member_reactivated", targetType: "User", targetId: member.id,
      meta: { name: member.name, email: member.email }, at: now,
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
    id: invitation.id, email: invitation.email, role: invitation.role, expiresAt: invitation.expiresAt,
    creditorName: creditorName(invitation.creditor), inviterName: invitation.invitedBy?.name ?? null,
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
      if (await tx.user.findUnique({ where: { email: invitation.email }, select: { id: true } })) throw new StaffAccountError("already_member");
      const user = await tx.user.create({
        data: {
          creditorId: invitation.creditorId, email: invitation.email, name: input.name.trim(), role: invitation.role, passwordHash, locale: invitation.locale, lastLoginAt: now,
        },
      });
      await tx.staffInvitation.update({ where: { id: invitation.id }, data: { acceptedUserId: user.id } });
      await recordAudit(tx, {
        creditorId: invitation.creditorId, actorUserId: user.id, action: "team.invitation_accepted", targetType: "StaffInvitation", targetId: invitation.id,
        meta: { name: user.name, email: user.email, role: user.role }, at: now,
      });
      return { id: user.id, creditorId: user.creditorId };
    });
  } catch (error) {
    if ((error as { code?: string } | null)?.code === "P2002") throw new StaffAccountError("already_member");
    throw error;
  }
}

// ---- my account ----

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
  const { count } = await db.session.deleteMany({ where: { userId: actor.userId, creditorId: actor.creditorId, id: { not: actor.sessionId ?? "" } } });
  await recordAudit(db, { creditorId: actor.creditorId, actorUserId: actor.userId, action: "account.sessions_revoked", targetType: "User", targetId: actor.userId, meta: { count }, at: now });
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
      creditorId: actor.creditorId, actorUserId: actor.userId, action: "account.password_changed", targetType: "User", targetId: actor.userId,
      meta: { sessionsRevoked: sessions.count }, at: now,
    });
    return sessions.count;
  });
}
