import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, redirect, type ActionFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { systemClock } from "~/domain/clock";
import { PublicPage, TextField } from "~/components/form-fields";
import { makeT, type MessageKey } from "~/i18n";
import { useRootLocale } from "~/root";
import { requestPasswordReset } from "~/services/accounts/passwords.server";
import { ForgotPasswordSchema, RESET_CODE_MINUTES } from "~/services/accounts/schemas";
import { db } from "~/utils/db.server";
import { logger } from "~/utils/logger.server";

export const meta: MetaFunction = () => [{ title: "relance — mot de passe oublié" }];

export function loader() {
  return json({ minutes: RESET_CODE_MINUTES });
}

/**
 * Always the same answer, and without waiting for the database or the email:
 * whether the address has an account can be read neither from the page nor
 * from the response time. (Rate-limited with /login in server.ts.)
 */
export async function action({ request }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: ForgotPasswordSchema });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const { email } = submission.value;
  requestPasswordReset(db, email, systemClock).catch((error: unknown) => logger.error({ err: error }, "password reset request failed"));
  return redirect(`/reset-password?${new URLSearchParams({ email, sent: "1" })}`);
}

export default function ForgotPassword() {
  const { minutes } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const locale = useRootLocale();
  const t = makeT(locale);
  const [form, fields] = useForm<{ email: string }>({ lastResult, shouldValidate: "onSubmit" });
  const msg = (errors?: string[]) => (errors?.[0] ? t(errors[0] as MessageKey) : null);
  return (
    <PublicPage locale={locale}>
      <h1>{t("accounts.forgot.title")}</h1>
      <p>{t("accounts.forgot.lead", { minutes })}</p>
      <Form method="post" {...getFormProps(form)} className="card">
        <TextField field={fields.email} label={t("login.email")} type="email" msg={msg} autoComplete="username" required />
        <button type="submit" disabled={busy}>
          {t("accounts.forgot.submit")}
        </button>
      </Form>
      <p>
        <Link to="/login">{t("accounts.forgot.back")}</Link>
      </p>
    </PublicPage>
  );
}
