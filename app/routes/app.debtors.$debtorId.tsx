import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from "@conform-to/react";
import { TimelineHead } from "~/components/timeline-head";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { systemClock } from "~/domain/clock";
import { formatAmount, formatDate } from "~/components/money";
import { makeT, type MessageKey } from "~/i18n";
import { disputeReasonLabel, eventLabel, pauseReasonLabel, stageLabel } from "~/i18n/labels";
import { DisputeFiles } from "~/components/dispute-files";
import { EmailThreads } from "~/components/email-threads";
import { useRootLocale } from "~/root";
import { useCreditorTimeZone } from "./app";
import { revokeAllLinks } from "~/services/portal/access.server";
import {
  assignPolicy,
  DebtorContactSchema,
  debtorFile,
  DebtorNotFound,
  sendPortalLinkNow,
  setRiskOverride,
  updateDebtorContact,
} from "~/services/backoffice/debtors.server";
import { BulkActionError, bulkInvoiceAction } from "~/services/backoffice/invoices.server";
import { CreditPolicy, CreditWarning } from "~/components/credit-policy";
import { creditPolicyView, saveCreditPolicyForm, type CreditPolicyRefusal } from "~/services/backoffice/credit-policy.server";
import { ReplyError, replyInThread } from "~/services/inbound/replies.server";
import { wakeJob } from "~/services/wake.server";
import { SolvencySummary } from "~/components/solvency-summary";
import { checkDebtorSolvency, resumeAfterClosure, SolvencyResumeError } from "~/services/solvency/check.server";
import { solvencySummary } from "~/services/solvency/summary.server";
import { sirenOf } from "~/domain/solvency/bodacc";
import { MediationPanel } from "~/components/mediation-panel";
import { debtorMediations } from "~/services/mediation/mediation.server";
import { mediationFormAction, MediationNotFound, type MediationRefusal } from "~/services/mediation/form.server";
import { db, type PrismaClient } from "~/utils/db.server";

type TxClient = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
import { requireStaff } from "~/utils/staff-session.server";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, "title.bo.debtor", { name: data?.debtor.name ?? "" });

/** What `recordManualPayment` writes in the trace of a recorded transfer: shown in the timeline and after recording. */
const TransferRecord = z.object({
  paymentId: z.string(),
  amount: z.number(),
  currency: z.string(),
  receivedAt: z.string(),
  reference: z.string(),
  allocations: z.array(z.object({ number: z.string(), amount: z.number(), balanceAfter: z.number() })),
  unallocated: z.number(),
});

/** What `closeObsoleteTasks` writes when a call task closes itself. */
const TaskClosed = z.object({ event: z.enum(["PAYMENT_SUCCEEDED", "DISPUTE_OPENED", "PLAN_ACTIVATED"]) });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const file = await debtorFile(db, staff.creditorId, params.debtorId ?? "", new Date());
  if (!file) throw new Response("Not found", { status: 404 });
  const allocations = await db.paymentAllocation.findMany({
    where: { creditorId: staff.creditorId, paymentId: { in: file.payments.map((p) => p.id) } },
    orderBy: { invoice: { dueDate: "asc" } },
    select: { paymentId: true, amount: true, invoice: { select: { number: true } } },
  });
  const timeline = file.timeline.map((c) => {
    const parsed = c.kind === "payment.transfer_recorded" ? TransferRecord.safeParse(c.data) : null;
    const closed = c.kind === "task.closed" ? TaskClosed.safeParse(c.data) : null;
    return { ...c, transfer: parsed?.success ? parsed.data : null, closedBecause: closed?.success ? closed.data.event : null };
  });
  // Just recorded from the transfer page: say where the money went.
  const transferId = new URL(request.url).searchParams.get("transfer");
  const recorded = transferId ? (timeline.find((c) => c.transfer?.paymentId === transferId)?.transfer ?? null) : null;
  return json({
    ...file,
    timeline,
    recorded,
    payments: file.payments.map((p) => ({
      ...p,
      allocations: allocations.filter((a) => a.paymentId === p.id).map((a) => ({ number: a.invoice.number, amount: a.amount })),
    })),
    canAct: staff.role !== "VIEWER",
    solvency:
      file.debtor.kind === "BUSINESS"
        ? await solvencySummary(db, staff.creditorId, file.debtor.id, file.invoices[0]?.currency ?? "EUR")
        : null,
    credit: await creditPolicyView(db, staff.creditorId, file.debtor.id),
    mediation: await debtorMediations(db, staff.creditorId, file.debtor.id),
  });
}

