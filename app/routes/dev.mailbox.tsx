import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { formatDateTime } from "~/components/money";
import { makeT } from "~/i18n";
import { useRootLocale } from "~/root";
import { readEmails } from "../providers/mocks/utils";
import { getEnv } from "~/utils/env.server";

/** Development only: the emails the mocked provider "sent". 404 when real email is configured. */
export async function loader({ request }: LoaderFunctionArgs) {
  if (!getEnv().mocks.resend || getEnv().NODE_ENV === "production") throw new Response("Not found", { status: 404 });
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
  const locale = useRootLocale();
  const t = makeT(locale);
  return (
    <main id="main" className="page stack">
      <h1>{t("mailbox.title")}</h1>
      <p className="muted">{t("mailbox.lead")}</p>
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
        </article>
      ))}
    </main>
  );
}
