import { translate } from "../../app/i18n";
import type { EmailLateCharges, EmailLocale } from "../types";
import { dict, formatAmount } from "./format";
import { Note } from "./layout";
import { DetailsTable } from "./tables";

/** Business debtors only: penalties to date and the €40 indemnity (always in EUR). */
export function LateChargesDetails({
  lateCharges,
  currency,
  locale,
}: {
  lateCharges: EmailLateCharges;
  currency: string;
  locale: EmailLocale;
}) {
  const t = dict(locale).lateCharges;
  // Worded like the letters and the portal: one message for "estimated" everywhere.
  const interest = formatAmount(lateCharges.interest, currency, locale);
  const rows: [string, string][] = [
    [t.interest, lateCharges.estimated ? `${interest} (${translate(locale, "documents.interest.estimatedInline")})` : interest],
  ];
  if (lateCharges.indemnity !== null) rows.push([t.indemnity, formatAmount(lateCharges.indemnity, "EUR", locale)]);
  return (
    <>
      <DetailsTable caption={t.heading} rows={rows} />
      <Note>{t.note}</Note>
    </>
  );
}
