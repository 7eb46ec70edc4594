import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { formatAmount, formatDate } from "~/components/money";
import { addDays, isoDay, systemClock } from "~/domain/clock";
import { buildSchedule, PLAN_FIRST_INSTALLMENT_MAX_DAYS } from "~/domain/installments/plan";
import { makeT, type MessageKey } from "~/i18n";
import { useRootLocale } from "~/root";
import { counterPlan, counterTotal, PlanError } from "~/services/plans/plans.server";
import { creditorToday } from "~/services/creditor-clock.server";
import { db } from "~/utils/db.server";
import { requireStaff } from "~/utils/staff-session.server";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "payments.counter.title");

/** Staff answer a debtor's plan proposal with their own schedule. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, "AGENT");
  const plan = await db.installmentPlan.findFirst({
    where: { id: params.planId ?? "", creditorId: staff.creditorId, status: "PROPOSED", proposedBy: "DEBTOR" },
    select: {
      id: true,
      totalAmount: true,
      currency: true,
      debtor: { select: { name: true } },
      installments: { orderBy: { position: "asc" }, select: { dueDate: true, amount: true } },
    },
  });
  if (!plan) throw new Response("Not found", { status: 404 });
  return json({ plan, defaultFirstDate: isoDay(addDays(await creditorToday(db, staff.creditorId, new Date()), 7)) });
}

type Values = { count: string; firstDate: string; reason: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const staff = await requireStaff(request, "AGENT");
  const form = await request.formData();
  const values: Values = {
    count: String(form.get("count") ?? ""),
    firstDate: String(form.get("firstDate") ?? ""),
    reason: String(form.get("reason") ?? "").slice(0, 2000),
  };
  const fail = (field: keyof Values | "form", code: string) => json({ values, field, code }, { status: 400 });
  const plan = await db.installmentPlan.findFirst({
    where: { id: params.planId ?? "", creditorId: staff.creditorId },
    select: { id: true, totalAmount: true },
  });
  if (!plan) throw new Response("Not found", { status: 404 });
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 1 || count > 24) return fail("count", "count");
  if (!/^\d{4}-\d{2}-\d{2}$/.test(values.firstDate)) return fail("firstDate", "date");
  if (!values.reason.trim()) return fail("reason", "reason_required");
  // Spread what is owed today (a payment may have come in since the debtor proposed).
  const total = await counterTotal(db, staff.creditorId, plan.id);
  const schedule = buildSchedule({ total, count, firstDate: new Date(`${values.firstDate}T00:00:00Z`) });
  try {
    await db.$transaction(
      (tx) => counterPlan(tx, staff.creditorId, plan.id, { schedule, reason: values.reason, staffId: staff.userId }, systemClock),
      { timeout: 30_000 },
    );
  } catch (error) {
    if (!(error instanceof PlanError)) throw error;
    if (error.code === "date_in_past") return fail("firstDate", "date");
    if (error.code === "first_date_too_far") return fail("firstDate", error.code);
    if (error.code === "duration_too_long") return fail("count", error.code);
    if (error.code === "reason_required") return fail("reason", "reason_required");
    return fail("form", "not_pending");
  }
  return redirect("/app?done=countered");
}

export default function CounterOffer() {
  const { plan, defaultFirstDate } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const locale = useRootLocale();
  const t = makeT(locale);
  const money = (m: number) => formatAmount(m, plan.currency, locale);
  const error = (field: string) =>
    data && "field" in data && data.field === field
      ? t(`payments.counter.errors.${data.code}` as MessageKey, { days: PLAN_FIRST_INSTALLMENT_MAX_DAYS })
      : null;
  return (
    <div className="stack narrow">
      <p>
        <Link to="/app">← {t("nav.inbox")}</Link>
      </p>
      <h1>{t("payments.counter.title")}</h1>
      <p>{t("payments.counter.lead", { debtor: plan.debtor.name, count: plan.installments.length, amount: money(plan.totalAmount) })}</p>
      <details>
        <summary>{t("payments.counter.proposal")}</summary>
        <ol>
          {plan.installments.map((i, n) => (
            <li key={n}>
              {formatDate(i.dueDate, locale)} — {money(i.amount)}
            </li>
          ))}
        </ol>
      </details>
      <Form method="post" className="card" noValidate>
        {error("form") ? (
          <p className="form-error" role="alert">
            {error("form")}
          </p>
        ) : null}
        <div className="field">
          <label htmlFor="count">{t("payments.counter.count")}</label>
          <input
            id="count"
            name="count"
            type="number"
            min={1}
            max={24}
            inputMode="numeric"
            defaultValue={data?.values.count ?? "6"}
            aria-invalid={error("count") ? true : undefined}
            aria-describedby={error("count") ? "count-error" : undefined}
          />
          {error("count") ? (
            <p className="field-error" id="count-error">
              {error("count")}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="firstDate">{t("payments.counter.firstDate")}</label>
          <input
            id="firstDate"
            name="firstDate"
            type="date"
            defaultValue={data?.values.firstDate ?? defaultFirstDate}
            aria-invalid={error("firstDate") ? true : undefined}
            aria-describedby={error("firstDate") ? "firstDate-error" : undefined}
          />
          {error("firstDate") ? (
            <p className="field-error" id="firstDate-error">
              {error("firstDate")}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="reason">{t("payments.counter.reason")}</label>
          <textarea
            id="reason"
            name="reason"
            rows={3}
            defaultValue={data?.values.reason ?? ""}
            aria-invalid={error("reason") ? true : undefined}
            aria-describedby={error("reason") ? "reason-error" : undefined}
          />
          {error("reason") ? (
            <p className="field-error" id="reason-error">
              {error("reason")}
            </p>
          ) : null}
        </div>
        <button type="submit">{t("payments.counter.submit")}</button>
      </Form>
    </div>
  );
}
