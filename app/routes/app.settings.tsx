import { getFormProps, getInputProps, getSelectProps, useForm, type FieldMetadata } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import {
  json,
  unstable_composeUploadHandlers,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  type UploadHandler,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { formatBps } from "~/domain/legal/rates";
import { COMMON_TIME_ZONES, timeZoneChoices } from "~/domain/clock";
import { checkLogo, LOGO_MAX_BYTES, type SettingsInput } from "~/domain/creditor-settings";
import { makeT, type MessageKey } from "~/i18n";
import { useRootLocale } from "~/root";
import { MailboxSettings, type MailboxResult } from "~/components/mailbox-settings";
import { SmsSettings, type SmsHoursResult } from "~/components/sms-settings";
import { readSmsHours, saveSmsHours } from "~/services/messaging/sms-settings.server";
import { MediatorSettings, type MediatorResult } from "~/components/mediator-settings";
import { readConsumerMediator, saveConsumerMediator } from "~/services/mediation/mediator-settings.server";
import { createApiKey, listApiKeys, revokeApiKey } from "~/services/api/keys.server";
import { DiscountSettings, type DiscountSettingResult } from "~/components/discount-settings";
import { readDiscountSetting, saveDiscountSetting } from "~/services/payments/discount.server";
import { readMailboxConnection, saveMailboxConnection } from "~/services/inbound/mailbox.server";
import { removeLogo, replaceLogo } from "~/services/documents/logo.server";
import { contractualRateFloorBps, loadSettings, saveSettings, settingsSchemaFor } from "~/services/backoffice/settings.server";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { requireStaff } from "~/utils/staff-session.server";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "intake.settings.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const [settings, keys, mailbox] = await Promise.all([
    loadSettings(db, staff.creditorId),
    listApiKeys(db, staff.creditorId),
    readMailboxConnection(db, staff.creditorId),
  ]);
  return json({
    mailbox,
    smsHours: await readSmsHours(db, staff.creditorId),
    mediator: await readConsumerMediator(db, staff.creditorId),
    canEdit: staff.role === "OWNER",
    discount: await readDiscountSetting(db, staff.creditorId),
    ...settings,
    floor: formatBps(contractualRateFloorBps(new Date())),
    timeZones: timeZoneChoices(),
    openapiUrl: `${getEnv().APP_URL}/api/v1/openapi.json`,
    keys: keys.map((k) => ({
      ...k,
      createdAt: k.createdAt.toISOString(),
      lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
      revokedAt: k.revokedAt?.toISOString() ?? null,
    })),
  });
}

type Upload = { name: string; bytes: Uint8Array; tooLarge: boolean };

/** Keeps the logo in memory, reading no more than the limit (a bigger one is flagged, not buffered). */
function collectLogo(into: { file: Upload | null }): UploadHandler {
  return async ({ name, filename, data }) => {
    if (name !== "logo") return undefined;
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of data) {
      size += chunk.byteLength;
      if (size <= LOGO_MAX_BYTES) chunks.push(chunk);
    }
    // An empty file input (no logo chosen) sends a part with no name and no bytes.
    if (filename && size > 0) into.file = { name: filename, bytes: Buffer.concat(chunks), tooLarge: size > LOGO_MAX_BYTES };
    return null;
  };
}

