import { getCollectionProps, getFormProps, getInputProps, getTextareaProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { formatAmount, formatDate } from "~/components/money";
import { isoDay, systemClock } from "~/domain/clock";
import { parseMoneyInput, type MoneyInputError, invoiceBalance } from "~/domain/money";
import { makeT, type MessageKey } from "~/i18n";
import { useRootLocale } from "~/root";
import { PaymentError } from "~/services/payments/errors.server";
import { creditorTimeZone } from "~/services/creditor-clock.server";
import { latestReceivedDay, recordManualPayment } from "~/services/payments/manual.server";
import { db } from "~/utils/db.server";
import { requireStaff } from "~/utils/staff-session.server";
import { pageTitle } from "~/utils/page-title";

/**
 * Staff record a bank transfer seen on the creditor's statement: the payment
 * is settled at once and split over the debtor's open invoices. AGENT and
 * OWNER only; another creditor's debtor is a 404.
 */
export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, "title.bo.transfer", { name: data?.debtor.name ?? "" });

const AMOUNT_ERRORS: Record<MoneyInputError, MessageKey> = {
  empty: "transfer.errors.amountRequired",
  format: "transfer.errors.amountFormat",
  negative: "transfer.errors.amountPositive",
  precision: "transfer.errors.amountPrecision",
  too_large: "transfer.errors.amountTooLarge",
};

