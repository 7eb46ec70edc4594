import { formatAmount } from "~/components/money";
import { makeT, type Locale } from "~/i18n";

export type LateChargesSummaryData = { interest: number; indemnity: number; invoices: number; estimated: boolean };

/**
 * The portal's late-charges block. While a semester's rate is not yet
 * recorded the interest is computed on the latest known rate, and it says so
 * with the same words as the letters and the emails (documents.interest.estimatedInline).
 */
export function LateChargesSummary({
  lateCharges,
  currency,
  locale,
}: {
  lateCharges: LateChargesSummaryData;
  currency: string;
  locale: Locale;
}) {
  const t = makeT(locale);
  return (
    <section className="card" aria-labelledby="late-charges">
      <h2 id="late-charges" style={{ marginTop: 0 }}>
        {t("portal.lateCharges")}
      </h2>
      <p>
        {t("portal.lateInterest")} : <strong>{formatAmount(lateCharges.interest, currency, locale)}</strong>
        {lateCharges.estimated ? <span className="muted"> ({t("documents.interest.estimatedInline")})</span> : null}
        <br />
        {t("portal.indemnity", { count: lateCharges.invoices })} : <strong>{formatAmount(lateCharges.indemnity, "EUR", locale)}</strong>
      </p>
      <p className="muted">{t("portal.lateChargesNote")}</p>
    </section>
  );
}
