import { z } from "zod";

/**
 * Staff accounts: roles, limits, the error every accounts service throws, and
 * the form schemas (server-side; messages are i18n keys of
 * app/i18n/areas/accounts.ts). Every change is written to `AuditEvent`
 * (audit.server.ts) and every query is scoped to the acting user's creditor.
 */

export type Role = "OWNER" | "AGENT" | "VIEWER";
export type Actor = { userId: string; creditorId: string; role: Role; sessionId?: string };
export type Locale = "fr" | "en";

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

// ---- form schemas ----

export const email = z
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
