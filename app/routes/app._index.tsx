import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { addDays, isoDay, systemClock } from "~/domain/clock";
import { invoiceBalance, parseMoneyInput } from "~/domain/money";
import { formatAmount, formatDate } from "~/components/money";
import { makeT, type MessageKey } from "~/i18n";
import { DisputeFiles } from "~/components/dispute-files";
import { RepliesSection, UnknownSendersSection } from "~/components/reply-suggestions";
import { useRootLocale } from "~/root";
import { BankError, confirmBankMatch } from "~/services/bank/apply.server";
import { bankReasonText } from "~/components/bank-reasons";
import { DisputeAnswerError, rejectDispute, replyToDispute, resolveDisputeWithCredit } from "~/services/disputes/answers.server";
import { completeTask, inboxItems, logCall, markLetterSent, TaskError, type CallOutcome } from "~/services/backoffice/inbox.server";
import { handleReplyForm } from "~/services/inbound/reply-form.server";
import { acceptPlan, PlanError, rejectPlan } from "~/services/plans/plans.server";
import { retryFailedWebhook } from "~/services/webhooks/inbox.server";
import { invalidPayloadField } from "~/services/webhooks/shared.server";
import { creditorToday } from "~/services/creditor-clock.server";
import { db, type PrismaClient } from "~/utils/db.server";

type TxClient = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
import { requireStaff } from "~/utils/staff-session.server";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "nav.inbox");

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const now = new Date();
  const [items, creditor] = await Promise.all([
    inboxItems(db, staff.creditorId, now),
    db.creditor.findUniqueOrThrow({ where: { id: staff.creditorId }, select: { promiseMaxDays: true } }),
  ]);
  const today = await creditorToday(db, staff.creditorId, now);
  // A malformed event is shown by the field at fault, in the staff's language, not as a raw error.
  const failedWebhooks = items.failedWebhooks.map((w) => ({ ...w, invalidField: invalidPayloadField(w.lastError) }));
  return json({
    ...items,
    failedWebhooks,
    canAct: staff.role !== "VIEWER",
    minPromise: isoDay(addDays(today, 1)),
    maxPromiseDays: creditor.promiseMaxDays,
  });
}

/** The confirmations the page may show after a redirect (POST-redirect-GET). */
const DONE = {
  planAccepted: "inbox.planAccepted",
  planRejected: "inbox.planRejected",
  countered: "payments.counter.sent",
  disputeReplied: "bo.inbox.done.disputeReplied",
  disputeCredited: "bo.inbox.done.disputeCredited",
  disputeRejected: "bo.inbox.done.disputeRejected",
  callLogged: "bo.inbox.done.callLogged",
  promiseLogged: "bo.inbox.done.promiseLogged",
  letterSent: "bo.inbox.done.letterSent",
  taskDone: "bo.inbox.done.taskDone",
  webhookRetried: "bo.inbox.done.webhookRetried",
  bankConfirmed: "bank.inbox.confirmed",
  replyPromise: "replies.done.promise",
  replyDispute: "replies.done.dispute",
  replyRequest: "replies.done.request",
  replyHandled: "replies.done.handled",
  replyDismissed: "replies.done.dismissed",
  replyAssigned: "replies.done.assigned",
} as const satisfies Record<string, MessageKey>;

type Failure = { intent: string; id: string; field: string; error: string; values: Record<string, string> };
const fail = (f: Failure) => json(f, { status: 400 });
const done = (key: keyof typeof DONE) => redirect(`/app?done=${key}`);