/** The settings form is multipart (the logo); a form without a file may come urlencoded. */
async function readForm(request: Request) {
  const upload: { file: Upload | null } = { file: null };
  if (!(request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) return { form: await request.formData(), logo: null };
  const form = await unstable_parseMultipartFormData(
    request,
    unstable_composeUploadHandlers(collectLogo(upload), unstable_createMemoryUploadHandler({ maxPartSize: 64 * 1024 })),
  );
  return { form, logo: upload.file };
}

/** Owners only: settings, and API keys (a new key is shown once, in this answer). */
export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request, "OWNER");
  const { form, logo } = await readForm(request);
  const intent = String(form.get("intent") ?? "save");
  if (intent === "create-key") {
    const created = await createApiKey(db, staff.creditorId, String(form.get("name") ?? ""));
    return json({ intent, created: { name: created.name, key: created.key }, lastResult: null });
  }
  if (intent === "sms-hours") {
    const saved = await saveSmsHours(db, staff.creditorId, {
      start: String(form.get("smsStart") ?? ""),
      end: String(form.get("smsEnd") ?? ""),
      days: form.getAll("smsDays").map(String),
    });
    const smsHours = saved.ok ? { saved: true, fieldErrors: {}, values: { start: "", end: "", days: [] } } : { saved: false, ...saved };
    return json({ intent, created: null, lastResult: null, smsHours }, { status: saved.ok ? 200 : 400 });
  }
  if (intent === "mailbox") {
    // The shared mailbox (IMAP): its own small form; the password is never sent back.
    const { password: _password, ...values } = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string")) as Record<
      string,
      string
    >;
    const saved = await saveMailboxConnection(db, staff.creditorId, { ...values, password: String(form.get("password") ?? "") });
    const mailbox = { saved: saved.ok, fieldErrors: saved.ok ? {} : (saved.fieldErrors as Record<string, string>), values };
    return json({ intent, created: null, lastResult: null, mailbox }, { status: saved.ok ? 200 : 400 });
  }
  if (intent === "mediator") {
    const mediator = await saveConsumerMediator(db, staff.creditorId, form);
    return json({ intent, created: null, lastResult: null, mediator }, { status: mediator.saved ? 200 : 400 });
  }
  if (intent === "discount") {
    const discount = await saveDiscountSetting(db, staff.creditorId, {
      rate: String(form.get("discountRate") ?? "").slice(0, 20),
      days: String(form.get("discountDays") ?? "").slice(0, 10),
    });
    return json({ intent, created: null, lastResult: null, discount }, { status: discount.saved ? 200 : 400 });
  }
  if (intent === "revoke-key") {
    await revokeApiKey(db, staff.creditorId, String(form.get("keyId") ?? ""), new Date());
    return json({ intent, created: null, lastResult: null });
  }
  const { currency } = await loadSettings(db, staff.creditorId);
  const submission = parseWithZod(form, { schema: settingsSchemaFor(currency, new Date()) });
  const logoCheck = logo
    ? logo.tooLarge
      ? ({ ok: false, error: "intake.settings.errors.logoTooLarge" } as const)
      : checkLogo(logo.bytes)
    : null;
  const logoErrors = logoCheck && !logoCheck.ok ? { logo: [logoCheck.error] } : undefined;
  if (submission.status !== "success" || logoErrors) {
    return json({ intent: "save", created: null, lastResult: submission.reply({ fieldErrors: logoErrors }) }, { status: 400 });
  }
  await saveSettings(db, staff.creditorId, submission.value);
  if (logo) await replaceLogo(db, staff.creditorId, logo, new Date());
  else if (form.get("logoRemove") === "on") await removeLogo(db, staff.creditorId);
  return json({ intent: "save", created: null, lastResult: { ...submission.reply(), saved: true } });
}

type Field = FieldMetadata<string | boolean | undefined>;

