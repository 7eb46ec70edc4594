import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { systemClock } from "~/domain/clock";
import { FormError, PublicPage, TextField } from "~/components/form-fields";
import { makeT, type MessageKey } from "~/i18n";
import { NewPasswordFields } from "~/components/new-password-fields";
import { useRootLocale } from "~/root";
import { AcceptInvitationSchema, MIN_PASSWORD_LENGTH, StaffAccountError } from "~/services/accounts/schemas";
import { acceptInvitation, findOpenInvitation } from "~/services/accounts/team.server";
import { db } from "~/utils/db.server";
import { startStaffSession } from "~/utils/staff-session.server";

export const meta: MetaFunction = () => [{ title: "relance — invitation" }];

/** GET only reads (mail scanners open links): the account is created by the POST. */
export async function loader({ params }: LoaderFunctionArgs) {
  const invitation = await findOpenInvitation(db, params.token ?? "", systemClock.now());
  const page = { min: MIN_PASSWORD_LENGTH };
  if (!invitation) return json({ ...page, invitation: null }, { status: 410 });
  const { email, role, creditorName, inviterName } = invitation;
  return json({ ...page, invitation: { email, role, creditorName, inviterName } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: AcceptInvitationSchema });
  const hideFields = ["password", "confirm"];
  if (submission.status !== "success") return json(submission.reply({ hideFields }), { status: 400 });
  try {
    const user = await acceptInvitation(db, params.token ?? "", submission.value, systemClock);
    return redirect("/app", { headers: { "Set-Cookie": await startStaffSession(user, request) } });
  } catch (error) {
    if (error instanceof StaffAccountError && (error.code === "invitation_invalid" || error.code === "already_member")) {
      return json(submission.reply({ formErrors: [`accounts.errors.${error.code}`], hideFields }), { status: 400 });
    }
    throw error;
  }
}

export default function AcceptInvitation() {
  const { invitation, min } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const locale = useRootLocale();
  const t = makeT(locale);
  const [form, fields] = useForm<{ name: string; password: string; confirm: string }>({ lastResult, shouldValidate: "onSubmit" });
  const msg = (errors?: string[]) => (errors?.[0] ? t(errors[0] as MessageKey, { min }) : null);
  return (
    <PublicPage locale={locale}>
      {!invitation ? (
        <>
          <h1>{t("accounts.invitation.invalidTitle")}</h1>
          <p>{t("accounts.invitation.invalidLead")}</p>
          <p>
            <Link to="/login">{t("accounts.invitation.signIn")}</Link>
          </p>
        </>
      ) : (
        <>
          <h1>{t("accounts.invitation.title", { creditor: invitation.creditorName })}</h1>
          <p>
            {t("accounts.invitation.lead", {
              inviter: invitation.inviterName ?? invitation.creditorName,
              creditor: invitation.creditorName,
              role: t(`accounts.role.${invitation.role}`),
            })}
          </p>
          <Form method="post" {...getFormProps(form)} className="card">
            <FormError form={form} msg={msg} />
            <p>{t("accounts.invitation.email", { email: invitation.email })}</p>
            <TextField
              field={fields.name}
              label={t("accounts.invitation.name")}
              type="text"
              msg={msg}
              autoComplete="name"
              maxLength={100}
              required
            />
            <NewPasswordFields
              password={fields.password}
              confirm={fields.confirm}
              label={t("accounts.invitation.password")}
              min={min}
              t={t}
              msg={msg}
            />
            <button type="submit" disabled={busy}>
              {t("accounts.invitation.submit")}
            </button>
          </Form>
        </>
      )}
    </PublicPage>
  );
}
