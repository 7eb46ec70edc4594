import { parseWithZod } from "@conform-to/zod/v4";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { previewCsv, type CsvColumnMapping, type CsvDateFormat } from "~/domain/bank/csv";
import { StatementParseError } from "~/domain/bank/types";
import { makeT, type MessageKey } from "~/i18n";
import { useRootLocale } from "~/root";
import { mapAndReprocess, statementFile } from "~/services/bank/imports.server";
import { db } from "~/utils/db.server";
import { pageTitle } from "~/utils/page-title";
import { requireStaff } from "~/utils/staff-session.server";

/**
 * A bank CSV without a saved column mapping: its first rows, and a form
 * saying which column is which. Saving keeps the mapping for the next
 * statements and runs the file again; a line that still cannot be read is
 * named next to the form, with the values kept.
 */
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "bank.mapping.title");

const DATE_FORMATS = [
  "DD/MM/YYYY",
  "DD-MM-YYYY",
  "DD.MM.YYYY",
  "DD/MM/YY",
  "YYYY-MM-DD",
  "MM/DD/YYYY",
] as const satisfies readonly CsvDateFormat[];
type Column = "date" | "valueDate" | "amount" | "credit" | "debit" | "label" | "counterparty" | "iban" | "reference";

function mappingSchema(headers: string[]) {
  // Every column is checked in one pass (superRefine), so all the missing ones are said at once.
  const column = z.string().optional();
  return z
    .object({
      name: z.string({ error: "bank.mapping.error.requiredText" }).trim().min(1, "bank.mapping.error.requiredText").max(100),
      date: column,
      valueDate: column,
      amountMode: z.enum(["signed", "split"]),
      amount: column,
      credit: column,
      debit: column,
      label: column,
      counterparty: column,
      iban: column,
      reference: column,
      dateFormat: z.enum(DATE_FORMATS),
      decimalSeparator: z.enum([",", "."]),
      accountId: z.string({ error: "bank.mapping.error.requiredText" }).trim().min(1, "bank.mapping.error.requiredText").max(64),
      currency: z
        .string({ error: "bank.mapping.error.currency" })
        .trim()
        .toUpperCase()
        .regex(/^[A-Z]{3}$/, "bank.mapping.error.currency"),
    })
    .superRefine((v, ctx) => {
      const required: Column[] = ["date", "label", ...(v.amountMode === "signed" ? (["amount"] as const) : (["credit", "debit"] as const))];
      const all: Column[] = ["date", "valueDate", "amount", "credit", "debit", "label", "counterparty", "iban", "reference"];
      for (const field of all) {
        const value = v[field];
        if ((required.includes(field) && !value) || (value && !headers.includes(value)))
          ctx.addIssue({ code: "custom", path: [field], message: "bank.mapping.error.required" });
      }
    });
}

async function load(request: Request, importId: string, role?: "AGENT") {
  const staff = await requireStaff(request, role);
  const held = await statementFile(db, staff.creditorId, importId);
  if (!held?.row.needsMapping) throw redirect("/app/bank");
  let preview: ReturnType<typeof previewCsv>;
  try {
    preview = previewCsv(held.bytes);
  } catch (error) {
    if (error instanceof StatementParseError) preview = { delimiter: ",", headers: [], rows: [] };
    else throw error;
  }
  return { staff, held, preview };
}

/** A first guess from the header names, so a usual French export needs few changes. */
function guess(headers: string[]): Partial<Record<Column, string>> {
  const find = (re: RegExp) => headers.find((h) => re.test(h.normalize("NFKD").replace(/[\u0300-\u036f]/g, "")));
  return {
    date: find(/^date( (d'?)?operation| comptable)?$|booking/i) ?? find(/date/i),
    valueDate: find(/valeur|value/i),
    amount: find(/^montant|amount/i),
    credit: find(/credit/i),
    debit: find(/debit/i),
    label: find(/libelle|label|description|motif/i),
    counterparty: find(/tiers|payeur|beneficiaire|counterparty|name|nom/i),
    iban: find(/iban/i),
    reference: find(/reference|ref\b/i),
  };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { held, preview } = await load(request, params.importId ?? "");
  const guessed = guess(preview.headers);
  return json({
    fileName: held.row.fileName,
    error: held.row.error,
    preview,
    defaults: {
      ...guessed,
      amountMode: guessed.amount || !(guessed.credit && guessed.debit) ? "signed" : "split",
      name: held.row.fileName.replace(/\.[^.]+$/, "").slice(0, 100) || "CSV",
      dateFormat: "DD/MM/YYYY",
      decimalSeparator: ",",
      currency: "EUR",
      accountId: "",
    } as Record<string, string | undefined>,
  });
}

type Reply = { values: Record<string, string>; errors: Record<string, string[] | null>; fileError?: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const { staff, preview } = await load(request, params.importId ?? "", "AGENT");
  const form = await request.formData();
  const values = Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)]));
  const submission = parseWithZod(form, { schema: mappingSchema(preview.headers) });
  if (submission.status !== "success") return json<Reply>({ values, errors: submission.reply().error ?? {} }, 400);
  const v = submission.value;
  const columns: CsvColumnMapping = {
    date: v.date!,
    label: v.label!,
    decimalSeparator: v.decimalSeparator,
    dateFormat: v.dateFormat,
    accountId: v.accountId.replace(/\s+/g, "").toUpperCase(),
    currency: v.currency,
    delimiter: preview.delimiter as CsvColumnMapping["delimiter"],
    ...(v.valueDate ? { valueDate: v.valueDate } : {}),
    ...(v.counterparty ? { counterparty: v.counterparty } : {}),
    ...(v.iban ? { iban: v.iban } : {}),
    ...(v.reference ? { reference: v.reference } : {}),
    ...(v.amountMode === "signed" ? { amount: v.amount! } : { credit: v.credit!, debit: v.debit! }),
  };
  const done = await mapAndReprocess(db, {
    creditorId: staff.creditorId,
    importId: params.importId ?? "",
    name: v.name,
    columns,
    now: () => new Date(),
  });
  if (!done) return json<Reply>({ values, errors: {}, fileError: "bank.mapping.error.gone" }, 409);
  // The file still cannot be read with this mapping: the parser names the line and the column.
  if (done.status === "FAILED") return json<Reply>({ values, errors: {}, fileError: done.error ?? "" }, 422);
  return redirect("/app/bank");
}

