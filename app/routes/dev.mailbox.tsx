import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { formatDateTime } from "~/components/money";
import { makeT } from "~/i18n";
import { useRootLocale } from "~/root";
import { readEmails } from "../providers/mocks/utils";
import { replyAsDebtor } from "~/services/inbound/dev-reply.server";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";

const devOnly = () => {
  if (!getEnv().mocks.resend || getEnv().NODE_ENV === "production") throw new Response("Not found", { status: 404 });
};

/** Development only: the emails the mocked provider "sent". 404 when real email is configured. */
export async function loader({ request }: LoaderFunctionArgs) {
  devOnly();
  const to = new URL(request.url).searchParams.get("to") ?? undefined;
  const emails = readEmails({ to })
    .reverse()
    .slice(0, 100)
    .map(({ id, to, subject, text, html, createdAt, attachments }) => ({
      id,
      to,
      subject,
      text: text ?? "",
      html: html ?? null,
      createdAt,
      attachments: (attachments ?? []).map((a) => ({ filename: a.filename, kb: Math.ceil((a.content.length * 3) / 4 / 1024) })),
    }));
  return json({ emails });
}

const ReplyForm = z.object({
  emailId: z.string().min(1),
  text: z.string().trim().min(1, "replies.dev.error.text").max(10_000, "replies.dev.error.text"),
  unknown: z.literal("on").optional(),
  fromAddress: z.string().trim().optional(),
});

type ReplyFailure = {
  emailId: string;
  field: "text" | "fromAddress";
  error: "replies.dev.error.text" | "replies.dev.error.from";
  values: Record<string, string>;
};

/** "Reply as the debtor": a real MIME reply to one of these emails, fed to the inbound pipeline (processed by the worker). */
export async function action({ request }: ActionFunctionArgs) {
  devOnly();
  const form = Object.fromEntries([...(await request.formData()).entries()].filter(([, v]) => typeof v === "string")) as Record<
    string,
    string
  >;
  const email = readEmails().find((e) => e.id === form.emailId);
  if (!email) throw new Response("Not found", { status: 404 });
  const parsed = ReplyForm.safeParse(form);
  const fail = (failure: Omit<ReplyFailure, "emailId" | "values">) =>
    json<ReplyFailure>({ ...failure, emailId: email.id, values: form }, { status: 400 });
  if (!parsed.success) return fail({ field: "text", error: "replies.dev.error.text" });
  const fromUnknown = parsed.data.unknown ? (parsed.data.fromAddress ?? "") : null;
  if (fromUnknown !== null && !z.email().safeParse(fromUnknown).success)
    return fail({ field: "fromAddress", error: "replies.dev.error.from" });
  await replyAsDebtor(db, {
    email: { id: email.id, to: email.to, subject: email.subject, text: email.text ?? "", createdAt: email.createdAt },
    text: parsed.data.text,
    fromUnknown,
  });
  return redirect("/dev/mailbox?replied=1");
}

const URL_IN_TEXT = /(https?:\/\/[^\s<>"')\]]+)/g;

/** The text version with its links clickable (portal links are what one tests here). */
function TextWithLinks({ text }: { text: string }) {
  return (
    <pre style={{ whiteSpace: "pre-wrap" }}>
      {text.split(URL_IN_TEXT).map((part, i) =>
        i % 2 === 1 ? (
          <a key={i} href={part}>
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </pre>
  );
}

export default function Mailbox() {
  const { emails } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const [params] = useSearchParams();
  const locale = useRootLocale();
  const t = makeT(locale);
  const kept = (emailId: string, name: string) => (failure?.emailId === emailId ? failure.values[name] : undefined);
  return (
    <main id="main" className="page stack">
      <h1>{t("mailbox.title")}</h1>
      <p className="muted">{t("mailbox.lead")}</p>
      {params.get("replied") ? (
        <p className="success" role="status">
          {t("replies.dev.sent")}
        </p>
      ) : null}
      {emails.length === 0 ? <p>{t("mailbox.none")}</p> : null}
      {emails.map((e) => (
        <article key={e.id} className="card stack" aria-labelledby={`mail-${e.id}`}>
          <h2 id={`mail-${e.id}`}>{e.subject}</h2>
          <p className="muted">{t("mailbox.to", { to: e.to.join(", "), date: formatDateTime(e.createdAt, locale) })}</p>
          {e.attachments.length > 0 ? (
            <p>{t("mailbox.attached", { files: e.attachments.map((a) => `${a.filename} (${a.kb} KB)`).join(", ") })}</p>
          ) : null}
          <div className="filter-grid">
            <section aria-label={t("mailbox.html")}>
              <h3 className="h-small">{t("mailbox.html")}</h3>
              {/* sandbox="": no script, no form, no navigation out of the frame — the email is shown, not run. */}
              {e.html ? (
                <iframe className="email-snapshot" sandbox="" srcDoc={e.html} title={t("mailbox.htmlFrame", { subject: e.subject })} />
              ) : (
                <p className="muted">{t("mailbox.noHtml")}</p>
              )}
            </section>
            <section aria-label={t("mailbox.text")}>
              <h3 className="h-small">{t("mailbox.text")}</h3>
              <TextWithLinks text={e.text} />
            </section>
          </div>
          <details open={failure?.emailId === e.id}>
            <summary>{t("replies.dev.reply")}</summary>
            <Form method="post" className="stack">
              <input type="hidden" name="emailId" value={e.id} />
              <label htmlFor={`reply-text-${e.id}`}>{t("replies.dev.text")}</label>
              <textarea
                id={`reply-text-${e.id}`}
                name="text"
                rows={3}
                defaultValue={kept(e.id, "text") ?? t("replies.dev.defaultText")}
                aria-invalid={failure?.emailId === e.id && failure.field === "text" ? true : undefined}
                aria-describedby={failure?.emailId === e.id && failure.field === "text" ? `reply-text-${e.id}-error` : undefined}
              />
              {failure?.emailId === e.id && failure.field === "text" ? (
                <p className="field-error" id={`reply-text-${e.id}-error`}>
                  {t(failure.error)}
                </p>
              ) : null}
              <label className="choice">
                <input type="checkbox" name="unknown" defaultChecked={kept(e.id, "unknown") === "on"} /> {t("replies.dev.unknown")}
              </label>
              <label htmlFor={`reply-from-${e.id}`}>{t("replies.dev.fromAddress")}</label>
              <input
                id={`reply-from-${e.id}`}
                name="fromAddress"
                type="email"
                defaultValue={kept(e.id, "fromAddress") ?? "inconnu@autre-adresse.test"}
                aria-invalid={failure?.emailId === e.id && failure.field === "fromAddress" ? true : undefined}
                aria-describedby={failure?.emailId === e.id && failure.field === "fromAddress" ? `reply-from-${e.id}-error` : undefined}
              />
              {failure?.emailId === e.id && failure.field === "fromAddress" ? (
                <p className="field-error" id={`reply-from-${e.id}-error`}>
                  {t(failure.error)}
                </p>
              ) : null}
              <p>
                <button type="submit" aria-label={t("replies.dev.sendLabel", { subject: e.subject })}>
                  {t("replies.dev.send")}
                </button>
              </p>
            </Form>
          </details>
        </article>
      ))}
    </main>
  );
}
