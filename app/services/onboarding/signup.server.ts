import type { Clock } from "~/domain/clock";
import type { PrismaClient } from "~/generated/prisma/client";
import { sendEmail } from "~/providers/email.server";
import type { Db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";
import { hashPassword } from "~/utils/staff-session.server";
import { renderStaffEmail } from "../../../emails/index";
import { createCreditorWithOwner, isUniqueViolation, newToken, OnboardingError, sha256, TOKEN, type Locale } from "./creditors.server";
import { SIGNUP_LINK_HOURS, type SignupInput } from "./schemas";

/**
 * Self-service sign-up (SIGNUP=open). The form stores a request and emails
 * a link; the creditor and its owner exist only once the link is confirmed,
 * so an unverified address can never sign in.
 */

export { SIGNUP_LINK_HOURS, SignupSchema, type SignupInput } from "./schemas";

/** Sign-up pages exist only when the operator opened them (SIGNUP=open): otherwise a 404. */
export function requireSignupOpen() {
  if (getEnv().SIGNUP !== "open") throw new Response("Not Found", { status: 404 });
}

/** Stores the request and emails the verification link in the visitor's language. */
export async function requestSignup(db: Db, input: SignupInput, locale: Locale, clock: Clock) {
  const now = clock.now();
  if (await db.user.findUnique({ where: { email: input.email }, select: { id: true } })) throw new OnboardingError("email_taken");
  const token = newToken();
  const request = await db.signupRequest.create({
    data: {
      email: input.email,
      ownerName: input.ownerName,
      passwordHash: await hashPassword(input.password),
      legalName: input.legalName,
      siren: input.siren,
      locale,
      tokenHash: sha256(token),
      expiresAt: new Date(now.getTime() + SIGNUP_LINK_HOURS * 3_600_000),
      createdAt: now,
    },
  });
  const rendered = await renderStaffEmail("signup_verification", {
    locale,
    name: input.ownerName,
    creditorName: input.legalName,
    expiresAt: request.expiresAt,
    actionUrl: `${getEnv().APP_URL}/signup/verify/${token}`,
  });
  const sent = await sendEmail({
    to: input.email,
    ...rendered,
    idempotencyKey: `signup-verification:${request.id}`,
    tags: { kind: "signup_verification" },
  });
  if (!sent.ok) {
    await db.signupRequest.update({ where: { id: request.id }, data: { expiresAt: now } });
    logger.warn({ signupRequestId: request.id, message: sent.message }, "sign-up verification email failed");
    throw new OnboardingError("email_failed");
  }
  return { id: request.id, expiresAt: request.expiresAt };
}

/** The request behind an emailed link, while it can be confirmed. Reads only (mail scanners follow links). */
export async function findOpenSignup(db: Db, token: string, now: Date) {
  if (!TOKEN.test(token)) return null;
  const request = await db.signupRequest.findUnique({ where: { tokenHash: sha256(token) } });
  if (!request || request.verifiedAt || request.expiresAt <= now) return null;
  return { id: request.id, email: request.email, legalName: request.legalName };
}

/** Confirms the address: creates the creditor and its owner, once. The caller signs the owner in. */
export async function verifySignup(prisma: PrismaClient, token: string, clock: Clock) {
  const now = clock.now();
  const open = await findOpenSignup(prisma, token, now);
  if (!open) throw new OnboardingError("signup_invalid");
  try {
    return await prisma.$transaction(
      async (tx) => {
        const claimed = await tx.signupRequest.updateMany({
          where: { id: open.id, verifiedAt: null, expiresAt: { gt: now } },
          data: { verifiedAt: now },
        });
        if (claimed.count === 0) throw new OnboardingError("signup_invalid");
        const request = await tx.signupRequest.findUniqueOrThrow({ where: { id: open.id } });
        const { creditor, owner } = await createCreditorWithOwner(
          tx,
          {
            legalName: request.legalName,
            siren: request.siren,
            contactEmail: request.email,
            defaultLocale: request.locale,
            owner: { name: request.ownerName, email: request.email, passwordHash: request.passwordHash, locale: request.locale },
          },
          now,
        );
        await tx.signupRequest.update({ where: { id: request.id }, data: { creditorId: creditor.id } });
        return { id: owner!.id, creditorId: creditor.id };
      },
      { timeout: 30_000 },
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw new OnboardingError("email_taken");
    throw error;
  }
}
