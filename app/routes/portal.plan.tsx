import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { z } from "zod";
import { formatAmount, formatDate } from "~/components/money";
import { addDays, isoDay, systemClock } from "~/domain/clock";
import {
  buildSchedule,
  overLimitDownPayment,
  PLAN_FIRST_INSTALLMENT_MAX_DAYS,
  planBounds,
  scheduleErrors,
} from "~/domain/installments/plan";
import { parseMoneyInput } from "~/domain/money";
import { makeT, type MessageKey } from "~/i18n";
import { useRootLocale } from "~/root";
import { PlanError, plannableInvoices, proposePlan } from "~/services/plans/plans.server";
import { overLimitPlanRule } from "~/services/plans/credit-rule.server";
import { wakeJob } from "~/services/wake.server";
import { creditorToday } from "~/services/creditor-clock.server";
import { db } from "~/utils/db.server";
import { requirePortalIdentity } from "~/utils/portal-session.server";
import { pageTitle } from "~/utils/page-title";

const PlanForm = z.object({
  invoiceIds: z.array(z.string()).min(1, "plan.errors.no_invoice"),
  count: z.coerce.number().int().min(1, "plan.errors.count").max(24, "plan.errors.count"),
  firstDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "errors.date"),
  downPayment: z.string().trim().optional(),
  intent: z.enum(["preview", "propose"]).default("preview"),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const identity = await requirePortalIdentity(request);
  const [invoices, creditor, overLimitPc] = await Promise.all([
    plannableInvoices(db, identity),
    db.creditor.findUniqueOrThrow({ where: { id: identity.creditorId }, select: { planMaxInstallments: true, planMaxMonths: true } }),
    overLimitPlanRule(db, identity),
  ]);
  const today = await creditorToday(db, identity.creditorId, new Date());
  return json({
    invoices: invoices.map((i) => ({ ...i, dueDate: i.dueDate.toISOString() })),
    rules: creditor,
    overLimitPc,
    defaultFirstDate: isoDay(addDays(today, 7)),
    minDate: isoDay(addDays(today, 1)),
    maxDate: isoDay(addDays(today, PLAN_FIRST_INSTALLMENT_MAX_DAYS)),
  });
}

/** Which field a refusal belongs next to. */
function fieldOf(code: string): "firstDate" | "count" | "form" {
  if (code === "date_in_past" || code === "first_date_too_far") return "firstDate";
  if (code === "duration_too_long") return "count";
  return "form";
}

type Values = { invoiceIds: string[]; count: string; firstDate: string; downPayment: string };
type ActionData = {
  values: Values;
  errors: Partial<Record<keyof Values | "form", string>>;
  preview?: { dueDate: string; amount: number }[];
  downPayment?: number;
};

