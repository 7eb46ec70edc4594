import { getFormProps, getInputProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { formatDateTime } from "~/components/money";
import { useCreditorTimeZone } from "./app";
import type { Tone } from "~/domain/dunning";
import { joinParagraphs, parseWording, PLACEHOLDER_NAMES, WORDING_PLACEHOLDERS, type WordingLocale } from "~/domain/dunning/wording";
import { LOCALES, makeT, type Locale, type MessageKey } from "~/i18n";
import { levelLabel } from "~/i18n/labels";
import { useRootLocale } from "~/root";
import {
  isWordedTemplate,
  previewDunningEmail,
  resetWording,
  saveWording,
  starterWording,
  wordingsOf,
  type WordingKey,
} from "~/services/messaging/wording.server";
import { db } from "~/utils/db.server";
import { pageTitle } from "~/utils/page-title";
import { hasRole, requireStaff } from "~/utils/staff-session.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "wording.meta");

const TONES = ["CORDIAL", "STANDARD", "FIRM"] as const satisfies readonly Tone[];

/** An error is a message key, with its values after "::" (the placeholder typed, the limit). */
const encode = (key: string, vars: Record<string, string | number> = {}) => `${key}::${JSON.stringify(vars)}`;

/** The form of one language; the rules themselves are parseWording's, reported next to the field they concern. */
export const wordingSchema = z
  .object({
    locale: z.enum(["fr", "en"]),
    subject: z.string().optional(),
    body: z.string().optional(),
  })
  .transform((value, ctx) => {
    const parsed = parseWording(value);
    if (parsed.ok) return { locale: value.locale, ...parsed.wording };
    for (const error of parsed.errors) {
      const vars: Record<string, string | number> = {};
      if (error.placeholder) vars.placeholder = error.placeholder;
      if (error.max) vars.max = error.max;
      ctx.addIssue({ code: "custom", path: [error.field], message: encode(`wording.errors.${error.code}`, vars) });
    }
    return z.NEVER;
  });

async function load(request: Request, params: LoaderFunctionArgs["params"], role: "VIEWER" | "AGENT") {
  const staff = await requireStaff(request, role);
  const templateKey = params.templateKey ?? "";
  const tone = (params.tone ?? "").toUpperCase();
  if (!isWordedTemplate(templateKey) || !(TONES as readonly string[]).includes(tone)) throw new Response("Not found", { status: 404 });
  const key: WordingKey = { creditorId: staff.creditorId, templateKey, tone: tone as Tone };
  return { staff, key };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { staff, key } = await load(request, params, "VIEWER");
  const now = new Date();
  const [saved, creditor] = await Promise.all([
    wordingsOf(db, key),
    db.creditor.findUniqueOrThrow({ where: { id: key.creditorId }, select: { legalName: true, brandName: true } }),
  ]);
  const languages = await Promise.all(
    LOCALES.map(async (locale) => {
      const row = saved[locale];
      const wording = row ? { subject: row.subject, paragraphs: row.paragraphs } : starterWording(key.templateKey, key.tone, locale);
      return {
        locale,
        custom: !!row,
        updatedAt: row?.updatedAt.toISOString() ?? null,
        values: { locale, subject: wording.subject, body: joinParagraphs(wording.paragraphs) },
        preview: await previewDunningEmail(db, { ...key, locale, now, wording: row ? wording : null }),
      };
    }),
  );
  // Reached from a calendar's step: the way back to it.
  const policy = new URL(request.url).searchParams.get("policy");
  return json({
    canEdit: hasRole(staff, "AGENT"),
    templateKey: key.templateKey,
    tone: key.tone,
    creditorName: creditor.brandName?.trim() || creditor.legalName,
    backTo: policy && /^[\w-]{1,64}$/.test(policy) ? `/app/policies/${policy}` : "/app/policies",
    languages,
  });
}

type Reply = {
  locale: WordingLocale;
  intent: "preview" | "save" | "reset";
  lastResult: SubmissionResult<string[]> | null;
  preview: { subject: string; html: string; text: string } | null;
};

/**
 * One language per submit (each language is its own form): preview renders
 * the typed text without saving, save stores it, reset deletes it (the
 * default text is back). Errors come back with the text as typed.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData();
  const intent = form.get("intent") === "save" ? "save" : form.get("intent") === "reset" ? "reset" : "preview";
  const { staff, key } = await load(request, params, intent === "preview" ? "VIEWER" : "AGENT");
  const locale: WordingLocale = form.get("locale") === "en" ? "en" : "fr";
  const now = new Date();

  if (intent === "reset") {
    await resetWording(db, { ...key, locale, actorUserId: staff.userId, now });
    return json<Reply>({ locale, intent, lastResult: null, preview: null });
  }
  const submission = parseWithZod(form, { schema: wordingSchema });
  if (submission.status !== "success")
    return json<Reply>({ locale, intent, lastResult: submission.reply(), preview: null }, { status: 400 });
  const wording = { subject: submission.value.subject, paragraphs: submission.value.paragraphs };
  if (intent === "save") await saveWording(db, { ...key, locale, wording, actorUserId: staff.userId, now });
  const preview = await previewDunningEmail(db, { ...key, locale, now, wording });
  return json<Reply>({ locale, intent, lastResult: submission.reply(), preview });
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

export default function EmailWordingPage() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const locale = useRootLocale();
  const t = makeT(locale);
  const template = levelLabel(locale, loaded.templateKey);
  const tone = t(`policies.tone.${loaded.tone}`).toLowerCase();

  return (
    <div className="stack">
      <p>
        <Link to={loaded.backTo}>← {t(loaded.backTo === "/app/policies" ? "policies.back" : "wording.backToPolicy")}</Link>
      </p>
      <h1>{t("wording.title", { template, tone })}</h1>
      <p>{t("wording.lead")}</p>
      {!loaded.canEdit ? <p className="notice">{t("wording.readOnly")}</p> : null}

      <section className="card stack" aria-labelledby="wording-fixed">
        <h2 id="wording-fixed">{t("wording.fixed.title")}</h2>
        <p>{t("wording.fixed.body")}</p>
        <p className="muted">{t("wording.toneNote")}</p>
      </section>

      <section className="card stack" aria-labelledby="wording-placeholders">
        <h2 id="wording-placeholders">{t("wording.placeholders.title")}</h2>
        <p>{t("wording.placeholders.lead", { example: `{${PLACEHOLDER_NAMES[locale].debtorName}}` })}</p>
        <table className="responsive" data-testid="placeholders">
          <thead>
            <tr>
              <th scope="col">{t("wording.placeholders.fr")}</th>
              <th scope="col">{t("wording.placeholders.en")}</th>
              <th scope="col">{t("wording.placeholders.meaning")}</th>
            </tr>
          </thead>
          <tbody>
            {WORDING_PLACEHOLDERS.map((key) => (
              <tr key={key}>
                <td data-label={t("wording.placeholders.fr")}>
                  <code lang="fr">{`{${PLACEHOLDER_NAMES.fr[key]}}`}</code>
                </td>
                <td data-label={t("wording.placeholders.en")}>
                  <code lang="en">{`{${PLACEHOLDER_NAMES.en[key]}}`}</code>
                </td>
                <td data-label={t("wording.placeholders.meaning")}>{t(`wording.ph.${key}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      {loaded.languages.map((language) => (
        <LanguageSection
          // A save or a reset changes the stored text: the form starts again from it.
          key={`${language.locale}:${language.updatedAt ?? "default"}`}
          language={language}
          loaded={loaded}
          result={result?.locale === language.locale ? result : undefined}
          uiLocale={locale}
        />
      ))}
    </div>
  );
}

function LanguageSection(props: { language: Loaded["languages"][number]; loaded: Loaded; result: Reply | undefined; uiLocale: Locale }) {
  const { language, loaded, result, uiLocale } = props;
  const timeZone = useCreditorTimeZone();
  const t = makeT(uiLocale);
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    id: `wording-${language.locale}`,
    lastResult: result?.lastResult ?? undefined,
    defaultValue: language.values,
    shouldValidate: "onSubmit",
  });
  const message = (errors?: string[]) => {
    const [key, vars] = (errors?.[0] ?? "").split("::");
    return key ? t(key as MessageKey, vars ? (JSON.parse(vars) as Record<string, string | number>) : undefined) : null;
  };
  const preview = result?.preview ?? language.preview;
  const heading = `wording-${language.locale}-title`;
  const flash =
    result?.intent === "save" && result.preview
      ? t("wording.saved")
      : result?.intent === "reset"
        ? t("wording.resetDone")
        : result?.intent === "preview" && result.preview
          ? t("wording.previewed")
          : null;

  return (
    <section className="card stack" aria-labelledby={heading} data-testid={`wording-${language.locale}`}>
      <h2 id={heading} lang={language.locale}>
        {t(`wording.language.${language.locale}`)}
      </h2>
      <p className="muted">
        {language.custom && language.updatedAt
          ? t("wording.status.custom", { date: formatDateTime(language.updatedAt, uiLocale, timeZone) })
          : t("wording.status.default")}
      </p>
      {flash ? (
        <p className={result?.intent === "preview" ? "notice" : "success"} role="status">
          {flash}
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="stack">
        <input type="hidden" name="locale" value={language.locale} />
        <fieldset disabled={!loaded.canEdit} className="stack">
          <legend className="visually-hidden">{t(`wording.language.${language.locale}`)}</legend>
          <div className="field">
            <label htmlFor={fields.subject.id}>{t("wording.subject")}</label>
            <input
              {...getInputProps(fields.subject, { type: "text", ariaDescribedBy: `${fields.subject.id}-hint` })}
              lang={language.locale}
              autoComplete="off"
            />
            <p className="muted" id={`${fields.subject.id}-hint`}>
              {t("wording.subjectHint", { creditor: loaded.creditorName })}
            </p>
            {fields.subject.errors ? (
              <p className="field-error" id={fields.subject.errorId}>
                {message(fields.subject.errors)}
              </p>
            ) : null}
          </div>
          <div className="field">
            <label htmlFor={fields.body.id}>{t("wording.body")}</label>
            <textarea {...getTextareaProps(fields.body, { ariaDescribedBy: `${fields.body.id}-hint` })} lang={language.locale} rows={8} />
            <p className="muted" id={`${fields.body.id}-hint`}>
              {t("wording.bodyHint")}
            </p>
            {fields.body.errors ? (
              <p className="field-error" id={fields.body.errorId}>
                {message(fields.body.errors)}
              </p>
            ) : null}
          </div>
        </fieldset>
        <div className="row">
          <button type="submit" name="intent" value="preview" className="secondary" disabled={busy}>
            {t("wording.preview")}
          </button>
          {loaded.canEdit ? (
            <button type="submit" name="intent" value="save" disabled={busy}>
              {t("wording.save")}
            </button>
          ) : null}
          {loaded.canEdit && language.custom ? (
            <button type="submit" name="intent" value="reset" className="secondary" formNoValidate disabled={busy}>
              {t("wording.reset")}
            </button>
          ) : null}
        </div>
      </Form>

      <section className="stack" aria-labelledby={`${heading}-preview`} data-testid={`preview-${language.locale}`}>
        <h3 id={`${heading}-preview`} className="h-small">
          {t("wording.preview.title")}
        </h3>
        <p className="muted">{t("wording.preview.note")}</p>
        <p>
          {t("wording.preview.subject")}{" "}
          <strong lang={language.locale} data-testid={`preview-subject-${language.locale}`}>
            {preview.subject}
          </strong>
        </p>
        {/* sandbox="": no script, no form, no navigation out of the frame — the email is shown, not run. */}
        <iframe
          className="email-snapshot"
          sandbox=""
          srcDoc={preview.html}
          title={t("wording.preview.frame", { subject: preview.subject })}
        />
        <details>
          <summary>{t("wording.preview.text")}</summary>
          <pre lang={language.locale} className="tl-body" data-testid={`preview-text-${language.locale}`}>
            {preview.text}
          </pre>
        </details>
      </section>
    </section>
  );
}
