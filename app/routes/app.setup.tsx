import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { formatDateTime } from "~/components/money";
import { useCreditorTimeZone } from "./app";
import { makeT, type Locale, type MessageKey } from "~/i18n";
import { useRootLocale } from "~/root";
import { forgetProviderChecks, goLiveChecklist, setDunningEnabled } from "~/services/onboarding/checklist.server";
import { db } from "~/utils/db.server";
import { pageTitle } from "~/utils/page-title";
import { requireStaff } from "~/utils/staff-session.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "onboarding.golive.title");

/** The owner's switch. Switching off asks for the confirmation sentence to be ticked. */
const switchSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("switch-on") }),
  z.object({
    intent: z.literal("switch-off"),
    confirm: z.literal("on", { error: "onboarding.golive.dunning.confirmRequired" }),
  }),
  z.object({ intent: z.literal("recheck") }),
]);

type Errors = Record<string, string[] | null>;

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, "OWNER");
  return json(await goLiveChecklist(db, staff.creditorId, new Date()));
}

export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request, "OWNER");
  const submission = parseWithZod(await request.formData(), { schema: switchSchema });
  if (submission.status !== "success") {
    return json({ done: null, errors: (submission.reply().error ?? {}) as Errors }, { status: 400 });
  }
  const { intent } = submission.value;
  if (intent === "recheck") {
    forgetProviderChecks();
    return json({ done: null, errors: {} as Errors });
  }
  const enabled = intent === "switch-on";
  const refused = await setDunningEnabled(db, { creditorId: staff.creditorId, userId: staff.userId, enabled, at: new Date() });
  if (refused) return json({ done: null, errors: { mediator: ["onboarding.golive.mediator.blocked"] } as Errors }, { status: 400 });
  return json({ done: enabled ? ("on" as const) : ("off" as const), errors: {} as Errors });
}

type T = ReturnType<typeof makeT>;
type Item = ReturnType<typeof useLoaderData<typeof loader>>["items"][number];

const PROVIDER_NAMES = { stripe: "Stripe", gocardless: "GoCardless", resend: "Resend" } as const;
const WEBHOOK_DASHBOARDS = {
  stripe: "https://dashboard.stripe.com/webhooks",
  gocardless: "https://manage.gocardless.com/developers/webhook-endpoints",
  resend: "https://resend.com/webhooks",
} as const;

