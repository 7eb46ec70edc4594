import crypto from "node:crypto";
import { ensureDefaultPolicy } from "~/services/dunning/policies.server";
import type { Db } from "~/utils/db.server";
import { OnboardingError, type Locale } from "./schemas";

export { OnboardingError, type Locale };

/**
 * A new creditor (tenant) and its first owner: the one door used by the
 * first-run setup page, the `creditor:create` command and self-service
 * sign-up. Form messages are i18n keys of app/i18n/areas/onboarding.ts.
 */

export const sha256 = (value: string) => crypto.createHash("sha256").update(value).digest("hex");
/** 32 random bytes, base64url: 43 characters, the shape of every emailed or printed link token here. */
export const newToken = () => crypto.randomBytes(32).toString("base64url");
export const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** "Atelier Durand SARL" → "atelier-durand-sarl" (ASCII, at most 40 characters). */
export function slugify(legalName: string): string {
  const slug = legalName
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
  return slug || "creditor";
}

/** The slug of the legal name, with -2, -3… when another creditor has it already. */
export async function uniqueSlug(db: Db, legalName: string): Promise<string> {
  const base = slugify(legalName);
  const taken = new Set((await db.creditor.findMany({ where: { slug: { startsWith: base } }, select: { slug: true } })).map((c) => c.slug));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/**
 * Creates the creditor with its default dunning policy, and its owner when a
 * password hash is given (setup, verified sign-up). Call it inside the
 * caller's transaction. An address that already has an account is refused.
 */
export async function createCreditorWithOwner(
  tx: Db,
  input: {
    legalName: string;
    siren: string;
    contactEmail: string;
    defaultLocale: Locale;
    owner?: { name: string; email: string; passwordHash: string; locale: Locale };
  },
  now: Date,
) {
  if (input.owner && (await tx.user.findUnique({ where: { email: input.owner.email }, select: { id: true } }))) {
    throw new OnboardingError("email_taken");
  }
  const creditor = await tx.creditor.create({
    data: {
      slug: await uniqueSlug(tx, input.legalName),
      legalName: input.legalName,
      siren: input.siren,
      contactEmail: input.contactEmail,
      defaultLocale: input.defaultLocale,
      createdAt: now,
    },
  });
  await ensureDefaultPolicy(tx, creditor.id);
  const owner = input.owner
    ? await tx.user.create({
        data: {
          creditorId: creditor.id,
          email: input.owner.email,
          name: input.owner.name,
          role: "OWNER",
          passwordHash: input.owner.passwordHash,
          locale: input.owner.locale,
          lastLoginAt: now,
        },
      })
    : null;
  return { creditor, owner };
}

/** A unique-constraint race (same address or slug at the same instant) reads as "already exists". */
export const isUniqueViolation = (error: unknown) => (error as { code?: string } | null)?.code === "P2002";
