import crypto from "node:crypto";
import type { Clock } from "~/domain/clock";
import { sendEmail } from "~/providers/email.server";
import type { Db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";
import { hashPassword } from "~/utils/staff-session.server";
import { renderStaffEmail } from "../../../emails/index";
import { recordAudit } from "./audit.server";
import { email, MAX_CODE_ATTEMPTS, MAX_CODES_PER_HOUR, RESET_CODE_MINUTES, StaffAccountError, type Locale } from "./schemas";
import { creditorName, inTransaction } from "./support.server";

/** Sign-in trace and password reset by emailed code. */

/** Six digits are few: the stored form is keyed with the server secret, so a copy of the table alone reveals nothing. */
const codeHash = (userId: string, code: string) =>
  crypto.createHmac("sha256", getEnv().SESSION_SECRET).update(`reset:${userId}:${code}`).digest("hex");
const minutes = (n: number) => n * 60_000;

/** After a successful password check: remembers when and in which language, and traces it. */
export async function recordSignIn(db: Db, user: { id: string; creditorId: string }, locale: Locale, clock: Clock) {
  const now = clock.now();
  await db.user.update({ where: { id: user.id }, data: { lastLoginAt: now, locale } });
  await recordAudit(db, {
    creditorId: user.creditorId,
    actorUserId: user.id,
    action: "auth.login",
    targetType: "User",
    targetId: user.id,
    at: now,
  });
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
  const user = await db.user.findUnique({
    where: { email: parsed.data },
    include: { creditor: { select: { legalName: true, brandName: true } } },
  });
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
    data: {
      creditorId: user.creditorId,
      userId: user.id,
      codeHash: codeHash(user.id, code),
      expiresAt: new Date(now.getTime() + minutes(RESET_CODE_MINUTES)),
      createdAt: now,
    },
  });
  await recordAudit(db, {
    creditorId: user.creditorId,
    actorUserId: null,
    action: "auth.reset_requested",
    targetType: "User",
    targetId: user.id,
    meta: { name: user.name },
    at: now,
  });
  const resetUrl = `${getEnv().APP_URL}/reset-password?email=${encodeURIComponent(user.email)}`;
  const rendered = await renderStaffEmail("staff_reset_code", {
    locale: user.locale,
    name: user.name,
    code,
    validMinutes: RESET_CODE_MINUTES,
    creditorName: creditorName(user.creditor),
    actionUrl: resetUrl,
  });
  const sent = await sendEmail({
    to: user.email,
    ...rendered,
    idempotencyKey: `staff-reset:${row.id}`,
    tags: { kind: "staff_reset_code" },
  });
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
      await recordAudit(db, {
        creditorId: user.creditorId,
        actorUserId: null,
        action: "auth.reset_code_locked",
        targetType: "User",
        targetId: user.id,
        meta: { name: user.name },
        at: now,
      });
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
      creditorId: user.creditorId,
      actorUserId: user.id,
      action: "auth.password_reset",
      targetType: "User",
      targetId: user.id,
      meta: { sessionsRevoked: sessions.count },
      at: now,
    });
    return { id: user.id, creditorId: user.creditorId };
  });
}
