import { getFormProps, getInputProps, getSelectProps, useForm, type FieldMetadata } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { formatBps } from "~/domain/legal/rates";
import type { SettingsInput } from "~/domain/creditor-settings";
import { makeT, type MessageKey } from "~/i18n";
import { useRootLocale } from "~/root";
import { createApiKey, listApiKeys, revokeApiKey } from "~/services/api/keys.server";
import { contractualRateFloorBps, loadSettings, saveSettings, settingsSchemaFor } from "~/services/backoffice/settings.server";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { requireStaff } from "~/utils/staff-session.server";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "intake.settings.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const [settings, keys] = await Promise.all([loadSettings(db, staff.creditorId), listApiKeys(db, staff.creditorId)]);
  return json({
    canEdit: staff.role === "OWNER",
    ...settings,
    floor: formatBps(contractualRateFloorBps(new Date())),
    openapiUrl: `${getEnv().APP_URL}/api/v1/openapi.json`,
    keys: keys.map((k) => ({
      ...k,
      createdAt: k.createdAt.toISOString(),
      lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
      revokedAt: k.revokedAt?.toISOString() ?? null,
    })),
  });
}

/** Owners only: settings, and API keys (a new key is shown once, in this answer). */
export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request, "OWNER");
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "save");
  if (intent === "create-key") {
    const created = await createApiKey(db, staff.creditorId, String(form.get("name") ?? ""));
    return json({ intent, created: { name: created.name, key: created.key }, lastResult: null });
  }
  if (intent === "revoke-key") {
    await revokeApiKey(db, staff.creditorId, String(form.get("keyId") ?? ""), new Date());
    return json({ intent, created: null, lastResult: null });
  }
  const { currency } = await loadSettings(db, staff.creditorId);
  const submission = parseWithZod(form, { schema: settingsSchemaFor(currency, new Date()) });
  if (submission.status !== "success") return json({ intent: "save", created: null, lastResult: submission.reply() }, { status: 400 });
  await saveSettings(db, staff.creditorId, submission.value);
  return json({ intent: "save", created: null, lastResult: { ...submission.reply(), saved: true } });
}

type Field = FieldMetadata<string | boolean | undefined>;

