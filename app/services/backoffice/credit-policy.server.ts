import { z } from "zod";
import { creditStanding, paymentTermsError, type CreditStanding, type Exposure, type PaymentTerms } from "~/domain/credit/policy";
import { invoiceBalanceSql, minorDigits, parseMoneyInput } from "~/domain/money";
import { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/utils/db.server";
import { recordAudit } from "../accounts/audit.server";
import { recordCommunication } from "../messaging/communications.server";

/**
 * A debtor's credit policy (decision 025): its credit limit, in minor units of
 * the creditor's default currency, and its payment terms. Exposure is what the
 * debtor owes this creditor on open invoices; only invoices in the limit's
 * currency count against it.
 */

type Staff = { userId: string };

export class CreditPolicyNotFound extends Error {
  constructor() {
    super("debtor not found");
    this.name = "CreditPolicyNotFound";
  }
}

/** Open balance per debtor and currency, one aggregate over this creditor's open invoices. */
export async function openExposures(db: Db, creditorId: string, debtorIds: string[]): Promise<Map<string, Exposure[]>> {
  const byDebtor = new Map<string, Exposure[]>();
  if (debtorIds.length === 0) return byDebtor;
  const rows = await db.$queryRaw<{ debtorId: string; currency: string; amount: bigint }[]>`
    SELECT "debtorId", "currency", SUM(${Prisma.raw(invoiceBalanceSql())})::bigint AS "amount"
    FROM "Invoice"
    WHERE "creditorId" = ${creditorId} AND "debtorId" = ANY(${debtorIds}::text[]) AND "status" IN ('OPEN', 'PARTIALLY_PAID')
    GROUP BY "debtorId", "currency"
    ORDER BY "currency"`;
  for (const row of rows) {
    const list = byDebtor.get(row.debtorId) ?? [];
    list.push({ currency: row.currency, amount: Number(row.amount) });
    byDebtor.set(row.debtorId, list);
  }
  return byDebtor;
}

/** Where one debtor of this creditor stands against its limit (null: not this creditor's debtor). */
export async function debtorCreditStanding(db: Db, creditorId: string, debtorId: string): Promise<CreditStanding | null> {
  const debtor = await db.debtor.findFirst({
    where: { id: debtorId, creditorId },
    select: { creditLimit: true, creditor: { select: { defaultCurrency: true } } },
  });
  if (!debtor) return null;
  const exposures = debtor.creditLimit === null ? [] : ((await openExposures(db, creditorId, [debtorId])).get(debtorId) ?? []);
  return creditStanding(debtor.creditLimit, debtor.creditor.defaultCurrency, exposures);
}

/** The ids, among `debtorIds`, of this creditor's debtors whose exposure exceeds their limit (the list badge). */
export async function debtorsOverLimit(db: Db, creditorId: string, debtorIds: string[]): Promise<Set<string>> {
  const limited = await db.debtor.findMany({
    where: { creditorId, id: { in: debtorIds }, creditLimit: { not: null } },
    select: { id: true, creditLimit: true, creditor: { select: { defaultCurrency: true } } },
  });
  const exposures = await openExposures(
    db,
    creditorId,
    limited.map((d) => d.id),
  );
  return new Set(
    limited.filter((d) => creditStanding(d.creditLimit, d.creditor.defaultCurrency, exposures.get(d.id) ?? []).over).map((d) => d.id),
  );
}

/** What the debtor page shows and the form starts from. */
export async function creditPolicyView(db: Db, creditorId: string, debtorId: string) {
  const debtor = await db.debtor.findFirst({
    where: { id: debtorId, creditorId },
    select: {
      kind: true,
      creditLimit: true,
      paymentTermsDays: true,
      paymentTermsBasis: true,
      creditor: { select: { defaultCurrency: true } },
    },
  });
  if (!debtor) throw new CreditPolicyNotFound();
  const currency = debtor.creditor.defaultCurrency;
  const exposures = (await openExposures(db, creditorId, [debtorId])).get(debtorId) ?? [];
  return {
    currency,
    business: debtor.kind === "BUSINESS",
    terms: debtor.paymentTermsDays === null ? null : { days: debtor.paymentTermsDays, basis: debtor.paymentTermsBasis },
    standing: creditStanding(debtor.creditLimit, currency, exposures),
    exposures,
    form: {
      creditLimit: debtor.creditLimit === null ? "" : decimal(debtor.creditLimit, minorDigits(currency)),
      paymentTermsDays: debtor.paymentTermsDays === null ? "" : String(debtor.paymentTermsDays),
      paymentTermsBasis: debtor.paymentTermsBasis,
    },
  };
}

const decimal = (minor: number, digits: number) => (digits === 0 ? String(minor) : (minor / 10 ** digits).toFixed(digits));

/**
 * The staff form. Messages are i18n keys (credit area). Between businesses the
 * terms may not exceed 60 days net or 45 days end of month (C. com. L441-10 I);
 * consumer terms are not capped by that article, only kept to whole days within a year.
 */
export function creditPolicySchema(ctx: { currency: string; business: boolean }) {
  return z
    .object({
      creditLimit: z
        .string()
        .transform((value, c) => {
          const parsed = parseMoneyInput(value, ctx.currency);
          // The column is a 32-bit integer of minor units.
          if (!parsed.ok || parsed.amount > 2_147_483_647) {
            c.addIssue({ code: "custom", message: "credit.errors.limit" });
            return z.NEVER;
          }
          return parsed.amount;
        })
        .optional(),
      paymentTermsDays: z
        .string()
        .trim()
        .regex(/^\d{1,3}$/, "credit.errors.termsDays")
        .transform(Number)
        .refine((n) => n <= 365, "credit.errors.termsDays")
        .optional(),
      paymentTermsBasis: z.enum(["NET", "END_OF_MONTH"], { message: "credit.errors.termsBasis" }).default("NET"),
    })
    .superRefine((v, c) => {
      if (!ctx.business || v.paymentTermsDays === undefined) return;
      const terms: PaymentTerms = { days: v.paymentTermsDays, basis: v.paymentTermsBasis };
      if (paymentTermsError(terms) === "terms_too_long")
        c.addIssue({ code: "custom", path: ["paymentTermsDays"], message: `credit.errors.termsTooLong.${v.paymentTermsBasis}` });
    });
}
export type CreditPolicyValues = z.output<ReturnType<typeof creditPolicySchema>>;

/** Saves the limit and terms; a change is written in the debtor's trace and in the staff audit trail. */
export async function updateCreditPolicy(
  db: Db,
  creditorId: string,
  debtorId: string,
  values: CreditPolicyValues,
  staff: Staff,
  now: Date,
) {
  const before = await db.debtor.findFirst({
    where: { id: debtorId, creditorId },
    select: { name: true, creditLimit: true, paymentTermsDays: true, paymentTermsBasis: true },
  });
  if (!before) throw new CreditPolicyNotFound();
  const after = {
    creditLimit: values.creditLimit ?? null,
    paymentTermsDays: values.paymentTermsDays ?? null,
    paymentTermsBasis: values.paymentTermsBasis,
  };
  const changed = (Object.keys(after) as (keyof typeof after)[]).filter((k) => before[k] !== after[k]);
  if (changed.length === 0) return { changed };
  await db.debtor.updateMany({ where: { id: debtorId, creditorId }, data: after });
  const diff = Object.fromEntries(changed.map((k) => [k, { from: before[k], to: after[k] }]));
  await recordCommunication(db, {
    creditorId,
    debtorId,
    direction: "OUT",
    channel: "SYSTEM",
    kind: "debtor.credit_policy",
    actorType: "STAFF",
    actorId: staff.userId,
    data: { changed: diff },
    occurredAt: now,
  });
  await recordAudit(db, {
    creditorId,
    actorUserId: staff.userId,
    action: "debtor.credit_policy_changed",
    targetType: "Debtor",
    targetId: debtorId,
    meta: { name: before.name, changed: diff },
    at: now,
  });
  return { changed };
}

export type CreditPolicyField = "creditLimit" | "paymentTermsDays" | "paymentTermsBasis";
/** A refused form: the user's values as typed and an i18n key per field. */
export type CreditPolicyRefusal = { values: Record<CreditPolicyField, string>; fieldErrors: Partial<Record<CreditPolicyField, string>> };

/** The staff form as posted (works without JavaScript): saved, or refused with the values kept. */
export async function saveCreditPolicyForm(
  db: Db,
  creditorId: string,
  debtorId: string,
  form: FormData,
  staff: Staff,
  now: Date,
): Promise<{ saved: true } | { saved: false; refusal: CreditPolicyRefusal }> {
  const view = await creditPolicyView(db, creditorId, debtorId);
  const values: Record<CreditPolicyField, string> = {
    creditLimit: String(form.get("creditLimit") ?? ""),
    paymentTermsDays: String(form.get("paymentTermsDays") ?? ""),
    paymentTermsBasis: String(form.get("paymentTermsBasis") ?? "NET"),
  };
  const blankToUndefined = (v: string) => (v.trim() === "" ? undefined : v);
  const parsed = creditPolicySchema({ currency: view.currency, business: view.business }).safeParse({
    creditLimit: blankToUndefined(values.creditLimit),
    paymentTermsDays: blankToUndefined(values.paymentTermsDays),
    paymentTermsBasis: values.paymentTermsBasis,
  });
  if (!parsed.success) {
    const fieldErrors: CreditPolicyRefusal["fieldErrors"] = {};
    for (const issue of parsed.error.issues) fieldErrors[issue.path[0] as CreditPolicyField] ??= issue.message;
    return { saved: false, refusal: { values, fieldErrors } };
  }
  await updateCreditPolicy(db, creditorId, debtorId, parsed.data, staff, now);
  return { saved: true };
}
