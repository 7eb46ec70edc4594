import { z } from "zod";
import { isValidSiren } from "~/domain/creditor-settings";
import { MIN_PASSWORD_LENGTH } from "~/services/accounts/schemas";

/**
 * Onboarding forms (first-run setup, sign-up) and the error their services
 * throw. Not server-only: the pages use the schemas for their constraints.
 * Messages are i18n keys of app/i18n/areas/onboarding.ts.
 */

export type Locale = "fr" | "en";

export type OnboardingErrorCode = "setup_invalid" | "setup_done" | "email_taken" | "signup_invalid" | "email_failed";

export class OnboardingError extends Error {
  constructor(public readonly code: OnboardingErrorCode) {
    super(code);
    this.name = "OnboardingError";
  }
}

const email = (key: string) =>
  z
    .string({ message: key })
    .trim()
    .toLowerCase()
    .pipe(z.email({ message: key }));

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
export const nameField = z
  .string({ message: "onboarding.errors.name" })
  .trim()
  .min(1, "onboarding.errors.name")
  .max(100, "onboarding.errors.nameLong");
export const passwordField = z
  .string({ message: "onboarding.errors.passwordShort" })
  .min(MIN_PASSWORD_LENGTH, "onboarding.errors.passwordShort")
  // bcrypt reads 72 bytes: a longer password would be silently cut.
  .refine((p) => Buffer.byteLength(p, "utf8") <= 72, "onboarding.errors.passwordLong");
export const localeField = z.enum(["fr", "en"], { message: "onboarding.errors.locale" });

const companyFields = { legalName: legalNameField, siren: sirenField, contactEmail: emailField, defaultLocale: localeField };
const ownerFields = {
  ownerName: nameField,
  ownerEmail: emailField,
  password: passwordField,
  confirm: z.string({ message: "onboarding.errors.confirm" }),
};
export const COMPANY_FIELDS = Object.keys(companyFields) as (keyof typeof companyFields)[];

/** Step 1 of the setup wizard: the company. */
export const CompanySchema = z.object(companyFields);

/** Step 2 posts both steps (step 1 rides along in hidden fields): the company and its owner's account. */
export const SetupSchema = z
  .object({ ...companyFields, ...ownerFields })
  .refine((d) => d.password === d.confirm, { message: "onboarding.errors.confirm", path: ["confirm"] });

export type CompanyInput = z.infer<typeof CompanySchema>;

export const SIGNUP_LINK_HOURS = 24;

export const SignupSchema = z
  .object({
    legalName: legalNameField,
    siren: sirenField,
    ownerName: nameField,
    email: emailField,
    password: passwordField,
    confirm: z.string({ message: "onboarding.errors.confirm" }),
  })
  .refine((d) => d.password === d.confirm, { message: "onboarding.errors.confirm", path: ["confirm"] });

export type SignupInput = z.infer<typeof SignupSchema>;