export async function action({ request }: ActionFunctionArgs) {
  const identity = await requirePortalIdentity(request);
  const form = await request.formData();
  const values: Values = {
    invoiceIds: form.getAll("invoiceIds").map(String),
    count: String(form.get("count") ?? ""),
    firstDate: String(form.get("firstDate") ?? ""),
    downPayment: String(form.get("downPayment") ?? ""),
  };
  const parsed = PlanForm.safeParse({ ...values, intent: form.get("intent") ?? "preview" });
  if (!parsed.success) {
    const errors: ActionData["errors"] = {};
    for (const issue of parsed.error.issues) errors[(issue.path[0] as keyof Values) ?? "form"] ??= issue.message;
    return json<ActionData>({ values, errors }, { status: 400 });
  }
  const invoices = (await plannableInvoices(db, identity)).filter((i) => parsed.data.invoiceIds.includes(i.id));
  const total = invoices.reduce((s, i) => s + i.balance, 0);
  let downPayment = 0;
  if (parsed.data.downPayment) {
    const money = parseMoneyInput(parsed.data.downPayment, invoices[0]?.currency ?? "EUR");
    if (!money.ok) return json<ActionData>({ values, errors: { downPayment: "errors.amount" } }, { status: 400 });
    downPayment = money.amount;
  }
  const firstDate = new Date(`${parsed.data.firstDate}T00:00:00Z`);
  if (downPayment >= total)
    return json<ActionData>({ values, errors: { downPayment: "plan.errors.down_payment_invalid" } }, { status: 400 });
  const schedule = buildSchedule({ total, count: parsed.data.count, firstDate, downPayment });
  const creditor = await db.creditor.findUniqueOrThrow({ where: { id: identity.creditorId }, select: { planMaxMonths: true } });
  const today = await creditorToday(db, identity.creditorId, new Date());
  const errors = scheduleErrors(schedule, total, today, planBounds({ maxMonths: creditor.planMaxMonths }));
  if (errors.length > 0 || invoices.length !== parsed.data.invoiceIds.length) {
    const code = invoices.length !== parsed.data.invoiceIds.length ? "invoice_unavailable" : errors[0]!;
    return json<ActionData>({ values, errors: { [fieldOf(code)]: `plan.errors.${code}` } }, { status: 400 });
  }
  if (parsed.data.intent === "preview") {
    return json<ActionData>({
      values,
      errors: {},
      downPayment,
      preview: schedule.installments.map((i) => ({ dueDate: i.dueDate.toISOString(), amount: i.amount })),
    });
  }
  try {
    const result = await db.$transaction((tx) => proposePlan(tx, identity, { invoiceIds: parsed.data.invoiceIds, schedule }, systemClock), {
      timeout: 30_000,
    });
    // A proposal left for review queued its acknowledgement email: send it now.
    if (result.status === "PROPOSED") void wakeJob("outbox_send");
    return redirect(`/portal/plan/sent?plan=${result.planId}`);
  } catch (error) {
    if (error instanceof PlanError)
      return json<ActionData>({ values, errors: { [fieldOf(error.code)]: `plan.errors.${error.code}` } }, { status: 400 });
    throw error;
  }
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "plan.title");

