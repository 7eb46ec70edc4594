import { getFormProps, getSelectProps, useForm, type FieldMetadata, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormError, PublicPage, TextField, FieldError } from "~/components/form-fields";
import { NewPasswordFields } from "~/components/new-password-fields";
import { systemClock } from "~/domain/clock";
import { makeT, type MessageKey } from "~/i18n";
import { useRootLocale } from "~/root";
import { MIN_PASSWORD_LENGTH } from "~/services/accounts/schemas";
import { COMPANY_FIELDS, CompanySchema, OnboardingError, SetupSchema } from "~/services/onboarding/schemas";
import { completeSetup, isSetupTokenValid } from "~/services/onboarding/setup.server";
import { db, getDatabase } from "~/utils/db.server";
import { getLocale } from "~/utils/locale.server";
import { startStaffSession } from "~/utils/staff-session.server";

export const meta: MetaFunction = () => [{ title: "relance — configuration" }];

/**
 * First run: `/setup?token=…` (the link printed in the start-up log). Without a
 * valid token the page is a 403, never a form. Step 1 (the company) is
 * checked, then carried in hidden fields through step 2 (the owner).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token");
  if (!(await isSetupTokenValid(db, token, systemClock.now()))) return json({ token: null, min: MIN_PASSWORD_LENGTH }, { status: 403 });
  return json({ token: token!, min: MIN_PASSWORD_LENGTH });
}

type Company = Partial<Record<(typeof COMPANY_FIELDS)[number], string>>;
const companyOf = (formData: FormData): Company => Object.fromEntries(COMPANY_FIELDS.map((k) => [k, String(formData.get(k) ?? "")]));

export async function action({ request }: ActionFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  if (!(await isSetupTokenValid(db, token, systemClock.now()))) return json({ step: "forbidden" as const }, { status: 403 });
  const formData = await request.formData();
  const hideFields = ["password", "confirm"];

  if (formData.get("step") !== "owner" || formData.get("intent") === "back") {
    const submission = parseWithZod(formData, { schema: CompanySchema });
    if (submission.status !== "success" || formData.get("intent") === "back") {
      return json(
        { step: "company" as const, result: submission.reply(), company: companyOf(formData) },
        { status: submission.status === "success" ? 200 : 400 },
      );
    }
    // Step 2 carries the checked values (SIREN without spaces, email in lower case).
    return json({ step: "owner" as const, result: undefined, company: submission.value as Company });
  }

  const submission = parseWithZod(formData, { schema: SetupSchema });
  if (submission.status !== "success") {
    const companyWrong = COMPANY_FIELDS.some((k) => submission.error?.[k]);
    return json(
      {
        step: companyWrong ? ("company" as const) : ("owner" as const),
        result: submission.reply({ hideFields }),
        company: companyOf(formData),
      },
      { status: 400 },
    );
  }
  try {
    const user = await completeSetup(getDatabase().prisma, token, submission.value, await getLocale(request), systemClock);
    return redirect("/app", { headers: { "Set-Cookie": await startStaffSession(user, request) } });
  } catch (error) {
    if (error instanceof OnboardingError) {
      return json(
        {
          step: "owner" as const,
          result: submission.reply({ formErrors: [`onboarding.errors.${error.code}`], hideFields }),
          company: companyOf(formData),
        },
        { status: 400 },
      );
    }
    throw error;
  }
}

export default function Setup() {
  const { token, min } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const locale = useRootLocale();
  const t = makeT(locale);
  const msg = (errors?: string[]) => (errors?.[0] ? t(errors[0] as MessageKey, { min }) : null);
  if (!token || data?.step === "forbidden") {
    return (
      <PublicPage locale={locale}>
        <h1>{t("onboarding.setup.forbiddenTitle")}</h1>
        <p>{t("onboarding.setup.forbiddenLead")}</p>
      </PublicPage>
    );
  }
  const step = data?.step ?? "company";
  return (
    <PublicPage locale={locale}>
      <h1>{t("onboarding.setup.title")}</h1>
      <p>{t("onboarding.setup.lead")}</p>
      <p className="muted">{t("onboarding.setup.step", { n: step === "company" ? 1 : 2 })}</p>
      {step === "company" ? (
        <CompanyStep
          key="company"
          action={`/setup?token=${token}`}
          lastResult={data && "result" in data ? (data.result as SubmissionResult<string[]>) : undefined}
          t={t}
          msg={msg}
        />
      ) : (
        <OwnerStep
          key="owner"
          action={`/setup?token=${token}`}
          lastResult={data && "result" in data ? (data.result as SubmissionResult<string[]>) : undefined}
          company={data?.company ?? {}}
          min={min}
          t={t}
          msg={msg}
        />
      )}
    </PublicPage>
  );
}

type StepProps = {
  action: string;
  lastResult: SubmissionResult<string[]> | undefined;
  t: ReturnType<typeof makeT>;
  msg: (errors?: string[]) => string | null;
};

function CompanyStep({ action, lastResult, t, msg }: StepProps) {
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm<Record<(typeof COMPANY_FIELDS)[number], string>>({
    id: "setup-company",
    lastResult,
    constraint: getZodConstraint(CompanySchema),
    shouldValidate: "onSubmit",
  });
  return (
    <Form method="post" action={action} {...getFormProps(form)} className="card">
      <h2>{t("onboarding.setup.company")}</h2>
      <FormError form={form} msg={msg} />
      <input type="hidden" name="step" value="company" />
      <TextField field={fields.legalName} label={t("onboarding.field.legalName")} type="text" msg={msg} autoComplete="organization" />
      <TextField field={fields.siren} label={t("onboarding.field.siren")} type="text" msg={msg} inputMode="numeric" />
      <TextField field={fields.contactEmail} label={t("onboarding.field.contactEmail")} type="email" msg={msg} autoComplete="email" />
      <LocaleSelect field={fields.defaultLocale} t={t} msg={msg} />
      <button type="submit" disabled={busy}>
        {t("onboarding.setup.next")}
      </button>
    </Form>
  );
}

function OwnerStep({ action, lastResult, company, min, t, msg }: StepProps & { company: Record<string, string | undefined>; min: number }) {
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm<{ ownerName: string; ownerEmail: string; password: string; confirm: string }>({
    id: "setup-owner",
    lastResult,
    shouldValidate: "onSubmit",
  });
  return (
    <Form method="post" action={action} {...getFormProps(form)} className="card">
      <h2>{t("onboarding.setup.owner")}</h2>
      <p>{t("onboarding.setup.companySummary", { name: company.legalName ?? "", siren: company.siren ?? "" })}</p>
      <FormError form={form} msg={msg} />
      <input type="hidden" name="step" value="owner" />
      {COMPANY_FIELDS.map((k) => (
        <input key={k} type="hidden" name={k} value={company[k] ?? ""} />
      ))}
      <TextField
        field={fields.ownerName}
        label={t("onboarding.field.ownerName")}
        type="text"
        msg={msg}
        autoComplete="name"
        maxLength={100}
      />
      <TextField field={fields.ownerEmail} label={t("onboarding.field.ownerEmail")} type="email" msg={msg} autoComplete="username" />
      <NewPasswordFields
        password={fields.password}
        confirm={fields.confirm}
        label={t("onboarding.field.password")}
        min={min}
        t={t}
        msg={msg}
      />
      <div className="row">
        <button type="submit" disabled={busy}>
          {t("onboarding.setup.submit")}
        </button>
        <button type="submit" name="intent" value="back" className="secondary" formNoValidate>
          {t("onboarding.setup.back")}
        </button>
      </div>
    </Form>
  );
}

function LocaleSelect({ field, t, msg }: { field: FieldMetadata<string>; t: StepProps["t"]; msg: StepProps["msg"] }) {
  return (
    <div className="field">
      <label htmlFor={field.id}>{t("onboarding.field.defaultLocale")}</label>
      <select {...getSelectProps(field)} defaultValue={field.initialValue ?? "fr"}>
        <option value="fr">{t("onboarding.field.localeFr")}</option>
        <option value="en">{t("onboarding.field.localeEn")}</option>
      </select>
      <FieldError field={field} msg={msg} />
    </div>
  );
}
