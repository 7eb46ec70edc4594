import { startOfDayUTC } from "../clock";
import type { DebtorKind } from "../dunning/types";
import { addMonthsClamped } from "./calendar";

/**
 * Injonction de payer (C. pr. civ. 1405–1425): which form and court, and the
 * two deadlines that matter once the order is made. The request goes to the
 * court of the debtor's domicile (1406). A commercial claim (debtor trading
 * as a business) goes to the tribunal de commerce — called "tribunal des
 * activités économiques" in the courts running that experiment since 2025;
 * any other claim, consumers included, to the tribunal judiciaire. Unpaid
 * rent and consumer credit use Cerfa 16040 (juge des contentieux de la
 * protection) and are out of scope here.
 */

type Bilingual = { fr: string; en: string };

export type InjunctionForm = {
  cerfa: "12946" | "12948";
  court: "TRIBUNAL_DE_COMMERCE" | "TRIBUNAL_JUDICIAIRE";
  label: Bilingual;
  courtLabel: Bilingual;
  /** The debtor may oppose within one month of service (C. pr. civ. 1416). */
  oppositionMonths: 1;
  /** An order not served within six months of its date lapses (C. pr. civ. 1411). */
  serviceDeadlineMonths: 6;
};

const FORMS: Record<InjunctionForm["cerfa"], InjunctionForm> = {
  "12946": {
    cerfa: "12946",
    court: "TRIBUNAL_DE_COMMERCE",
    label: {
      fr: "Requête en injonction de payer devant le tribunal de commerce (Cerfa 12946)",
      en: "Application for an order for payment, commercial court (Cerfa 12946)",
    },
    courtLabel: { fr: "Tribunal de commerce", en: "Commercial court" },
    oppositionMonths: 1,
    serviceDeadlineMonths: 6,
  },
  "12948": {
    cerfa: "12948",
    court: "TRIBUNAL_JUDICIAIRE",
    label: {
      fr: "Requête en injonction de payer devant le tribunal judiciaire (Cerfa 12948)",
      en: "Application for an order for payment, civil court (Cerfa 12948)",
    },
    courtLabel: { fr: "Tribunal judiciaire", en: "Civil court (tribunal judiciaire)" },
    oppositionMonths: 1,
    serviceDeadlineMonths: 6,
  },
};

/**
 * Cerfa 12946 for a business debtor, 12948 for a consumer. A business that is
 * not a trader (liberal profession, association) is a civil debtor: pass
 * `commercial: false` to get 12948.
 */
export function injunctionForm(debtorKind: DebtorKind, options: { commercial?: boolean } = {}): InjunctionForm {
  const commercial = debtorKind === "BUSINESS" && options.commercial !== false;
  return FORMS[commercial ? "12946" : "12948"];
}

/** Last day to serve the order (date + 6 months) and, once served, last day for the debtor to oppose (+ 1 month). */
export function injunctionDeadlines(orderedAt: Date, servedAt?: Date | null): { serveBy: Date; oppositionUntil: Date | null } {
  return {
    serveBy: addMonthsClamped(startOfDayUTC(orderedAt), 6),
    oppositionUntil: servedAt ? addMonthsClamped(startOfDayUTC(servedAt), 1) : null,
  };
}
