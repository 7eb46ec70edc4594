import { z } from "zod";
import { addDays, isoDay, startOfDayUTC } from "~/domain/clock";
import { invoiceBalance } from "~/domain/money";
import { allocatePayment } from "~/domain/payments/allocation";
import type { PaymentStatus } from "~/domain/payments/state";
import { createInstalmentSchedule, findBillingRequest, findGoCardlessPayment } from "~/providers/gocardless.server";
import type { Db } from "~/utils/db.server";
import { applyInvoiceEvent } from "../dunning/invoice-events.server";
import { recordCommunication } from "../messaging/communications.server";
import { applyPaymentStatus } from "../payments/status.server";
import { parseWebhookPayload, type WebhookOutcome } from "./shared.server";

/** The fields of a GoCardless event that we read; the rest passes through unchecked. */
const GoCardlessEvent = z
  .object({
    id: z.string(),
    resource_type: z.string(),
    action: z.string(),
    links: z
      .record(z.string(), z.string())
      .nullish()
      .transform((links) => links ?? {}),
    details: z.object({ cause: z.string().nullish(), description: z.string().nullish() }).loose().nullish(),
  })
  .loose();
type GoCardlessEvent = z.infer<typeof GoCardlessEvent>;

const GC_PAYMENT_STATUS: Record<string, PaymentStatus | undefined> = {
  created: "PROCESSING",
  submitted: "PROCESSING",
  customer_approval_granted: "PROCESSING",
  confirmed: "SUCCEEDED",
  paid_out: "SUCCEEDED",
  failed: "FAILED",
  late_failure_settled: "CHARGED_BACK",
  charged_back: "CHARGED_BACK",
  cancelled: "CANCELED",
};

/** GoCardless events (one per stored row) → payment moves, mandates and instalment schedules; a malformed one fails with the field named. */
export async function handleGoCardlessEvent(tx: Db, payload: unknown, now: Date): Promise<WebhookOutcome> {
  const event = parseWebhookPayload(GoCardlessEvent, payload);
  const { links } = event;
  if (event.resource_type === "billing_requests") return billingRequestEvent(tx, event, now);
  if (event.resource_type === "mandates" && links.mandate && ["cancelled", "failed", "expired"].includes(event.action)) {
    const n = await tx.debtor.updateMany({ where: { gocardlessMandateId: links.mandate }, data: { gocardlessMandateId: null } });
    return n.count > 0 ? "processed" : "ignored";
  }
  if (event.resource_type !== "payments" || !links.payment) return "ignored";
  let to = GC_PAYMENT_STATUS[event.action];
  if (!to) return "ignored";
  const payment = await gocardlessPayment(tx, links.payment, now);
  if (!payment) return "ignored";
  // A failure after the money was confirmed is a late failure: the money goes back.
  if (to === "FAILED" && payment.status === "SUCCEEDED") to = "CHARGED_BACK";
  const reason = event.details?.description ?? event.details?.cause ?? null;
  const result = await applyPaymentStatus(tx, payment.id, to, {
    now,
    providerPaymentRef: links.payment,
    failureReason: to === "FAILED" || to === "CHARGED_BACK" ? reason : null,
  });
  if (result.changed && to === "FAILED" && payment.installmentId) await defaultPlanOfInstallment(tx, payment.installmentId, now);
  return "processed";
}

async function billingRequestEvent(tx: Db, event: GoCardlessEvent, now: Date): Promise<WebhookOutcome> {
  const brId = event.links.billing_request;
  if (!brId) return "ignored";
  const payment = await tx.payment.findUnique({ where: { providerRef: brId }, select: { id: true } });
  if (event.action === "cancelled" || event.action === "failed") {
    if (!payment) return "ignored";
    await applyPaymentStatus(tx, payment.id, "CANCELED", { now });
    return "processed";
  }
  if (event.action !== "fulfilled") return "ignored";
  if (payment) {
    // The bank payment exists: link it; its own events move it on.
    const pm = event.links.payment_request_payment ?? null;
    await applyPaymentStatus(tx, payment.id, "PROCESSING", { now, providerPaymentRef: pm });
    return "processed";
  }
  // A mandate request for an installment plan: re-fetch it to read what it was for.
  const br = await findBillingRequest(brId);
  const planId = br.metadata.plan_id;
  if (!planId || !br.mandateId) return "ignored";
  const plan = await tx.installmentPlan.findUnique({
    where: { id: planId },
    include: { installments: { where: { status: "PENDING" }, orderBy: { position: "asc" } } },
  });
  if (!plan || plan.status !== "ACTIVE" || plan.gocardlessScheduleId) return "ignored";
  await tx.debtor.updateMany({
    where: { id: plan.debtorId, creditorId: plan.creditorId },
    data: { gocardlessMandateId: br.mandateId, gocardlessCustomerId: br.customerId },
  });
  // A direct debit needs a few days' notice: an installment due sooner is collected at the earliest date.
  const earliest = addDays(startOfDayUTC(now), 3);
  const schedule = await createInstalmentSchedule({
    planId: plan.id,
    mandateId: br.mandateId,
    currency: plan.currency,
    name: `Échéancier ${plan.id}`,
    instalments: plan.installments.map((i) => ({ chargeDate: isoDay(i.dueDate < earliest ? earliest : i.dueDate), amount: i.amount })),
  });
  await tx.installmentPlan.update({ where: { id: plan.id }, data: { gocardlessScheduleId: schedule.id } });
  await recordCommunication(tx, {
    creditorId: plan.creditorId,
    debtorId: plan.debtorId,
    direction: "IN",
    channel: "PAYMENT",
    kind: "plan.direct_debit_set_up",
    actorType: "PROVIDER",
    data: { planId: plan.id, mandateId: br.mandateId, scheduleId: schedule.id },
    occurredAt: now,
  });
  return "processed";
}

