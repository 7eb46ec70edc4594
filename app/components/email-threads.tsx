import { Form } from "@remix-run/react";
import { formatDateTime } from "~/components/money";
import { makeT, type Locale } from "~/i18n";
import { eventLabel } from "~/i18n/labels";

/** A conversation as the debtor file loads it (emailConversations in services/inbound/threads.server.ts), after JSON. */
export type ThreadView = {
  id: string;
  subject: string | null;
  answerId: string;
  messages: {
    id: string;
    direction: "IN" | "OUT";
    kind: string;
    occurredAt: string;
    subject: string | null;
    text: string;
    from: string | null;
    to: string | null;
    inboundEmailId: string | null;
    files: { id: string; fileName: string }[];
    fileNames: string[];
  }[];
};

/**
 * The debtor's email conversations: each thread in and out, oldest message first, the debtor's words
 * without the quoted history, attachments, a link to the original, and a reply form sent from the thread.
 */
export function EmailThreads({
  threads,
  canAct,
  locale,
  failure,
}: {
  threads: ThreadView[];
  canAct: boolean;
  locale: Locale;
  failure: { threadId: string; error: string | null; message: string } | null;
}) {
  const t = makeT(locale);
  return (
    <section aria-labelledby="threads-title">
      <h2 id="threads-title">{t("replies.threads.title")}</h2>
      {threads.length === 0 ? <p className="muted">{t("replies.threads.none")}</p> : null}
      {threads.map((thread) => {
        const subject = thread.subject || t("replies.noSubject");
        const failed = failure?.threadId === thread.id ? failure : null;
        return (
          <article key={thread.id} className="card stack thread-card" aria-labelledby={`thread-${thread.id}`}>
            <h3 id={`thread-${thread.id}`} className="item-title">
              {subject}
            </h3>
            <ol className="thread">
              {thread.messages.map((m) => (
                <li key={m.id} className={m.direction === "IN" ? "from-debtor" : "from-creditor"}>
                  <span className="muted">
                    {m.direction === "IN"
                      ? t("replies.thread.fromDebtor", { from: m.from ?? t("bo.debtor") })
                      : t("replies.thread.fromUs", { to: m.to ?? "—" })}{" "}
                    — <time dateTime={m.occurredAt}>{formatDateTime(m.occurredAt, locale)}</time>
                    {m.direction === "OUT" ? ` — ${eventLabel(locale, m.kind)}` : null}
                  </span>
                  {m.direction === "IN" ? (
                    <p className="thread-text">{m.text}</p>
                  ) : (
                    <details>
                      <summary>{m.subject ?? eventLabel(locale, m.kind)}</summary>
                      <pre className="tl-body">{m.text}</pre>
                    </details>
                  )}
                  {m.files.length > 0 || m.fileNames.length > 0 ? (
                    <p className="muted">
                      {t("replies.thread.attachments", { files: "" })}
                      {m.files.map((f, n) => (
                        <span key={f.id}>
                          {n > 0 ? ", " : null}
                          <a href={`/app/emails/attachments/${f.id}`}>{f.fileName}</a>
                        </span>
                      ))}
                      {m.fileNames.length > 0 ? `${m.files.length > 0 ? ", " : ""}${m.fileNames.join(", ")}` : null}
                    </p>
                  ) : null}
                  {m.inboundEmailId ? (
                    <p>
                      <a
                        href={`/app/emails/${m.inboundEmailId}/original`}
                        aria-label={t("replies.thread.originalLabel", { date: formatDateTime(m.occurredAt, locale) })}
                      >
                        {t("replies.thread.original")}
                      </a>
                    </p>
                  ) : null}
                </li>
              ))}
            </ol>
            {canAct ? (
              <details open={!!failed}>
                <summary>{t("replies.thread.reply")}</summary>
                <Form method="post" className="stack">
                  <input type="hidden" name="communicationId" value={thread.answerId} />
                  <input type="hidden" name="threadId" value={thread.id} />
                  <label htmlFor={`treply-${thread.id}`}>{t("replies.thread.message")}</label>
                  <textarea
                    id={`treply-${thread.id}`}
                    name="message"
                    rows={4}
                    required
                    defaultValue={failed?.message ?? ""}
                    aria-invalid={failed?.error ? true : undefined}
                    aria-describedby={failed?.error ? `treply-${thread.id}-error` : undefined}
                  />
                  {failed?.error ? (
                    <p className="field-error" id={`treply-${thread.id}-error`}>
                      {failed.error}
                    </p>
                  ) : null}
                  <p>
                    <button type="submit" name="intent" value="thread-reply" aria-label={t("replies.thread.sendLabel", { subject })}>
                      {t("replies.thread.send")}
                    </button>
                  </p>
                </Form>
              </details>
            ) : null}
          </article>
        );
      })}
    </section>
  );
}
