import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { PublicPage } from "~/components/form-fields";
import { systemClock } from "~/domain/clock";
import { makeT } from "~/i18n";
import { useRootLocale } from "~/root";
import { OnboardingError } from "~/services/onboarding/schemas";
import { findOpenSignup, requireSignupOpen, verifySignup } from "~/services/onboarding/signup.server";
import { db, getDatabase } from "~/utils/db.server";
import { startStaffSession } from "~/utils/staff-session.server";

export const meta: MetaFunction = () => [{ title: "relance — confirmation" }];

/** GET only reads (mail scanners open links): the creditor and its owner are created by the POST. */
export async function loader({ params }: LoaderFunctionArgs) {
  requireSignupOpen();
  const open = await findOpenSignup(db, params.token ?? "", systemClock.now());
  if (!open) return json({ signup: null }, { status: 410 });
  return json({ signup: { email: open.email, legalName: open.legalName } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  requireSignupOpen();
  try {
    const user = await verifySignup(getDatabase().prisma, params.token ?? "", systemClock);
    return redirect("/app", { headers: { "Set-Cookie": await startStaffSession(user, request) } });
  } catch (error) {
    if (error instanceof OnboardingError) return json({ error: `onboarding.errors.${error.code}` as const }, { status: 400 });
    throw error;
  }
}

export default function VerifySignup() {
  const { signup } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const locale = useRootLocale();
  const t = makeT(locale);
  if (!signup) {
    return (
      <PublicPage locale={locale}>
        <h1>{t("onboarding.signup.invalidTitle")}</h1>
        <p>{t("onboarding.signup.invalidLead")}</p>
        <p className="row">
          <Link to="/signup">{t("onboarding.signup.again")}</Link>
          <Link to="/login">{t("onboarding.signup.signIn")}</Link>
        </p>
      </PublicPage>
    );
  }
  return (
    <PublicPage locale={locale}>
      <h1>{t("onboarding.signup.verifyTitle", { email: signup.email })}</h1>
      <p>{t("onboarding.signup.verifyLead", { creditor: signup.legalName })}</p>
      <Form method="post" className="card">
        {data?.error ? (
          <p className="form-error" role="alert">
            {t(data.error)}
          </p>
        ) : null}
        <button type="submit" disabled={busy}>
          {t("onboarding.signup.verifySubmit")}
        </button>
      </Form>
    </PublicPage>
  );
}
