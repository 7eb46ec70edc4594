import type { Db } from "~/utils/db.server";
import { debtorCreditStanding } from "../backoffice/credit-policy.server";

/**
 * The plan rule of the credit policy (decision 025): the down payment, in % of
 * the plan, a debtor over its credit limit must make for its plan to be
 * accepted without review. Null when the creditor has no such rule or the
 * debtor is within its limit (or has none).
 */
export async function overLimitPlanRule(db: Db, identity: { creditorId: string; debtorId: string }): Promise<number | null> {
  const creditor = await db.creditor.findUniqueOrThrow({ where: { id: identity.creditorId }, select: { planOverLimitDownPc: true } });
  const pc = creditor.planOverLimitDownPc;
  if (pc === null || pc <= 0) return null;
  const standing = await debtorCreditStanding(db, identity.creditorId, identity.debtorId);
  return standing?.over ? pc : null;
}
