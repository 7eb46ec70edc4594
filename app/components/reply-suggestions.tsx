import { Form, Link } from "@remix-run/react";
import { formatAmount, formatDate, formatDateTime } from "~/components/money";
import { makeT, type Locale } from "~/i18n";

/** One reply as the inbox lists it (see replyInbox in services/inbound/replies.server.ts), after JSON. */
export type ReplyItem = {
  id: string;
  receivedAt: string;
  from: string;
  subject: string | null;
  excerpt: string;
  intent: "promise" | "dispute" | "request" | "already_paid" | "other";
  understanding: {
    trigger: string[];
    promisedFor: string | null;
    invoiceNumbers: string[];
    requested: "copy" | "iban" | "statement" | null;
  };
  debtor: { id: string; name: string };
  invoices: { id: string; number: string; balance: number; currency: string }[];
  suggestedInvoiceIds: string[];
};

export type UnknownSender = {
  id: string;
  receivedAt: string;
  fromAddress: string | null;
  fromName: string | null;
  subject: string | null;
  excerpt: string;
};

type FieldText = (intent: string, id: string, name: string) => string | null;
type FieldValue = (intent: string, id: string, name: string) => string | undefined;

const INTENTS = ["promise", "dispute", "request", "already_paid", "other"] as const;
const DOCUMENTS = ["copy", "iban", "statement"] as const;

/** What relance suggests doing with a reply, in words: the action, its date and invoices. */
function suggestion(t: ReturnType<typeof makeT>, locale: Locale, r: ReplyItem) {
  const numbers = r.invoices
    .filter((i) => r.suggestedInvoiceIds.includes(i.id))
    .map((i) => i.number)
    .join(", ");
  switch (r.intent) {
    case "promise":
      return r.understanding.promisedFor
        ? t("replies.suggest.promise", { date: formatDate(r.understanding.promisedFor, locale), invoices: numbers })
        : t("replies.suggest.promiseNoDate");
    case "dispute":
      return t("replies.suggest.dispute", { invoices: numbers });
    case "request":
      return t(`replies.suggest.request.${r.understanding.requested ?? "copy"}`, { invoices: numbers });
    case "already_paid":
      return t("replies.suggest.already_paid");
    default:
      return t("replies.suggest.other");
  }
}

