import { todayIn } from "~/domain/clock";
import { formatMoney, invoiceBalance } from "~/domain/money";
import {
  discountForPayment,
  discountOfferOn,
  formatDiscountRate,
  parseDiscountSetting,
  resolveDiscountTerms,
  type DiscountOffer,
} from "~/domain/payments/discount";
import { translate, type Locale } from "~/i18n";
import type { Db } from "~/utils/db.server";
import { creditorTimeZone } from "../creditor-clock.server";
import { recordCommunication } from "../messaging/communications.server";

/**
 * Early-payment discount (escompte, C. com. L441-9; decision 028): the terms
 * frozen on an invoice when it is created, and the credit booked by the
 * payment door when a payment made in time covers the balance less the
 * discount. Every query is scoped to the creditor.
 */

/** The terms a new invoice is issued with, from the creditor's offer as it is today (null: none). */
export async function discountTermsForNewInvoice(db: Db, creditorId: string, invoice: { issueDate: Date; dueDate: Date }) {
  const c = await db.creditor.findUnique({ where: { id: creditorId }, select: { earlyDiscountRateBps: true, earlyDiscountDays: true } });
  if (!c) return null;
  return resolveDiscountTerms({ rateBps: c.earlyDiscountRateBps, days: c.earlyDiscountDays }, invoice);
}

export const discountSelect = {
  id: true,
  number: true,
  amount: true,
  amountPaid: true,
  amountCredited: true,
  currency: true,
  dueDate: true,
  discountRateBps: true,
  discountUntil: true,
  discountAppliedAt: true,
} as const;

/**
 * The day a payment counts as made for the discount: when the debtor started
 * it (the portal computed the discounted amount then; a SEPA debit settles
 * days later) or when the money is said to have arrived (a transfer's booking
 * date), whichever is earlier, on the creditor's calendar.
 */
export async function paymentDayForDiscount(db: Db, creditorId: string, startedAt: Date, receivedAt: Date) {
  const at = startedAt.getTime() < receivedAt.getTime() ? startedAt : receivedAt;
  return todayIn(await creditorTimeZone(db, creditorId), at);
}

/** The offers open on `day` among these invoices (id → offer), for the allocator to count their discounted balance. */
export async function openDiscountOffers(db: Db, creditorId: string, invoiceIds: string[], day: Date): Promise<Map<string, DiscountOffer>> {
  const offers = new Map<string, DiscountOffer>();
  if (invoiceIds.length === 0) return offers;
  const rows = await db.invoice.findMany({
    where: { creditorId, id: { in: invoiceIds }, discountRateBps: { not: null }, discountAppliedAt: null },
    select: discountSelect,
  });
  for (const r of rows) {
    const offer = discountOfferOn(r, day);
    if (offer) offers.set(r.id, offer);
  }
  return offers;
}

/**
 * Books the discount as a credit on the invoice when `paid` (this payment's
 * share) covers the balance less the discount on `day`. Conditional on no
 * discount being booked yet, so it is booked once whatever races; writes the
 * trace row. Call it before the payment's amount is added, inside the
 * payment door's transaction. Returns the discount booked (0: none).
 */
export async function bookEarlyPaymentDiscount(
  tx: Db,
  input: { creditorId: string; debtorId: string; invoiceId: string; paymentId: string; paid: number; day: Date; now: Date },
): Promise<number> {
  const invoice = await tx.invoice.findFirst({ where: { id: input.invoiceId, creditorId: input.creditorId }, select: discountSelect });
  if (!invoice) return 0;
  const earned = discountForPayment(invoice, input.paid, input.day);
  if (!earned) return 0;
  const booked = await tx.invoice.updateMany({
    where: { id: invoice.id, creditorId: input.creditorId, discountAppliedAt: null },
    data: {
      amountCredited: { increment: earned.discount },
      discountAmount: earned.discount,
      discountAppliedAt: input.now,
      discountPaymentId: input.paymentId,
    },
  });
  if (booked.count !== 1) return 0;
  await recordCommunication(tx, {
    creditorId: input.creditorId,
    debtorId: input.debtorId,
    invoiceId: invoice.id,
    direction: "IN",
    channel: "PAYMENT",
    kind: "payment.discount_applied",
    subject: invoice.number,
    actorType: "SYSTEM",
    data: {
      paymentId: input.paymentId,
      discount: earned.discount,
      rateBps: invoice.discountRateBps,
      until: invoice.discountUntil?.toISOString().slice(0, 10) ?? null,
      currency: invoice.currency,
      balanceBefore: invoiceBalance(invoice),
    },
    occurredAt: input.now,
  });
  return earned.discount;
}

/** The discounts a payment earned (for its receipt): invoice number and amount. */
export async function discountsOfPayment(db: Db, creditorId: string, paymentId: string) {
  return db.invoice.findMany({
    where: { creditorId, discountPaymentId: paymentId, discountAmount: { not: null } },
    select: { number: true, discountAmount: true, discountRateBps: true },
    orderBy: { number: "asc" },
  });
}

