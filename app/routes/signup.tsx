import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { FormError, PublicPage, TextField } from "~/components/form-fields";
import { NewPasswordFields } from "~/components/new-password-fields";
import { systemClock } from "~/domain/clock";
import { makeT, type MessageKey } from "~/i18n";
import { useRootLocale } from "~/root";
import { MIN_PASSWORD_LENGTH } from "~/services/accounts/schemas";
import { OnboardingError } from "~/services/onboarding/schemas";
import { SIGNUP_LINK_HOURS, SignupSchema, type SignupInput } from "~/services/onboarding/schemas";
import { requestSignup, requireSignupOpen } from "~/services/onboarding/signup.server";
import { db } from "~/utils/db.server";
import { getLocale } from "~/utils/locale.server";

export const meta: MetaFunction = () => [{ title: "relance — inscription" }];

export async function loader() {
  requireSignupOpen();
  return json({});
}

export async function action({ request }: ActionFunctionArgs) {
  requireSignupOpen();
  const submission = parseWithZod(await request.formData(), { schema: SignupSchema });
  const hideFields = ["password", "confirm"];
  if (submission.status !== "success") return json({ sent: null, result: submission.reply({ hideFields }) }, { status: 400 });
  try {
    await requestSignup(db, submission.value, await getLocale(request), systemClock);
    return json({ sent: submission.value.email, result: undefined });
  } catch (error) {
    if (error instanceof OnboardingError && error.code === "email_taken") {
      return json(
        { sent: null, result: submission.reply({ fieldErrors: { email: ["onboarding.errors.email_taken"] }, hideFields }) },
        { status: 400 },
      );
    }
    if (error instanceof OnboardingError && error.code === "email_failed") {
      return json(
        { sent: null, result: submission.reply({ formErrors: ["onboarding.errors.email_failed"], hideFields }) },
        { status: 503 },
      );
    }
    throw error;
  }
}

export default function Signup() {
  const data = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const locale = useRootLocale();
  const t = makeT(locale);
  const min = MIN_PASSWORD_LENGTH;
  const [form, fields] = useForm<Record<keyof SignupInput, string>>({
    lastResult: data && "result" in data ? (data.result as SubmissionResult<string[]>) : undefined,
    constraint: getZodConstraint(SignupSchema),
    shouldValidate: "onSubmit",
  });
  const msg = (errors?: string[]) => (errors?.[0] ? t(errors[0] as MessageKey, { min }) : null);
  if (data?.sent) {
    return (
      <PublicPage locale={locale}>
        <h1>{t("onboarding.signup.sentTitle")}</h1>
        <p role="status">{t("onboarding.signup.sentLead", { email: data.sent, hours: SIGNUP_LINK_HOURS })}</p>
      </PublicPage>
    );
  }
  return (
    <PublicPage locale={locale}>
      <h1>{t("onboarding.signup.title")}</h1>
      <p>{t("onboarding.signup.lead")}</p>
      <Form method="post" {...getFormProps(form)} className="card">
        <FormError form={form} msg={msg} />
        <TextField field={fields.legalName} label={t("onboarding.field.legalName")} type="text" msg={msg} autoComplete="organization" />
        <TextField field={fields.siren} label={t("onboarding.field.siren")} type="text" msg={msg} inputMode="numeric" />
        <TextField
          field={fields.ownerName}
          label={t("onboarding.field.ownerName")}
          type="text"
          msg={msg}
          autoComplete="name"
          maxLength={100}
        />
        <TextField field={fields.email} label={t("onboarding.field.email")} type="email" msg={msg} autoComplete="username" />
        <NewPasswordFields
          password={fields.password}
          confirm={fields.confirm}
          label={t("onboarding.field.password")}
          min={min}
          t={t}
          msg={msg}
        />
        <button type="submit" disabled={busy}>
          {t("onboarding.signup.submit")}
        </button>
      </Form>
      <p>
        <Link to="/login">{t("onboarding.signup.signIn")}</Link>
      </p>
    </PublicPage>
  );
}
