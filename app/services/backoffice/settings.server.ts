import { settingsSchema, type SettingsInput, type SettingsValues } from "~/domain/creditor-settings";
import { validateContractualRate } from "~/domain/legal/late-charges";
import { minorDigits } from "~/domain/money";
import type { Db } from "~/utils/db.server";
import { logoPath } from "../documents/logo.server";

const settingsSelect = {
  legalName: true,
  brandName: true,
  siren: true,
  vatNumber: true,
  addressLine1: true,
  addressLine2: true,
  postalCode: true,
  city: true,
  country: true,
  contactEmail: true,
  iban: true,
  bic: true,
  brandColor: true,
  portalLinkDays: true,
  planMaxInstallments: true,
  planMaxMonths: true,
  planMinInstallment: true,
  planMinDownPaymentPc: true,
  planGraceDays: true,
  planOverLimitDownPc: true,
  allowPartialPayments: true,
  minPartialAmount: true,
  promiseMaxDays: true,
  lateInterestRateBps: true,
  jurisdiction: true,
  defaultCurrency: true,
  legalForm: true,
  shareCapital: true,
  rcsCity: true,
  signatoryName: true,
  signatoryRole: true,
  legalRepresentative: true,
  siret: true,
  senderName: true,
  replyToEmail: true,
  defaultLocale: true,
  timeZone: true,
  logoAttachmentId: true,
  id: true,
} as const;

const decimal = (minor: number, digits: number) => (digits === 0 ? String(minor) : (minor / 10 ** digits).toFixed(digits));

/** The creditor's settings as the form shows them (amounts in units, rate in %). */
export async function loadSettings(db: Db, creditorId: string) {
  const c = await db.creditor.findUniqueOrThrow({ where: { id: creditorId }, select: settingsSelect });
  const digits = minorDigits(c.defaultCurrency);
  const form: Record<keyof SettingsInput, string | boolean | undefined> = {
    legalName: c.legalName,
    brandName: c.brandName ?? undefined,
    siren: c.siren ?? undefined,
    vatNumber: c.vatNumber ?? undefined,
    addressLine1: c.addressLine1 ?? undefined,
    addressLine2: c.addressLine2 ?? undefined,
    postalCode: c.postalCode ?? undefined,
    city: c.city ?? undefined,
    country: c.country,
    contactEmail: c.contactEmail ?? undefined,
    iban: c.iban ?? undefined,
    bic: c.bic ?? undefined,
    brandColor: c.brandColor ?? undefined,
    portalLinkDays: String(c.portalLinkDays),
    planMaxInstallments: String(c.planMaxInstallments),
    planMaxMonths: String(c.planMaxMonths),
    planMinInstallment: decimal(c.planMinInstallment, digits),
    planMinDownPaymentPc: String(c.planMinDownPaymentPc),
    planGraceDays: String(c.planGraceDays),
    planOverLimitDownPc: c.planOverLimitDownPc === null ? undefined : String(c.planOverLimitDownPc),
    allowPartialPayments: c.allowPartialPayments,
    minPartialAmount: decimal(c.minPartialAmount, digits),
    promiseMaxDays: String(c.promiseMaxDays),
    lateInterestMode: c.lateInterestRateBps === null ? "legal" : "contractual",
    lateInterestRate: c.lateInterestRateBps === null ? undefined : (c.lateInterestRateBps / 100).toFixed(2),
    jurisdiction: c.jurisdiction,
    legalForm: c.legalForm ?? undefined,
    shareCapital: c.shareCapital === null ? undefined : decimal(c.shareCapital, 2),
    rcsCity: c.rcsCity ?? undefined,
    signatoryName: c.signatoryName ?? undefined,
    signatoryRole: c.signatoryRole ?? undefined,
    legalRepresentative: c.legalRepresentative ?? undefined,
    siret: c.siret ?? undefined,
    senderName: c.senderName ?? undefined,
    replyToEmail: c.replyToEmail ?? undefined,
    defaultLocale: c.defaultLocale,
    timeZone: c.timeZone,
  };
  return { currency: c.defaultCurrency, form, logoUrl: logoPath(c) };
}

/** The floor a French contractual late rate must reach today (3 × the legal interest rate), in basis points. */
export function contractualRateFloorBps(now: Date): number {
  return validateContractualRate(0, now).floorBps;
}

export function settingsSchemaFor(currency: string, now: Date) {
  return settingsSchema({ currency, now });
}

export async function saveSettings(db: Db, creditorId: string, values: SettingsValues) {
  const nullable = <T>(v: T | undefined) => v ?? null;
  await db.creditor.update({
    where: { id: creditorId },
    data: {
      ...values,
      brandName: nullable(values.brandName),
      siren: nullable(values.siren),
      vatNumber: nullable(values.vatNumber),
      addressLine1: nullable(values.addressLine1),
      addressLine2: nullable(values.addressLine2),
      postalCode: nullable(values.postalCode),
      city: nullable(values.city),
      contactEmail: nullable(values.contactEmail),
      iban: nullable(values.iban),
      bic: nullable(values.bic),
      brandColor: nullable(values.brandColor),
      legalForm: nullable(values.legalForm),
      shareCapital: nullable(values.shareCapital),
      rcsCity: nullable(values.rcsCity),
      signatoryName: nullable(values.signatoryName),
      signatoryRole: nullable(values.signatoryRole),
      legalRepresentative: nullable(values.legalRepresentative),
      siret: nullable(values.siret),
      senderName: nullable(values.senderName),
      replyToEmail: nullable(values.replyToEmail),
      planOverLimitDownPc: nullable(values.planOverLimitDownPc),
    },
  });
}
