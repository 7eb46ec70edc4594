import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { parseRatePercent, parseSemesterKey, semesterOf, type SemesterKey } from "~/domain/legal/rates";
import { makeT, type Locale, type MessageKey } from "~/i18n";
import { useRootLocale } from "~/root";
import { missingRates, ratesOverview, recordSemesterRates, STORED_TABLES, type StoredTable } from "~/services/legal/rates.server";
import { db } from "~/utils/db.server";
import { requireStaff } from "~/utils/staff-session.server";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "bo.rates.title");

const percent = z
  .string()
  .optional()
  .refine((v) => v === undefined || parseRatePercent(v) !== null, { message: "bo.rates.errors.percent" });

/** One semester's values as staff type them: percentages the French way ("2,15") or with a point. */
export const ratesSchema = z
  .object({
    semester: z
      .string({ error: "bo.rates.errors.semester" })
      .refine((v) => parseSemesterKey(v) !== null, { message: "bo.rates.errors.semester" }),
    ECB_MRO: percent,
    FR_LEGAL_PROFESSIONAL: percent,
    FR_LEGAL_CONSUMER: percent,
    source: z
      .string({ error: "bo.rates.errors.source" })
      .trim()
      .min(3, { message: "bo.rates.errors.source" })
      .max(500, { message: "bo.rates.errors.source" }),
  })
  .superRefine((v, ctx) => {
    if (STORED_TABLES.every((table) => v[table] === undefined))
      ctx.addIssue({ code: "custom", path: ["ECB_MRO"], message: "bo.rates.errors.oneValue" });
  });
type RatesForm = z.input<typeof ratesSchema>;

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const now = new Date();
  const [overview, missing] = await Promise.all([ratesOverview(db, staff.creditorId), missingRates(db, staff.creditorId, now)]);
  return json({
    canEdit: staff.role === "OWNER" || staff.role === "AGENT",
    semester: semesterOf(now),
    missing: missing.tables,
    stored: overview.stored.map((r) => ({ ...r, updatedAt: r.updatedAt.toISOString() })),
    code: overview.code,
  });
}

/** Owners and agents: one semester's values, each change traced in the audit trail. */
export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request, "AGENT");
  const submission = parseWithZod(await request.formData(), { schema: ratesSchema });
  if (submission.status !== "success") return json({ lastResult: submission.reply(), changed: null }, { status: 400 });
  const { semester, source, ...typed } = submission.value;
  const values: Partial<Record<StoredTable, number>> = {};
  for (const table of STORED_TABLES) {
    const raw = typed[table];
    if (raw !== undefined) values[table] = parseRatePercent(raw)!;
  }
  const { changed } = await recordSemesterRates(db, {
    creditorId: staff.creditorId,
    userId: staff.userId,
    now: new Date(),
    semester: parseSemesterKey(semester) as SemesterKey,
    values,
    source,
  });
  return json({ lastResult: submission.reply({ resetForm: true }), changed });
}

const formatRate = (bps: number, locale: Locale) =>
  `${(bps / 100).toLocaleString(locale === "fr" ? "fr-FR" : "en-GB", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}\u00a0%`;

export default function Rates() {
  const { canEdit, semester, missing, stored, code } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const locale = useRootLocale();
  const t = makeT(locale);
  const [form, fields] = useForm<RatesForm>({ lastResult: result?.lastResult, defaultValue: { semester }, shouldValidate: "onSubmit" });
  const message = (errors?: string[]) => (errors?.[0] ? t(errors[0] as MessageKey) : null);
  const tableName = (table: string) => t(`bo.rates.table.${table}` as MessageKey);

  const field = (name: keyof RatesForm, label: string, hint?: string) => {
    const f = fields[name];
    return (
      <div className="field">
        <label htmlFor={f.id}>{label}</label>
        <input
          {...getInputProps(f, { type: "text", ariaDescribedBy: hint ? `${f.id}-hint` : undefined })}
          autoComplete="off"
          inputMode={name === "semester" || name === "source" ? undefined : "decimal"}
        />
        {hint ? (
          <p className="muted" id={`${f.id}-hint`}>
            {hint}
          </p>
        ) : null}
        {f.errors ? (
          <p className="field-error" id={f.errorId}>
            {message(f.errors)}
          </p>
        ) : null}
      </div>
    );
  };

  return (
    <div className="stack">
      <h1>{t("bo.rates.title")}</h1>
      <p className="muted">{t("bo.rates.lead")}</p>
      {missing.length > 0 ? (
        <p className="notice" role="status">
          {t("bo.rates.missing", { semester, tables: missing.map(tableName).join(", ") })}
        </p>
      ) : null}
      {!canEdit ? <p className="notice">{t("bo.rates.readOnly")}</p> : null}
      {result?.changed !== null && result?.changed !== undefined ? (
        <p className="success" role="status">
          {t(result.changed > 0 ? "bo.rates.saved" : "bo.rates.unchanged")}
        </p>
      ) : null}

      <Form method="post" {...getFormProps(form)}>
        <fieldset disabled={!canEdit} className="card">
          <legend>{t("bo.rates.form")}</legend>
          {field("semester", t("bo.rates.semester"))}
          {field("ECB_MRO", tableName("ECB_MRO"), t("bo.rates.percentHint"))}
          {field("FR_LEGAL_PROFESSIONAL", tableName("FR_LEGAL_PROFESSIONAL"))}
          {field("FR_LEGAL_CONSUMER", tableName("FR_LEGAL_CONSUMER"))}
          {field("source", t("bo.rates.source"))}
          <button type="submit" disabled={busy}>
            {t("bo.rates.submit")}
          </button>
        </fieldset>
      </Form>

      <section className="card" aria-labelledby="rates-recorded">
        <h2 id="rates-recorded">{t("bo.rates.recorded")}</h2>
        {stored.length === 0 ? (
          <p className="muted">{t("bo.rates.noneRecorded")}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t("bo.rates.col.semester")}</th>
                <th scope="col">{t("bo.rates.col.table")}</th>
                <th scope="col">{t("bo.rates.col.value")}</th>
                <th scope="col">{t("bo.rates.col.source")}</th>
                <th scope="col">{t("bo.rates.col.origin")}</th>
              </tr>
            </thead>
            <tbody>
              {stored.map((r) => (
                <tr key={r.id}>
                  <td>{r.semester}</td>
                  <td>{tableName(r.table)}</td>
                  <td>{formatRate(r.bps, locale)}</td>
                  <td>{r.source}</td>
                  <td>{t(`bo.rates.origin.${r.origin}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="card" aria-labelledby="rates-code">
        <h2 id="rates-code">{t("bo.rates.codeTables")}</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">{t("bo.rates.col.semester")}</th>
              <th scope="col">{t("bo.rates.col.table")}</th>
              <th scope="col">{t("bo.rates.col.value")}</th>
              <th scope="col">{t("bo.rates.col.source")}</th>
            </tr>
          </thead>
          <tbody>
            {code.map((r) => (
              <tr key={`${r.table}-${r.semester}`}>
                <td>{r.semester}</td>
                <td>{tableName(r.table)}</td>
                <td>{formatRate(r.bps, locale)}</td>
                <td>{r.source}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
