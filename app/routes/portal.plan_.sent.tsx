import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { formatAmount, formatDate } from "~/components/money";
import { makeT } from "~/i18n";
import { useRootLocale } from "~/root";
import { getPlanStart } from "~/services/portal/plan-start.server";
import { db } from "~/utils/db.server";
import { requirePortalIdentity } from "~/utils/portal-session.server";
import { pageTitle } from "~/utils/page-title";
import { staticPage } from "~/utils/hydration";

/** After a proposal: accepted (how the first installment is paid, the mandate offered here) or waiting for the creditor's answer. */
/** Links and plain forms only: the phone downloads no JavaScript for it (decision 023). */
export const handle = staticPage;

export async function loader({ request }: LoaderFunctionArgs) {
  const identity = await requirePortalIdentity(request);
  const planId = new URL(request.url).searchParams.get("plan") ?? "";
  const plan = planId ? await getPlanStart(db, identity, planId) : null;
  return json({ plan, attempt: crypto.randomUUID() }, { headers: { "Cache-Control": "private, no-store" } });
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "title.portal.planSent");

export default function PlanSent() {
  const { plan, attempt } = useLoaderData<typeof loader>();
  const locale = useRootLocale();
  const t = makeT(locale);
  const active = plan?.status === "ACTIVE";
  const first = plan?.first ?? null;
  const amount = first && plan ? formatAmount(first.amount, plan.currency, locale) : "";
  const date = first ? formatDate(first.dueDate, locale) : "";
  return (
    <div className="stack narrow">
      <h1>{active ? t("plan.acceptedTitle") : t("plan.proposedTitle")}</h1>
      <p className="success" role="status">
        {active ? t("plan.accepted") : t("plan.proposed")}
      </p>
      {plan && first ? (
        <section className="card stack" aria-labelledby="first">
          <h2 id="first">{t("plan.start.title")}</h2>
          {active ? (
            <p>{plan.autoDebit ? t("plan.start.autoDebit", { amount, date }) : t("plan.start.toPay", { amount, date })}</p>
          ) : (
            <p>{t("plan.start.ifAccepted", { amount, date })}</p>
          )}
          {plan.canPay ? (
            <Form method="post" action={`/portal/plans/${plan.id}`}>
              <input type="hidden" name="intent" value="pay" />
              <input type="hidden" name="method" value="card" />
              <input type="hidden" name="installmentId" value={first.id} />
              <input type="hidden" name="attempt" value={attempt} />
              <button type="submit">{t("plan.start.pay", { amount })}</button>
            </Form>
          ) : null}
          {plan.canSetUpMandate ? (
            <Form method="post" action={`/portal/plans/${plan.id}`} className="stack">
              <p>{t("payments.plan.directDebitLead")}</p>
              <button type="submit" name="intent" value="direct-debit" className="secondary">
                {t("payments.plan.directDebit")}
              </button>
            </Form>
          ) : null}
          <p>
            <Link to={`/portal/plans/${plan.id}`}>{t("plan.start.schedule", { count: plan.count })}</Link>
          </p>
        </section>
      ) : null}
      <p>
        <Link to="/portal">{t("portal.back")}</Link>
      </p>
    </div>
  );
}
