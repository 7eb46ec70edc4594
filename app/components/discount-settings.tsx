import { Form } from "@remix-run/react";
import { makeT, type Locale, type MessageKey } from "~/i18n";

export type DiscountSettingResult = {
  saved: boolean;
  fieldErrors: Partial<Record<"rate" | "days", string>>;
  values: { rate: string; days: string };
} | null;

/**
 * The creditor's early-payment discount (escompte, C. com. L441-9; decision 028): its own small form
 * (intent "discount"), working without JavaScript; refused values stay in the fields with the reason beside them.
 */
export function DiscountSettings({
  stored,
  canEdit,
  locale,
  result,
}: {
  stored: { rate: string; days: string };
  canEdit: boolean;
  locale: Locale;
  result: DiscountSettingResult;
}) {
  const t = makeT(locale);
  const values = result && !result.saved ? result.values : stored;
  const error = (field: "rate" | "days") => {
    const key = result?.fieldErrors[field];
    return key ? (
      <p className="field-error" id={`discount-${field}-error`}>
        {t(key as MessageKey)}
      </p>
    ) : null;
  };
  const described = (field: "rate" | "days") =>
    result?.fieldErrors[field] ? { "aria-invalid": true as const, "aria-describedby": `discount-${field}-error` } : {};
  return (
    <section className="card stack" aria-labelledby="discount-settings-title">
      <h2 id="discount-settings-title">{t("discount.settings.legend")}</h2>
      <p className="muted">{t("discount.settings.lead")}</p>
      {result?.saved ? (
        <p className="success" role="status">
          {t("intake.settings.saved")}
        </p>
      ) : null}
      <Form method="post" className="stack">
        <input type="hidden" name="intent" value="discount" />
        <fieldset disabled={!canEdit} className="stack">
          <legend className="visually-hidden">{t("discount.settings.legend")}</legend>
          <div className="row">
            <div className="field">
              <label htmlFor="discount-rate">{t("discount.settings.rate")}</label>
              <input id="discount-rate" name="discountRate" inputMode="decimal" defaultValue={values.rate} {...described("rate")} />
              {error("rate")}
            </div>
            <div className="field">
              <label htmlFor="discount-days">{t("discount.settings.days")}</label>
              <input
                id="discount-days"
                name="discountDays"
                type="number"
                min={0}
                max={90}
                defaultValue={values.days}
                {...described("days")}
              />
              {error("days")}
            </div>
          </div>
          {canEdit ? <button type="submit">{t("discount.settings.save")}</button> : null}
        </fieldset>
      </Form>
    </section>
  );
}
