import type { Db } from "~/utils/db.server";
import type { PortalIdentity } from "~/utils/portal-session.server";

/**
 * What the "plan accepted / proposal sent" page tells the debtor: how the
 * first installment is paid (its date and amount; collected by GoCardless
 * when a mandate is in place for the plan, else a pay button), and whether a
 * mandate can be set up there. Null for a plan that is not this debtor's.
 */
export async function getPlanStart(db: Db, identity: PortalIdentity, planId: string) {
  const plan = await db.installmentPlan.findFirst({
    where: { id: planId, creditorId: identity.creditorId, debtorId: identity.debtorId },
    select: {
      id: true,
      status: true,
      totalAmount: true,
      currency: true,
      gocardlessScheduleId: true,
      installments: {
        orderBy: { position: "asc" },
        select: { id: true, position: true, dueDate: true, amount: true, status: true },
      },
    },
  });
  if (!plan) return null;
  const first = plan.installments.find((i) => i.status === "PENDING" || i.status === "PROCESSING" || i.status === "MISSED") ?? null;
  const active = plan.status === "ACTIVE";
  return {
    id: plan.id,
    status: plan.status,
    total: plan.totalAmount,
    currency: plan.currency,
    count: plan.installments.length,
    first: first
      ? { id: first.id, position: first.position, dueDate: first.dueDate.toISOString().slice(0, 10), amount: first.amount }
      : null,
    /** Collected by the plan's GoCardless schedule: nothing to do on that date. */
    autoDebit: active && !!plan.gocardlessScheduleId && first?.status !== "MISSED",
    /** The first installment can be paid now (card), or the debtor can authorise a mandate instead. */
    canPay: active && !plan.gocardlessScheduleId && first?.status === "PENDING",
    canSetUpMandate: active && !plan.gocardlessScheduleId,
  };
}
