import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { FormError, PublicPage, TextField } from "~/components/form-fields";
import { systemClock } from "~/domain/clock";
import { makeT } from "~/i18n";
import { useRootLocale } from "~/root";
import { recordSignIn } from "~/services/accounts/passwords.server";
import { db } from "~/utils/db.server";
import { getLocale, safeRedirectPath } from "~/utils/locale.server";
import { getStaff, startStaffSession, verifyLogin } from "~/utils/staff-session.server";

export const meta: MetaFunction = () => [{ title: "relance — connexion" }];

const LoginSchema = z.object({
  email: z.email({ message: "login.emailInvalid" }),
  password: z.string({ message: "login.passwordRequired" }).min(1, "login.passwordRequired"),
  redirectTo: z.string().optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getStaff(request)) return redirect("/app");
  return json({});
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await request.formData();
  const submission = await parseWithZod(formData, {
    schema: LoginSchema.transform(async (data, ctx) => {
      const user = await verifyLogin(data.email, data.password);
      if (!user) {
        ctx.addIssue({ code: "custom", message: "login.invalid" });
        return z.NEVER;
      }
      return { ...data, user };
    }),
    async: true,
  });
  if (submission.status !== "success") {
    return json(submission.reply({ hideFields: ["password"] }), { status: 400 });
  }
  const { user } = submission.value;
  await recordSignIn(db, user, await getLocale(request), systemClock);
  const cookie = await startStaffSession(user, request);
  return redirect(safeRedirectPath(submission.value.redirectTo, "/app"), { headers: { "Set-Cookie": cookie } });
}

export default function Login() {
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const locale = useRootLocale();
  const t = makeT(locale);
  const [form, fields] = useForm<z.input<typeof LoginSchema>>({
    lastResult,
    constraint: getZodConstraint(LoginSchema),
    // Checked on the server only: the credentials check needs it anyway, and a
    // client-side pass kept a stale server error blocking the next submit.
    shouldValidate: "onSubmit",
  });
  const msg = (errors?: string[]) => (errors?.[0] ? t(errors[0] as never) : null);
  return (
    <PublicPage locale={locale}>
      <h1>{t("staff.login")}</h1>
      <Form method="post" {...getFormProps(form)} className="card">
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? "/app"} />
        <FormError form={form} msg={msg} />
        <TextField field={fields.email} label={t("login.email")} type="email" msg={msg} autoComplete="username" />
        <TextField field={fields.password} label={t("login.password")} type="password" msg={msg} autoComplete="current-password" />
        <button type="submit">{t("staff.login")}</button>
      </Form>
      <p>
        <Link to="/forgot-password">{t("accounts.login.forgot")}</Link>
      </p>
    </PublicPage>
  );
}
