import { z } from "zod";
import { isKnownCurrency } from "~/domain/intake/csv-import";
import type { Prisma } from "~/generated/prisma/client";
import { invoiceBalance } from "~/domain/money";
import { normalizePhone } from "~/domain/sms";

/** Request bodies (also the OpenAPI document's schemas) and the JSON views the API answers with. */

const isoDate = z.iso.date({ message: "Expected a date YYYY-MM-DD" });
const text = (max: number) => z.string().trim().min(1).max(max);
const currency = z
  .string()
  .regex(/^[A-Z]{3}$/, "Expected an ISO 4217 code such as EUR")
  .refine(isKnownCurrency, "Unknown currency");

export const DebtorBody = z
  .object({
    name: text(200),
    kind: z.enum(["BUSINESS", "CONSUMER"]).optional().describe("Defaults to BUSINESS on creation"),
    email: z.email().max(254).nullable().optional(),
    language: z.enum(["fr", "en"]).optional(),
    legalId: text(50).nullable().optional().describe("SIREN / company number"),
    phone: text(40)
      .refine((v) => normalizePhone(v) !== null, "Expected a phone number: E.164 such as +33612345678, or a French number")
      .transform((v) => normalizePhone(v)!)
      .nullable()
      .optional()
      .describe("Stored in E.164; SMS reminders need a mobile number"),
    addressLine1: text(200).nullable().optional(),
    addressLine2: text(200).nullable().optional(),
    postalCode: text(20).nullable().optional(),
    city: text(100).nullable().optional(),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .optional(),
    creditLimit: z
      .number()
      .int()
      .min(0)
      .max(2_147_483_647)
      .nullable()
      .optional()
      .describe("Credit limit in minor units of the creditor's currency; null = no limit (decision 025)"),
    paymentTermsDays: z
      .number()
      .int()
      .min(0)
      .max(365)
      .nullable()
      .optional()
      .describe("Payment terms in days; between businesses at most 60 (NET) or 45 (END_OF_MONTH), C. com. L441-10 I"),
    paymentTermsBasis: z.enum(["NET", "END_OF_MONTH"]).optional().describe("How the terms count; defaults to NET"),
  })
  .strict();

export const InvoiceBody = z
  .object({
    debtorExternalRef: text(100),
    issueDate: isoDate,
    dueDate: isoDate.optional().describe("When absent: kept on an update, or given by the debtor's payment terms on creation"),
    amount: z.number().int().positive().max(1e12).describe("Minor units (cents)"),
    currency: currency.optional().describe("Defaults to the creditor's currency"),
    description: z.string().max(500).nullable().optional(),
    deliveredAt: isoDate
      .nullable()
      .optional()
      .describe("Delivery or service completion date, where prescription starts; the due date is used when absent"),
  })
  .strict()
  .refine((b) => b.dueDate === undefined || b.dueDate >= b.issueDate, {
    path: ["dueDate"],
    message: "The due date is before the issue date",
  });

export const PaymentBody = z
  .object({
    amount: z.number().int().positive().max(1e12).describe("Minor units (cents)"),
    currency: currency.optional(),
    paidAt: isoDate.optional().describe("Day the money was received; defaults to now"),
  })
  .strict();

export const CancelBody = z.object({ reason: z.string().trim().max(500).optional() }).strict();

// ---------------------------------------------------------------- views

const day = (d: Date) => d.toISOString().slice(0, 10);

type DebtorRow = Prisma.DebtorGetPayload<object>;
export function debtorView(d: DebtorRow) {
  return {
    externalRef: d.externalRef,
    name: d.name,
    kind: d.kind,
    email: d.email,
    language: d.locale,
    legalId: d.legalId,
    phone: d.phone,
    addressLine1: d.addressLine1,
    addressLine2: d.addressLine2,
    postalCode: d.postalCode,
    city: d.city,
    country: d.country,
    creditLimit: d.creditLimit,
    paymentTermsDays: d.paymentTermsDays,
    paymentTermsBasis: d.paymentTermsBasis,
    transferReference: d.transferReference,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
  };
}

export const invoiceInclude = { debtor: { select: { externalRef: true } }, dunningState: true } as const;
type InvoiceRow = Prisma.InvoiceGetPayload<{ include: typeof invoiceInclude }>;
export function invoiceView(i: InvoiceRow) {
  const ds = i.dunningState;
  return {
    number: i.number,
    debtorExternalRef: i.debtor.externalRef,
    issueDate: day(i.issueDate),
    dueDate: day(i.dueDate),
    amount: i.amount,
    amountPaid: i.amountPaid,
    amountCredited: i.amountCredited,
    balance: invoiceBalance(i),
    currency: i.currency,
    status: i.status,
    description: i.description,
    deliveredAt: i.deliveredAt ? day(i.deliveredAt) : null,
    dunning: ds
      ? {
          level: ds.level,
          nextActionAt: ds.nextActionAt?.toISOString() ?? null,
          pauseReason: ds.pauseReason,
          stopped: ds.stoppedAt !== null,
        }
      : null,
    createdAt: i.createdAt.toISOString(),
    updatedAt: i.updatedAt.toISOString(),
  };
}