export default function ProposePlan() {
  const { invoices, rules, overLimitPc, defaultFirstDate, minDate, maxDate } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as ActionData | undefined;
  const busy = useNavigation().state === "submitting";
  const locale = useRootLocale();
  const t = makeT(locale);
  const currency = invoices[0]?.currency ?? "EUR";
  const values = data?.values;
  const [selected, setSelected] = useState<string[]>(values?.invoiceIds ?? invoices.map((i) => i.id));
  const [count, setCount] = useState(Number(values?.count ?? 3));
  const [firstDate, setFirstDate] = useState(values?.firstDate ?? defaultFirstDate);
  const [down, setDown] = useState(values?.downPayment ?? "");
  const err = (key?: string) =>
    key
      ? t(key as MessageKey, {
          max: rules.planMaxInstallments,
          days: PLAN_FIRST_INSTALLMENT_MAX_DAYS,
          months: planBounds({ maxMonths: rules.planMaxMonths }).maxMonths,
        })
      : null;

  // Live preview with JavaScript; without it, the "Preview" button asks the server.
  const total = invoices.filter((i) => selected.includes(i.id)).reduce((s, i) => s + i.balance, 0);
  const downMinor = down ? parseMoneyInput(down, currency) : { ok: true as const, amount: 0 };
  const live =
    total > 0 && downMinor.ok && downMinor.amount < total && /^\d{4}-\d{2}-\d{2}$/.test(firstDate) && count >= 1 && count <= 24
      ? buildSchedule({ total, count, firstDate: new Date(`${firstDate}T00:00:00Z`), downPayment: downMinor.amount }).installments.map(
          (i) => ({ dueDate: i.dueDate.toISOString(), amount: i.amount }),
        )
      : null;
  const preview = live ?? data?.preview ?? null;

  if (invoices.length === 0) {
    return (
      <div className="stack narrow">
        <h1>{t("plan.title")}</h1>
        <p>{t("plan.nothing")}</p>
      </div>
    );
  }
  return (
    <div className="stack narrow">
      <h1>{t("plan.title")}</h1>
      <p>{t("plan.lead", { max: rules.planMaxInstallments, months: rules.planMaxMonths })}</p>
      {overLimitPc ? (
        <p className="notice" data-testid="plan-over-limit">
          {t("plan.overLimit", {
            pc: overLimitPc,
            amount: formatAmount(
              overLimitDownPayment(total, { overLimitMinDownPaymentPc: overLimitPc }, { overCreditLimit: true }),
              currency,
              locale,
            ),
          })}
        </p>
      ) : null}
      <Form method="post" className="card" noValidate>
        {data?.errors.form ? (
          <p className="form-error" role="alert">
            {err(data.errors.form)}
          </p>
        ) : null}
        <fieldset className="field" aria-describedby={data?.errors.invoiceIds ? "invoiceIds-error" : undefined}>
          <legend>{t("plan.invoices")}</legend>
          {invoices.map((i) => (
            <label key={i.id} style={{ fontWeight: 400 }}>
              <input
                type="checkbox"
                name="invoiceIds"
                value={i.id}
                checked={selected.includes(i.id)}
                onChange={(e) => setSelected(e.target.checked ? [...selected, i.id] : selected.filter((id) => id !== i.id))}
              />{" "}
              {i.number} — {formatAmount(i.balance, i.currency, locale)}
            </label>
          ))}
          {data?.errors.invoiceIds ? (
            <p className="field-error" id="invoiceIds-error">
              {err(data.errors.invoiceIds)}
            </p>
          ) : null}
        </fieldset>
        <div className="field">
          <label htmlFor="count">{t("plan.count")}</label>
          <select
            id="count"
            name="count"
            value={count}
            onChange={(e) => setCount(Number(e.target.value))}
            aria-invalid={data?.errors.count ? true : undefined}
            aria-describedby={data?.errors.count ? "count-error" : undefined}
          >
            {Array.from({ length: 12 }, (_, n) => n + 1).map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
          {data?.errors.count ? (
            <p className="field-error" id="count-error">
              {err(data.errors.count)}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="firstDate">{t("plan.firstDate")}</label>
          <input
            id="firstDate"
            name="firstDate"
            type="date"
            min={minDate}
            max={maxDate}
            value={firstDate}
            onChange={(e) => setFirstDate(e.target.value)}
            aria-invalid={data?.errors.firstDate ? true : undefined}
            aria-describedby={data?.errors.firstDate ? "firstDate-error" : undefined}
          />
          {data?.errors.firstDate ? (
            <p className="field-error" id="firstDate-error">
              {err(data.errors.firstDate)}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="downPayment">{t("plan.downPayment")}</label>
          <input
            id="downPayment"
            name="downPayment"
            inputMode="decimal"
            value={down}
            onChange={(e) => setDown(e.target.value)}
            aria-invalid={data?.errors.downPayment ? true : undefined}
            aria-describedby={data?.errors.downPayment ? "downPayment-error" : undefined}
          />
          {data?.errors.downPayment ? (
            <p className="field-error" id="downPayment-error">
              {err(data.errors.downPayment)}
            </p>
          ) : null}
        </div>
        {preview ? (
          <section aria-live="polite" aria-labelledby="preview-title">
            <h2 id="preview-title">{t("plan.preview")}</h2>
            <ol>
              {preview.map((i, n) => (
                <li key={n}>
                  {formatDate(i.dueDate, locale)} — {formatAmount(i.amount, currency, locale)}
                </li>
              ))}
            </ol>
          </section>
        ) : null}
        <div className="row">
          <button type="submit" name="intent" value="preview" className="secondary" disabled={busy}>
            {t("plan.previewButton")}
          </button>
          <button type="submit" name="intent" value="propose" disabled={busy}>
            {t("plan.submit")}
          </button>
        </div>
      </Form>
    </div>
  );
}
