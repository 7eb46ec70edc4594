import { Form } from "@remix-run/react";
import { makeT, type Locale, type MessageKey } from "~/i18n";

export type SmsHoursView = { start: string; end: string; days: number[]; timeZone: string };
export type SmsHoursResult = {
  saved: boolean;
  fieldErrors: Partial<Record<"start" | "end" | "days", string>>;
  values: { start: string; end: string; days: number[] };
} | null;

const DAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/**
 * The creditor's SMS sending hours (decision 026): a small form of its own (intent "sms-hours"), working
 * without JavaScript; the refused values stay in the fields with the reason next to them.
 */
export function SmsSettings({
  hours,
  canEdit,
  locale,
  result,
}: {
  hours: SmsHoursView;
  canEdit: boolean;
  locale: Locale;
  result: SmsHoursResult;
}) {
  const t = makeT(locale);
  const values = result && !result.saved ? result.values : hours;
  const error = (field: "start" | "end" | "days") => {
    const key = result?.fieldErrors[field];
    return key ? (
      <p className="field-error" id={`sms-${field}-error`}>
        {t(key as MessageKey)}
      </p>
    ) : null;
  };
  const described = (field: "start" | "end" | "days") =>
    result?.fieldErrors[field] ? { "aria-invalid": true as const, "aria-describedby": `sms-${field}-error` } : {};
  return (
    <section className="card stack" aria-labelledby="sms-hours-title">
      <h2 id="sms-hours-title">{t("sms.settings.title")}</h2>
      <p className="muted">{t("sms.settings.lead", { zone: hours.timeZone })}</p>
      {result?.saved ? (
        <p className="success" role="status">
          {t("sms.settings.saved")}
        </p>
      ) : null}
      <Form method="post" className="stack">
        <input type="hidden" name="intent" value="sms-hours" />
        <fieldset disabled={!canEdit} className="stack">
          <legend className="visually-hidden">{t("sms.settings.title")}</legend>
          <div className="row">
            <div className="field">
              <label htmlFor="sms-start">{t("sms.settings.start")}</label>
              <input
                id="sms-start"
                name="smsStart"
                type="time"
                min="08:00"
                max="20:00"
                step={900}
                defaultValue={values.start}
                {...described("start")}
              />
              {error("start")}
            </div>
            <div className="field">
              <label htmlFor="sms-end">{t("sms.settings.end")}</label>
              <input
                id="sms-end"
                name="smsEnd"
                type="time"
                min="08:00"
                max="20:00"
                step={900}
                defaultValue={values.end}
                {...described("end")}
              />
              {error("end")}
            </div>
          </div>
          <fieldset {...described("days")}>
            <legend>{t("sms.settings.days")}</legend>
            {DAYS.map((d) => (
              <label key={d} className="choice">
                <input type="checkbox" name="smsDays" value={d} defaultChecked={values.days.includes(d)} /> {t(`sms.settings.day.${d}`)}
              </label>
            ))}
            {error("days")}
          </fieldset>
          {canEdit ? (
            <p>
              <button type="submit">{t("sms.settings.save")}</button>
            </p>
          ) : (
            <p className="muted">{t("sms.settings.readOnly")}</p>
          )}
        </fieldset>
      </Form>
    </section>
  );
}