export default function Settings() {
  const {
    canEdit,
    form: defaults,
    currency,
    floor,
    keys,
    openapiUrl,
    logoUrl,
    timeZones,
    mailbox,
    smsHours,
  } = useLoaderData<typeof loader>();
  const { mediator } = useLoaderData<typeof loader>();
  const { discount } = useLoaderData<typeof loader>();
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
  const logoErrors = lastResult?.error?.logo ?? undefined;

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
      <Form method="post" encType="multipart/form-data" {...getFormProps(form)} className="settings-form">
        <input type="hidden" name="intent" value="save" />
        <fieldset disabled={!canEdit} className="card">
          <legend>{t("intake.settings.profile")}</legend>
          <p className="muted">{t("intake.settings.profileLead")}</p>
          {input("legalName", { autoComplete: "organization" })}
          {input("brandName")}
          <div className="settings-grid">
            {input("siren")}
            {input("siret")}
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
          <div className="settings-grid">
            {input("senderName", { hint: t("intake.settings.senderNameHint") })}
            {input("replyToEmail", { type: "email", hint: t("intake.settings.replyToEmailHint") })}
          </div>
          <div className="settings-grid">
            <div className="field">
              <label htmlFor={fields.defaultLocale.id}>{t("intake.settings.defaultLocale")}</label>
              <select {...getSelectProps(fields.defaultLocale as Field)}>
                <option value="fr">{t("intake.settings.defaultLocale.fr")}</option>
                <option value="en">{t("intake.settings.defaultLocale.en")}</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor={fields.timeZone.id}>{t("intake.settings.timeZone")}</label>
              <select {...getSelectProps(fields.timeZone as Field, { ariaDescribedBy: `${fields.timeZone.id}-hint` })}>
                <optgroup label={t("intake.settings.timeZone.common")}>
                  {timeZones.slice(0, COMMON_TIME_ZONES.length).map((zone) => (
                    <option key={zone} value={zone}>
                      {zone.replaceAll("_", " ")}
                    </option>
                  ))}
                </optgroup>
                <optgroup label={t("intake.settings.timeZone.all")}>
                  {timeZones.slice(COMMON_TIME_ZONES.length).map((zone) => (
                    <option key={zone} value={zone}>
                      {zone.replaceAll("_", " ")}
                    </option>
                  ))}
                </optgroup>
              </select>
              <p className="muted" id={`${fields.timeZone.id}-hint`}>
                {t("intake.settings.timeZoneHint")}
              </p>
              {fields.timeZone.errors ? (
                <p className="field-error" id={fields.timeZone.errorId}>
                  {message(fields.timeZone.errors)}
                </p>
              ) : null}
            </div>
          </div>
          <div className="field">
            <label htmlFor={fields.jurisdiction.id}>{t("intake.settings.jurisdiction")}</label>
            <select {...getSelectProps(fields.jurisdiction as Field)}>
              <option value="FR">{t("intake.settings.jurisdiction.FR")}</option>
              <option value="EU">{t("intake.settings.jurisdiction.EU")}</option>
            </select>
          </div>
          {input("brandColor", { hint: "#1d4ed8" })}
          <div className="field">
            <label htmlFor="logo">{t("intake.settings.logo")}</label>
            {logoUrl ? (
              <figure className="settings-logo">
                <img src={logoUrl} alt={t("intake.settings.logoCurrent")} height={48} />
              </figure>
            ) : (
              <p className="muted">{t("intake.settings.logoNone")}</p>
            )}
            <input
              type="file"
              id="logo"
              name="logo"
              accept="image/png,image/jpeg"
              aria-describedby={logoErrors ? "logo-hint logo-error" : "logo-hint"}
              aria-invalid={logoErrors ? true : undefined}
            />
            <p className="muted" id="logo-hint">
              {t("intake.settings.logoHint")}
            </p>
            {logoErrors ? (
              <p className="field-error" id="logo-error">
                {message(logoErrors)}
              </p>
            ) : null}
            {logoUrl ? (
              <div className="checkbox">
                <input type="checkbox" id="logoRemove" name="logoRemove" />
                <label htmlFor="logoRemove">{t("intake.settings.logoRemove")}</label>
              </div>
            ) : null}
          </div>
        </fieldset>

        <fieldset disabled={!canEdit} className="card">
          <legend>{t("intake.settings.bank")}</legend>
          {input("iban")}
          {input("bic")}
        </fieldset>

        <fieldset disabled={!canEdit} className="card">
          <legend>{t("intake.settings.portal")}</legend>
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
            {input("planOverLimitDownPc", { type: "number", hint: t("intake.settings.planOverLimitDownPcHint") })}
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

      <DiscountSettings
        stored={discount}
        canEdit={canEdit}
        locale={locale}
        result={result && "discount" in result ? (result.discount as DiscountSettingResult) : null}
      />
      <MediatorSettings
        stored={mediator}
        canEdit={canEdit}
        locale={locale}
        result={result && "mediator" in result ? (result.mediator as MediatorResult) : null}
      />
      <SmsSettings
        hours={smsHours}
        canEdit={canEdit}
        locale={locale}
        result={result && "smsHours" in result ? (result.smsHours as SmsHoursResult) : null}
      />
      <MailboxSettings
        connection={mailbox}
        canEdit={canEdit}
        locale={locale}
        result={result && "mailbox" in result ? (result.mailbox as MailboxResult) : null}
      />

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
