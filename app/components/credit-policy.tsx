import { Form } from "@remix-run/react";
import { formatAmount } from "~/components/money";
import type { Exposure, TermsBasis } from "~/domain/credit/policy";
import { makeT, type Locale, type MessageKey } from "~/i18n";

/** What the debtor page's loader hands over (creditPolicyView, serialised). */
export type CreditPolicyData = {
  currency: string;
  business: boolean;
  terms: { days: number; basis: TermsBasis } | null;
  standing: { limit: number | null; currency: string; exposure: number; overBy: number; over: boolean; otherCurrencies: Exposure[] };
  form: { creditLimit: string; paymentTermsDays: string; paymentTermsBasis: TermsBasis };
};
export type CreditPolicyRefusalData = {
  values: { creditLimit: string; paymentTermsDays: string; paymentTermsBasis: string };
  fieldErrors: Partial<Record<"creditLimit" | "paymentTermsDays" | "paymentTermsBasis", string>>;
};

const BASES: TermsBasis[] = ["NET", "END_OF_MONTH"];

/** The over-limit warning, shown at the top of the debtor page. */
export function CreditWarning({ policy, locale }: { policy: CreditPolicyData; locale: Locale }) {
  const { standing } = policy;
  if (!standing.over || standing.limit === null) return null;
  const t = makeT(locale);
  const money = (m: number) => formatAmount(m, standing.currency, locale);
  return (
    <p className="form-error" role="status" data-testid="credit-warning">
      <strong>
        {t("credit.warning", { exposure: money(standing.exposure), limit: money(standing.limit), over: money(standing.overBy) })}
      </strong>
    </p>
  );
}

/**
 * A debtor's credit limit, exposure and payment terms, and the form that sets
 * them (decision 025). Works without JavaScript: a refused form comes back with
 * what was typed and the error next to its field.
 */
export function CreditPolicy({
  policy,
  canAct,
  locale,
  refusal,
}: {
  policy: CreditPolicyData;
  canAct: boolean;
  locale: Locale;
  refusal: CreditPolicyRefusalData | null;
}) {
  const t = makeT(locale);
  const { standing, currency } = policy;
  const money = (m: number, c = currency) => formatAmount(m, c, locale);
  const values = refusal?.values ?? policy.form;
  const error = (name: keyof CreditPolicyRefusalData["fieldErrors"]) => {
    const key = refusal?.fieldErrors[name];
    return key ? (
      <p className="field-error" id={`credit-${name}-error`}>
        {t(key as MessageKey)}
      </p>
    ) : null;
  };
  const describedBy = (name: keyof CreditPolicyRefusalData["fieldErrors"], hint?: string) =>
    [hint, refusal?.fieldErrors[name] ? `credit-${name}-error` : null].filter(Boolean).join(" ") || undefined;

  return (
    <section aria-labelledby="credit-title">
      <h2 id="credit-title">{t("credit.title")}</h2>
      <div className="card stack">
        <dl className="invoice-facts">
          <div className="pair">
            <dt>{t("credit.limit")}</dt>
            <dd>{standing.limit === null ? t("credit.noLimit") : money(standing.limit)}</dd>
          </div>
          <div className="pair">
            <dt>{t("credit.exposure")}</dt>
            <dd>
              {standing.over ? <strong>{money(standing.exposure)}</strong> : money(standing.exposure)}
              {standing.over ? (
                <>
                  {" "}
                  <span className="status late">{t("credit.overLimitBadge")}</span>
                </>
              ) : null}
              {standing.otherCurrencies.map((e) => (
                <span key={e.currency} className="muted">
                  <br />
                  {t("credit.exposureOther", { amount: money(e.amount, e.currency), currency: e.currency, limitCurrency: currency })}
                </span>
              ))}
            </dd>
          </div>
          <div className="pair">
            <dt>{t("credit.terms")}</dt>
            <dd>{policy.terms ? t(`credit.terms.${policy.terms.basis}`, { days: policy.terms.days }) : t("credit.termsNone")}</dd>
          </div>
        </dl>
        {canAct ? (
          <details open={refusal ? true : undefined}>
            <summary>{t("credit.edit")}</summary>
            <Form method="post" className="stack" noValidate>
              <div className="field">
                <label htmlFor="credit-creditLimit">{t("credit.field.creditLimit", { currency })}</label>
                <input
                  id="credit-creditLimit"
                  name="creditLimit"
                  inputMode="decimal"
                  autoComplete="off"
                  defaultValue={values.creditLimit}
                  aria-invalid={refusal?.fieldErrors.creditLimit ? true : undefined}
                  aria-describedby={describedBy("creditLimit", "credit-creditLimit-hint")}
                />
                <p className="muted" id="credit-creditLimit-hint">
                  {t("credit.field.creditLimitHint", { currency })}
                </p>
                {error("creditLimit")}
              </div>
              <div className="field">
                <label htmlFor="credit-paymentTermsDays">{t("credit.field.paymentTermsDays")}</label>
                <input
                  id="credit-paymentTermsDays"
                  name="paymentTermsDays"
                  type="number"
                  min={0}
                  max={365}
                  inputMode="numeric"
                  defaultValue={values.paymentTermsDays}
                  aria-invalid={refusal?.fieldErrors.paymentTermsDays ? true : undefined}
                  aria-describedby={describedBy("paymentTermsDays", "credit-paymentTermsDays-hint")}
                />
                <p className="muted" id="credit-paymentTermsDays-hint">
                  {t("credit.field.paymentTermsHint")}
                </p>
                {error("paymentTermsDays")}
              </div>
              <fieldset className="field" aria-describedby={describedBy("paymentTermsBasis")}>
                <legend>{t("credit.field.paymentTermsBasis")}</legend>
                {BASES.map((basis) => (
                  <div key={basis} className="checkbox">
                    <input
                      type="radio"
                      id={`credit-basis-${basis}`}
                      name="paymentTermsBasis"
                      value={basis}
                      defaultChecked={values.paymentTermsBasis === basis}
                    />
                    <label htmlFor={`credit-basis-${basis}`}>{t(`credit.basis.${basis}`)}</label>
                  </div>
                ))}
                {error("paymentTermsBasis")}
              </fieldset>
              <button type="submit" name="intent" value="credit">
                {t("credit.save")}
              </button>
            </Form>
          </details>
        ) : null}
      </div>
    </section>
  );
}
