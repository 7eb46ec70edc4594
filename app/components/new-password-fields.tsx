import { getInputProps, type FieldMetadata } from "@conform-to/react";
import { FieldError } from "~/components/form-fields";
import type { MessageKey } from "~/i18n";

type T = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** "New password" + "confirm" with the length hint wired to the input (reset, invitation, account pages). */
export function NewPasswordFields(props: {
  password: FieldMetadata<string>;
  confirm: FieldMetadata<string>;
  label: string;
  min: number;
  t: T;
  msg: (errors?: string[]) => string | null;
}) {
  const { password, confirm, label, min, t, msg } = props;
  const hintId = `${password.id}-hint`;
  return (
    <>
      <div className="field">
        <label htmlFor={password.id}>{label}</label>
        <input
          {...getInputProps(password, { type: "password", ariaDescribedBy: hintId })}
          autoComplete="new-password"
          minLength={min}
          required
        />
        <p className="muted" id={hintId}>
          {t("accounts.password.hint", { min })}
        </p>
        <FieldError field={password} msg={msg} />
      </div>
      <div className="field">
        <label htmlFor={confirm.id}>{t("accounts.password.confirm")}</label>
        <input {...getInputProps(confirm, { type: "password" })} autoComplete="new-password" required />
        <FieldError field={confirm} msg={msg} />
      </div>
    </>
  );
}