/** The inbox's Réponses: each reply with what was read in it, one-click accept, edit then accept, dismiss. */
export function RepliesSection({
  replies,
  count,
  canAct,
  locale,
  err,
  val,
  minDate,
}: {
  replies: ReplyItem[];
  count: number;
  canAct: boolean;
  locale: Locale;
  err: FieldText;
  val: FieldValue;
  minDate: string;
}) {
  const t = makeT(locale);
  return (
    <section aria-labelledby="replies">
      <h2 id="replies">
        {t("replies.inbox.title")} ({count})
      </h2>
      {replies.length === 0 ? <p className="muted">{t("inbox.none")}</p> : <p className="muted">{t("replies.inbox.lead")}</p>}
      <ul className="items">
        {replies.map((r) => {
          const failed = (name: string) => err("reply-accept", r.id, name);
          const kept = (name: string) => val("reply-accept", r.id, name);
          const chosen = kept("invoiceIds")?.split(",") ?? r.suggestedInvoiceIds;
          const oneClick = r.intent !== "promise" || !!r.understanding.promisedFor;
          return (
            <li key={r.id} className="card reply">
              <h3 className="item-title">
                <Link to={`/app/debtors/${r.debtor.id}`}>{r.debtor.name}</Link> — {t(`replies.intent.${r.intent}`)}
              </h3>
              <p className="muted">
                {t("replies.from", { from: r.from, date: formatDateTime(r.receivedAt, locale) })} · {r.subject || t("replies.noSubject")}
              </p>
              <blockquote className="reply-excerpt">{r.excerpt}</blockquote>
              <p>
                <strong>{suggestion(t, locale, r)}</strong>
              </p>
              <p className="muted">
                {r.understanding.trigger.length > 0
                  ? t("replies.trigger", { words: r.understanding.trigger.map((w) => `« ${w} »`).join(", ") })
                  : t("replies.noTrigger")}
              </p>
              {r.intent === "already_paid" ? (
                <p>
                  <Link to="/app/bank">{t("replies.bankLink")}</Link>
                </p>
              ) : null}
              {canAct ? (
                <>
                  <div className="row">
                    {oneClick ? (
                      <Form method="post">
                        <input type="hidden" name="inboundEmailId" value={r.id} />
                        <button
                          type="submit"
                          name="intent"
                          value="reply-accept"
                          aria-label={
                            r.intent === "already_paid" || r.intent === "other"
                              ? t("replies.markHandledLabel", { debtor: r.debtor.name })
                              : t("replies.acceptLabel", { debtor: r.debtor.name })
                          }
                        >
                          {r.intent === "already_paid" || r.intent === "other" ? t("replies.markHandled") : t("replies.accept")}
                        </button>
                      </Form>
                    ) : null}
                    <Form method="post">
                      <input type="hidden" name="inboundEmailId" value={r.id} />
                      <button
                        type="submit"
                        name="intent"
                        value="reply-dismiss"
                        className="secondary"
                        aria-label={t("replies.dismissLabel", { debtor: r.debtor.name })}
                      >
                        {t("replies.dismiss")}
                      </button>
                    </Form>
                  </div>
                  <ErrorText id={`reply-${r.id}-error`} text={failed("intent") ?? err("reply-dismiss", r.id, "intent")} />
                  <details open={!oneClick || !!kept("edited")}>
                    <summary>{t("replies.edit")}</summary>
                    <Form method="post" className="stack">
                      <input type="hidden" name="inboundEmailId" value={r.id} />
                      <input type="hidden" name="edited" value="1" />
                      <div className="row">
                        <div className="field">
                          <label htmlFor={`rintent-${r.id}`}>{t("replies.field.intent")}</label>
                          <select id={`rintent-${r.id}`} name="replyIntent" defaultValue={kept("replyIntent") ?? r.intent}>
                            {INTENTS.map((i) => (
                              <option key={i} value={i}>
                                {t(`replies.intent.${i}`)}
                              </option>
                            ))}
                          </select>
                        </div>
                        <div className="field">
                          <label htmlFor={`rdate-${r.id}`}>{t("replies.field.date")}</label>
                          <input
                            id={`rdate-${r.id}`}
                            type="date"
                            name="date"
                            min={minDate}
                            defaultValue={kept("date") ?? r.understanding.promisedFor ?? ""}
                            aria-invalid={failed("date") ? true : undefined}
                            aria-describedby={failed("date") ? `rdate-${r.id}-error` : undefined}
                          />
                          <ErrorText id={`rdate-${r.id}-error`} text={failed("date")} />
                        </div>
                        <div className="field">
                          <label htmlFor={`rdoc-${r.id}`}>{t("replies.field.requested")}</label>
                          <select
                            id={`rdoc-${r.id}`}
                            name="requested"
                            defaultValue={kept("requested") ?? r.understanding.requested ?? "copy"}
                          >
                            {DOCUMENTS.map((d) => (
                              <option key={d} value={d}>
                                {t(`replies.doc.${d}`)}
                              </option>
                            ))}
                          </select>
                          <ErrorText id={`rdoc-${r.id}-error`} text={failed("requested")} />
                        </div>
                      </div>
                      <fieldset aria-describedby={failed("invoiceIds") ? `rinv-${r.id}-error` : undefined}>
                        <legend>{t("replies.field.invoices")}</legend>
                        {r.invoices.map((i) => (
                          <label key={i.id} className="choice">
                            <input type="checkbox" name="invoiceId" value={i.id} defaultChecked={chosen.includes(i.id)} /> {i.number} —{" "}
                            {formatAmount(i.balance, i.currency, locale)}
                          </label>
                        ))}
                      </fieldset>
                      <ErrorText id={`rinv-${r.id}-error`} text={failed("invoiceIds")} />
                      <p>
                        <button type="submit" name="intent" value="reply-accept">
                          {t("replies.acceptEdited")}
                        </button>
                      </p>
                    </Form>
                  </details>
                </>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** Emails nobody could route: staff say once which customer sent them. */
export function UnknownSendersSection({
  senders,
  count,
  debtors,
  canAct,
  locale,
  err,
  val,
}: {
  senders: UnknownSender[];
  count: number;
  debtors: { id: string; name: string }[];
  canAct: boolean;
  locale: Locale;
  err: FieldText;
  val: FieldValue;
}) {
  const t = makeT(locale);
  if (count === 0) return null;
  return (
    <section aria-labelledby="unknown-senders">
      <h2 id="unknown-senders">
        {t("replies.unknown.title")} ({count})
      </h2>
      <p className="muted">{t("replies.unknown.lead")}</p>
      <ul className="items">
        {senders.map((s) => {
          const from = s.fromName ? `${s.fromName} <${s.fromAddress ?? ""}>` : (s.fromAddress ?? "—");
          const error = err("reply-assign", s.id, "debtorId");
          return (
            <li key={s.id} className="card">
              <h3 className="item-title">{from}</h3>
              <p className="muted">
                {formatDateTime(s.receivedAt, locale)} · {s.subject || t("replies.noSubject")}
              </p>
              {s.excerpt ? <blockquote className="reply-excerpt">{s.excerpt}</blockquote> : null}
              {canAct ? (
                <Form method="post" className="row">
                  <input type="hidden" name="inboundEmailId" value={s.id} />
                  <label htmlFor={`assign-${s.id}`}>{t("replies.unknown.debtor")}</label>
                  <select
                    id={`assign-${s.id}`}
                    name="debtorId"
                    required
                    defaultValue={val("reply-assign", s.id, "debtorId") ?? ""}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={error ? `assign-${s.id}-error` : undefined}
                  >
                    <option value="">{t("replies.unknown.choose")}</option>
                    {debtors.map((d) => (
                      <option key={d.id} value={d.id}>
                        {d.name}
                      </option>
                    ))}
                  </select>
                  <button type="submit" name="intent" value="reply-assign" aria-label={t("replies.unknown.assignLabel", { from })}>
                    {t("replies.unknown.assign")}
                  </button>
                  <ErrorText id={`assign-${s.id}-error`} text={error} />
                </Form>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function ErrorText({ id, text }: { id: string; text: string | null }) {
  return text ? (
    <p className="field-error" id={id}>
      {text}
    </p>
  ) : null;
}
