import { parseWithZod } from "@conform-to/zod/v4";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { formatAmount, formatDate } from "~/components/money";
import { parseMoneyInput } from "~/domain/money";
import { makeT, type MessageKey } from "~/i18n";
import { useRootLocale } from "~/root";
import { BankError, BankSplitError, confirmBankMatch, type BankMatchPart, type SplitProblem } from "~/services/bank/apply.server";
import {
  bankTransactionForDecision,
  openInvoicesByNumber,
  openInvoicesOfDebtor,
  searchDebtorsForBank,
} from "~/services/bank/decide.server";
import { wakeJob } from "~/services/wake.server";
import { db } from "~/utils/db.server";
import { pageTitle } from "~/utils/page-title";
import { requireStaff } from "~/utils/staff-session.server";

/**
 * One bank credit decided by hand: pick other invoices of a debtor (the
 * amount each takes), or split the transfer across debtors by invoice
 * number. Plain forms; the apply door books it only if the transaction is
 * still waiting (another staff member may have decided it meanwhile).
 */
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "bank.decide.title");

const SPLIT_ROWS = 2;
const MAX_SPLIT_ROWS = 12;

const pickSchema = z.object({
  debtorId: z.string().min(1),
  lines: z.array(z.object({ invoiceId: z.string().min(1), amount: z.string().optional() })).default([]),
});
const splitSchema = z.object({
  parts: z.array(z.object({ number: z.string().optional(), amount: z.string().optional() })).default([]),
});

async function load(request: Request, transactionId: string, role?: "AGENT") {
  const staff = await requireStaff(request, role);
  const decision = await bankTransactionForDecision(db, staff.creditorId, transactionId);
  if (!decision) throw new Response("Not found", { status: 404 });
  return { staff, decision };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { staff, decision } = await load(request, params.transactionId ?? "");
  const url = new URL(request.url);
  const q = url.searchParams.get("q") ?? "";
  const debtorId = url.searchParams.get("debtor") ?? decision.suggestedDebtors[0]?.id ?? "";
  const [found, chosen] = await Promise.all([
    searchDebtorsForBank(db, staff.creditorId, q),
    debtorId ? openInvoicesOfDebtor(db, staff.creditorId, debtorId) : null,
  ]);
  const top = decision.topAllocations;
  const prefill: Record<string, number> =
    top && chosen && top.debtorId === chosen.debtor.id ? Object.fromEntries(top.allocations.map((a) => [a.invoiceId, a.amount])) : {};
  return json({ ...decision, q, found, chosen, prefill });
}

type FieldError = { key: MessageKey; amount?: number };
type Reply = {
  intent: "pick" | "split";
  values: Record<string, string>;
  errors: Record<string, FieldError>;
  rows?: number;
};

const amountError = (error: string): FieldError => ({ key: `bank.decide.error.amount_${error}` as MessageKey });

