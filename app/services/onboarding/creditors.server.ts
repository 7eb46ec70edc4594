import crypto from "node:crypto";
import { z } from "zod";
import { isValidSiren } from "~/domain/creditor-settings";
import { MIN_PASSWORD_LENGTH } from "~/services/accounts/schemas";
import { ensureDefaultPolicy } from "~/services/dunning/policies.server";
import type { Db } from "~/utils/db.server";

/**
 * A new creditor (tenant) and its first owner: the one door used by the
 * first-run setup page, the `creditor:create` command and self-service
 * sign-up. Form messages are i18n keys of app/i18n/areas/onboarding.ts.
 */

export type Locale = "fr" | "en";

export type OnboardingErrorCode = "setup_invalid" | "setup_done" | "email_taken" | "signup_invalid" | "email_failed";

export class OnboardingError extends Error {
  constructor(public readonly code: OnboardingErrorCode) {
    super(code);
    this.name = "OnboardingError";
  }
}

export const sha256 = (value: string) => crypto.createHash("sha256").update(value).digest("hex");
/** 32 random bytes, base64url: 43 characters, the shape of every emailed or printed link token here. */
export const newToken = () => crypto.randomBytes(32).toString("base64url");
export const TOKEN = /^[A-Za-z0-9_-]{43}$/;

const email = (key: string) => z.string({ message: key }).trim().toLowerCase().pipe(z.email({ message: key }));

export const legalNameField = z
  .string({ message: "onboarding.errors.legalName" })
  .trim()
  .min(2, "onboarding.errors.legalName")
  .max(200, "onboarding.errors.legalNameLong");
export const sirenField = z
  .string({ message: "onboarding.errors.siren" })
  .transform((s) => s.replace(/\s+/g, ""))
  .refine(isValidSiren, "onboarding.errors.siren");
export const emailField = email("onboarding.errors.email");
export const nameField = z.string({ message: "onboarding.errors.name" }).trim().min(1, "onboarding.errors.name").max(100, "onboarding.errors.nameLong");
export const passwordField = z
  .string({ message: "onboarding.errors.passwordShort" })
  .min(MIN_PASSWORD_LENGTH, "onboarding.errors.passwordShort")
  // bcrypt reads 72 bytes: a longer password would be silently cut.
  .refine((p) => Buffer.byteLength(p, "utf8") <= 72, "onboarding.errors.passwordLong");
export const localeField = z.enum(["fr", "en"], { message: "onboarding.errors.locale" });

const companyFields = { legalName: legalNameField, siren: sirenField, contactEmail: emailField, defaultLocale: localeField };
const ownerFields = { ownerName: nameField, ownerEmail: emailField, password: passwordField, confirm: z.string({ message: "onboarding.errors.confirm" }) };
export const COMPANY_FIELDS = Object.keys(companyFields) as (keyof typeof companyFields)[];

/** Step 1 of the setup wizard: the company. */
export const CompanySchema = z.object(companyFields);

/** Step 2 posts both steps (step 1 rides along in hidden fields): the company and its owner's account. */
export const SetupSchema = z
  .object({ ...companyFields, ...ownerFields })
  .refine((d) => d.password === d.confirm, { message: "onboarding.errors.confirm", path: ["confirm"] });

export type CompanyInput = z.infer<typeof CompanySchema>;

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
  const taken = new Set(
    (await db.creditor.findMany({ where: { slug: { startsWith: base } }, select: { slug: true } })).map((c) => c.slug),
  );
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