export default function CsvMappingPage() {
  const { fileName, error, preview, defaults } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as Reply | undefined;
  const locale = useRootLocale();
  const t = makeT(locale);
  const value = (name: string) => reply?.values[name] ?? defaults[name] ?? "";
  const errorOf = (name: string) => reply?.errors[name]?.[0];
  const ErrorFor = ({ name }: { name: string }) =>
    errorOf(name) ? (
      <p className="field-error" id={`${name}-error`}>
        {t(errorOf(name) as MessageKey)}
      </p>
    ) : null;
  const aria = (name: string) =>
    errorOf(name) ? { "aria-invalid": true as const, "aria-describedby": `${name}-error` } : ({} as Record<string, never>);
  const fileError = reply?.fileError ?? (!reply && error && !/mapping/i.test(error) ? error : undefined);
  const ColumnSelect = ({ name, optional = false }: { name: Column; optional?: boolean }) => (
    <div className="field">
      <label htmlFor={name}>{t(`bank.mapping.${name}` as MessageKey)}</label>
      <select id={name} name={name} defaultValue={value(name)} {...aria(name)}>
        <option value="">{optional ? t("bank.mapping.none") : "—"}</option>
        {preview.headers.map((h) => (
          <option key={h} value={h}>
            {h}
          </option>
        ))}
      </select>
      <ErrorFor name={name} />
    </div>
  );

  return (
    <main id="main" className="stack">
      <p>
        <Link to="/app/bank">{t("bank.decide.back")}</Link>
      </p>
      <h1>{t("bank.mapping.title")}</h1>
      <p>
        {fileName} — {t("bank.mapping.lead")}
      </p>
      {fileError ? (
        <p className="form-error" role="alert">
          {fileError.startsWith("bank.") ? t(fileError as MessageKey) : t("bank.mapping.error.file", { error: fileError })}
        </p>
      ) : null}
      <section aria-labelledby="preview">
        <h2 id="preview">{t("bank.mapping.preview")}</h2>
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                {preview.headers.map((h, i) => (
                  <th key={i} scope="col">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {preview.rows.map((row, r) => (
                <tr key={r}>
                  {preview.headers.map((_, c) => (
                    <td key={c}>{row[c] ?? ""}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <Form method="post" className="stack">
        <div className="field">
          <label htmlFor="name">{t("bank.mapping.name")}</label>
          <input id="name" name="name" defaultValue={value("name")} {...aria("name")} />
          <ErrorFor name="name" />
        </div>
        <ColumnSelect name="date" />
        <ColumnSelect name="valueDate" optional />
        <fieldset>
          <legend>{t("bank.mapping.amountMode")}</legend>
          {(["signed", "split"] as const).map((mode) => (
            <label key={mode}>
              <input type="radio" name="amountMode" value={mode} defaultChecked={value("amountMode") === mode} />{" "}
              {t(`bank.mapping.amountMode.${mode}`)}
            </label>
          ))}
          <ColumnSelect name="amount" optional />
          <ColumnSelect name="credit" optional />
          <ColumnSelect name="debit" optional />
        </fieldset>
        <ColumnSelect name="label" />
        <ColumnSelect name="counterparty" optional />
        <ColumnSelect name="iban" optional />
        <ColumnSelect name="reference" optional />
        <div className="field">
          <label htmlFor="dateFormat">{t("bank.mapping.dateFormat")}</label>
          <select id="dateFormat" name="dateFormat" defaultValue={value("dateFormat")}>
            {DATE_FORMATS.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="decimalSeparator">{t("bank.mapping.decimalSeparator")}</label>
          <select id="decimalSeparator" name="decimalSeparator" defaultValue={value("decimalSeparator")}>
            <option value=",">{t("bank.mapping.decimal.comma")}</option>
            <option value=".">{t("bank.mapping.decimal.point")}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="accountId">{t("bank.mapping.accountId")}</label>
          <input id="accountId" name="accountId" defaultValue={value("accountId")} {...aria("accountId")} />
          <ErrorFor name="accountId" />
        </div>
        <div className="field">
          <label htmlFor="currency">{t("bank.mapping.currency")}</label>
          <input id="currency" name="currency" defaultValue={value("currency")} maxLength={3} {...aria("currency")} />
          <ErrorFor name="currency" />
        </div>
        <button type="submit">{t("bank.mapping.submit")}</button>
      </Form>
    </main>
  );
}
