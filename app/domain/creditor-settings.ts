import { electronicFormatIBAN, isValidBIC, isValidIBAN } from "ibantools";
import { z } from "zod";
import { isValidTimeZone } from "./clock";
import { sniffUpload, type UploadKind } from "./intake/uploads";
import { validateContractualRate } from "./legal/late-charges";
import { parseMoneyInput } from "./money";

/**
 * The creditor's settings form: one schema shared by the server check and the
 * Conform form. Messages are i18n keys (intake area) so errors render next to
 * each field in the user's language.
 */

/** ISO 13616 IBAN (ibantools): the country's length and BBAN format, and the whole number mod 97 = 1. */
export function isValidIban(input: string): boolean {
  const iban = electronicFormatIBAN(input);
  return !!iban && isValidIBAN(iban);
}

/** ISO 9362 BIC (ibantools): bank (4 letters), a known country (2), location (2), optional branch (3). */
export function isValidBic(input: string): boolean {
  return isValidBIC(input.replace(/\s+/g, "").toUpperCase());
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** SIREN: 9 digits with a Luhn check. */
export function isValidSiren(input: string): boolean {
  const siren = input.replace(/\s+/g, "");
  return /^\d{9}$/.test(siren) && luhn(siren);
}

/** La Poste's SIREN: its thousands of establishments outgrew the Luhn key; their SIRETs' digits add up to a multiple of 5 instead. */
const LA_POSTE_SIREN = "356000000";

/** SIRET: the SIREN then a 5-digit establishment number (NIC), 14 digits with a Luhn check (La Poste's rule for its own). */
export function isValidSiret(input: string): boolean {
  const siret = input.replace(/\s+/g, "");
  if (!/^\d{14}$/.test(siret)) return false;
  if (siret.startsWith(LA_POSTE_SIREN) && siret !== `${LA_POSTE_SIREN}00048`) {
    return [...siret].reduce((sum, d) => sum + Number(d), 0) % 5 === 0;
  }
  return luhn(siret);
}

/** The French VAT key of a SIREN: (12 + 3 × (SIREN mod 97)) mod 97, two digits. */
export function frenchVatKey(siren: string): string {
  return String((12 + 3 * (Number(siren) % 97)) % 97).padStart(2, "0");
}

/** EU VAT number shape; a French one (FR + key + SIREN) must carry the key computed from its SIREN. */
export function isValidVatNumber(input: string): boolean {
  const vat = compactVat(input);
  if (!/^[A-Z]{2}[A-Z0-9]{2,13}$/.test(vat)) return false;
  if (!vat.startsWith("FR")) return true;
  const fr = /^FR(\d{2})(\d{9})$/.exec(vat);
  if (fr) return fr[1] === frenchVatKey(fr[2]!);
  // New-style French keys (letters) cannot be checked offline.
  return /^FR[A-HJ-NP-Z0-9]{2}\d{9}$/.test(vat);
}

const compactVat = (v: string) => v.replace(/[\s.-]+/g, "").toUpperCase();

/** The logo shown on the portal, the emails and the letters: PNG or JPEG by content (not by name), 300 KB at most. */
export const LOGO_MAX_BYTES = 300 * 1024;

export type LogoCheck =
  | { ok: true; kind: UploadKind & { contentType: "image/png" | "image/jpeg" } }
  | { ok: false; error: "intake.settings.errors.logoTooLarge" | "intake.settings.errors.logoType" };

export function checkLogo(bytes: Uint8Array): LogoCheck {
  if (bytes.byteLength > LOGO_MAX_BYTES) return { ok: false, error: "intake.settings.errors.logoTooLarge" };
  const kind = sniffUpload(bytes);
  if (kind?.contentType === "image/png" || kind?.contentType === "image/jpeg")
    return { ok: true, kind: { ...kind, contentType: kind.contentType } };
  return { ok: false, error: "intake.settings.errors.logoType" };
}

const compact = (v: string) => v.replace(/\s+/g, "").toUpperCase();
const optionalText = (max: number) => z.string().trim().max(max, "intake.settings.errors.tooLong").optional();
const int = (min: number, max: number) =>
  z
    .number({ message: "intake.settings.errors.number" })
    .int("intake.settings.errors.number")
    .min(min, "intake.settings.errors.range")
    .max(max, "intake.settings.errors.range");

/** "12,5" → 1250 basis points; null when unreadable. */
export function parsePercentToBps(input: string): number | null {
  const match = /^(\d{1,3})(?:[.,](\d{1,2}))?$/.exec(input.replace(/[\s%]/g, ""));
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
}

const fieldsValid =
  (...fields: string[]) =>
  (payload: { issues: readonly { path?: PropertyKey[] }[] }) =>
    payload.issues.every((i) => !fields.includes(String(i.path?.[0])));

const rateFieldsValid = (issues: readonly { path?: PropertyKey[] }[]) =>
  issues.every((i) => !["lateInterestMode", "lateInterestRate", "jurisdiction"].includes(String(i.path?.[0])));

export function settingsSchema(ctx: { now: Date; currency: string }) {
  const money = z.string({ message: "intake.settings.errors.required" }).transform((value, c) => {
    const parsed = parseMoneyInput(value, ctx.currency);
    if (!parsed.ok) {
      c.addIssue({ code: "custom", message: "intake.settings.errors.amount" });
      return z.NEVER;
    }
    return parsed.amount;
  });
  return (
    z
      .object({
        legalName: z
          .string({ message: "intake.settings.errors.required" })
          .trim()
          .min(1, "intake.settings.errors.required")
          .max(200, "intake.settings.errors.tooLong"),
        brandName: optionalText(100),
        siren: z.string().transform(compact).refine(isValidSiren, "intake.settings.errors.siren").optional(),
        siret: z.string().transform(compact).refine(isValidSiret, "intake.settings.errors.siret").optional(),
        vatNumber: z.string().transform(compactVat).refine(isValidVatNumber, "intake.settings.errors.vat").optional(),
        addressLine1: optionalText(200),
        addressLine2: optionalText(200),
        postalCode: optionalText(20),
        city: optionalText(100),
        country: z
          .string()
          .transform(compact)
          .refine((v) => /^[A-Z]{2}$/.test(v), "intake.settings.errors.country")
          .default("FR"),
        contactEmail: z.email("intake.settings.errors.email").optional(),
        // The emails' From display name and Reply-To address.
        senderName: z
          .string()
          .trim()
          .max(80, "intake.settings.errors.tooLong")
          .refine((v) => !/[<>"\r\n]/.test(v), "intake.settings.errors.senderName")
          .optional(),
        replyToEmail: z.email("intake.settings.errors.email").optional(),
        defaultLocale: z.enum(["fr", "en"], { message: "intake.settings.errors.required" }).default("fr"),
        timeZone: z
          .string({ message: "intake.settings.errors.required" })
          .refine(isValidTimeZone, "intake.settings.errors.timeZone")
          .default("Europe/Paris"),
        iban: z.string().transform(compact).refine(isValidIban, "intake.settings.errors.iban").optional(),
        bic: z.string().transform(compact).refine(isValidBic, "intake.settings.errors.bic").optional(),
        brandColor: z
          .string()
          .trim()
          .regex(/^#[0-9a-fA-F]{6}$/, "intake.settings.errors.color")
          .optional(),
        // Letter mentions (C. com. R123-237) and who signs: printed on the formal notice and the injonction dossier.
        legalForm: optionalText(40),
        shareCapital: z
          .string()
          .transform((value, c) => {
            const parsed = parseMoneyInput(value, "EUR");
            if (!parsed.ok) {
              c.addIssue({ code: "custom", message: "intake.settings.errors.amount" });
              return z.NEVER;
            }
            return parsed.amount;
          })
          .optional(),
        rcsCity: optionalText(100),
        signatoryName: optionalText(100),
        signatoryRole: optionalText(100),
        legalRepresentative: optionalText(200),
        portalLinkDays: int(1, 90),
        planMaxInstallments: int(1, 36),
        planMaxMonths: int(1, 36),
        planMinInstallment: money,
        planMinDownPaymentPc: int(0, 100),
        planGraceDays: int(0, 30),
        // Credit policy (decision 025): the down payment a debtor over its credit limit must make; empty = no such rule.
        planOverLimitDownPc: int(1, 99).optional(),
        allowPartialPayments: z.boolean().default(false),
        minPartialAmount: money,
        promiseMaxDays: int(1, 90),
        lateInterestMode: z.enum(["legal", "contractual"], { message: "intake.settings.errors.required" }),
        lateInterestRate: z.string().optional(),
        jurisdiction: z.enum(["FR", "EU"], { message: "intake.settings.errors.required" }),
      })
      // The SIRET is the SIREN plus the establishment number; a French VAT number wraps the SIREN.
      .refine((v) => !v.siret || !v.siren || v.siret.startsWith(v.siren), {
        path: ["siret"],
        message: "intake.settings.errors.siretSiren",
        when: fieldsValid("siren", "siret"),
      })
      .refine((v) => !v.vatNumber || !v.siren || !/^FR[A-Z0-9]{2}\d{9}$/.test(v.vatNumber) || v.vatNumber.endsWith(v.siren), {
        path: ["vatNumber"],
        message: "intake.settings.errors.vatSiren",
        when: fieldsValid("siren", "vatNumber"),
      })
      // Checked even when other fields are wrong (`when`), so every message shows at once.
      .refine((v) => v.lateInterestMode !== "contractual" || (v.lateInterestRate ? parsePercentToBps(v.lateInterestRate) : null) !== null, {
        path: ["lateInterestRate"],
        message: "intake.settings.errors.rate",
        when: (payload) => rateFieldsValid(payload.issues),
      })
      // C. com. L441-10: a contractual rate may not be below 3 × the legal interest rate (French law only).
      .refine(
        (v) => {
          const bps = v.lateInterestMode === "contractual" && v.lateInterestRate ? parsePercentToBps(v.lateInterestRate) : null;
          return bps === null || v.jurisdiction !== "FR" || validateContractualRate(bps, ctx.now).ok;
        },
        { path: ["lateInterestRate"], message: "intake.settings.errors.rateFloor", when: (payload) => rateFieldsValid(payload.issues) },
      )
      .transform(({ lateInterestMode, lateInterestRate, ...v }) => ({
        ...v,
        lateInterestRateBps: lateInterestMode === "contractual" && lateInterestRate ? parsePercentToBps(lateInterestRate) : null,
      }))
  );
}

export type SettingsInput = z.input<ReturnType<typeof settingsSchema>>;
export type SettingsValues = z.output<ReturnType<typeof settingsSchema>>;
