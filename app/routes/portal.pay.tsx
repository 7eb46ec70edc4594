import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useEffect, useState } from "react";
import { DiscountOffer } from "~/components/discount-offer";
import { formatAmount, formatDate } from "~/components/money";
import { parseMoneyInput } from "~/domain/money";
import { formatCreditorReference } from "~/domain/payments/reference";
import { makeT, type MessageKey } from "~/i18n";
import { useRootLocale } from "~/root";
import { PaymentError, type PayMethod } from "~/services/payments/errors.server";
import { describeDiscountOffers } from "~/services/payments/discount.server";
import { getPayOptions, startPayment } from "~/services/payments/start.server";
import { transferPayload, transferQrDataUri } from "~/services/payments/transfer-qr.server";
import { systemClock } from "~/domain/clock";
import { db } from "~/utils/db.server";
import { getLocale } from "~/utils/locale.server";
import { requirePortalIdentity } from "~/utils/portal-session.server";
import { pageTitle } from "~/utils/page-title";

const METHODS: PayMethod[] = ["card", "sepa_debit", "gocardless"];

export async function loader({ request }: LoaderFunctionArgs) {
  const identity = await requirePortalIdentity(request);
  const options = await getPayOptions(db, identity);
  const open = options.invoices.filter((i) => !i.pending);
  const transferTotal = open.reduce((sum, i) => sum + i.toPay, 0);
  const payload = transferPayload({
    name: options.creditor.legalName,
    iban: options.creditor.iban,
    bic: options.creditor.bic,
    amount: transferTotal,
    currency: open[0]?.currency ?? "EUR",
    reference: options.transferReference,
  });
  const transferQr = payload ? await transferQrDataUri(payload) : null;
  // A fresh nonce per page view: a double-submit of this form reuses it, a new visit gets a new one.
  return json(
    {
      ...options,
      discount: describeDiscountOffers(options.discounts, await getLocale(request)),
      transferTotal,
      transferQr,
      attempt: crypto.randomUUID(),
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

type Values = { invoiceIds: string[]; amount: string; method: string };
type ActionData = { values: Values; error: { field: "invoiceIds" | "amount" | "method" | "form"; code: string }; attempt: string };

export async function action({ request }: ActionFunctionArgs) {
  const identity = await requirePortalIdentity(request);
  const form = await request.formData();
  const values: Values = {
    invoiceIds: form.getAll("invoiceIds").map(String).slice(0, 200),
    amount: String(form.get("amount") ?? "").slice(0, 40),
    method: String(form.get("method") ?? ""),
  };
  const attempt = String(form.get("attempt") ?? "");
  const fail = (field: ActionData["error"]["field"], code: string, status = 400) =>
    json<ActionData>({ values, error: { field, code }, attempt: crypto.randomUUID() }, { status });
  if (values.invoiceIds.length === 0) return fail("invoiceIds", "nothing_selected");
  if (!METHODS.includes(values.method as PayMethod)) return fail("method", "nothing_selected");
  let amount: number | null = null;
  if (values.amount.trim()) {
    const parsed = parseMoneyInput(values.amount, "EUR");
    if (!parsed.ok) return fail("amount", "amount_invalid");
    amount = parsed.amount;
  }
  try {
    const { url } = await startPayment(
      db,
      identity,
      { invoiceIds: values.invoiceIds, amount, method: values.method as PayMethod, attempt },
      systemClock,
    );
    return redirect(url);
  } catch (error) {
    if (!(error instanceof PaymentError)) throw error;
    const field =
      error.code.startsWith("amount") || error.code.startsWith("partial")
        ? "amount"
        : error.code === "nothing_selected"
          ? "invoiceIds"
          : "form";
    return fail(field, error.code, error.code === "provider_unavailable" ? 503 : 400);
  }
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "payments.title");

export default function Pay() {
  const { invoices, creditor, transferReference, transferTotal, transferQr, attempt, discount } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as ActionData | undefined;
  const [params] = useSearchParams();
  const busy = useNavigation().state !== "idle";
  const locale = useRootLocale();
  const t = makeT(locale);
  const currency = invoices[0]?.currency ?? "EUR";
  const money = (m: number) => formatAmount(m, currency, locale);
  const preselected = params.getAll("invoice");
  const initial = data?.values.invoiceIds ?? (preselected.length > 0 ? preselected : invoices.filter((i) => !i.pending).map((i) => i.id));
  const [selected, setSelected] = useState<string[]>(initial);
  const [amountText, setAmountText] = useState(data?.values.amount ?? "");
  const total = invoices.filter((i) => selected.includes(i.id)).reduce((s, i) => s + i.toPay, 0);
  // The button states what will be charged: the partial amount typed, else the selection's total.
  const typed = amountText.trim() ? parseMoneyInput(amountText, currency) : null;
  const toPay = typed?.ok ? typed.amount : total;
  const error = data?.error;
  const message = error ? t(`payments.errors.${error.code}` as MessageKey, { min: money(creditor.minPartialAmount) }) : null;

  return (
    <div className="stack narrow">
      <h1>{t("payments.title")}</h1>
      <p>{t("payments.lead")}</p>
      <DiscountOffer offer={discount} />
      {invoices.length === 0 ? (
        <p>{t("portal.nothingDue")}</p>
      ) : (
        <Form method="post" className="card stack" noValidate>
          <input type="hidden" name="attempt" value={data?.attempt ?? attempt} />
          {error?.field === "form" ? (
            <p className="form-error" role="alert">
              {message}
            </p>
          ) : null}
          <fieldset className="field" aria-describedby={error?.field === "invoiceIds" ? "invoices-error" : undefined}>
            <legend>{t("payments.invoices")}</legend>
            {invoices.map((i) => (
              <label key={i.id} className="check">
                <input
                  type="checkbox"
                  name="invoiceIds"
                  value={i.id}
                  disabled={i.pending}
                  checked={selected.includes(i.id)}
                  onChange={(e) => setSelected(e.target.checked ? [...selected, i.id] : selected.filter((id) => id !== i.id))}
                />{" "}
                {i.number} — {formatDate(i.dueDate, locale)} — <strong>{money(i.toPay)}</strong>
                {i.toPay !== i.balance ? <s className="muted"> {money(i.balance)}</s> : null}
                {i.pending ? <span className="muted"> ({t("payments.pendingInvoice")})</span> : null}
              </label>
            ))}
            {error?.field === "invoiceIds" ? (
              <p className="field-error" id="invoices-error">
                {message}
              </p>
            ) : null}
          </fieldset>
          <p aria-live="polite">
            <strong>{money(total)}</strong>
          </p>
          <div className="field">
            <label htmlFor="amount">{t("payments.amount")}</label>
            <input
              id="amount"
              name="amount"
              inputMode="decimal"
              autoComplete="off"
              defaultValue={data?.values.amount ?? ""}
              onChange={(e) => setAmountText(e.target.value)}
              placeholder={(total / 100).toFixed(2).replace(".", locale === "fr" ? "," : ".")}
              aria-invalid={error?.field === "amount" ? true : undefined}
              aria-describedby={`amount-hint${error?.field === "amount" ? " amount-error" : ""}`}
            />
            <p className="muted" id="amount-hint">
              {creditor.allowPartialPayments
                ? t("payments.amountHint", { min: money(creditor.minPartialAmount) })
                : t("payments.amountHintNoPartial")}
            </p>
            {error?.field === "amount" ? (
              <p className="field-error" id="amount-error">
                {message}
              </p>
            ) : null}
          </div>
          <fieldset className="field">
            <legend>{t("payments.method")}</legend>
            {METHODS.map((m, n) => (
              <label key={m} className="check">
                <input type="radio" name="method" value={m} defaultChecked={(data?.values.method ?? "card") === m || (!data && n === 0)} />{" "}
                {t(`payments.method.${m}` as MessageKey)}
              </label>
            ))}
          </fieldset>
          <button type="submit" disabled={busy}>
            {toPay > 0 ? t("payments.submitAmount", { amount: money(toPay) }) : t("payments.submit")}
          </button>
        </Form>
      )}
      <section className="card stack" aria-labelledby="transfer">
        <h2 id="transfer">{t("payments.transfer.title")}</h2>
        {creditor.iban ? (
          <>
            <p>{t("payments.transfer.lead")}</p>
            <dl>
              <div className="pair">
                <dt>{t("payments.transfer.beneficiary")}</dt>
                <dd>{creditor.legalName}</dd>
              </div>
              <div className="pair">
                <dt>{t("payments.transfer.iban")}</dt>
                <dd>
                  <Copyable
                    value={compact(creditor.iban)}
                    shown={groupByFour(creditor.iban)}
                    label={t("payments.copyIban")}
                    done={t("payments.copied")}
                  />
                </dd>
              </div>
              {creditor.bic ? (
                <div className="pair">
                  <dt>{t("payments.transfer.bic")}</dt>
                  <dd>
                    <Copyable value={compact(creditor.bic)} label={t("payments.copyBic")} done={t("payments.copied")} />
                  </dd>
                </div>
              ) : null}
              <div className="pair">
                <dt>{t("payments.transfer.reference")}</dt>
                <dd>
                  <Copyable
                    value={compact(transferReference)}
                    shown={formatCreditorReference(compact(transferReference))}
                    label={t("payments.copyReference")}
                    done={t("payments.copied")}
                  />
                </dd>
              </div>
            </dl>
            {transferQr ? (
              <figure className="transfer-qr">
                <figcaption>
                  <strong>{t("payments.transfer.qrTitle")}</strong>
                </figcaption>
                <img
                  src={transferQr}
                  width={200}
                  height={200}
                  alt={t("payments.transfer.qrAlt", {
                    amount: money(transferTotal),
                    creditor: creditor.legalName,
                    reference: formatCreditorReference(compact(transferReference)),
                  })}
                />
                <p className="muted">{t("payments.transfer.qrHint", { amount: money(transferTotal) })}</p>
              </figure>
            ) : null}
          </>
        ) : (
          <p>{t("payments.transfer.none")}</p>
        )}
      </section>
    </div>
  );
}

const compact = (value: string) => value.replace(/\s+/g, "").toUpperCase();
/** IBANs are read and typed in groups of four, as banks print them. */
const groupByFour = (value: string) => compact(value).replace(/(.{4})(?!$)/g, "$1 ");

/** The value is selectable text without JavaScript; with it, a button (named for what it copies) copies it. */
function Copyable({ value, shown, label, done }: { value: string; shown?: string; label: string; done: string }) {
  const [copied, setCopied] = useState(false);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return (
    <span className="copyable">
      <code className="selectable">{shown ?? value}</code>{" "}
      {hydrated ? (
        <button
          type="button"
          className="link"
          onClick={() =>
            navigator.clipboard?.writeText(value).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {label}
        </button>
      ) : null}
      {copied ? (
        <span role="status" className="muted">
          {" "}
          ✓ {done}
        </span>
      ) : null}
    </span>
  );
}