/** The form, checked on the server; error messages are i18n keys. The amount comes out in minor units. */
function transferSchema(ctx: { currency: string; latestDay: string }) {
  return z.object({
    amount: z.string({ message: "transfer.errors.amountRequired" }).transform((value, check) => {
      const parsed = parseMoneyInput(value, ctx.currency);
      if (!parsed.ok) {
        check.addIssue({ code: "custom", message: AMOUNT_ERRORS[parsed.error] });
        return z.NEVER;
      }
      if (parsed.amount <= 0) {
        check.addIssue({ code: "custom", message: "transfer.errors.amountPositive" });
        return z.NEVER;
      }
      return parsed.amount;
    }),
    receivedOn: z
      .string({ message: "transfer.errors.dateRequired" })
      .refine(
        (v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && isoDay(new Date(`${v}T00:00:00Z`)) === v,
        { message: "transfer.errors.date", abort: true },
      )
      .refine((v) => v <= ctx.latestDay, "transfer.errors.received_in_future"),
    reference: z
      .string({ message: "transfer.errors.referenceRequired" })
      .trim()
      .min(1, "transfer.errors.referenceRequired")
      .max(140, "transfer.errors.tooLong"),
    invoiceIds: z.array(z.string().max(64)).max(500).default([]),
    note: z.string().trim().max(2000, "transfer.errors.tooLong").optional(),
  });
}

async function loadDebtor(request: Request, debtorId: string | undefined) {
  const staff = await requireStaff(request, "AGENT");
  const debtor = await db.debtor.findFirst({
    where: { id: debtorId ?? "", creditorId: staff.creditorId },
    select: {
      id: true,
      name: true,
      transferReference: true,
      invoices: {
        where: { status: { in: ["OPEN", "PARTIALLY_PAID"] } },
        orderBy: [{ dueDate: "asc" }, { number: "asc" }],
        select: { id: true, number: true, dueDate: true, amount: true, amountPaid: true, amountCredited: true, currency: true },
      },
    },
  });
  if (!debtor) throw new Response("Not found", { status: 404 });
  return { staff, debtor, currency: debtor.invoices[0]?.currency ?? "EUR" };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { staff, debtor, currency } = await loadDebtor(request, params.debtorId);
  const today = latestReceivedDay(new Date(), await creditorTimeZone(db, staff.creditorId));
  return json({
    debtor: { id: debtor.id, name: debtor.name, transferReference: debtor.transferReference },
    invoices: debtor.invoices.map((i) => ({
      id: i.id,
      number: i.number,
      dueDate: isoDay(i.dueDate),
      currency: i.currency,
      balance: invoiceBalance(i),
    })),
    currency,
    today,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { staff, debtor, currency } = await loadDebtor(request, params.debtorId);
  const now = new Date();
  const formData = await request.formData();
  const latestDay = latestReceivedDay(now, await creditorTimeZone(db, staff.creditorId));
  const submission = parseWithZod(formData, { schema: transferSchema({ currency, latestDay }) });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const { amount, receivedOn, reference, invoiceIds, note } = submission.value;
  // Money received today is booked now (never a later instant); an earlier day at its start (a statement has no time of day).
  const receivedAt = receivedOn >= isoDay(now) ? now : new Date(`${receivedOn}T00:00:00Z`);
  try {
    const payment = await recordManualPayment(
      db,
      staff,
      { debtorId: debtor.id, amount, receivedAt, reference, note: note ?? null, invoiceIds },
      systemClock,
    );
    return redirect(`/app/debtors/${debtor.id}?transfer=${payment.id}`);
  } catch (error) {
    if (!(error instanceof PaymentError)) throw error;
    if (error.code === "not_found") throw new Response("Not found", { status: 404 });
    const field =
      error.code === "amount_invalid"
        ? "amount"
        : error.code === "received_in_future"
          ? "receivedOn"
          : error.code === "duplicate"
            ? "reference"
            : "invoiceIds";
    const message = error.code === "amount_invalid" ? "transfer.errors.amountPositive" : `transfer.errors.${error.code}`;
    return json(submission.reply({ fieldErrors: { [field]: [message] } }), { status: 400 });
  }
}

export default function RecordTransfer() {
  const { debtor, invoices, currency, today } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const locale = useRootLocale();
  const t = makeT(locale);
  const [form, fields] = useForm<z.input<ReturnType<typeof transferSchema>>>({
    id: "transfer",
    lastResult,
    defaultValue: { receivedOn: today },
    shouldValidate: "onSubmit",
  });
  const err = (errors?: string[]) => (errors?.[0] ? t(errors[0] as MessageKey) : null);
  const described = (hintId: string | null, field: { errors?: string[]; errorId: string }) =>
    [hintId, field.errors ? field.errorId : null].filter(Boolean).join(" ") || undefined;
  const checkboxes = getCollectionProps(fields.invoiceIds, { type: "checkbox", options: invoices.map((i) => i.id) });
  const currencySymbol = currency === "EUR" ? "€" : currency;
  return (
    <div className="stack narrow">
      <p>
        <Link to={`/app/debtors/${debtor.id}`}>← {debtor.name}</Link>
      </p>
      <h1>{t("transfer.title")}</h1>
      <p>{t("transfer.lead", { debtor: debtor.name })}</p>
      <Form method="post" {...getFormProps(form)} className="card">
        {form.errors ? (
          <p className="form-error" role="alert" id={form.errorId}>
            {err(form.errors)}
          </p>
        ) : null}
        <div className="field">
          <label htmlFor={fields.amount.id}>{t("transfer.amount", { currency: currencySymbol })}</label>
          <input
            {...getInputProps(fields.amount, { type: "text" })}
            inputMode="decimal"
            autoComplete="off"
            aria-describedby={described("amount-hint", fields.amount)}
          />
          <p className="muted" id="amount-hint">
            {t("transfer.amountHint")}
          </p>
          {fields.amount.errors ? (
            <p className="field-error" id={fields.amount.errorId}>
              {err(fields.amount.errors)}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor={fields.receivedOn.id}>{t("transfer.receivedOn")}</label>
          <input {...getInputProps(fields.receivedOn, { type: "date" })} max={today} />
          {fields.receivedOn.errors ? (
            <p className="field-error" id={fields.receivedOn.errorId}>
              {err(fields.receivedOn.errors)}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor={fields.reference.id}>{t("transfer.reference")}</label>
          <input
            {...getInputProps(fields.reference, { type: "text" })}
            autoComplete="off"
            maxLength={140}
            aria-describedby={described("reference-hint", fields.reference)}
          />
          <p className="muted" id="reference-hint">
            {t("transfer.referenceHint", { reference: debtor.transferReference })}
          </p>
          {fields.reference.errors ? (
            <p className="field-error" id={fields.reference.errorId}>
              {err(fields.reference.errors)}
            </p>
          ) : null}
        </div>
        {invoices.length === 0 ? (
          <p className="notice">{t("transfer.noOpenInvoices")}</p>
        ) : (
          <fieldset className="field" aria-describedby={described("invoices-hint", fields.invoiceIds)}>
            <legend>{t("transfer.invoices")}</legend>
            <p className="muted" id="invoices-hint">
              {t("transfer.invoicesHint")}
            </p>
            {invoices.map((i, n) => {
              const { key, ...checkbox } = checkboxes[n]!;
              return (
                <label key={i.id} className="check">
                  <input key={key} {...checkbox} />{" "}
                  {t("transfer.invoiceOption", {
                    number: i.number,
                    date: formatDate(i.dueDate, locale),
                    balance: formatAmount(i.balance, i.currency, locale),
                  })}
                </label>
              );
            })}
            {fields.invoiceIds.errors ? (
              <p className="field-error" id={fields.invoiceIds.errorId}>
                {err(fields.invoiceIds.errors)}
              </p>
            ) : null}
          </fieldset>
        )}
        <div className="field">
          <label htmlFor={fields.note.id}>{t("transfer.note")}</label>
          <textarea {...getTextareaProps(fields.note)} rows={3} maxLength={2000} />
          {fields.note.errors ? (
            <p className="field-error" id={fields.note.errorId}>
              {err(fields.note.errors)}
            </p>
          ) : null}
        </div>
        <div className="row">
          <button type="submit" disabled={busy}>
            {t("transfer.submit")}
          </button>
          <Link to={`/app/debtors/${debtor.id}`}>{t("transfer.cancel")}</Link>
        </div>
      </Form>
    </div>
  );
}
