import type { Clock } from "~/domain/clock";
import type { PrismaClient } from "~/generated/prisma/client";
import type { Db } from "~/utils/db.server";
import { hashPassword } from "~/utils/staff-session.server";
import { createCreditorWithOwner, isUniqueViolation, newToken, sha256, TOKEN } from "./creditors.server";
import { OnboardingError, type CompanyInput, type Locale } from "./schemas";

/**
 * First run: while the installation has no creditor (and no demo data), each
 * start prints a one-time link `/setup?token=…` in the log. Only its SHA-256
 * is stored; it expires, works once, and a newer link replaces older ones.
 */

export const SETUP_TOKEN_HOURS = 24;
/** Every setup attempt holds this transaction lock: two submits cannot both see "no creditor yet". */
const SETUP_LOCK = 72707370;

export async function needsSetup(db: Db): Promise<boolean> {
  return (await db.creditor.count()) === 0;
}

/** A fresh setup token while no creditor exists (older ones stop working), or null. */
export async function issueSetupToken(db: Db, clock: Clock): Promise<string | null> {
  if (!(await needsSetup(db))) return null;
  const now = clock.now();
  const token = newToken();
  await db.setupToken.updateMany({ where: { usedAt: null, expiresAt: { gt: now } }, data: { expiresAt: now } });
  await db.setupToken.create({
    data: { tokenHash: sha256(token), expiresAt: new Date(now.getTime() + SETUP_TOKEN_HOURS * 3_600_000), createdAt: now },
  });
  return token;
}

/** True when the token can still set the installation up. Reads only. */
export async function isSetupTokenValid(db: Db, token: string | null | undefined, now: Date): Promise<boolean> {
  if (!token || !TOKEN.test(token)) return false;
  const row = await db.setupToken.findUnique({ where: { tokenHash: sha256(token) } });
  if (!row || row.usedAt || row.expiresAt <= now) return false;
  return needsSetup(db);
}

/**
 * Spends the token and creates the creditor and its owner, in one
 * transaction under a lock: of two submits racing, one creates the creditor
 * and the other gets `setup_invalid` (token spent) or `setup_done`.
 * The caller signs the owner in.
 */
export async function completeSetup(
  prisma: PrismaClient,
  token: string,
  input: CompanyInput & { ownerName: string; ownerEmail: string; password: string },
  locale: Locale,
  clock: Clock,
) {
  if (!TOKEN.test(token)) throw new OnboardingError("setup_invalid");
  const now = clock.now();
  const passwordHash = await hashPassword(input.password);
  try {
    return await prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SETUP_LOCK})`;
        const claimed = await tx.setupToken.updateMany({
          where: { tokenHash: sha256(token), usedAt: null, expiresAt: { gt: now } },
          data: { usedAt: now },
        });
        if (claimed.count === 0) throw new OnboardingError("setup_invalid");
        if (!(await needsSetup(tx))) throw new OnboardingError("setup_done");
        const { creditor, owner } = await createCreditorWithOwner(
          tx,
          { ...input, owner: { name: input.ownerName, email: input.ownerEmail, passwordHash, locale } },
          now,
        );
        // Any other link printed earlier dies with this one.
        await tx.setupToken.updateMany({ where: { usedAt: null }, data: { expiresAt: now } });
        return { id: owner!.id, creditorId: creditor.id };
      },
      { timeout: 30_000 },
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw new OnboardingError("setup_done");
    throw error;
  }
}