/** The door's reasons, put next to the field they are about. */
function placeProblems(problems: SplitProblem[], fieldOf: (invoiceId: string) => string | null): Record<string, FieldError> {
  const errors: Record<string, FieldError> = {};
  for (const p of problems) {
    if (p.code === "total_above_transaction") errors.total = { key: "bank.decide.error.total_above_transaction", amount: p.available };
    else if (p.code === "no_invoice") errors.total = { key: "bank.inbox.error.no_invoice" };
    else if (p.code === "debtor_repeated") errors.total = { key: "bank.decide.error.debtor_repeated" };
    else {
      const field = fieldOf(p.invoiceId) ?? "total";
      errors[field] =
        p.code === "amount_above_balance"
          ? { key: "bank.decide.error.amount_above_balance", amount: p.balance }
          : { key: `bank.decide.error.${p.code}` as MessageKey };
    }
  }
  return errors;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { staff, decision } = await load(request, params.transactionId ?? "", "AGENT");
  const { transaction } = decision;
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const values = Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)]));
  const now = new Date();
  const book = async (parts: BankMatchPart[], fieldOf: (invoiceId: string) => string | null, reply: Omit<Reply, "errors">) => {
    try {
      await db.$transaction(
        (tx) => confirmBankMatch(tx, { creditorId: staff.creditorId, transactionId: transaction.id, userId: staff.userId, now, parts }),
        { timeout: 30_000 },
      );
    } catch (error) {
      if (error instanceof BankSplitError) return json<Reply>({ ...reply, errors: placeProblems(error.problems, fieldOf) }, 400);
      if (error instanceof BankError)
        return json<Reply>({ ...reply, errors: { total: { key: `bank.inbox.error.${error.code}` as MessageKey } } }, 409);
      throw error;
    }
    void wakeJob("outbox_send");
    return redirect("/app/bank?applied=1");
  };

  if (intent === "pick") {
    const submission = parseWithZod(form, { schema: pickSchema });
    if (submission.status !== "success")
      return json<Reply>({ intent, values, errors: { total: { key: "bank.inbox.error.no_invoice" } } }, 400);
    const errors: Record<string, FieldError> = {};
    const invoices: { invoiceId: string; amount: number }[] = [];
    const fieldByInvoice = new Map<string, string>();
    submission.value.lines.forEach((line, i) => {
      const field = `lines[${i}].amount`;
      fieldByInvoice.set(line.invoiceId, field);
      if (!line.amount?.trim()) return;
      const parsed = parseMoneyInput(line.amount, transaction.currency);
      if (!parsed.ok) errors[field] = amountError(parsed.error);
      else if (parsed.amount > 0) invoices.push({ invoiceId: line.invoiceId, amount: parsed.amount });
    });
    if (Object.keys(errors).length) return json<Reply>({ intent, values, errors }, 400);
    if (invoices.length === 0) return json<Reply>({ intent, values, errors: { total: { key: "bank.inbox.error.no_invoice" } } }, 400);
    return book([{ debtorId: submission.value.debtorId, invoices }], (id) => fieldByInvoice.get(id) ?? null, { intent, values });
  }

  if (intent === "split" || intent === "split-add-row") {
    const submission = parseWithZod(form, { schema: splitSchema });
    const rows = submission.status === "success" ? submission.value.parts : [];
    const count = Math.max(SPLIT_ROWS, Number(form.get("rows") ?? SPLIT_ROWS) || SPLIT_ROWS);
    if (intent === "split-add-row") return json<Reply>({ intent: "split", values, errors: {}, rows: Math.min(MAX_SPLIT_ROWS, count + 1) });
    const found = await openInvoicesByNumber(
      db,
      staff.creditorId,
      rows.map((r) => r.number ?? ""),
    );
    const errors: Record<string, FieldError> = {};
    const parts = new Map<string, BankMatchPart>();
    const fieldByInvoice = new Map<string, string>();
    rows.forEach((row, i) => {
      const number = row.number?.trim() ?? "";
      const amountText = row.amount?.trim() ?? "";
      if (!number && !amountText) return;
      const invoice = number ? found.get(number.toLowerCase()) : undefined;
      if (!number) errors[`parts[${i}].number`] = { key: "bank.decide.error.number_missing" };
      else if (!invoice) errors[`parts[${i}].number`] = { key: "bank.decide.error.number_unknown" };
      else if (fieldByInvoice.has(invoice.id)) errors[`parts[${i}].number`] = { key: "bank.decide.error.number_twice" };
      const parsed = parseMoneyInput(amountText, transaction.currency);
      if (!parsed.ok) errors[`parts[${i}].amount`] = amountError(parsed.error);
      else if (parsed.amount === 0) errors[`parts[${i}].amount`] = amountError("zero");
      if (!invoice || !parsed.ok || parsed.amount === 0 || errors[`parts[${i}].number`]) return;
      fieldByInvoice.set(invoice.id, `parts[${i}].amount`);
      const part = parts.get(invoice.debtorId) ?? { debtorId: invoice.debtorId, invoices: [] };
      part.invoices.push({ invoiceId: invoice.id, amount: parsed.amount });
      parts.set(invoice.debtorId, part);
    });
    const reply = { intent: "split" as const, values, rows: count };
    if (Object.keys(errors).length) return json<Reply>({ ...reply, errors }, 400);
    if (parts.size === 0) return json<Reply>({ ...reply, errors: { total: { key: "bank.inbox.error.no_invoice" } } }, 400);
    return book([...parts.values()], (id) => fieldByInvoice.get(id) ?? null, reply);
  }
  throw new Response("Unknown action", { status: 400 });
}

