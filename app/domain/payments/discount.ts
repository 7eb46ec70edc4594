import { addDays, isoDay } from "../clock";
import { invoiceBalance, type InvoiceAmounts } from "../money";

/**
 * Early-payment discount (escompte pour paiement anticipé, C. com. L441-9).
 * The creditor's offer (a rate and a window in days from the issue date) is
 * frozen on each invoice when it is issued (decision 028); from then on only
 * the invoice's own terms count. Days are calendar days stored as UTC
 * midnights (the creditor's today is `todayIn(zone, now)`).
 */

export type CreditorDiscountSetting = { rateBps: number | null; days: number };

/** The most a discount may be: 50 % (a bigger "discount" is a price, not an escompte). */
export const MAX_DISCOUNT_BPS = 5_000;
export const MAX_DISCOUNT_DAYS = 90;

/**
 * The terms an invoice is issued with: the rate, and the last day (the issue
 * date + the window, never after the due date: once due, it is late, and a
 * late invoice is never offered a discount). Null when the creditor offers none.
 */
export function resolveDiscountTerms(
  setting: CreditorDiscountSetting,
  invoice: { issueDate: Date; dueDate: Date },
): { discountRateBps: number; discountUntil: Date } | null {
  if (!setting.rateBps || setting.rateBps <= 0 || setting.days < 0) return null;
  const until = addDays(invoice.issueDate, setting.days);
  const last = until.getTime() > invoice.dueDate.getTime() ? invoice.dueDate : until;
  if (last.getTime() < invoice.issueDate.getTime()) return null;
  return { discountRateBps: Math.min(setting.rateBps, MAX_DISCOUNT_BPS), discountUntil: last };
}

/**
 * The discount on an invoice's total (TTC, VAT included: the escompte lowers
 * the taxable base and the VAT with it, so it is taken on the whole amount).
 * Rounding: half up to the minor unit (1 234,56 € × 2 % = 24,6912 → 24,69 €;
 * 0,25 € × 2 % = 0,005 → 0,01 €). Integer arithmetic only.
 */
export function discountOn(amount: number, rateBps: number): number {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError("amount must be a non-negative integer of minor units");
  if (!Number.isInteger(rateBps) || rateBps < 0 || rateBps > MAX_DISCOUNT_BPS) throw new RangeError("rate must be 0–5000 basis points");
  return Math.floor((amount * rateBps + 5_000) / 10_000);
}

export type DiscountInvoice = InvoiceAmounts & {
  dueDate: Date;
  discountRateBps: number | null;
  discountUntil: Date | null;
  discountAppliedAt?: Date | null;
};

export type DiscountOffer = {
  rateBps: number;
  /** Last calendar day a payment earns the discount (UTC midnight label). */
  until: Date;
  /** The discount, minor units. */
  discount: number;
  /** What settles the invoice in full on or before `until`: the balance less the discount. */
  toPay: number;
};

/**
 * The offer on an invoice on calendar day `day` (the creditor's today, or the
 * day a payment was made): none once the due date or the last day has passed
 * ("never offered on an invoice already overdue"), once a discount has been
 * booked, or when the discount would not leave anything to pay.
 */
export function discountOfferOn(invoice: DiscountInvoice, day: Date): DiscountOffer | null {
  if (!invoice.discountRateBps || !invoice.discountUntil || invoice.discountAppliedAt) return null;
  const d = isoDay(day);
  if (d > isoDay(invoice.discountUntil) || d > isoDay(invoice.dueDate)) return null;
  const balance = invoiceBalance(invoice);
  const discount = discountOn(invoice.amount, invoice.discountRateBps);
  if (discount <= 0 || balance - discount <= 0) return null;
  return { rateBps: invoice.discountRateBps, until: invoice.discountUntil, discount, toPay: balance - discount };
}

/**
 * What a payment of `paid` (minor units, the part of a payment this invoice
 * received) made on calendar day `day` means: at least the balance less the
 * discount, in time → settled in full, the discount booked as a credit; less,
 * or late → an ordinary payment (partial or full), no discount.
 */
export function discountForPayment(invoice: DiscountInvoice, paid: number, day: Date): { discount: number } | null {
  const offer = discountOfferOn(invoice, day);
  if (!offer || paid < offer.toPay) return null;
  return { discount: offer.discount };
}

/** "2 %", "1,5 %" / "1.5%": a rate in basis points for people. */
export function formatDiscountRate(rateBps: number, locale: "fr" | "en"): string {
  const n = new Intl.NumberFormat(locale === "fr" ? "fr-FR" : "en-GB", { maximumFractionDigits: 2 }).format(rateBps / 100);
  return locale === "fr" ? `${n} %` : `${n}%`;
}

export type DiscountSettingForm = { rate: string; days: string };
export type DiscountSettingCheck =
  | { ok: true; rateBps: number | null; days: number }
  | { ok: false; fieldErrors: Partial<Record<"rate" | "days", "discount.settings.errors.rate" | "intake.settings.errors.range">> };

/** The settings form: a rate in % ("2", "1,5"; empty = no discount) and a window of 0–90 days. */
export function parseDiscountSetting(form: DiscountSettingForm): DiscountSettingCheck {
  const fieldErrors: Extract<DiscountSettingCheck, { ok: false }>["fieldErrors"] = {};
  const rateText = form.rate.replace(/[\s%]/g, "");
  const match = /^(\d{1,2})(?:[.,](\d{1,2}))?$/.exec(rateText);
  const rateBps = rateText === "" ? null : match ? Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0")) : NaN;
  if (rateBps !== null && (!Number.isInteger(rateBps) || rateBps < 1 || rateBps > MAX_DISCOUNT_BPS))
    fieldErrors.rate = "discount.settings.errors.rate";
  const days = /^\d{1,3}$/.test(form.days.trim()) ? Number(form.days.trim()) : NaN;
  if (!Number.isInteger(days) || days < 0 || days > MAX_DISCOUNT_DAYS) fieldErrors.days = "intake.settings.errors.range";
  if (fieldErrors.rate || fieldErrors.days) return { ok: false, fieldErrors };
  return { ok: true, rateBps, days };
}