/** Each item: its title, what it says in its state, and where to go to do it. */
function describe(
  item: Item,
  t: T,
  locale: Locale,
  timeZone: string,
): { title: string; body: React.ReactNode; link?: { to: string; label: string } } {
  const date = (d: string | null) => (d ? formatDateTime(d, locale, timeZone) : "");
  switch (item.key) {
    case "profile":
      return {
        title: t("onboarding.golive.profile.title"),
        body:
          item.state === "done"
            ? t("onboarding.golive.profile.done")
            : t("onboarding.golive.profile.todo", {
                fields: item.missing.map((f) => t(`intake.settings.${f}` as MessageKey, { currency: "EUR" })).join(", "),
              }),
        link: item.state === "done" ? undefined : { to: "/app/settings", label: t("onboarding.golive.profile.link") },
      };
    case "stripe": {
      const c = item.check;
      const account = c?.ok ? (c.name ? `${c.name} (${c.accountId})` : c.accountId) : "";
      return {
        title: t("onboarding.golive.stripe.title"),
        body:
          item.state === "demo"
            ? t("onboarding.golive.stripe.demo")
            : !c?.ok
              ? t("onboarding.golive.stripe.refused", { message: c?.message ?? "" })
              : c.testKey
                ? t("onboarding.golive.stripe.testKey", { account })
                : !c.chargesEnabled
                  ? t("onboarding.golive.stripe.charges", { account })
                  : t("onboarding.golive.stripe.done", { account }),
        link: item.state === "done" ? undefined : { to: "https://dashboard.stripe.com/apikeys", label: t("onboarding.golive.stripe.link") },
      };
    }
    case "gocardless": {
      const c = item.check;
      const name = c?.ok ? `${c.name} (${c.creditorId})` : "";
      return {
        title: t("onboarding.golive.gocardless.title"),
        body:
          item.state === "demo"
            ? t("onboarding.golive.gocardless.demo")
            : !c?.ok
              ? t("onboarding.golive.gocardless.refused", { message: c?.message ?? "" })
              : c.sandbox
                ? t("onboarding.golive.gocardless.sandbox", { name })
                : c.verificationStatus !== "successful"
                  ? t("onboarding.golive.gocardless.verification", { name })
                  : t("onboarding.golive.gocardless.done", { name }),
        link:
          item.state === "done"
            ? undefined
            : { to: "https://manage.gocardless.com/developers/access-tokens", label: t("onboarding.golive.gocardless.link") },
      };
    }
    case "resend": {
      const c = item.check;
      const dns = (status: string) => t(`onboarding.golive.dns.${status}` as MessageKey);
      return {
        title: t("onboarding.golive.resend.title"),
        body:
          item.state === "demo" ? (
            t("onboarding.golive.resend.demo")
          ) : !c?.ok ? (
            t("onboarding.golive.resend.refused", { message: c?.message ?? "" })
          ) : !c.found ? (
            t("onboarding.golive.resend.notFound", { domain: c.domain })
          ) : item.state === "done" ? (
            t("onboarding.golive.resend.done", { domain: c.domain })
          ) : (
            <>
              {t("onboarding.golive.resend.dns", { domain: c.domain })}
              <ul>
                {c.records.map((r) => (
                  <li key={`${r.record}-${r.type}-${r.name}`}>
                    {t("onboarding.golive.resend.record", { record: r.record, type: r.type, name: r.name, status: dns(r.status) })}
                  </li>
                ))}
              </ul>
            </>
          ),
        link: item.state === "done" ? undefined : { to: "https://resend.com/domains", label: t("onboarding.golive.resend.link") },
      };
    }
    case "sms": {
      const c = item.check;
      const account = c?.ok ? `${c.name} (${c.accountSid})` : "";
      return {
        title: t("onboarding.golive.sms.title"),
        body:
          item.state === "demo"
            ? t("onboarding.golive.sms.demo")
            : !c?.ok
              ? t("onboarding.golive.sms.refused", { message: c?.message ?? "" })
              : c.status !== "active"
                ? t("onboarding.golive.sms.inactive", { account })
                : c.trial
                  ? t("onboarding.golive.sms.trial", { account })
                  : t("onboarding.golive.sms.done", { account }),
        link: item.state === "done" ? undefined : { to: "https://console.twilio.com/", label: t("onboarding.golive.sms.link") },
      };
    }
    case "webhook": {
      const provider = PROVIDER_NAMES[item.provider];
      return {
        title: t("onboarding.golive.webhook.title", { provider }),
        body:
          item.state === "demo"
            ? t("onboarding.golive.webhook.demo", { provider })
            : item.state === "done"
              ? t("onboarding.golive.webhook.done", { date: date(item.lastEventAt) })
              : t("onboarding.golive.webhook.todo", { provider, url: item.endpoint }),
        link:
          item.state === "todo"
            ? { to: WEBHOOK_DASHBOARDS[item.provider], label: t("onboarding.golive.webhook.link", { provider }) }
            : undefined,
      };
    }
    case "policy": {
      const pending = item.policies.filter((p) => !p.simulatedAt);
      const simulated = item.policies.filter((p) => p.simulatedAt);
      const first = pending[0];
      return {
        title: t("onboarding.golive.policy.title"),
        body: (
          <>
            {simulated.map((p) => (
              <p key={p.id}>
                {t("onboarding.golive.policy.simulated", { name: p.name, date: date(p.simulatedAt), who: p.simulatedBy ?? "—" })}
              </p>
            ))}
            {pending.length > 0 ? <p>{t("onboarding.golive.policy.todo", { names: pending.map((p) => p.name).join(", ") })}</p> : null}
          </>
        ),
        link: first ? { to: `/app/policies/${first.id}`, label: t("onboarding.golive.policy.link", { name: first.name }) } : undefined,
      };
    }
    case "rates":
      return {
        title: t("onboarding.golive.rates.title"),
        body:
          item.state === "done"
            ? t("onboarding.golive.rates.done", { semester: item.semester })
            : t("onboarding.golive.rates.todo", {
                semester: item.semester,
                tables: item.missing.map((table) => t(`bo.rates.table.${table}` as MessageKey)).join(", "),
              }),
        link: item.state === "done" ? undefined : { to: "/app/rates", label: t("onboarding.golive.rates.link") },
      };
    case "mediator":
      return {
        title: t("onboarding.golive.mediator.title"),
        body:
          item.state === "todo"
            ? t("onboarding.golive.mediator.todo", { count: item.consumers })
            : item.name
              ? t("onboarding.golive.mediator.done", { name: item.name })
              : t("onboarding.golive.mediator.none"),
        link: item.state === "done" ? undefined : { to: "/app/settings#mediator", label: t("onboarding.golive.mediator.link") },
      };
  }
}

