import { Form } from "@remix-run/react";
import { formatDateTime } from "~/components/money";
import { makeT, type Locale, type MessageKey } from "~/i18n";

export type MailboxView = {
  host: string;
  port: number;
  secure: boolean;
  username: string;
  folder: string;
  processedFolder: string;
  enabled: boolean;
  hasPassword: boolean;
  lastCheckedAt: string | null;
  lastError: string | null;
} | null;

export type MailboxResult = { saved: boolean; fieldErrors: Record<string, string>; values: Record<string, string> } | null;

type FieldName = "host" | "port" | "username" | "password" | "folder" | "processedFolder";
/** The words for a field's error (the service returns codes: required, invalidHost, invalidPort, invalidFolder, tooLong). */
const ERROR_KEY: Record<FieldName, MessageKey> = {
  host: "replies.mailbox.error.host",
  port: "replies.mailbox.error.port",
  username: "replies.mailbox.error.username",
  password: "replies.mailbox.error.password",
  folder: "replies.mailbox.error.folder",
  processedFolder: "replies.mailbox.error.folder",
};

/**
 * The shared mailbox (IMAP) a creditor connects so replies to its contact address come back. Works
 * without JavaScript; errors next to each field with the values kept; the password is never sent back.
 */
export function MailboxSettings({
  connection,
  canEdit,
  locale,
  result,
}: {
  connection: MailboxView;
  canEdit: boolean;
  locale: Locale;
  result: MailboxResult;
}) {
  const t = makeT(locale);
  const value = (name: string, stored: string | number | undefined) => result?.values[name] ?? (stored === undefined ? "" : String(stored));
  const checked = (name: "secure" | "enabled", stored: boolean | undefined) => (result ? result.values[name] === "on" : (stored ?? true));
  const error = (name: FieldName) => (result?.fieldErrors[name] ? t(ERROR_KEY[name]) : null);
  const field = (name: FieldName, opts: { type?: string; stored?: string | number; hint?: string; autoComplete?: string }) => {
    const id = `mailbox-${name}`;
    const described = [opts.hint ? `${id}-hint` : null, error(name) ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
    return (
      <div className="field">
        <label htmlFor={id}>{t(`replies.mailbox.${name}`)}</label>
        <input
          id={id}
          name={name}
          type={opts.type ?? "text"}
          defaultValue={name === "password" ? "" : value(name, opts.stored)}
          autoComplete={opts.autoComplete ?? "off"}
          aria-invalid={error(name) ? true : undefined}
          aria-describedby={described}
        />
        {opts.hint ? (
          <p className="muted" id={`${id}-hint`}>
            {opts.hint}
          </p>
        ) : null}
        {error(name) ? (
          <p className="field-error" id={`${id}-error`}>
            {error(name)}
          </p>
        ) : null}
      </div>
    );
  };
  return (
    <section aria-labelledby="mailbox-title" className="card stack">
      <h2 id="mailbox-title">{t("replies.mailbox.title")}</h2>
      <p className="muted">{t("replies.mailbox.lead")}</p>
      {result?.saved ? (
        <p className="success" role="status">
          {t("replies.mailbox.saved")}
        </p>
      ) : null}
      {connection?.lastCheckedAt ? (
        <p className="muted">{t("replies.mailbox.lastChecked", { date: formatDateTime(connection.lastCheckedAt, locale) })}</p>
      ) : null}
      {connection?.lastError ? <p className="notice">{t("replies.mailbox.lastError", { error: connection.lastError })}</p> : null}
      <Form method="post" className="stack">
        <input type="hidden" name="intent" value="mailbox" />
        <fieldset disabled={!canEdit} className="plain">
          <legend className="visually-hidden">{t("replies.mailbox.title")}</legend>
          <div className="settings-grid">
            {field("host", { stored: connection?.host })}
            {field("port", { type: "number", stored: connection?.port ?? 993 })}
          </div>
          <div className="field checkbox">
            <input type="checkbox" id="mailbox-secure" name="secure" defaultChecked={checked("secure", connection?.secure)} />
            <label htmlFor="mailbox-secure">{t("replies.mailbox.secure")}</label>
          </div>
          <div className="settings-grid">
            {field("username", { stored: connection?.username, autoComplete: "username" })}
            {field("password", {
              type: "password",
              autoComplete: "new-password",
              hint: connection?.hasPassword ? t("replies.mailbox.passwordKept") : undefined,
            })}
          </div>
          <div className="settings-grid">
            {field("folder", { stored: connection?.folder ?? "INBOX" })}
            {field("processedFolder", { stored: connection?.processedFolder ?? "relance-traite" })}
          </div>
          <div className="field checkbox">
            {/* Unticked sends this value (the checkbox, when ticked, comes after it and wins). */}
            <input type="hidden" name="enabled" value="false" />
            <input type="checkbox" id="mailbox-enabled" name="enabled" defaultChecked={checked("enabled", connection?.enabled)} />
            <label htmlFor="mailbox-enabled">{t("replies.mailbox.enabled")}</label>
          </div>
          {canEdit ? <button type="submit">{t("replies.mailbox.save")}</button> : null}
        </fieldset>
      </Form>
    </section>
  );
}