export default function Settings() {
  const { canEdit, form: defaults, currency, floor, keys, openapiUrl } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const locale = useRootLocale();
  const t = makeT(locale);
  const lastResult = result?.intent === "save" ? result.lastResult : undefined;
  const [form, fields] = useForm<SettingsInput>({
    lastResult,
    defaultValue: defaults as Record<string, unknown>,
    shouldValidate: "onSubmit",
  });
  const message = (errors?: string[]) => (errors?.[0] ? t(errors[0] as MessageKey, { floor }) : null);

  const input = (
    name: keyof SettingsInput,
    opts: { type?: "text" | "email" | "number" | "color"; label?: string; hint?: string; autoComplete?: string } = {},
  ) => {
    const field = fields[name] as Field;
    return (
      <div className="field">
        <label htmlFor={field.id}>{opts.label ?? t(`intake.settings.${name}` as MessageKey, { currency })}</label>
        <input
          {...getInputProps(field, { type: opts.type ?? "text", ariaDescribedBy: opts.hint ? `${field.id}-hint` : undefined })}
          autoComplete={opts.autoComplete ?? "off"}
        />
        {opts.hint ? (
          <p className="muted" id={`${field.id}-hint`}>
            {opts.hint}
          </p>
        ) : null}
        {field.errors ? (
          <p className="field-error" id={field.errorId}>
            {message(field.errors)}
          </p>
        ) : null}
      </div>
    );
  };
  const mode = fields.lateInterestMode as Field;

  return (
    <div className="stack">
      <h1>{t("intake.settings.title")}</h1>
      {!canEdit ? <p className="notice">{t("intake.settings.readOnly")}</p> : null}
      {lastResult && "saved" in lastResult ? (
        <p className="success" role="status">
          {t("intake.settings.saved")}
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="settings-form">
        <input type="hidden" name="intent" value="save" />
        <fieldset disabled={!canEdit} className="card">
          <legend>{t("intake.settings.identity")}</legend>
          {input("legalName", { autoComplete: "organization" })}
          {input("brandName")}
          <div className="settings-grid">
            {input("siren")}
            {input("vatNumber")}
          </div>
          <div className="settings-grid">
            {input("legalForm")}
            {input("shareCapital")}
            {input("rcsCity")}
          </div>
          <div className="settings-grid">
            {input("signatoryName")}
            {input("signatoryRole")}
          </div>
          {input("legalRepresentative")}
          {input("addressLine1", { autoComplete: "address-line1" })}
          {input("addressLine2", { autoComplete: "address-line2" })}
          <div className="settings-grid">
            {input("postalCode", { autoComplete: "postal-code" })}
            {input("city", { autoComplete: "address-level2" })}
            {input("country")}
          </div>
          {input("contactEmail", { type: "email", autoComplete: "email" })}
          <div className="field">
            <label htmlFor={fields.jurisdiction.id}>{t("intake.settings.jurisdiction")}</label>
            <select {...getSelectProps(fields.jurisdiction as Field)}>
              <option value="FR">{t("intake.settings.jurisdiction.FR")}</option>
              <option value="EU">{t("intake.settings.jurisdiction.EU")}</option>
            </select>
          </div>
        </fieldset>

        <fieldset disabled={!canEdit} className="card">
          <legend>{t("intake.settings.bank")}</legend>
          {input("iban")}
          {input("bic")}
        </fieldset>

        <fieldset disabled={!canEdit} className="card">
          <legend>{t("intake.settings.portal")}</legend>
          {input("brandColor", { hint: "#1d4ed8" })}
          {input("portalLinkDays", { type: "number" })}
        </fieldset>

        <fieldset disabled={!canEdit} className="card">
          <legend>{t("intake.settings.plans")}</legend>
          <div className="settings-grid">
            {input("planMaxInstallments", { type: "number" })}
            {input("planMaxMonths", { type: "number" })}
            {input("planMinInstallment")}
            {input("planMinDownPaymentPc", { type: "number" })}
            {input("planGraceDays", { type: "number" })}
          </div>
        </fieldset>

        <fieldset disabled={!canEdit} className="card">
          <legend>{t("intake.settings.payments")}</legend>
          <div className="field checkbox">
            <input {...getInputProps(fields.allowPartialPayments as Field, { type: "checkbox" })} />
            <label htmlFor={fields.allowPartialPayments.id}>{t("intake.settings.allowPartialPayments")}</label>
          </div>
          {input("minPartialAmount")}
          {input("promiseMaxDays", { type: "number" })}
        </fieldset>

        <fieldset disabled={!canEdit} className="card">
          <legend>{t("intake.settings.interest")}</legend>
          <fieldset className="field">
            <legend>{t("intake.settings.lateInterestMode")}</legend>
            {(["legal", "contractual"] as const).map((value) => (
              <div key={value} className="checkbox">
                <input
                  type="radio"
                  id={`${mode.id}-${value}`}
                  name={mode.name}
                  value={value}
                  defaultChecked={(mode.initialValue ?? defaults.lateInterestMode) === value}
                />
                <label htmlFor={`${mode.id}-${value}`}>{t(`intake.settings.lateInterest.${value}`)}</label>
              </div>
            ))}
          </fieldset>
          {input("lateInterestRate", { hint: t("intake.settings.lateInterestHint", { floor }) })}
        </fieldset>

        {canEdit ? (
          <button type="submit" disabled={busy}>
            {t("intake.settings.save")}
          </button>
        ) : null}
      </Form>

      <section aria-labelledby="api-keys" className="card stack">
        <h2 id="api-keys">{t("intake.keys.title")}</h2>
        <p className="muted">{t("intake.keys.lead", { url: openapiUrl })}</p>
        {result?.created ? (
          <div className="success" role="status">
            <p>{t("intake.keys.created")}</p>
            <code className="api-key">{result.created.key}</code>
          </div>
        ) : null}
        {keys.length === 0 ? <p className="muted">{t("intake.keys.none")}</p> : null}
        {keys.length > 0 ? (
          <table className="responsive">
            <thead>
              <tr>
                <th>{t("intake.keys.name")}</th>
                <th>{t("intake.keys.prefix")}</th>
                <th>{t("intake.keys.lastUsed")}</th>
                <th>
                  <span className="visually-hidden">{t("intake.keys.revoke")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k.id}>
                  <td data-label={t("intake.keys.name")}>{k.name}</td>
                  <td data-label={t("intake.keys.prefix")}>
                    <code>rl_{k.prefix}_…</code>
                  </td>
                  <td data-label={t("intake.keys.lastUsed")}>
                    {k.lastUsedAt ? new Date(k.lastUsedAt).toLocaleString(locale) : t("intake.keys.never")}
                  </td>
                  <td>
                    {k.revokedAt ? (
                      <span className="muted">{t("intake.keys.revoked", { date: new Date(k.revokedAt).toLocaleDateString(locale) })}</span>
                    ) : canEdit ? (
                      <Form method="post">
                        <input type="hidden" name="intent" value="revoke-key" />
                        <input type="hidden" name="keyId" value={k.id} />
                        <button type="submit" className="link">
                          {t("intake.keys.revoke")}
                        </button>
                      </Form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {canEdit ? (
          <Form method="post" className="row">
            <input type="hidden" name="intent" value="create-key" />
            <label htmlFor="key-name" className="visually-hidden">
              {t("intake.keys.name")}
            </label>
            <input id="key-name" name="name" placeholder={t("intake.keys.name")} maxLength={100} required />
            <button type="submit" disabled={busy}>
              {t("intake.keys.create")}
            </button>
          </Form>
        ) : null}
      </section>
    </div>
  );
}
