import { formatAmount } from "~/components/money";
import type { MatchReason } from "~/domain/bank/types";
import type { Locale, makeT, MessageKey } from "~/i18n";

/** Why a transfer was matched, in the staff member's words (bank.reason.* messages; amounts formatted). */
export function bankReasonText(t: ReturnType<typeof makeT>, reason: MatchReason, locale: Locale, currency: string) {
  const vars: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(reason))
    if (k !== "kind") vars[k] = typeof v === "number" && k === "excess" ? formatAmount(v, currency, locale) : (v as string | number);
  return t(`bank.reason.${reason.kind}` as MessageKey, vars);
}
