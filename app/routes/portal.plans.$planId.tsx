import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { formatAmount, formatDate } from "~/components/money";
import { systemClock } from "~/domain/clock";
import { makeT, type MessageKey } from "~/i18n";
import { useRootLocale } from "~/root";
import { PaymentError, type PayMethod } from "~/services/payments/errors.server";
import { startPayment, startPlanDirectDebit } from "~/services/payments/start.server";
import { answerCounterOffer, PlanError } from "~/services/plans/plans.server";
import { deliverGoCardlessEvents, gocardlessMock, sandboxEnabled, sandboxSchedule } from "~/providers/mocks/sandbox.server";
import { db } from "~/utils/db.server";
import { requirePortalIdentity } from "~/utils/portal-session.server";
import { pageTitle } from "~/utils/page-title";

/** One plan of the debtor: its installments, a pay button for each, and direct debit set-up. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const identity = await requirePortalIdentity(request);
  const plan = await db.installmentPlan.findFirst({
    where: { id: params.planId ?? "", creditorId: identity.creditorId, debtorId: identity.debtorId },
    select: {
      id: true,
      status: true,
      totalAmount: true,
      downPayment: true,
      currency: true,
      gocardlessScheduleId: true,
      decisionNote: true,
      proposedBy: true,
      reason: true,
      installments: {
        orderBy: { position: "asc" },
        select: {
          id: true,
          position: true,
          dueDate: true,
          amount: true,
          status: true,
          payment: { select: { status: true, providerPaymentRef: true } },
        },
      },
      invoices: { select: { invoice: { select: { id: true, number: true } } } },
      creditor: { select: { legalName: true, brandName: true } },
      // A counter-offer shows the debtor's own proposal beside it; a countered proposal links to the counter-offer.
      counterOf: {
        select: { totalAmount: true, installments: { orderBy: { position: "asc" }, select: { id: true, dueDate: true, amount: true } } },
      },
      counters: { where: { debtorId: identity.debtorId }, orderBy: { createdAt: "desc" }, take: 1, select: { id: true } },
    },
  });
  if (!plan) throw new Response("Not found", { status: 404 });
  const sandbox = sandboxEnabled("gocardless") && plan.gocardlessScheduleId ? await sandboxSchedule(plan.gocardlessScheduleId) : null;
  return json({ plan, sandbox, attempt: crypto.randomUUID() }, { headers: { "Cache-Control": "private, no-store" } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const identity = await requirePortalIdentity(request);
  const planId = params.planId ?? "";
  const form = await request.formData();
  const intent = String(form.get("intent"));
  try {
    if (intent === "pay") {
      const method = String(form.get("method") ?? "card") as PayMethod;
      if (!["card", "sepa_debit", "gocardless"].includes(method)) return json({ error: "nothing_selected" }, { status: 400 });
      const { url } = await startPayment(
        db,
        identity,
        { invoiceIds: [], amount: null, method, attempt: String(form.get("attempt")), installmentId: String(form.get("installmentId")) },
        systemClock,
      );
      return redirect(url);
    }
    if (intent === "counter-accept" || intent === "counter-decline") {
      await answerCounterOffer(db, identity, planId, intent === "counter-accept" ? "accept" : "decline", systemClock);
      return redirect(`/portal/plans/${planId}`);
    }
    if (intent === "direct-debit") {
      const { url } = await startPlanDirectDebit(db, identity, planId);
      return redirect(url);
    }
    if (intent === "sandbox-collect" && sandboxEnabled("gocardless")) {
      const own = await db.installmentPlan.findFirst({
        where: { id: planId, creditorId: identity.creditorId, debtorId: identity.debtorId },
        select: { gocardlessScheduleId: true },
      });
      const paymentId = String(form.get("paymentId"));
      const { gocardlessCollectInstalment, gocardlessStore } = await gocardlessMock();
      const payment = gocardlessStore().payments.get(paymentId) as { links: { instalment_schedule?: string } } | undefined;
      if (!own?.gocardlessScheduleId || payment?.links.instalment_schedule !== own.gocardlessScheduleId)
        throw new Response("Not found", { status: 404 });
      await deliverGoCardlessEvents(gocardlessCollectInstalment(paymentId, form.get("outcome") === "failed" ? "failed" : "confirmed"));
      return redirect(`/portal/plans/${planId}`);
    }
  } catch (error) {
    if (error instanceof PlanError) return json({ error: "invoice_unavailable" }, { status: 400 });
    if (error instanceof PaymentError) return json({ error: error.code }, { status: error.code === "provider_unavailable" ? 503 : 400 });
    throw error;
  }
  return json({ error: "nothing_selected" }, { status: 400 });
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "title.portal.plan");

export default function PlanPage() {
  const { plan, sandbox, attempt } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as { error?: string } | undefined;
  const mandate = useSearchParams()[0].has("mandate");
  const busy = useNavigation().state !== "idle";
  const locale = useRootLocale();
  const t = makeT(locale);
  const money = (m: number) => formatAmount(m, plan.currency, locale);
  const creditor = plan.creditor.brandName ?? plan.creditor.legalName;
  const counterOffer = plan.proposedBy === "CREDITOR";
  const caption = counterOffer
    ? t("payments.plan.counterTitle", { creditor })
    : ["PROPOSED", "COUNTERED", "REJECTED"].includes(plan.status)
      ? t("plan.counter.yours")
      : t("payments.plan.title");
  return (
    <div className="stack narrow">
      <h1>{t("payments.plan.title")}</h1>
      <p>
        <span className="status paused">{t(`payments.plan.state.${plan.status}` as MessageKey)}</span> {money(plan.totalAmount)} —{" "}
        {plan.invoices.map((i) => i.invoice.number).join(", ")}
      </p>
      {data?.error ? (
        <p className="form-error" role="alert">
          {t(`payments.errors.${data.error}` as MessageKey, { min: "" })}
        </p>
      ) : null}
      {plan.status === "PROPOSED" && plan.proposedBy === "CREDITOR" ? (
        <section className="card stack" aria-labelledby="counter">
          <h2 id="counter">{t("payments.plan.counterTitle", { creditor })}</h2>
          {plan.reason ? <blockquote>{plan.reason}</blockquote> : null}
          <p>{t("payments.plan.counterLead")}</p>
          <Form method="post" className="row">
            <button type="submit" name="intent" value="counter-accept" disabled={busy}>
              {t("payments.plan.counterAccept")}
            </button>
            <button type="submit" name="intent" value="counter-decline" className="secondary" disabled={busy}>
              {t("payments.plan.counterDecline")}
            </button>
          </Form>
        </section>
      ) : null}
      {plan.status === "COUNTERED" && plan.counters[0] ? (
        <p className="notice">
          <Link to={`/portal/plans/${plan.counters[0].id}`}>{t("plan.counter.see", { creditor })}</Link>
        </p>
      ) : null}
      {mandate && !plan.gocardlessScheduleId ? (
        <p className="notice" role="status">
          {t("payments.plan.mandateReturned")}
        </p>
      ) : null}
      <table className="installments responsive">
        <caption className="muted" style={{ textAlign: "left" }}>
          {caption}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t("plan.table.position")}</th>
            <th scope="col">{t("plan.table.date")}</th>
            <th scope="col" className="num">
              {t("invoice.amount")}
            </th>
            <th scope="col">{t("invoice.status")}</th>
          </tr>
        </thead>
        <tbody>
          {plan.installments.map((i) => (
            <tr key={i.id}>
              <td data-label={t("plan.table.position")}>{i.position + 1}</td>
              <td data-label={t("plan.table.date")}>{formatDate(i.dueDate, locale)}</td>
              <td data-label={t("invoice.amount")} className="num">
                {money(i.amount)}
              </td>
              <td data-label={t("invoice.status")}>
                {t(`payments.plan.status.${i.status}` as MessageKey)}
                {plan.status === "ACTIVE" && i.status === "PENDING" && !plan.gocardlessScheduleId && i.payment?.status !== "PROCESSING" ? (
                  <Form method="post" className="row">
                    <input type="hidden" name="intent" value="pay" />
                    <input type="hidden" name="installmentId" value={i.id} />
                    <input type="hidden" name="attempt" value={`${attempt.slice(0, 24)}${String(i.position).padStart(12, "0")}`} />
                    <input type="hidden" name="method" value="card" />
                    <button type="submit" className="secondary" disabled={busy}>
                      {t("payments.plan.payNow")}
                    </button>
                  </Form>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {counterOffer && plan.counterOf ? (
        <section className="card stack" aria-labelledby="yours">
          <h2 id="yours">{t("plan.counter.yours")}</h2>
          <p className="muted">
            {t("plan.counter.yoursLead", { amount: money(plan.counterOf.totalAmount), count: plan.counterOf.installments.length })}
          </p>
          <ul>
            {plan.counterOf.installments.map((i) => (
              <li key={i.id}>
                {formatDate(i.dueDate, locale)} — {money(i.amount)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {plan.status === "ACTIVE" ? (
        plan.gocardlessScheduleId ? (
          <p className="success">{t("payments.plan.directDebitOn")}</p>
        ) : (
          <Form method="post" className="card stack">
            <p>{t("payments.plan.directDebitLead")}</p>
            <button type="submit" name="intent" value="direct-debit" disabled={busy}>
              {t("payments.plan.directDebit")}
            </button>
          </Form>
        )
      ) : null}
      {sandbox ? (
        <section className="card sandbox stack" aria-labelledby="sandbox">
          <h2 id="sandbox">{t("payments.sandbox.title")}</h2>
          <p className="muted">{t("payments.sandbox.lead")}</p>
          <ul>
            {sandbox.map((p) => (
              <li key={p.id}>
                {p.chargeDate} — {money(p.amount)} — {p.status}
                {p.status === "pending_submission" ? (
                  <Form method="post" className="row">
                    <input type="hidden" name="intent" value="sandbox-collect" />
                    <input type="hidden" name="paymentId" value={p.id} />
                    <button type="submit" name="outcome" value="confirmed" className="secondary">
                      {t("payments.sandbox.collect")} ({p.chargeDate})
                    </button>
                    <button type="submit" name="outcome" value="failed" className="secondary">
                      {t("payments.sandbox.fail")} ({p.chargeDate})
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
