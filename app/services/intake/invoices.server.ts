import { initialDunningState } from "~/domain/dunning";
import type { Db } from "~/utils/db.server";
import { creditorTimeZone } from "../creditor-clock.server";
import { discountTermsForNewInvoice } from "../payments/discount.server";
import type { PolicyWithLevels } from "../dunning/policies.server";

export type NewInvoice = {
  creditorId: string;
  debtorId: string;
  policy: PolicyWithLevels;
  number: string;
  issueDate: Date;
  dueDate: Date;
  amount: number;
  currency: string;
  description?: string | null;
  /** Delivery / service completion: where prescription starts (the due date when unknown). */
  deliveredAt?: Date | null;
  now: Date;
  /** The creditor's; read from it when not given. */
  timeZone?: string;
};

/**
 * Creates an invoice with its dunning state. An invoice loaded late starts at
 * the latest level whose date has come; earlier levels are not replayed.
 */
export async function createInvoice(db: Db, input: NewInvoice) {
  const timeZone = input.timeZone ?? (await creditorTimeZone(db, input.creditorId));
  const state = initialDunningState(input.dueDate, input.policy.levels, input.now, timeZone);
  // The creditor's early-payment discount as it is today, frozen on the invoice (decision 028).
  const discount = await discountTermsForNewInvoice(db, input.creditorId, input);
  return db.invoice.create({
    data: {
      creditorId: input.creditorId,
      debtorId: input.debtorId,
      number: input.number,
      issueDate: input.issueDate,
      dueDate: input.dueDate,
      amount: input.amount,
      currency: input.currency,
      description: input.description ?? null,
      deliveredAt: input.deliveredAt ?? null,
      ...discount,
      dunningState: {
        create: {
          creditorId: input.creditorId,
          policyId: input.policy.id,
          level: state.level,
          nextActionAt: state.nextActionAt,
        },
      },
    },
  });
}
