import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useSearchParams } from "@remix-run/react";
import { formatDateTime } from "~/components/money";
import { gsmLength } from "~/domain/sms";
import { makeT } from "~/i18n";
import { useRootLocale } from "~/root";
import { readSms } from "~/providers/sms-outbox.server";
import { simulateSmsWebhook } from "~/services/webhooks/twilio.server";
import { smsCallbackUrl } from "~/providers/sms.server";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";

const devOnly = () => {
  if (!getEnv().mocks.sms || getEnv().NODE_ENV === "production") throw new Response("Not found", { status: 404 });
};

/** Development only: the SMS the stand-in "sent" (like /dev/mailbox for email). 404 when Twilio is configured. */
export async function loader({ request }: LoaderFunctionArgs) {
  devOnly();
  const to = new URL(request.url).searchParams.get("to") ?? undefined;
  const sms = readSms({ to })
    .reverse()
    .slice(0, 100)
    .map((s) => ({ ...s, length: gsmLength(s.body) ?? s.body.length }));
  return json({ sms });
}

const ACTIONS = { delivered: "delivered", failed: "undelivered" } as const;

/** Delivers a signed Twilio webhook for one SMS: its delivery report, or a STOP reply from its number. */
export async function action({ request }: ActionFunctionArgs) {
  devOnly();
  const form = await request.formData();
  const sms = readSms().find((s) => s.sid === form.get("sid"));
  if (!sms) throw new Response("Not found", { status: 404 });
  const what = String(form.get("what") ?? "");
  if (what === "stop") {
    await simulateSmsWebhook(db, smsCallbackUrl(), {
      MessageSid: `SMdev${Date.now()}`,
      From: sms.to,
      To: sms.from,
      Body: "STOP",
      AccountSid: sms.accountSid,
    });
  } else if (what === "delivered" || what === "failed") {
    const status = ACTIONS[what];
    await simulateSmsWebhook(db, sms.statusCallback ?? smsCallbackUrl(), {
      MessageSid: sms.sid,
      SmsSid: sms.sid,
      MessageStatus: status,
      AccountSid: sms.accountSid,
      To: sms.to,
      From: sms.from,
      ...(status === "undelivered" ? { ErrorCode: "30003" } : {}),
    });
  } else throw new Response("Bad request", { status: 400 });
  return redirect(`/dev/sms?done=${what}`);
}

export default function SmsOutbox() {
  const { sms } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const locale = useRootLocale();
  const t = makeT(locale);
  const done = params.get("done");
  return (
    <main id="main" className="page stack">
      <h1>{t("sms.dev.title")}</h1>
      <p className="muted">{t("sms.dev.lead")}</p>
      {done ? (
        <p className="success" role="status">
          {t("sms.dev.done", { status: done === "stop" ? "STOP" : done === "failed" ? t("sms.dev.failed") : t("sms.dev.delivered") })}
        </p>
      ) : null}
      {sms.length === 0 ? <p>{t("sms.dev.none")}</p> : null}
      {sms.map((s) => (
        <article key={s.sid} className="card stack" aria-labelledby={`sms-${s.sid}`}>
          <h2 id={`sms-${s.sid}`} className="h-small">
            {t("sms.dev.to", { to: s.to, date: formatDateTime(s.createdAt, locale), length: s.length })}
          </h2>
          <p style={{ whiteSpace: "pre-wrap" }}>
            {s.body.split(/(https?:\/\/\S+)/).map((part, i) =>
              i % 2 === 1 ? (
                <a key={i} href={part}>
                  {part}
                </a>
              ) : (
                part
              ),
            )}
          </p>
          <Form method="post" className="row" aria-label={t("sms.dev.actions", { to: s.to })}>
            <input type="hidden" name="sid" value={s.sid} />
            <button type="submit" name="what" value="delivered">
              {t("sms.dev.delivered")}
            </button>
            <button type="submit" name="what" value="failed">
              {t("sms.dev.failed")}
            </button>
            <button type="submit" name="what" value="stop">
              {t("sms.dev.stop")}
            </button>
          </Form>
        </article>
      ))}
    </main>
  );
}