const STATE_CLASS = { done: "paid", todo: "late", demo: "paused" } as const;

export default function GoLiveChecklist() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const locale = useRootLocale();
  const timeZone = useCreditorTimeZone();
  const t = makeT(locale);
  const confirmError = result?.errors?.confirm?.[0];
  const { dunning } = data;

  return (
    <div className="stack">
      <h1>{t("onboarding.golive.title")}</h1>
      <p>{t("onboarding.golive.lead")}</p>
      <p role="status" data-testid="golive-summary">
        {data.todo > 0 ? t("onboarding.golive.todo", { count: data.todo }) : t("onboarding.golive.allDone")}
      </p>

      <ul className="stack" aria-label={t("onboarding.golive.title")}>
        {data.items.map((item) => {
          const { title, body, link } = describe(item, t, locale, timeZone);
          const key = item.key === "webhook" ? `webhook-${item.provider}` : item.key;
          return (
            <li key={key} className="card stack" data-testid={`golive-${key}`} data-state={item.state}>
              <h2>
                <span className={`status ${STATE_CLASS[item.state]}`}>{t(`onboarding.golive.state.${item.state}`)}</span> {title}
              </h2>
              <div>{body}</div>
              {link ? (
                link.to.startsWith("/") ? (
                  <Link to={link.to}>{link.label}</Link>
                ) : (
                  <a href={link.to} rel="noreferrer" target="_blank">
                    {link.label}
                  </a>
                )
              ) : null}
            </li>
          );
        })}
      </ul>
      <Form method="post">
        <button type="submit" name="intent" value="recheck" className="secondary" disabled={busy}>
          {t("onboarding.golive.recheck")}
        </button>
      </Form>

      <section className="card stack" aria-labelledby="dunning-switch" data-testid="dunning-switch" data-enabled={String(dunning.enabled)}>
        <h2 id="dunning-switch">{t("onboarding.golive.dunning.title")}</h2>
        {result?.done ? (
          <p className="success" role="status">
            {t(result.done === "on" ? "onboarding.golive.dunning.switchedOn" : "onboarding.golive.dunning.switchedOff")}
          </p>
        ) : null}
        <p>
          <strong>{t(dunning.enabled ? "onboarding.golive.dunning.on" : "onboarding.golive.dunning.off")}</strong>
        </p>
        {dunning.changedAt ? (
          <p className="muted">
            {t(dunning.enabled ? "onboarding.golive.dunning.changedOn" : "onboarding.golive.dunning.changedOff", {
              date: formatDateTime(dunning.changedAt, locale, timeZone),
              name: dunning.changedBy ?? "—",
            })}
          </p>
        ) : null}
        {dunning.enabled ? (
          <Form method="post" className="stack" noValidate>
            <div className="field checkbox">
              <input
                id="confirm-off"
                type="checkbox"
                name="confirm"
                required
                {...(confirmError ? { "aria-invalid": true, "aria-describedby": "confirm-off-error" } : {})}
              />
              <label htmlFor="confirm-off">{t("onboarding.golive.dunning.confirmOff")}</label>
            </div>
            {confirmError ? (
              <p className="field-error" id="confirm-off-error">
                {t(confirmError as MessageKey)}
              </p>
            ) : null}
            <button type="submit" name="intent" value="switch-off" className="secondary" disabled={busy}>
              {t("onboarding.golive.dunning.switchOff")}
            </button>
          </Form>
        ) : (
          <Form method="post" className="stack">
            {data.todo > 0 ? <p className="muted">{t("onboarding.golive.dunning.switchOnHint", { count: data.todo })}</p> : null}
            {result?.errors?.mediator?.[0] ? (
              <p className="form-error" role="alert">
                {t(result.errors.mediator[0] as MessageKey)}
              </p>
            ) : null}
            <button type="submit" name="intent" value="switch-on" disabled={busy}>
              {t("onboarding.golive.dunning.switchOn")}
            </button>
          </Form>
        )}
      </section>
    </div>
  );
}
