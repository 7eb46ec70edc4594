import type { EmailLateCharges, EmailLocale } from "../types";
import { dict, formatAmount } from "./format";
import { Note } from "./layout";
import { DetailsTable } from "./tables";

/** Business debtors only: penalties to date and the €40 indemnity (always in EUR). */
export function LateChargesDetails({ lateCharges, currency, locale }: { lateCharges: EmailLateCharges; currency: string; locale: EmailLocale }) {
  const t = dict(locale).lateCharges;
  const rows: [string, string][] = [[t.interest, formatAmount(lateCharges.interest, currency, locale)]];
  if (lateCharges.indemnity !== null) rows.push([t.indemnity, formatAmount(lateCharges.indemnity, "EUR", locale)]);
  return (
    <>
      <DetailsTable caption={t.heading} rows={rows} />
      <Note>{t.note}</Note>
    </>
  );
}