/** Inbox decisions. Agents and owners only; every query is scoped to the staff member's creditor. */
export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request, "AGENT");
  const form = await request.formData();
  const field = (name: string) => String(form.get(name) ?? "").trim();
  const intent = field("intent");
  const id = field("planId") || field("disputeId") || field("taskId") || field("webhookId");
  const values = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string")) as Record<string, string>;
  const actor = { userId: staff.userId, name: staff.name };
  const tx = <T,>(fn: (t: TxClient) => Promise<T>) => db.$transaction(fn, { timeout: 30_000 });
  if (intent.startsWith("reply-")) {
    // Debtors' email replies (Réponses, unknown senders): their own form handler.
    const replyId = field("inboundEmailId");
    const result = await handleReplyForm(db, form, staff, new Date());
    if (result.ok) return done(result.done);
    if (result.notFound) throw new Response("Not found", { status: 404 });
    return fail({
      intent,
      id: replyId,
      field: result.field,
      error: result.error,
      values: { ...values, invoiceIds: form.getAll("invoiceId").join(",") },
    });
  }
  try {
    switch (intent) {
      case "accept-plan":
        await tx((t) => acceptPlan(t, staff.creditorId, id, { userId: staff.userId }, systemClock));
        return done("planAccepted");
      case "reject-plan":
        await tx((t) => rejectPlan(t, staff.creditorId, id, { reason: field("reason"), staffId: staff.userId }, systemClock));
        return done("planRejected");
      case "dispute-reply":
        await tx((t) => replyToDispute(t, staff.creditorId, id, { message: field("message") }, actor, systemClock));
        return done("disputeReplied");
      case "dispute-reject":
        await tx((t) => rejectDispute(t, staff.creditorId, id, { note: field("note") }, actor, systemClock));
        return done("disputeRejected");
      case "dispute-credit": {
        const dispute = await db.dispute.findFirst({
          where: { id, creditorId: staff.creditorId },
          select: { invoice: { select: { currency: true } } },
        });
        if (!dispute) throw new Response("Not found", { status: 404 });
        const amount = parseMoneyInput(field("creditAmount"), dispute.invoice.currency);
        if (!amount.ok) return fail({ intent, id, field: "creditAmount", error: "bo.errors.amount", values });
        await tx((t) =>
          resolveDisputeWithCredit(t, staff.creditorId, id, { creditAmount: amount.amount, note: field("note") }, actor, systemClock),
        );
        return done("disputeCredited");
      }
      case "call-log": {
        const outcome = field("outcome");
        if (outcome !== "REACHED" && outcome !== "NO_ANSWER" && outcome !== "WRONG_NUMBER")
          return fail({ intent, id, field: "outcome", error: "bo.errors.outcome", values });
        let input: CallOutcome = { outcome: outcome as "NO_ANSWER" | "WRONG_NUMBER", note: field("note") };
        if (outcome === "REACHED") {
          const date = field("promiseDate");
          const rawAmount = field("promiseAmount");
          let promise: { date: Date; amount: number } | null = null;
          if (date || rawAmount) {
            if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return fail({ intent, id, field: "promiseDate", error: "errors.date", values });
            const task = await db.task.findFirst({
              where: { id, creditorId: staff.creditorId },
              select: { invoice: { select: { currency: true } } },
            });
            if (!task) throw new Response("Not found", { status: 404 });
            const amount = parseMoneyInput(rawAmount, task.invoice?.currency ?? "EUR");
            if (!amount.ok) return fail({ intent, id, field: "promiseAmount", error: "bo.errors.amount", values });
            promise = { date: new Date(`${date}T00:00:00Z`), amount: amount.amount };
          }
          input = { outcome: "REACHED", note: field("note"), promise };
        }
        const result = await tx((t) => logCall(t, staff.creditorId, id, input, staff, systemClock));
        return done(result.promiseId ? "promiseLogged" : "callLogged");
      }
      case "letter-sent":
        await tx((t) => markLetterSent(t, staff.creditorId, id, { reference: field("reference") }, staff, systemClock));
        return done("letterSent");
      case "webhook-retry":
        if (!(await retryFailedWebhook(db, staff.creditorId, id, staff.userId, systemClock.now())))
          throw new Response("Not found", { status: 404 });
        return done("webhookRetried");
      case "bank-confirm": {
        const transactionId = field("transactionId");
        try {
          await tx((t) =>
            confirmBankMatch(t, {
              creditorId: staff.creditorId,
              transactionId,
              userId: staff.userId,
              now: new Date(),
              suggestion: Number(field("suggestion")) || 0,
            }),
          );
        } catch (error) {
          if (error instanceof BankError) {
            if (error.code === "not_found") throw new Response("Not found", { status: 404 });
            return fail({ intent, id: transactionId, field: "transactionId", error: `bank.inbox.error.${error.code}`, values });
          }
          throw error;
        }
        return done("bankConfirmed");
      }
      case "task-done":
        await tx((t) => completeTask(t, staff.creditorId, id, { note: field("note") }, staff, systemClock));
        return done("taskDone");
    }
  } catch (error) {
    if (error instanceof PlanError) {
      if (error.code === "not_found") throw new Response("Not found", { status: 404 });
      return fail({ intent, id, field: "reason", error: `inbox.errors.${error.code}`, values });
    }
    if (error instanceof DisputeAnswerError) {
      if (error.code === "not_found") throw new Response("Not found", { status: 404 });
      const f = error.code.startsWith("credit") ? "creditAmount" : intent === "dispute-reply" ? "message" : "note";
      return fail({ intent, id, field: f, error: `bo.errors.${error.code}`, values });
    }
    if (error instanceof TaskError) {
      if (error.code === "not_found") throw new Response("Not found", { status: 404 });
      return fail({
        intent,
        id,
        field: error.field,
        error: error.field === "taskId" ? `bo.errors.${error.code}` : (TASK_ERRORS[error.code] ?? "bo.errors.invalid"),
        values,
      });
    }
    throw error;
  }
  return fail({ intent, id, field: "intent", error: "inbox.errors.unknown", values });
}