const DONE = ["contact", "segment", "pause", "resume", "link", "revoked", "policy", "replied", "credit"] as const;
type ActionData =
  | { intent: "contact"; reply: SubmissionResult<string[]> }
  | { intent: "credit"; credit: CreditPolicyRefusal }
  | { intent: "mediation-start" | "mediation-end"; mediation: MediationRefusal }
  | { intent: string; error: string; note?: string; threadId?: string; message?: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const staff = await requireStaff(request, "AGENT");
  const debtorId = params.debtorId ?? "";
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const now = new Date();
  const back = (done: (typeof DONE)[number]) => redirect(`/app/debtors/${debtorId}?done=${done}`);
  const tx = <T,>(fn: (t: TxClient) => Promise<T>) => db.$transaction(fn, { timeout: 30_000 });
  try {
    // Another creditor's debtor: 404 before anything is read from the form.
    const own = await db.debtor.findFirst({ where: { id: debtorId, creditorId: staff.creditorId }, select: { id: true } });
    if (!own) throw new DebtorNotFound();
    switch (intent) {
      case "contact": {
        const submission = parseWithZod(form, { schema: DebtorContactSchema });
        if (submission.status !== "success") return json<ActionData>({ intent, reply: submission.reply() }, { status: 400 });
        await tx((t) => updateDebtorContact(t, staff.creditorId, debtorId, submission.value, staff, now));
        return back("contact");
      }
      case "segment": {
        const value = String(form.get("segment") ?? "");
        const segment = value === "GOOD" || value === "STANDARD" || value === "LATE_PAYER" ? value : null;
        await tx((t) => setRiskOverride(t, staff.creditorId, debtorId, segment, staff, now));
        return back("segment");
      }
      case "pause":
      case "resume": {
        const note = String(form.get("note") ?? "");
        const invoiceIds = form.getAll("invoiceId").map(String);
        const owned = await db.invoice.count({ where: { id: { in: invoiceIds }, creditorId: staff.creditorId, debtorId } });
        if (owned !== new Set(invoiceIds).size) throw new Response("Not found", { status: 404 });
        await tx((t) => bulkInvoiceAction(t, staff.creditorId, { invoiceIds, action: intent, note }, staff, now));
        return back(intent);
      }
      case "send-link": {
        const sent = await tx((t) => sendPortalLinkNow(t, staff.creditorId, debtorId, staff, systemClock));
        if (!sent) return json<ActionData>({ intent, error: "bo.errors.noEmail" }, { status: 400 });
        return back("link");
      }
      case "revoke-links":
        await tx((t) => revokeAllLinks(t, staff.creditorId, debtorId, staff, systemClock));
        return back("revoked");
      case "thread-reply": {
        // Staff answer the debtor from an email thread: sent through the outbox, threaded, traced.
        const message = String(form.get("message") ?? "");
        const threadId = String(form.get("threadId") ?? "");
        try {
          await replyInThread(db, {
            creditorId: staff.creditorId,
            debtorId,
            communicationId: String(form.get("communicationId") ?? ""),
            text: message,
            staff,
            now,
          });
        } catch (error) {
          if (error instanceof ReplyError && error.code === "not_found") throw new Response("Not found", { status: 404 });
          if (error instanceof ReplyError)
            return json<ActionData>({ intent, error: `replies.error.${error.code}`, threadId, message }, { status: 400 });
          throw error;
        }
        void wakeJob("outbox_send");
        return back("replied");
      }
      case "credit": {
        const saved = await tx((t) => saveCreditPolicyForm(t, staff.creditorId, debtorId, form, staff, now));
        if (!saved.saved) return json<ActionData>({ intent, credit: saved.refusal }, { status: 400 });
        return back("credit");
      }
      case "solvency-check": {
        const checked = await checkDebtorSolvency(db, {
          creditorId: staff.creditorId,
          debtorId,
          now,
          actor: { type: "STAFF", id: staff.userId },
        });
        if (!checked.ok)
          return json<ActionData>(
            { intent, error: checked.reason === "no_siren" ? "solvency.errors.noSiren" : "solvency.errors.failed" },
            { status: 400 },
          );
        return redirect(`/app/debtors/${debtorId}?done=solvency_checked`);
      }
      case "solvency-resume": {
        try {
          await resumeAfterClosure(db, { creditorId: staff.creditorId, debtorId, now, actor: { type: "STAFF", id: staff.userId } });
        } catch (error) {
          if (error instanceof SolvencyResumeError)
            return json<ActionData>({ intent, error: "solvency.errors.stillOpen" }, { status: 400 });
          throw error;
        }
        return redirect(`/app/debtors/${debtorId}?done=solvency_resumed`);
      }
      case "mediation-start":
      case "mediation-end": {
        const actor = { type: "STAFF" as const, id: staff.userId };
        const outcome = await mediationFormAction(db, { creditorId: staff.creditorId, debtorId, intent, form, actor, now });
        if (!outcome.ok) return json<ActionData>({ intent, mediation: outcome.refusal }, { status: 400 });
        return redirect(`/app/debtors/${debtorId}?done=${outcome.done}`);
      }
      case "policy": {
        const policyId = String(form.get("policyId") ?? "") || null;
        await tx((t) => assignPolicy(t, staff.creditorId, debtorId, policyId, staff, now));
        return back("policy");
      }
    }
  } catch (error) {
    if (error instanceof DebtorNotFound || error instanceof MediationNotFound) throw new Response("Not found", { status: 404 });
    if (error instanceof BulkActionError) {
      if (error.code === "not_found") throw new Response("Not found", { status: 404 });
      return json<ActionData>({ intent, error: `bo.errors.${error.code}`, note: String(form.get("note") ?? "") }, { status: 400 });
    }
    throw error;
  }
  return json<ActionData>({ intent, error: "inbox.errors.unknown" }, { status: 400 });
}