/**
 * Our payment for a GoCardless payment id. Unknown ids are re-fetched from
 * GoCardless (events can arrive before the one that links them): either it
 * carries our payment id in its metadata, or it belongs to a plan's schedule
 * and becomes the payment of the matching installment.
 */
async function gocardlessPayment(tx: Db, pm: string, now: Date) {
  const known = await tx.payment.findUnique({ where: { providerPaymentRef: pm }, select: { id: true, status: true, installmentId: true } });
  if (known) return known;
  const remote = await findGoCardlessPayment(pm);
  if (remote.metadata.payment_id) {
    const ours = await tx.payment.findUnique({
      where: { id: remote.metadata.payment_id },
      select: { id: true, status: true, installmentId: true },
    });
    if (ours) await tx.payment.update({ where: { id: ours.id }, data: { providerPaymentRef: pm } });
    return ours;
  }
  if (!remote.instalmentScheduleId) return null;
  const plan = await tx.installmentPlan.findUnique({
    where: { gocardlessScheduleId: remote.instalmentScheduleId },
    include: {
      installments: { where: { status: "PENDING", payment: null }, orderBy: { position: "asc" } },
      invoices: { include: { invoice: { select: { id: true, dueDate: true, amount: true, amountPaid: true, amountCredited: true } } } },
    },
  });
  const installment = plan?.installments.find((i) => i.amount === remote.amount);
  if (!plan || !installment) return null;
  const { allocations } = allocatePayment(
    remote.amount,
    plan.invoices.map((l) => ({ id: l.invoice.id, dueDate: l.invoice.dueDate, balance: invoiceBalance(l.invoice) })),
  );
  // ON CONFLICT DO NOTHING: another process applying an event of the same payment may create it
  // first; this one then waits for its commit and uses that row instead of failing.
  const [created] = await tx.payment.createManyAndReturn({
    data: [
      {
        creditorId: plan.creditorId,
        debtorId: plan.debtorId,
        provider: "GOCARDLESS",
        method: "direct_debit",
        amount: remote.amount,
        currency: plan.currency,
        providerPaymentRef: pm,
        idempotencyKey: `gocardless:${pm}`,
        installmentId: installment.id,
        createdAt: now,
      },
    ],
    skipDuplicates: true,
    select: { id: true, status: true, installmentId: true },
  });
  if (!created) {
    const existing = await tx.payment.findUnique({
      where: { providerPaymentRef: pm },
      select: { id: true, status: true, installmentId: true },
    });
    // Else the installment was just taken by another payment of the same amount: retried, it takes the next one.
    if (!existing) throw new Error(`installment ${installment.id} was matched to another payment meanwhile`);
    return existing;
  }
  await tx.paymentAllocation.createMany({
    data: allocations.map((a) => ({ creditorId: plan.creditorId, paymentId: created.id, invoiceId: a.invoiceId, amount: a.amount })),
  });
  return created;
}

/** A collected installment failed: the plan defaults and dunning resumes one level up on its invoices. */
async function defaultPlanOfInstallment(tx: Db, installmentId: string, now: Date) {
  const installment = await tx.installment.update({
    where: { id: installmentId },
    data: { status: "MISSED" },
    include: { plan: { include: { invoices: true } } },
  });
  const { plan } = installment;
  const claimed = await tx.installmentPlan.updateMany({
    where: { id: plan.id, status: "ACTIVE" },
    data: { status: "DEFAULTED", decisionNote: `installment ${installment.position + 1} failed` },
  });
  if (claimed.count === 0) return;
  for (const link of plan.invoices) {
    await applyInvoiceEvent(tx, {
      creditorId: plan.creditorId,
      invoiceId: link.invoiceId,
      event: { type: "PLAN_DEFAULTED" },
      actor: { type: "PROVIDER" },
      now,
    }).catch((error) => {
      if ((error as { code?: string }).code !== "settled") throw error;
    });
  }
}
