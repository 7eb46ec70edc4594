import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { addDays, isoDay, systemClock } from "~/domain/clock";
import { invoiceBalance, parseMoneyInput } from "~/domain/money";
import { makeT, type MessageKey } from "~/i18n";
import { useRootLocale } from "~/root";
import { sendNotice } from "~/services/messaging/notices.server";
import { makePromise, PromiseError } from "~/services/dunning/promises.server";
import { holdingPromise } from "~/services/portal/promises.server";
import { creditorToday } from "~/services/creditor-clock.server";
import { db } from "~/utils/db.server";
import { requirePortalIdentity } from "~/utils/portal-session.server";
import { pageTitle } from "~/utils/page-title";

const PromiseSchema = z.object({
  date: z.string({ message: "errors.required" }).regex(/^\d{4}-\d{2}-\d{2}$/, "errors.date"),
  amount: z.string({ message: "errors.required" }).trim().min(1, "errors.required"),
});

async function loadInvoice(request: Request, invoiceId: string | undefined) {
  const identity = await requirePortalIdentity(request);
  const invoice = await db.invoice.findFirst({
    where: {
      id: invoiceId ?? "",
      creditorId: identity.creditorId,
      debtorId: identity.debtorId,
      status: { in: ["OPEN", "PARTIALLY_PAID"] },
    },
    select: {
      id: true,
      number: true,
      amount: true,
      amountPaid: true,
      amountCredited: true,
      currency: true,
      creditor: { select: { promiseMaxDays: true } },
    },
  });
  if (!invoice) throw new Response("Not found", { status: 404 });
  // A promise that still holds is not made again: the invoice page repeats its date.
  if (await holdingPromise(db, identity, invoice.id)) throw redirect(`/portal/invoices/${invoice.id}`);
  return { identity, invoice };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { identity, invoice } = await loadInvoice(request, params.invoiceId);
  const today = await creditorToday(db, identity.creditorId, new Date());
  return json({
    number: invoice.number,
    balance: invoiceBalance(invoice),
    maxDays: invoice.creditor.promiseMaxDays,
    min: isoDay(addDays(today, 1)),
    max: isoDay(addDays(today, invoice.creditor.promiseMaxDays)),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { identity, invoice } = await loadInvoice(request, params.invoiceId);
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: PromiseSchema });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const amount = parseMoneyInput(submission.value.amount, invoice.currency);
  if (!amount.ok) {
    const code = amount.error === "negative" ? "errors.notPositive" : "errors.amount";
    return json(submission.reply({ fieldErrors: { amount: [code] } }), { status: 400 });
  }
  const now = new Date();
  try {
    const { promise } = await db.$transaction((tx) =>
      makePromise(
        tx,
        identity,
        { invoiceId: invoice.id, date: new Date(`${submission.value.date}T00:00:00Z`), amount: amount.amount },
        now,
      ),
    );
    await sendNotice(db, {
      creditorId: identity.creditorId,
      debtorId: identity.debtorId,
      invoiceId: invoice.id,
      key: "promise_confirmation",
      extra: { amount: promise.amount, currency: promise.currency, date: promise.promisedAt },
      idempotencyKey: `promise:${promise.id}`,
      clock: systemClock,
    });
  } catch (error) {
    if (error instanceof PromiseError) {
      const field = error.field === "invoiceId" ? "date" : error.field;
      return json(submission.reply({ fieldErrors: { [field]: [`errors.${error.code}`] } }), { status: 400 });
    }
    throw error;
  }
  return redirect(`/portal/invoices/${invoice.id}?sent=promise`);
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageTitle(matches, "promise.title", { number: data?.number ?? "" });

export default function PromiseToPay() {
  const data = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const locale = useRootLocale();
  const t = makeT(locale);
  const [form, fields] = useForm<z.input<typeof PromiseSchema>>({
    lastResult,
    defaultValue: { amount: (data.balance / 100).toFixed(2).replace(".", locale === "fr" ? "," : ".") },
    shouldValidate: "onSubmit",
  });
  const err = (errors?: string[]) => (errors?.[0] ? t(errors[0] as MessageKey, { days: data.maxDays }) : null);
  return (
    <div className="stack narrow">
      <h1>{t("promise.title", { number: data.number })}</h1>
      <p>{t("promise.lead", { days: data.maxDays })}</p>
      <Form method="post" {...getFormProps(form)} className="card">
        <div className="field">
          <label htmlFor={fields.date.id}>{t("promise.date")}</label>
          <input {...getInputProps(fields.date, { type: "date" })} min={data.min} max={data.max} />
          {fields.date.errors ? (
            <p className="field-error" id={fields.date.errorId}>
              {err(fields.date.errors)}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor={fields.amount.id}>{t("promise.amount")}</label>
          <input {...getInputProps(fields.amount, { type: "text" })} inputMode="decimal" autoComplete="off" />
          {fields.amount.errors ? (
            <p className="field-error" id={fields.amount.errorId}>
              {err(fields.amount.errors)}
            </p>
          ) : null}
        </div>
        <button type="submit" disabled={busy}>
          {t("promise.submit")}
        </button>
      </Form>
    </div>
  );
}