/** Where a recorded transfer went: invoice by invoice, and any overpayment left to review. */
function TransferLines({ transfer }: { transfer: z.infer<typeof TransferRecord> }) {
  const locale = useRootLocale();
  const t = makeT(locale);
  const money = (m: number) => formatAmount(m, transfer.currency, locale);
  return (
    <ul>
      {transfer.allocations.map((a) => (
        <li key={a.number}>
          {a.balanceAfter <= 0
            ? t("transfer.settled", { number: a.number, amount: money(a.amount) })
            : t("transfer.partial", { number: a.number, amount: money(a.amount), balance: money(a.balanceAfter) })}
        </li>
      ))}
      {transfer.unallocated > 0 ? (
        <li>
          <strong>{t("transfer.overpaid", { amount: money(transfer.unallocated) })}</strong>
        </li>
      ) : null}
    </ul>
  );
}

export default function DebtorPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionData | undefined;
  const [params] = useSearchParams();
  const locale = useRootLocale();
  const timeZone = useCreditorTimeZone();
  const t = makeT(locale);
  const { debtor, canAct } = data;
  const done = params.get("done");
  const contactReply = result && "reply" in result ? result.reply : undefined;
  const failure = result && "error" in result ? result : null;
  const [form, fields] = useForm({
    id: "contact",
    lastResult: contactReply,
    defaultValue: {
      name: debtor.name,
      legalId: debtor.legalId ?? "",
      email: debtor.email ?? "",
      phone: debtor.phone ?? "",
      locale: debtor.locale,
      addressLine1: debtor.addressLine1 ?? "",
      addressLine2: debtor.addressLine2 ?? "",
      postalCode: debtor.postalCode ?? "",
      city: debtor.city ?? "",
      country: debtor.country,
    },
    shouldValidate: "onSubmit",
  });
  const fieldError = (errors?: string[]) => (errors?.[0] ? t(errors[0] as MessageKey) : null);
  const effectiveSegment = debtor.riskSegmentManual ?? data.computedSegment;

  const textField = (
    name: "name" | "legalId" | "email" | "phone" | "addressLine1" | "addressLine2" | "postalCode" | "city" | "country",
    label: MessageKey,
    type: "text" | "email" | "tel" = "text",
  ) => {
    const f = fields[name];
    return (
      <div className="field" key={name}>
        <label htmlFor={f.id}>{t(label)}</label>
        <input {...getInputProps(f, { type })} key={f.key} />
        {f.errors ? (
          <p className="field-error" id={f.errorId}>
            {fieldError(f.errors)}
          </p>
        ) : null}
      </div>
    );
  };

  return (
    <div className="stack debtor-page">
      <p>
        <Link to="/app/debtors">← {t("nav.debtors")}</Link>
      </p>
      <h1>{debtor.name}</h1>
      {done && (DONE as readonly string[]).includes(done) ? (
        <p className="success" role="status">
          {t(`bo.debtor.done.${done}` as MessageKey)}
        </p>
      ) : null}
      {failure ? (
        <p className="form-error" role="alert">
          {t(failure.error as MessageKey)}
        </p>
      ) : null}
      <CreditWarning policy={data.credit} locale={locale} />
      {data.recorded ? (
        <div className="success" role="status">
          <p style={{ margin: 0 }}>
            <strong>{t("transfer.done", { amount: formatAmount(data.recorded.amount, data.recorded.currency, locale) })}</strong>
          </p>
          <TransferLines transfer={data.recorded} />
        </div>
      ) : null}
      <p className="muted">
        {debtor.externalRef} · {t(`bo.kind.${debtor.kind}`)} · {t("bo.segment")} : <strong>{t(`bo.segment.${effectiveSegment}`)}</strong>
        {debtor.riskSegmentManual ? ` (${t("bo.segmentManual")})` : ` (${t("bo.segmentComputed")})`}
      </p>

      {debtor.kind === "BUSINESS" ? (
        <SolvencySummary data={data.solvency} hasSiren={!!sirenOf(debtor.legalId)} canAct={canAct} locale={locale} timeZone={timeZone} />
      ) : null}

      <section aria-labelledby="invoices-title">
        <h2 id="invoices-title">{t("bo.debtor.openInvoices")}</h2>
        <Form method="post" className="stack">
          <table className="responsive">
            <caption>{t("bo.debtor.openInvoicesCaption")}</caption>
            <thead>
              <tr>
                {canAct ? (
                  <th scope="col">
                    <span className="visually-hidden">{t("bo.select")}</span>
                  </th>
                ) : null}
                <th scope="col">{t("invoice.number")}</th>
                <th scope="col">{t("invoice.dueDate")}</th>
                <th scope="col" className="num">
                  {t("invoice.balance")}
                </th>
                <th scope="col">{t("bo.dunningLevel")}</th>
                <th scope="col">{t("bo.dunning")}</th>
              </tr>
            </thead>
            <tbody>
              {data.invoices.length === 0 ? (
                <tr>
                  <td colSpan={6}>{t("bo.debtor.noOpenInvoices")}</td>
                </tr>
              ) : null}
              {data.invoices.map((i) => (
                <tr key={i.id}>
                  {canAct ? (
                    <td data-label={t("bo.select")}>
                      {i.stage.kind === "settled" ? null : (
                        <input type="checkbox" name="invoiceId" value={i.id} aria-label={t("bo.selectInvoice", { number: i.number })} />
                      )}
                    </td>
                  ) : null}
                  <td data-label={t("invoice.number")}>{i.number}</td>
                  <td data-label={t("invoice.dueDate")}>{formatDate(i.dueDate, locale)}</td>
                  <td data-label={t("invoice.balance")} className="num">
                    {formatAmount(i.balance, i.currency, locale)}
                  </td>
                  <td data-label={t("bo.dunningLevel")}>{stageLabel(locale, i.stage)}</td>
                  <td data-label={t("bo.dunning")}>
                    {i.stage.kind === "settled" ? null : i.pauseReason ? (
                      <span className="status paused">
                        {t("bo.pausedBecause", { reason: pauseReasonLabel(locale, i.pauseReason) })}
                        {i.pausedUntil ? ` — ${t("bo.until", { date: formatDate(i.pausedUntil, locale) })}` : null}
                      </span>
                    ) : (
                      <span className="status due">{t("bo.dunningActive")}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {canAct && data.invoices.length > 0 ? (
            <fieldset className="card">
              <legend>{t("bo.debtor.pauseResume")}</legend>
              <label htmlFor="pause-note">{t("bo.reason")}</label>
              <input id="pause-note" name="note" required defaultValue={failure?.note ?? ""} />
              <div className="row">
                <button type="submit" name="intent" value="pause" className="secondary">
                  {t("bo.bulk.pause")}
                </button>
                <button type="submit" name="intent" value="resume" className="secondary">
                  {t("bo.bulk.resume")}
                </button>
              </div>
            </fieldset>
          ) : null}
        </Form>
        <p className="row">
          {canAct ? (
            <Link className="button secondary" to={`/app/debtors/${debtor.id}/payment`}>
              {t("transfer.cta")}
            </Link>
          ) : null}
          <Link to={`/app/invoices?debtorId=${debtor.id}`}>{t("bo.debtor.allInvoices")}</Link>
        </p>
      </section>

      <CreditPolicy policy={data.credit} canAct={canAct} locale={locale} refusal={result && "credit" in result ? result.credit : null} />
      <MediationPanel
        data={data.mediation}
        invoices={data.invoices.map((i) => ({ ...i, settled: i.stage.kind === "settled" }))}
        canAct={canAct}
        locale={locale}
        refusal={result && "mediation" in result ? result.mediation : null}
      />

      <section aria-labelledby="contact-title">
        <h2 id="contact-title">{t("bo.debtor.identity")}</h2>
        <Form method="post" {...getFormProps(form)} className="card">
          <fieldset disabled={!canAct} className="plain">
            <legend className="visually-hidden">{t("bo.debtor.identity")}</legend>
            <div className="filter-grid">
              {textField("name", "bo.field.name")}
              {textField("legalId", "bo.field.legalId")}
              {textField("email", "bo.email", "email")}
              {textField("phone", "bo.field.phone", "tel")}
              <div className="field">
                <label htmlFor={fields.locale.id}>{t("bo.field.locale")}</label>
                <select {...getSelectProps(fields.locale)} key={fields.locale.key}>
                  <option value="fr">Français</option>
                  <option value="en">English</option>
                </select>
              </div>
              {textField("addressLine1", "bo.field.address1")}
              {textField("addressLine2", "bo.field.address2")}
              {textField("postalCode", "bo.field.postalCode")}
              {textField("city", "bo.field.city")}
              {textField("country", "bo.field.country")}
            </div>
            {canAct ? (
              <button type="submit" name="intent" value="contact">
                {t("bo.save")}
              </button>
            ) : null}
          </fieldset>
        </Form>
      </section>

      {canAct ? (
        <section aria-labelledby="actions-title">
          <h2 id="actions-title">{t("bo.debtor.actions")}</h2>
          <div className="card stack">
            <p className="muted">{t("bo.debtor.activeLinks", { count: data.activeLinks })}</p>
            <div className="row">
              <Form method="post">
                <button type="submit" name="intent" value="send-link">
                  {t("bo.debtor.sendLink")}
                </button>
              </Form>
              <Form method="post">
                <button type="submit" name="intent" value="revoke-links" className="danger">
                  {t("bo.debtor.revokeLinks")}
                </button>
              </Form>
            </div>
            <Form method="post" className="row">
              <label htmlFor="segment">{t("bo.debtor.segmentOverride")}</label>
              <select id="segment" name="segment" defaultValue={debtor.riskSegmentManual ?? ""}>
                <option value="">{t("bo.debtor.segmentAuto", { segment: t(`bo.segment.${data.computedSegment}`) })}</option>
                {(["GOOD", "STANDARD", "LATE_PAYER"] as const).map((s) => (
                  <option key={s} value={s}>
                    {t(`bo.segment.${s}`)}
                  </option>
                ))}
              </select>
              <button type="submit" name="intent" value="segment" className="secondary">
                {t("bo.save")}
              </button>
            </Form>
            <Form method="post" className="row">
              <label htmlFor="policy">{t("bo.debtor.policy")}</label>
              <select id="policy" name="policyId" defaultValue={debtor.policyId ?? ""}>
                <option value="">{t("bo.debtor.defaultPolicy")}</option>
                {data.policies.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
              <button type="submit" name="intent" value="policy" className="secondary">
                {t("bo.save")}
              </button>
            </Form>
            <p className="muted">{t("bo.debtor.policyNote")}</p>
          </div>
        </section>
      ) : null}

      <section aria-labelledby="plans-title">
        <h2 id="plans-title">{t("bo.debtor.plans")}</h2>
        {data.plans.length === 0 ? (
          <p className="muted">{t("bo.none")}</p>
        ) : (
          <ul className="plain-list">
            {data.plans.map((p) => (
              <li key={p.id}>
                {formatDate(p.createdAt, locale)} — {formatAmount(p.totalAmount, p.currency, locale)} ({p._count.installments}×) —{" "}
                {t(`bo.planStatus.${p.status}`)}
              </li>
            ))}
          </ul>
        )}
        <h2 id="disputes-title">{t("bo.debtor.disputes")}</h2>
        {data.disputes.length === 0 ? (
          <p className="muted">{t("bo.none")}</p>
        ) : (
          <ul className="plain-list">
            {data.disputes.map((d) => (
              <li key={d.id}>
                {formatDate(d.createdAt, locale)} — {d.invoice.number} — {disputeReasonLabel(locale, d.reason)} —{" "}
                <strong>{t(`bo.disputeStatus.${d.status}`)}</strong>
                {d.creditAmount ? ` (${formatAmount(d.creditAmount, d.invoice.currency, locale)})` : null}
                {d.resolutionNote ? (
                  <>
                    <br />
                    <span className="muted">{d.resolutionNote}</span>
                  </>
                ) : null}
                <DisputeFiles files={d.attachments} />
              </li>
            ))}
          </ul>
        )}
        <h2 id="promises-title">{t("bo.debtor.promises")}</h2>
        {data.promises.length === 0 ? (
          <p className="muted">{t("bo.none")}</p>
        ) : (
          <ul className="plain-list">
            {data.promises.map((p) => (
              <li key={p.id}>
                {formatDate(p.promisedAt, locale)} — {formatAmount(p.amount, p.currency, locale)}
                {p.invoice ? ` — ${p.invoice.number}` : null} — {t(`bo.promiseStatus.${p.status}`)}
              </li>
            ))}
          </ul>
        )}
        <h2 id="payments-title">{t("bo.debtor.payments")}</h2>
        {data.payments.length === 0 ? (
          <p className="muted">{t("bo.none")}</p>
        ) : (
          <ul className="plain-list">
            {data.payments.map((p) => (
              <li key={p.id}>
                {formatDate(p.succeededAt ?? p.createdAt, locale)} — {formatAmount(p.amount, p.currency, locale)} —{" "}
                {t(`bo.paymentProvider.${p.provider}`)} — {t(`bo.paymentStatus.${p.status}`)}
                {p.allocations.length > 0 ? (
                  <span className="muted">
                    {" "}
                    —{" "}
                    {t("transfer.allocatedTo", {
                      invoices: p.allocations.map((a) => `${a.number} (${formatAmount(a.amount, p.currency, locale)})`).join(", "),
                    })}
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      <EmailThreads
        threads={data.threads}
        canAct={canAct}
        locale={locale}
        failure={
          failure?.intent === "thread-reply"
            ? { threadId: failure.threadId ?? "", error: t(failure.error as MessageKey), message: failure.message ?? "" }
            : null
        }
      />

      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t("bo.timeline")}</h2>
        {data.timeline.length === 0 ? <p className="muted">{t("bo.none")}</p> : null}
        <ol className="timeline">
          {data.timeline.map((c) => (
            <li key={c.id} className={`tl-${c.direction.toLowerCase()}`}>
              <TimelineHead entry={c} locale={locale} timeZone={timeZone} />
              {c.transfer ? (
                <>
                  <p className="tl-subject">
                    <strong>
                      {t("transfer.timeline", {
                        date: formatDate(c.transfer.receivedAt, locale),
                        amount: formatAmount(c.transfer.amount, c.transfer.currency, locale),
                        reference: c.transfer.reference,
                      })}
                    </strong>
                  </p>
                  <TransferLines transfer={c.transfer} />
                </>
              ) : (
                <p className="tl-subject">
                  <strong>{eventLabel(locale, c.kind)}</strong>
                  {c.subject ? <> — {c.subject}</> : null}
                </p>
              )}
              {c.closedBecause ? <p className="muted">{t(`task.autoClosed.${c.closedBecause}`)}</p> : null}
              {c.bodyText || c.bodyHtml ? (
                <details>
                  <summary>{c.bodyHtml ? t("bo.viewEmail") : t("bo.viewDetails")}</summary>
                  {c.recipient ? <p className="muted">{t("bo.to", { recipient: c.recipient })}</p> : null}
                  {c.bodyHtml ? (
                    <iframe
                      className="email-snapshot"
                      sandbox=""
                      srcDoc={c.bodyHtml}
                      title={t("bo.emailSnapshot", { subject: c.subject ?? eventLabel(locale, c.kind) })}
                    />
                  ) : (
                    <pre className="tl-body">{c.bodyText}</pre>
                  )}
                </details>
              ) : null}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
