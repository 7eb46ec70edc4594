import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { systemClock } from "~/domain/clock";
import { TextField } from "~/components/form-fields";
import { formatDateTime } from "~/components/money";
import { makeT, type MessageKey } from "~/i18n";
import { NewPasswordFields } from "~/components/new-password-fields";
import { useRootLocale } from "~/root";
import { useCreditorTimeZone } from "./app";
import { changePassword, listMySessions, signOutOtherSessions } from "~/services/accounts/my-account.server";
import { ChangePasswordSchema, MIN_PASSWORD_LENGTH, StaffAccountError } from "~/services/accounts/schemas";
import { db } from "~/utils/db.server";
import { requireStaff } from "~/utils/staff-session.server";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "accounts.account.title");

/** "Chrome on Android" from a User-Agent header: enough to recognise one's own devices. */
function device(userAgent: string | null): { browser: string; os: string } | null {
  if (!userAgent) return null;
  const os = /Android/.test(userAgent)
    ? "Android"
    : /iPhone|iPad/.test(userAgent)
      ? "iOS"
      : /Windows/.test(userAgent)
        ? "Windows"
        : /Mac OS X/.test(userAgent)
          ? "macOS"
          : /Linux/.test(userAgent)
            ? "Linux"
            : null;
  const browser = /Edg\//.test(userAgent)
    ? "Edge"
    : /Firefox\//.test(userAgent)
      ? "Firefox"
      : /Chrom(e|ium)\//.test(userAgent)
        ? "Chrome"
        : /Safari\//.test(userAgent)
          ? "Safari"
          : null;
  return os && browser ? { browser, os } : null;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const sessions = await listMySessions(db, staff, systemClock.now());
  return json({
    me: { name: staff.name, email: staff.email, role: staff.role },
    min: MIN_PASSWORD_LENGTH,
    sessions: sessions.map((s) => ({ id: s.id, current: s.current, createdAt: s.createdAt.toISOString(), device: device(s.userAgent) })),
  });
}

/** Any role: one's own password and sessions. */
export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  if (intent === "sign-out-others") {
    await signOutOtherSessions(db, staff, systemClock);
    return redirect("/app/account?done=signedOut");
  }
  if (intent !== "change-password") throw new Response("Unknown action", { status: 400 });
  const submission = parseWithZod(form, { schema: ChangePasswordSchema });
  const hideFields = ["currentPassword", "password", "confirm"];
  if (submission.status !== "success") return json(submission.reply({ hideFields }), { status: 400 });
  try {
    await changePassword(db, staff, submission.value, systemClock);
  } catch (error) {
    if (error instanceof StaffAccountError && error.code === "wrong_password") {
      return json(submission.reply({ fieldErrors: { currentPassword: ["accounts.errors.wrong_password"] }, hideFields }), { status: 400 });
    }
    throw error;
  }
  return redirect("/app/account?done=password");
}

const DONE = { password: "accounts.done.password", signedOut: "accounts.done.signedOut" } as const satisfies Record<string, MessageKey>;

export default function Account() {
  const { me, min, sessions } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const locale = useRootLocale();
  const timeZone = useCreditorTimeZone();
  const t = makeT(locale);
  const doneKey = params.get("done");
  const confirmation = !lastResult && doneKey && doneKey in DONE ? DONE[doneKey as keyof typeof DONE] : null;
  const [form, fields] = useForm<{ currentPassword: string; password: string; confirm: string }>({
    lastResult,
    shouldValidate: "onSubmit",
  });
  const msg = (errors?: string[]) => (errors?.[0] ? t(errors[0] as MessageKey, { min }) : null);
  const when = (iso: string) => formatDateTime(iso, locale, timeZone);
  const others = sessions.filter((s) => !s.current).length;

  return (
    <div className="stack narrow">
      <h1>{t("accounts.account.title")}</h1>
      {confirmation ? (
        <p className="success" role="status">
          {t(confirmation)}
        </p>
      ) : null}
      <p>{t("accounts.account.identity", { name: me.name, email: me.email, role: t(`accounts.role.${me.role}`) })}</p>

      <section aria-labelledby="password" className="card stack">
        <h2 id="password">{t("accounts.account.changePassword")}</h2>
        <p className="muted">{t("accounts.account.changePasswordLead")}</p>
        <Form method="post" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="change-password" />
          <TextField
            field={fields.currentPassword}
            label={t("accounts.password.current")}
            type="password"
            msg={msg}
            autoComplete="current-password"
            required
          />
          <NewPasswordFields
            password={fields.password}
            confirm={fields.confirm}
            label={t("accounts.password.new")}
            min={min}
            t={t}
            msg={msg}
          />
          <button type="submit" disabled={busy}>
            {t("accounts.account.changePasswordSubmit")}
          </button>
        </Form>
      </section>

      <section aria-labelledby="sessions" className="card stack">
        <h2 id="sessions">{t("accounts.account.sessions")}</h2>
        <table className="responsive">
          <caption>{t("accounts.account.sessionsCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("accounts.account.device")}</th>
              <th scope="col">{t("accounts.account.openedAt")}</th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id}>
                <td data-label={t("accounts.account.device")}>
                  {s.device ? t("accounts.account.deviceOn", s.device) : t("accounts.account.unknownDevice")}
                  {s.current ? <strong> — {t("accounts.account.thisDevice")}</strong> : null}
                </td>
                <td data-label={t("accounts.account.openedAt")}>
                  <time dateTime={s.createdAt}>{when(s.createdAt)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {others > 0 ? (
          <Form method="post">
            <input type="hidden" name="intent" value="sign-out-others" />
            <button type="submit" className="secondary" disabled={busy}>
              {t("accounts.account.signOutOthers")}
            </button>
          </Form>
        ) : (
          <p className="muted">{t("accounts.account.noOtherSessions")}</p>
        )}
      </section>
    </div>
  );
}
