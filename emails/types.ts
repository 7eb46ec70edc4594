/**
 * The data every email receives. Plain values only (money in minor units,
 * dates as calendar days read in UTC), so services can build them from
 * Prisma rows and tests from literals.
 */
export type EmailLocale = "fr" | "en";
export type EmailTone = "CORDIAL" | "STANDARD" | "FIRM";

export type EmailInvoice = {
  number: string;
  issueDate: Date;
  dueDate: Date;
  /** Balance still due, in minor units of `currency`. */
  amountDue: number;
  currency: string;
  /** 0 (or less) when not yet due. */
  daysLate: number;
};

export type EmailCreditor = {
  legalName: string;
  brandName?: string | null;
  /** `#rgb` or `#rrggbb`; anything else, or a colour without enough contrast, falls back to the default blue. */
  brandColor?: string | null;
  siren?: string | null;
  address?: string | null;
  contactEmail?: string | null;
  contactPhone?: string | null;
  rcsCity?: string | null;
  vatNumber?: string | null;
  /** Absolute URL of the creditor's logo (the public /brand/<id>/logo route), shown above its name. */
  logoUrl?: string | null;
  /** The consumer mediator (C. conso. L616-1): named in the footer of every email to a consumer, never to a business. */
  consumerMediator?: { name: string; url: string | null; address: string | null } | null;
};

export type EmailDebtor = { name: string; kind: "BUSINESS" | "CONSUMER" };

/** What every template receives. `portalUrl` is the debtor's magic link. */
export type BaseEmailProps = {
  locale: EmailLocale;
  creditor: EmailCreditor;
  debtor: EmailDebtor;
  portalUrl: string;
};

/**
 * Late-payment charges to date: `interest` in the invoices' currency, `indemnity` (the €40 per invoice) in EUR cents, null when not claimed;
 * `estimated` when a semester's rate is not yet recorded and the latest known one was used; `total` what is claimed in all
 * (balances + interest + indemnity, as the portal and the letters compute it).
 */
/** An early-payment discount open on an invoice: its last day, the rate (basis points) and what settles the invoice until then. */
export type EmailDiscount = { number: string; until: Date | string; rateBps: number; toPay: number; currency: string };

export type EmailLateCharges = { interest: number; indemnity: number | null; estimated?: boolean; total?: number };

export type DunningEmailProps = BaseEmailProps & {
  tone: EmailTone;
  invoices: EmailInvoice[];
  totalDue: number;
  currency: string;
  /** Shown to BUSINESS debtors only (penalties notice and formal notice). */
  lateCharges?: EmailLateCharges | null;
  /** What the calendar does next, and when (the portal says the same). */
  nextStep?: { date: Date | string; channel: "EMAIL" | "CALL_TASK" | "LETTER" | "HANDOFF" } | null;
  /** Courtesy reminder only: the early-payment discounts still open (escompte, decision 028); the line shows only when offered. */
  discounts?: EmailDiscount[] | null;
  /** Formal notice only: the date by which to pay; defaults to 8 days after rendering. */
  deadline?: Date;
  /** Formal notice only: the PDF letter travels with the email. */
  letterAttached?: boolean;
  /**
   * The creditor's own subject and paragraphs (placeholders not yet filled): they replace the default subject and the
   * paragraphs above the invoice table; the layout, the button, the table and the legal mentions stay. Null = default.
   */
  wording?: EmailWording | null;
};

/** Plain text typed by staff, with `{placeholders}` the email fills with the values it shows. */
export type EmailWording = { subject: string; paragraphs: string[] };

export type EmailInstallment = { dueDate: Date; amount: number };
