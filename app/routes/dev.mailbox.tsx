import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { readEmails } from "../providers/mocks/utils";
import { getEnv } from "~/utils/env.server";

/** Development only: the emails the mocked provider "sent". 404 when real email is configured. */
export async function loader({ request }: LoaderFunctionArgs) {
  if (!getEnv().mocks.resend || getEnv().NODE_ENV === "production") throw new Response("Not found", { status: 404 });
  const to = new URL(request.url).searchParams.get("to") ?? undefined;
  const emails = readEmails({ to })
    .reverse()
    .slice(0, 100)
    .map(({ id, to, subject, text, createdAt, attachments }) => ({
      id, to, subject, text, createdAt,
      attachments: (attachments ?? []).map((a) => ({ filename: a.filename, kb: Math.ceil((a.content.length * 3) / 4 / 1024) })),
    }));
  return json({ emails });
}

export default function Mailbox() {
  const { emails } = useLoaderData<typeof loader>();
  return (
    <main id="main" className="page stack">
      <h1>Mailbox (mock)</h1>
      <p className="muted">Emails sent while the email provider is mocked, newest first.</p>
      {emails.length === 0 ? <p>No email yet.</p> : null}
      {emails.map((e) => (
        <article key={e.id} className="card">
          <h2>{e.subject}</h2>
          <p className="muted">
            To {e.to.join(", ")} — {new Date(e.createdAt).toLocaleString("fr-FR", { timeZone: "UTC" })} UTC
          </p>
          {e.attachments.length > 0 ? (
            <p>Attached: {e.attachments.map((a) => `${a.filename} (${a.kb} KB)`).join(", ")}</p>
          ) : null}
          <pre style={{ whiteSpace: "pre-wrap" }}>{e.text}</pre>
        </article>
      ))}
    </main>
  );
}
