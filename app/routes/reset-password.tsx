import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { systemClock } from "~/domain/clock";
import { FormError, PublicPage, TextField } from "~/components/form-fields";
import { makeT, type MessageKey } from "~/i18n";
import { NewPasswordFields } from "~/components/new-password-fields";
import { useRootLocale } from "~/root";
import { resetPassword } from "~/services/accounts/passwords.server";
import { MIN_PASSWORD_LENGTH, RESET_CODE_MINUTES, ResetPasswordSchema, StaffAccountError } from "~/services/accounts/schemas";
import { db } from "~/utils/db.server";
import { startStaffSession } from "~/utils/staff-session.server";

export const meta: MetaFunction = () => [{ title: "relance — nouveau mot de passe" }];

export function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  return json({
    email: url.searchParams.get("email")?.slice(0, 320) ?? "",
    sent: url.searchParams.get("sent") === "1",
    minutes: RESET_CODE_MINUTES,
    min: MIN_PASSWORD_LENGTH,
  });
}

/** Code + new password: every other session of the user ends, and this browser is signed in. */
export async function action({ request }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: ResetPasswordSchema });
  const hideFields = ["password", "confirm"];
  if (submission.status !== "success") return json(submission.reply({ hideFields }), { status: 400 });
  try {
    const user = await resetPassword(db, submission.value, systemClock);
    return redirect("/app", { headers: { "Set-Cookie": await startStaffSession(user, request) } });
  } catch (error) {
    if (error instanceof StaffAccountError && error.code === "invalid_code") {
      return json(submission.reply({ formErrors: ["accounts.errors.invalid_code"], hideFields }), { status: 400 });
    }
    throw error;
  }
}

export default function ResetPassword() {
  const { email, sent, minutes, min } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const locale = useRootLocale();
  const t = makeT(locale);
  const [form, fields] = useForm<{ email: string; code: string; password: string; confirm: string }>({
    lastResult,
    defaultValue: { email },
    shouldValidate: "onSubmit",
  });
  const msg = (errors?: string[]) => (errors?.[0] ? t(errors[0] as MessageKey, { min }) : null);
  return (
    <PublicPage locale={locale}>
      <h1>{t("accounts.reset.title")}</h1>
      {sent && !lastResult ? (
        <p className="notice" role="status">
          {t("accounts.reset.sent", { email, minutes })}
        </p>
      ) : null}
      <p>{t("accounts.reset.lead")}</p>
      <Form method="post" {...getFormProps(form)} className="card">
        <FormError form={form} msg={msg} />
        <TextField field={fields.email} label={t("login.email")} type="email" msg={msg} autoComplete="username" required />
        <TextField
          field={fields.code}
          label={t("accounts.reset.code")}
          type="text"
          msg={msg}
          inputMode="numeric"
          autoComplete="one-time-code"
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
          {t("accounts.reset.submit")}
        </button>
      </Form>
      <p>
        <Link to="/forgot-password">{t("accounts.reset.newCode")}</Link>
      </p>
    </PublicPage>
  );
}