export default function DecideBankTransaction() {
  const { transaction, decidable, suggestedDebtors, q, found, chosen, prefill } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as Reply | undefined;
  const locale = useRootLocale();
  const t = makeT(locale);
  const money = (minor: number) => formatAmount(minor, transaction.currency, locale);
  const pick = reply?.intent === "pick" ? reply : undefined;
  const split = reply?.intent === "split" ? reply : undefined;
  const message = (e: FieldError | undefined) => (e ? t(e.key, e.amount !== undefined ? { amount: money(e.amount) } : undefined) : null);
  const ErrorFor = (props: { reply: Reply | undefined; field: string; id: string }) => {
    const text = message(props.reply?.errors[props.field]);
    return text ? (
      <p className="field-error" id={props.id}>
        {text}
      </p>
    ) : null;
  };
  const described = (r: Reply | undefined, field: string, id: string) => (r?.errors[field] ? id : undefined);
  const rows = split?.rows ?? SPLIT_ROWS;

  return (
    <main id="main" className="stack">
      <p>
        <Link to="/app/bank">{t("bank.decide.back")}</Link>
      </p>
      <h1>{t("bank.decide.title")}</h1>
      <p>
        <strong>{money(transaction.amount)}</strong> · {formatDate(transaction.bookingDate, locale)} · {transaction.counterpartyName ?? ""}
        {transaction.counterpartyIban ? ` · ${transaction.counterpartyIban}` : ""} · {transaction.structuredRef ?? transaction.remittance}
      </p>
      {!decidable ? <p role="status">{t("bank.inbox.error.already_decided")}</p> : null}

      <section aria-labelledby="pick">
        <h2 id="pick">{t("bank.decide.pick.title")}</h2>
        <p>{t("bank.decide.pick.lead")}</p>
        {suggestedDebtors.length ? (
          <p>
            {t("bank.decide.pick.suggested")}{" "}
            {suggestedDebtors.map((d, i) => (
              <span key={d.id}>
                {i > 0 ? ", " : ""}
                <Link to={`?debtor=${encodeURIComponent(d.id)}`}>{d.name}</Link>
              </span>
            ))}
          </p>
        ) : null}
        <Form method="get">
          <label htmlFor="q">{t("bank.decide.pick.search")}</label>
          <input id="q" name="q" type="search" defaultValue={q} />
          <button type="submit" className="secondary">
            {t("bank.decide.pick.searchSubmit")}
          </button>
        </Form>
        {q ? (
          found.length ? (
            <ul>
              {found.map((d) => (
                <li key={d.id}>
                  <Link to={`?q=${encodeURIComponent(q)}&debtor=${encodeURIComponent(d.id)}`}>
                    {d.name} ({d.externalRef})
                  </Link>
                </li>
              ))}
            </ul>
          ) : (
            <p>{t("bank.decide.pick.noDebtor")}</p>
          )
        ) : null}
        {chosen ? (
          <Form method="post">
            <input type="hidden" name="debtorId" value={chosen.debtor.id} />
            <h3>{t("bank.decide.pick.invoicesOf", { debtor: chosen.debtor.name })}</h3>
            {chosen.invoices.length === 0 ? <p>{t("bank.decide.pick.noInvoice")}</p> : null}
            {chosen.invoices.map((invoice, i) => {
              const field = `lines[${i}].amount`;
              const id = `pick-${i}`;
              const other = invoice.currency !== transaction.currency;
              return (
                <div className="field" key={invoice.id}>
                  <input type="hidden" name={`lines[${i}].invoiceId`} value={invoice.id} />
                  <label htmlFor={id}>
                    {t("bank.decide.pick.amountFor", {
                      number: invoice.number,
                      balance: formatAmount(invoice.balance, invoice.currency, locale),
                      date: formatDate(invoice.dueDate, locale),
                    })}
                  </label>
                  <input
                    id={id}
                    name={field}
                    inputMode="decimal"
                    disabled={other}
                    defaultValue={
                      pick?.values[field] ??
                      (prefill[invoice.id] !== undefined ? (prefill[invoice.id]! / 100).toFixed(2).replace(".", ",") : "")
                    }
                    aria-invalid={pick?.errors[field] ? true : undefined}
                    aria-describedby={described(pick, field, `${id}-error`)}
                  />
                  {other ? <p className="muted">{t("bank.decide.error.currency_mismatch")}</p> : null}
                  <ErrorFor reply={pick} field={field} id={`${id}-error`} />
                </div>
              );
            })}
            <ErrorFor reply={pick} field="total" id="pick-total-error" />
            <button type="submit" name="intent" value="pick" disabled={!decidable || chosen.invoices.length === 0}>
              {t("bank.decide.pick.submit")}
            </button>
          </Form>
        ) : null}
      </section>

      <section aria-labelledby="split">
        <h2 id="split">{t("bank.decide.split.title")}</h2>
        <p>{t("bank.decide.split.lead", { amount: money(transaction.amount) })}</p>
        <Form method="post">
          <input type="hidden" name="rows" value={rows} />
          {Array.from({ length: rows }, (_, i) => {
            const numberField = `parts[${i}].number`;
            const amountField = `parts[${i}].amount`;
            return (
              <fieldset key={i}>
                <legend>{t("bank.decide.split.part", { n: i + 1 })}</legend>
                <div className="field">
                  <label htmlFor={`split-${i}-number`}>{t("bank.decide.split.number")}</label>
                  <input
                    id={`split-${i}-number`}
                    name={numberField}
                    defaultValue={split?.values[numberField] ?? ""}
                    aria-invalid={split?.errors[numberField] ? true : undefined}
                    aria-describedby={described(split, numberField, `split-${i}-number-error`)}
                  />
                  <ErrorFor reply={split} field={numberField} id={`split-${i}-number-error`} />
                </div>
                <div className="field">
                  <label htmlFor={`split-${i}-amount`}>{t("bank.decide.split.amount")}</label>
                  <input
                    id={`split-${i}-amount`}
                    name={amountField}
                    inputMode="decimal"
                    defaultValue={split?.values[amountField] ?? ""}
                    aria-invalid={split?.errors[amountField] ? true : undefined}
                    aria-describedby={described(split, amountField, `split-${i}-amount-error`)}
                  />
                  <ErrorFor reply={split} field={amountField} id={`split-${i}-amount-error`} />
                </div>
              </fieldset>
            );
          })}
          <ErrorFor reply={split} field="total" id="split-total-error" />
          {rows < MAX_SPLIT_ROWS ? (
            <button type="submit" name="intent" value="split-add-row" className="secondary" formNoValidate>
              {t("bank.decide.split.addRow")}
            </button>
          ) : null}
          <button type="submit" name="intent" value="split" disabled={!decidable}>
            {t("bank.decide.split.submit")}
          </button>
        </Form>
      </section>
    </main>
  );
}