function ErrorText({ id, text }: { id: string; text: string | null }) {
  return text ? (
    <p className="field-error" id={id}>
      {text}
    </p>
  ) : null;
}

const TASK_ERRORS: Record<string, string> = {
  required: "bo.errors.required",
  notFuture: "errors.notFuture",
  tooFar: "bo.errors.tooFar",
  notPositive: "errors.notPositive",
  aboveBalance: "errors.aboveBalance",
  notFound: "errors.notFound",
};

/** The schedule a debtor proposed: every date and amount, so staff see what they accept. */
function PlanSchedule({
  plan,
}: {
  plan: { id: string; currency: string; downPayment: number; installments: { position: number; dueDate: string; amount: number }[] };
}) {
  const locale = useRootLocale();
  const t = makeT(locale);
  return (
    <table className="responsive schedule">
      <caption>
        {t("bo.inbox.schedule")}
        {plan.downPayment > 0 ? ` — ${t("bo.inbox.downPayment", { amount: formatAmount(plan.downPayment, plan.currency, locale) })}` : null}
      </caption>
      <thead>
        <tr>
          <th scope="col">{t("bo.inbox.installment")}</th>
          <th scope="col">{t("bo.inbox.installmentDate")}</th>
          <th scope="col" className="num">
            {t("bo.inbox.installmentAmount")}
          </th>
        </tr>
      </thead>
      <tbody>
        {plan.installments.map((i) => (
          <tr key={i.position}>
            <td data-label={t("bo.inbox.installment")}>{i.position + 1}</td>
            <td data-label={t("bo.inbox.installmentDate")}>{formatDate(i.dueDate, locale)}</td>
            <td data-label={t("bo.inbox.installmentAmount")} className="num">
              {formatAmount(i.amount, plan.currency, locale)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default function Inbox() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const [params] = useSearchParams();
  const locale = useRootLocale();
  const t = makeT(locale);
  const doneKey = params.get("done");
  const confirmation = doneKey && doneKey in DONE ? DONE[doneKey as keyof typeof DONE] : null;
  /** The error of one field of one item's form, with the user's input kept. */
  const err = (intent: string, id: string, name: string) =>
    failure && failure.intent === intent && failure.id === id && failure.field === name
      ? t(failure.error as MessageKey, { days: data.maxPromiseDays })
      : null;
  const val = (intent: string, id: string, name: string) =>
    failure && failure.intent === intent && failure.id === id ? failure.values[name] : undefined;
  const { proposals, disputes, calls, letters, handoffs, findContacts, claims, failedWebhooks, bank, bankCount, canAct, replies } = data;

  return (
    <div className="stack inbox">
      <h1>{t("nav.inbox")}</h1>
      {confirmation ? (
        <p className="success" role="status">
          {t(confirmation)}
        </p>
      ) : null}
      {failure && failure.field === "intent" ? (
        <p className="form-error" role="alert">
          {t(failure.error as MessageKey)}
        </p>
      ) : null}

      <RepliesSection
        replies={replies.replies}
        count={replies.replyCount}
        canAct={canAct}
        locale={locale}
        err={err}
        val={val}
        minDate={data.minPromise}
      />
      <UnknownSendersSection
        senders={replies.unknownSenders}
        count={replies.unknownCount}
        debtors={replies.debtorChoices}
        canAct={canAct}
        locale={locale}
        err={err}
        val={val}
      />

      <section aria-labelledby="proposals">
        <h2 id="proposals">
          {t("inbox.proposals")} ({proposals.length})
        </h2>
        {proposals.length === 0 ? <p className="muted">{t("inbox.none")}</p> : null}
        <ul className="items">
          {proposals.map((p) => (
            <li key={p.id} className="card">
              <Link to={`/app/debtors/${p.debtor.id}`}>
                <strong>{p.debtor.name}</strong>
              </Link>{" "}
              — {formatAmount(p.totalAmount, p.currency, locale)} ({p._count.installments}×)
              <PlanSchedule plan={p} />
              {canAct ? (
                <div className="row">
                  <Form method="post">
                    <input type="hidden" name="planId" value={p.id} />
                    <button type="submit" name="intent" value="accept-plan">
                      {t("inbox.accept")}
                    </button>
                  </Form>
                  <Link className="button secondary" to={`/app/plans/${p.id}/counter`}>
                    {t("payments.counter.cta")}
                  </Link>
                </div>
              ) : null}
              <ErrorText id={`accept-${p.id}-error`} text={err("accept-plan", p.id, "reason")} />
              {canAct ? (
                <Form method="post" className="stack">
                  <input type="hidden" name="planId" value={p.id} />
                  <label htmlFor={`reason-${p.id}`}>{t("inbox.rejectReason")}</label>
                  <input
                    id={`reason-${p.id}`}
                    name="reason"
                    required
                    defaultValue={val("reject-plan", p.id, "reason")}
                    aria-invalid={err("reject-plan", p.id, "reason") ? true : undefined}
                    aria-describedby={err("reject-plan", p.id, "reason") ? `reason-${p.id}-error` : undefined}
                  />
                  <ErrorText id={`reason-${p.id}-error`} text={err("reject-plan", p.id, "reason")} />
                  <p>
                    <button type="submit" name="intent" value="reject-plan" className="secondary">
                      {t("inbox.reject")}
                    </button>
                  </p>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="disputes">
        <h2 id="disputes">
          {t("inbox.disputes")} ({disputes.length})
        </h2>
        {disputes.length === 0 ? <p className="muted">{t("inbox.none")}</p> : null}
        <ul className="items">
          {disputes.map((d) => {
            const balance = invoiceBalance(d.invoice);
            const open = failure?.id === d.id;
            return (
              <li key={d.id} className="card dispute">
                <h3 className="item-title">
                  <Link to={`/app/debtors/${d.debtor.id}`}>{d.debtor.name}</Link> — {d.invoice.number} —{" "}
                  {t(`dispute.reason.${d.reason}` as MessageKey)}
                </h3>
                <p className="muted">
                  {t("bo.balance")} : {formatAmount(balance, d.invoice.currency, locale)} · {formatDate(d.createdAt, locale)}
                </p>
                <DisputeFiles files={d.attachments} />
                <ol className="thread">
                  {d.messages.map((m) => (
                    <li key={m.id} className={m.author === "CREDITOR" ? "from-creditor" : "from-debtor"}>
                      <span className="muted">
                        {m.author === "CREDITOR" ? (m.authorName ?? t("bo.you")) : t("bo.debtor")} — {formatDate(m.createdAt, locale)}
                      </span>
                      <p>{m.body}</p>
                    </li>
                  ))}
                </ol>
                {canAct ? (
                  <div className="actions">
                    <details open={open && failure?.intent === "dispute-reply"}>
                      <summary>{t("bo.inbox.reply")}</summary>
                      <Form method="post" className="stack">
                        <input type="hidden" name="disputeId" value={d.id} />
                        <label htmlFor={`reply-${d.id}`}>{t("bo.inbox.replyMessage")}</label>
                        <textarea
                          id={`reply-${d.id}`}
                          name="message"
                          rows={3}
                          required
                          defaultValue={val("dispute-reply", d.id, "message")}
                        />
                        <ErrorText id={`reply-${d.id}-error`} text={err("dispute-reply", d.id, "message")} />
                        <button type="submit" name="intent" value="dispute-reply">
                          {t("bo.inbox.sendReply")}
                        </button>
                      </Form>
                    </details>
                    <details open={open && failure?.intent === "dispute-credit"}>
                      <summary>{t("bo.inbox.resolveCredit")}</summary>
                      <Form method="post" className="stack">
                        <input type="hidden" name="disputeId" value={d.id} />
                        <label htmlFor={`credit-${d.id}`}>{t("bo.inbox.creditAmount")}</label>
                        <input
                          id={`credit-${d.id}`}
                          name="creditAmount"
                          inputMode="decimal"
                          required
                          defaultValue={val("dispute-credit", d.id, "creditAmount")}
                          aria-invalid={err("dispute-credit", d.id, "creditAmount") ? true : undefined}
                          aria-describedby={`credit-${d.id}-error`}
                        />
                        <ErrorText id={`credit-${d.id}-error`} text={err("dispute-credit", d.id, "creditAmount")} />
                        <label htmlFor={`credit-note-${d.id}`}>{t("bo.inbox.answerToDebtor")}</label>
                        <textarea
                          id={`credit-note-${d.id}`}
                          name="note"
                          rows={3}
                          required
                          defaultValue={val("dispute-credit", d.id, "note")}
                        />
                        <ErrorText id={`credit-note-${d.id}-error`} text={err("dispute-credit", d.id, "note")} />
                        <button type="submit" name="intent" value="dispute-credit">
                          {t("bo.inbox.confirmCredit")}
                        </button>
                      </Form>
                    </details>
                    <details open={open && failure?.intent === "dispute-reject"}>
                      <summary>{t("bo.inbox.rejectDispute")}</summary>
                      <Form method="post" className="stack">
                        <input type="hidden" name="disputeId" value={d.id} />
                        <label htmlFor={`reject-${d.id}`}>{t("bo.inbox.explanation")}</label>
                        <textarea id={`reject-${d.id}`} name="note" rows={3} required defaultValue={val("dispute-reject", d.id, "note")} />
                        <ErrorText id={`reject-${d.id}-error`} text={err("dispute-reject", d.id, "note")} />
                        <button type="submit" name="intent" value="dispute-reject" className="danger">
                          {t("bo.inbox.confirmReject")}
                        </button>
                      </Form>
                    </details>
                  </div>
                ) : null}
              </li>
            );
          })}
        </ul>
      </section>

      <section aria-labelledby="calls">
        <h2 id="calls">
          {t("bo.inbox.calls")} ({calls.length})
        </h2>
        {calls.length === 0 ? <p className="muted">{t("inbox.none")}</p> : null}
        <ul className="items">
          {calls.map((task) => (
            <li key={task.id} className="card">
              <h3 className="item-title">
                <Link to={`/app/debtors/${task.debtor.id}`}>{task.debtor.name}</Link>
                {task.invoice ? ` — ${task.invoice.number}` : null}
              </h3>
              <p>
                {task.title} · {formatDate(task.dueAt, locale)}
                {task.debtor.phone ? (
                  <>
                    {" "}
                    · <a href={`tel:${task.debtor.phone.replace(/\s/g, "")}`}>{task.debtor.phone}</a>
                  </>
                ) : null}
              </p>
              {canAct ? (
                <details open={failure?.id === task.id}>
                  <summary>{t("bo.inbox.logCall")}</summary>
                  <Form method="post" className="stack">
                    <input type="hidden" name="taskId" value={task.id} />
                    <fieldset>
                      <legend>{t("bo.inbox.outcome")}</legend>
                      {(["REACHED", "NO_ANSWER", "WRONG_NUMBER"] as const).map((o) => (
                        <label key={o} className="choice">
                          <input
                            type="radio"
                            name="outcome"
                            value={o}
                            required
                            defaultChecked={(val("call-log", task.id, "outcome") ?? "REACHED") === o}
                          />{" "}
                          {t(`bo.outcome.${o}`)}
                        </label>
                      ))}
                    </fieldset>
                    <ErrorText id={`outcome-${task.id}-error`} text={err("call-log", task.id, "outcome")} />
                    <p className="muted">{t("bo.inbox.promiseHint")}</p>
                    <div className="row">
                      <div className="field">
                        <label htmlFor={`pdate-${task.id}`}>{t("bo.inbox.promiseDate")}</label>
                        <input
                          id={`pdate-${task.id}`}
                          type="date"
                          name="promiseDate"
                          min={data.minPromise}
                          defaultValue={val("call-log", task.id, "promiseDate")}
                          aria-invalid={err("call-log", task.id, "promiseDate") ? true : undefined}
                          aria-describedby={`pdate-${task.id}-error`}
                        />
                        <ErrorText id={`pdate-${task.id}-error`} text={err("call-log", task.id, "promiseDate")} />
                      </div>
                      <div className="field">
                        <label htmlFor={`pamount-${task.id}`}>{t("bo.inbox.promiseAmount")}</label>
                        <input
                          id={`pamount-${task.id}`}
                          name="promiseAmount"
                          inputMode="decimal"
                          defaultValue={val("call-log", task.id, "promiseAmount")}
                          aria-invalid={err("call-log", task.id, "promiseAmount") ? true : undefined}
                          aria-describedby={`pamount-${task.id}-error`}
                        />
                        <ErrorText id={`pamount-${task.id}-error`} text={err("call-log", task.id, "promiseAmount")} />
                      </div>
                    </div>
                    <label htmlFor={`cnote-${task.id}`}>{t("bo.inbox.callNote")}</label>
                    <textarea id={`cnote-${task.id}`} name="note" rows={2} defaultValue={val("call-log", task.id, "note")} />
                    <ErrorText id={`cnote-${task.id}-error`} text={err("call-log", task.id, "taskId")} />
                    <button type="submit" name="intent" value="call-log">
                      {t("bo.inbox.saveCall")}
                    </button>
                  </Form>
                </details>
              ) : null}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="letters">
        <h2 id="letters">
          {t("bo.inbox.letters")} ({letters.length})
        </h2>
        {letters.length === 0 ? <p className="muted">{t("inbox.none")}</p> : null}
        <ul className="items">
          {letters.map((task) => (
            <li key={task.id} className="card">
              <h3 className="item-title">
                <Link to={`/app/debtors/${task.debtor.id}`}>{task.debtor.name}</Link>
                {task.invoice ? ` — ${task.invoice.number}` : null}
              </h3>
              <p>{task.title}</p>
              {task.attachments[0] ? (
                <p>
                  <a href={`/app/documents/${task.attachments[0].id}`} download>
                    {t("bo.inbox.downloadLetter", { file: task.attachments[0].fileName })}
                  </a>
                </p>
              ) : (
                <p className="muted">{t("bo.inbox.letterNotReady")}</p>
              )}
              {canAct ? (
                <Form method="post" className="row">
                  <input type="hidden" name="taskId" value={task.id} />
                  <label htmlFor={`ref-${task.id}`}>{t("bo.inbox.registeredNumber")}</label>
                  <input
                    id={`ref-${task.id}`}
                    name="reference"
                    required
                    className="grow"
                    defaultValue={val("letter-sent", task.id, "reference")}
                    aria-invalid={err("letter-sent", task.id, "reference") ? true : undefined}
                    aria-describedby={`ref-${task.id}-error`}
                  />
                  <button type="submit" name="intent" value="letter-sent">
                    {t("bo.inbox.markSent")}
                  </button>
                  <ErrorText
                    id={`ref-${task.id}-error`}
                    text={err("letter-sent", task.id, "reference") ?? err("letter-sent", task.id, "taskId")}
                  />
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      </section>

      {(
        [
          ["claims", claims, "bo.inbox.claims"],
          ["handoffs", handoffs, "bo.inbox.handoffs"],
          ["contacts", findContacts, "bo.inbox.findContacts"],
        ] as const
      )
        // Claims to declare are rare: their section shows only when there is one.
        .filter(([key, tasks]) => key !== "claims" || tasks.length > 0)
        .map(([key, tasks, title]) => (
          <section key={key} aria-labelledby={key}>
            <h2 id={key}>
              {t(title)} ({tasks.length})
            </h2>
            {tasks.length === 0 ? <p className="muted">{t("inbox.none")}</p> : null}
            <ul className="items">
              {tasks.map((task) => (
                <li key={task.id} className="card">
                  <h3 className="item-title">
                    <Link to={`/app/debtors/${task.debtor.id}`}>{task.debtor.name}</Link>
                    {task.invoice ? ` — ${task.invoice.number}` : null}
                  </h3>
                  <p>{task.title}</p>
                  {task.details ? <p className="muted">{task.details}</p> : null}
                  {task.kind === "DECLARE_CLAIM" ? (
                    <p>
                      <strong>{t("bo.inbox.claimDeadline", { date: formatDate(task.dueAt, locale) })}</strong>
                      {task.attachments[0] ? (
                        <>
                          {" · "}
                          <a href={`/app/documents/${task.attachments[0].id}`} download>
                            {t("bo.inbox.downloadLetter", { file: task.attachments[0].fileName })}
                          </a>
                        </>
                      ) : null}
                    </p>
                  ) : null}
                  {canAct ? (
                    <Form method="post" className="row">
                      <input type="hidden" name="taskId" value={task.id} />
                      <label htmlFor={`done-${task.id}`}>{t("bo.inbox.whatWasDone")}</label>
                      <input
                        id={`done-${task.id}`}
                        name="note"
                        required
                        className="grow"
                        defaultValue={val("task-done", task.id, "note")}
                        aria-invalid={err("task-done", task.id, "note") ? true : undefined}
                        aria-describedby={`done-${task.id}-error`}
                      />
                      <button type="submit" name="intent" value="task-done" className="secondary">
                        {t("bo.inbox.closeTask")}
                      </button>
                      <ErrorText
                        id={`done-${task.id}-error`}
                        text={err("task-done", task.id, "note") ?? err("task-done", task.id, "taskId")}
                      />
                    </Form>
                  ) : null}
                </li>
              ))}
            </ul>
          </section>
        ))}

      <section aria-labelledby="bank">
        <h2 id="bank">
          {t("bank.inbox.title")} ({bankCount})
        </h2>
        {bank.length === 0 ? <p className="muted">{t("inbox.none")}</p> : null}
        <ul className="items">
          {bank.map((e) => {
            const top = e.suggestions[0];
            const amount = formatAmount(e.amount, e.currency, locale);
            return (
              <li key={e.id} className="card">
                <h3 className="item-title">
                  {amount} · {formatDate(e.bookingDate, locale)}
                  {e.counterpartyName ? ` · ${e.counterpartyName}` : null}
                </h3>
                <p className="muted">{e.structuredRef ?? e.remittance}</p>
                {top ? (
                  <>
                    <p>
                      {t("bank.inbox.suggested", { debtor: top.debtorName, invoices: top.invoices.map((i) => i.number).join(", ") })} (
                      {t("bank.inbox.confidence", { n: top.confidence })})
                    </p>
                    <ul>
                      {top.reasons.map((r, n) => (
                        <li key={n}>{bankReasonText(t, r, locale, e.currency)}</li>
                      ))}
                    </ul>
                    {canAct ? (
                      <Form method="post">
                        <input type="hidden" name="transactionId" value={e.id} />
                        <input type="hidden" name="suggestion" value={top.index} />
                        <button
                          type="submit"
                          name="intent"
                          value="bank-confirm"
                          aria-label={t("bank.inbox.confirmLabel", { amount, debtor: top.debtorName })}
                        >
                          {t("bank.inbox.confirm")}
                        </button>
                      </Form>
                    ) : null}
                  </>
                ) : (
                  <p>{t("bank.inbox.none")}</p>
                )}
                <ErrorText id={`bank-${e.id}-error`} text={err("bank-confirm", e.id, "transactionId")} />
              </li>
            );
          })}
        </ul>
        {bankCount > 0 ? (
          <p>
            <Link to="/app/bank">{t("bank.inbox.seeAll", { count: bankCount })}</Link>
          </p>
        ) : null}
      </section>

      <section aria-labelledby="webhooks">
        <h2 id="webhooks">
          {t("bo.inbox.failedWebhooks")} ({failedWebhooks.length})
        </h2>
        {failedWebhooks.length === 0 ? (
          <p className="muted">{t("inbox.none")}</p>
        ) : (
          <table className="responsive">
            <caption>{t("bo.inbox.failedWebhooksCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("bo.webhook.provider")}</th>
                <th scope="col">{t("bo.webhook.type")}</th>
                <th scope="col">{t("bo.webhook.received")}</th>
                <th scope="col" className="num">
                  {t("bo.webhook.attempts")}
                </th>
                <th scope="col">{t("bo.webhook.error")}</th>
                {canAct ? <th scope="col">{t("bo.webhook.action")}</th> : null}
              </tr>
            </thead>
            <tbody>
              {failedWebhooks.map((w) => (
                <tr key={w.id}>
                  <td data-label={t("bo.webhook.provider")}>{w.provider}</td>
                  <td data-label={t("bo.webhook.type")}>
                    {w.type} <span className="muted">{w.eventId}</span>
                  </td>
                  <td data-label={t("bo.webhook.received")}>{formatDate(w.receivedAt, locale)}</td>
                  <td data-label={t("bo.webhook.attempts")} className="num">
                    {w.attempts}
                  </td>
                  <td data-label={t("bo.webhook.error")}>
                    {w.invalidField ? t("bo.webhook.invalidPayload", { field: w.invalidField }) : <code>{w.lastError ?? "—"}</code>}
                  </td>
                  {canAct ? (
                    <td data-label={t("bo.webhook.action")}>
                      <Form method="post">
                        <input type="hidden" name="intent" value="webhook-retry" />
                        <input type="hidden" name="webhookId" value={w.id} />
                        <button
                          type="submit"
                          className="secondary"
                          aria-label={t("bo.webhook.retryLabel", { event: `${w.type} ${w.eventId}` })}
                        >
                          {t("bo.webhook.retry")}
                        </button>
                      </Form>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
