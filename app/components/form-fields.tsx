import { getInputProps, type FieldMetadata } from "@conform-to/react";
import type { InputHTMLAttributes, ReactNode } from "react";
import { LanguageSwitcher } from "~/components/language-switcher";
import type { Locale } from "~/i18n";

/** Turns the first error key of a field or form into a sentence (null when none). */
export type ErrorMessage = (errors?: string[]) => string | null;

/** The form-level error (e.g. "wrong email or password"), announced to screen readers. */
export function FormError(props: { form: { errors?: string[]; errorId: string }; msg: ErrorMessage }) {
  const { form, msg } = props;
  if (!form.errors) return null;
  return (
    <p className="form-error" role="alert" id={form.errorId}>
      {msg(form.errors)}
    </p>
  );
}

/** A field's error, linked to its input through Conform's aria-describedby (errorId). */
export function FieldError(props: { field: FieldMetadata<string>; msg: ErrorMessage }) {
  const { field, msg } = props;
  if (!field.errors) return null;
  return (
    <p className="field-error" id={field.errorId}>
      {msg(field.errors)}
    </p>
  );
}

type InputType = "text" | "email" | "password";

/** Label + input + error: the one-line field of the sign-in, reset, invitation and account forms. */
export function TextField(
  props: {
    field: FieldMetadata<string>;
    label: string;
    type: InputType;
    msg: ErrorMessage;
  } & Omit<InputHTMLAttributes<HTMLInputElement>, "type" | "name" | "id" | "defaultValue" | "form">,
) {
  const { field, label, type, msg, ...rest } = props;
  return (
    <div className="field">
      <label htmlFor={field.id}>{label}</label>
      <input {...getInputProps(field, { type })} {...rest} />
      <FieldError field={field} msg={msg} />
    </div>
  );
}

/** The frame of the signed-out staff pages (sign in, forgot/reset password, invitation). */
export function PublicPage(props: { locale: Locale; children: ReactNode }) {
  return (
    <main id="main" className="page narrow stack">
      <div className="row">
        <span className="spacer" />
        <LanguageSwitcher locale={props.locale} />
      </div>
      {props.children}
    </main>
  );
}
