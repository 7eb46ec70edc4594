import { z } from "zod";
import { validateContractualRate } from "./legal/late-charges";
import { parseMoneyInput } from "./money";

/**
 * The creditor's settings form: one schema shared by the server check and the
 * Conform form. Messages are i18n keys (intake area) so errors render next to
 * each field in the user's language.
 */

/** ISO 13616 IBAN: country, check digits, BBAN; the whole number mod 97 must be 1. */
export function isValidIban(input: string): boolean {
  const iban = input.replace(/\s+/g, "").toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const digits = /[A-Z]/.test(char) ? String(char.charCodeAt(0) - 55) : char;
    for (const d of digits) remainder = (remainder * 10 + Number(d)) % 97;
  }
  return remainder === 1;
}

/** ISO 9362 BIC: bank (4 letters), country (2), location (2), optional branch (3). */
export function isValidBic(input: string): boolean {
  return /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(input.replace(/\s+/g, "").toUpperCase());
}

/** SIREN: 9 digits with a Luhn check. */
export function isValidSiren(input: string): boolean {
  const siren = input.replace(/\s+/g, "");
  if (!/^\d{9}$/.test(siren)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let d = Number(siren[8 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** EU VAT number shape; a French one must carry the key computed from its SIREN. */
export function isValidVatNumber(input: string): boolean {
  const vat = input.replace(/[\s.-]+/g, "").toUpperCase();
  if (!/^[A-Z]{2}[A-Z0-9]{2,13}$/.test(vat)) return false;
  const fr = /^FR(\d{2})(\d{9})$/.exec(vat);
  if (vat.startsWith("FR") && fr) return Number(fr[1]) === (12 + 3 * (Number(fr[2]) % 97)) % 97;
  return !vat.startsWith("FR") || /^FR[A-HJ-NP-Z0-9]{2}\d{9}$/.test(vat);
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
        vatNumber: z
          .string()
          .transform((v) => v.replace(/[\s.-]+/g, "").toUpperCase())
          .refine(isValidVatNumber, "intake.settings.errors.vat")
          .optional(),
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
        allowPartialPayments: z.boolean().default(false),
        minPartialAmount: money,
        promiseMaxDays: int(1, 90),
        lateInterestMode: z.enum(["legal", "contractual"], { message: "intake.settings.errors.required" }),
        lateInterestRate: z.string().optional(),
        jurisdiction: z.enum(["FR", "EU"], { message: "intake.settings.errors.required" }),
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
