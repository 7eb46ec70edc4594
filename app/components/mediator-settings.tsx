import { Form } from "@remix-run/react";
import { makeT, type Locale, type MessageKey } from "~/i18n";

export type MediatorView = { name: string; url: string; address: string };
export type MediatorResult = {
  saved: boolean;
  fieldErrors: Partial<Record<"name" | "url" | "address", string>>;
  values: MediatorView;
} | null;

const ERROR_KEY: Record<string, MessageKey> = {
  name: "settings.mediator.error.name",
  reach: "settings.mediator.error.reach",
  url: "settings.mediator.error.url",
};

/**
 * The consumer mediator named to consumers on every email, letter and portal
 * page (C. conso. L616-1). Its own small form: works without JavaScript, the
 * typed values come back with the error next to its field.
 */
export function MediatorSettings({
  stored,
  canEdit,
  locale,
  result,
}: {
  stored: MediatorView;
  canEdit: boolean;
  locale: Locale;
  result: MediatorResult;
}) {
  const t = makeT(locale);
  const values = result?.values ?? stored;
  const field = (name: "name" | "url" | "address", type: "text" | "url" = "text", hint?: string) => {
    const id = `mediator-${name}`;
    const code = result?.fieldErrors[name];
    const error = code ? t(ERROR_KEY[code] ?? "settings.mediator.error.reach") : null;
    const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
    return (
      <div className="field">
        <label htmlFor={id}>{t(`settings.mediator.${name}`)}</label>
        <input
          id={id}
          name={name}
          type={type}
          defaultValue={values[name]}
          aria-invalid={error ? true : undefined}
          aria-describedby={described}
        />
        {hint ? (
          <p className="muted" id={`${id}-hint`}>
            {hint}
          </p>
        ) : null}
        {error ? (
          <p className="field-error" id={`${id}-error`}>
            {error}
          </p>
        ) : null}
      </div>
    );
  };
  return (
    <section aria-labelledby="mediator-title" className="card stack" id="mediator">
      <h2 id="mediator-title">{t("settings.mediator.title")}</h2>
      <p className="muted">{t("settings.mediator.lead")}</p>
      {result?.saved ? (
        <p className="success" role="status">
          {t("settings.mediator.saved")}
        </p>
      ) : null}
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="intent" value="mediator" />
        <fieldset disabled={!canEdit} className="plain">
          <legend className="visually-hidden">{t("settings.mediator.title")}</legend>
          <div className="settings-grid">
            {field("name")}
            {field("url", "url", t("settings.mediator.hint"))}
          </div>
          {field("address")}
          {canEdit ? <button type="submit">{t("settings.mediator.save")}</button> : null}
        </fieldset>
      </Form>
    </section>
  );
}