/** The debtor's open invoices with an early-payment discount open today (invoice id → offer), oldest due first. */
export async function debtorDiscountOffers(db: Db, owner: { creditorId: string; debtorId: string }, now: Date) {
  const rows = await db.invoice.findMany({
    where: {
      creditorId: owner.creditorId,
      debtorId: owner.debtorId,
      status: { in: ["OPEN", "PARTIALLY_PAID"] },
      discountRateBps: { not: null },
      discountAppliedAt: null,
    },
    orderBy: [{ dueDate: "asc" }, { number: "asc" }],
    select: discountSelect,
  });
  if (rows.length === 0) return [];
  const today = await paymentDayForDiscount(db, owner.creditorId, now, now);
  return rows.flatMap((r) => {
    const offer = discountOfferOn(r, today);
    return offer ? [{ invoiceId: r.id, number: r.number, currency: r.currency, balance: invoiceBalance(r), ...offer }] : [];
  });
}

/** "5 juin 2026" / "5 June 2026": a day in the debtor's words, on the given clock. */
function longDay(d: Date, locale: Locale, timeZone: string) {
  return new Intl.DateTimeFormat(locale === "fr" ? "fr-FR" : "en-GB", { dateStyle: "long", timeZone }).format(d);
}

export type DiscountOfferView = { title: string; lines: string[]; note: string };

/**
 * The offer in the debtor's words, written on the server (the portal's pages
 * carry only the words they render; these sentences arrive ready), or null.
 */
export async function portalDiscountOffer(
  db: Db,
  owner: { creditorId: string; debtorId: string },
  now: Date,
  locale: Locale,
): Promise<DiscountOfferView | null> {
  const offers = await debtorDiscountOffers(db, owner, now);
  return describeDiscountOffers(offers, locale);
}

export function describeDiscountOffers(offers: Awaited<ReturnType<typeof debtorDiscountOffers>>, locale: Locale): DiscountOfferView | null {
  if (offers.length === 0) return null;
  const m = (v: number, c: string) => formatMoney(v, c, locale);
  // A last day is a stored day label (midnight UTC): read in UTC.
  const day = (d: Date) => longDay(d, locale, "UTC");
  return {
    title: translate(locale, "discount.offer.title"),
    lines: offers.map(
      (o) =>
        `${translate(locale, "discount.offer.invoice", { number: o.number, amount: m(o.toPay, o.currency), balance: m(o.balance, o.currency) })} — ${translate(
          locale,
          "discount.offer.line",
          { date: day(o.until), rate: formatDiscountRate(o.rateBps, locale), amount: m(o.toPay, o.currency) },
        )}`,
    ),
    note: translate(locale, "discount.offer.pay"),
  };
}

/**
 * The discount booked on a paid invoice, in the debtor's words ("Escompte pour paiement anticipé (2 %) accordé le
 * 5 juin 2026 : 24,69 €"), or null when none was booked; pure, written on the server for the portal's static pages.
 */
export function describeAppliedDiscount(
  invoice: { discountRateBps: number | null; discountAmount: number | null; discountAppliedAt: Date | null; currency: string },
  locale: Locale,
  timeZone: string,
): { label: string; text: string } | null {
  if (!invoice.discountRateBps || !invoice.discountAmount || !invoice.discountAppliedAt) return null;
  const date = longDay(invoice.discountAppliedAt, locale, timeZone);
  return {
    label: translate(locale, "discount.invoice.applied"),
    text: translate(locale, "discount.applied", {
      rate: formatDiscountRate(invoice.discountRateBps, locale),
      date,
      amount: formatMoney(invoice.discountAmount, invoice.currency, locale),
    }),
  };
}

/** The discounts open on `today` among invoices already read (the reminder's), for the courtesy email; pure. */
export function emailDiscountOffers(
  invoices: readonly (Parameters<typeof discountOfferOn>[0] & { number: string; currency: string })[],
  today: Date,
) {
  return invoices.flatMap((i) => {
    const offer = discountOfferOn(i, today);
    return offer ? [{ number: i.number, until: offer.until, rateBps: offer.rateBps, toPay: offer.toPay, currency: i.currency }] : [];
  });
}

export type DiscountSettingView = { rate: string; days: string };

/** The creditor's offer as the settings form shows it ("2", "1.5"; empty = none). */
export async function readDiscountSetting(db: Db, creditorId: string): Promise<DiscountSettingView> {
  const c = await db.creditor.findUniqueOrThrow({
    where: { id: creditorId },
    select: { earlyDiscountRateBps: true, earlyDiscountDays: true },
  });
  const rate = c.earlyDiscountRateBps === null ? "" : String(c.earlyDiscountRateBps / 100);
  return { rate, days: String(c.earlyDiscountDays) };
}

/** Saves the offer for invoices created from now on; invoices already issued keep their terms (decision 028). */
export async function saveDiscountSetting(db: Db, creditorId: string, form: DiscountSettingView) {
  const checked = parseDiscountSetting(form);
  if (!checked.ok) return { saved: false as const, fieldErrors: checked.fieldErrors, values: form };
  await db.creditor.update({
    where: { id: creditorId },
    data: { earlyDiscountRateBps: checked.rateBps, earlyDiscountDays: checked.days },
  });
  return { saved: true as const, fieldErrors: {}, values: form };
}
