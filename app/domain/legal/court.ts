import { startOfDayUTC } from "../clock";
import type { DebtorKind } from "../dunning/types";
import { addMonthsClamped } from "./calendar";

/**
 * Injonction de payer (C. pr. civ. 1405–1425): which form and court, and the
 * two deadlines that matter once the order is made. The request goes to the
 * court of the debtor's domicile (1406). A commercial claim (debtor trading
 * as a business) goes to the tribunal de commerce — called "tribunal des
 * activités économiques" in the courts running that experiment since 2025
 * (`chooseCourt` names it); any other claim, consumers included, to the
 * tribunal judiciaire. Unpaid
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

/** What the debtor is in law (Debtor.legalForm); null = not recorded. */
export type DebtorLegalForm = "COMPANY" | "SOLE_TRADER" | "ARTISAN" | "LIBERAL_PROFESSION" | "ASSOCIATION" | "OTHER_CIVIL";

/**
 * A business debtor is tried by the commercial court when it trades: a
 * commercial company, a trader or an artisan (C. com. L721-3, which names
 * artisans beside traders). A liberal profession, an association or another civil
 * entity (SCI, civil company, farmer) is not a merchant: tribunal judiciaire.
 * A business with no recorded legal form is taken as trading (the usual case).
 */
export function isCommercialDebtor(kind: DebtorKind, legalForm?: DebtorLegalForm | null): boolean {
  if (kind !== "BUSINESS") return false;
  return legalForm !== "LIBERAL_PROFESSION" && legalForm !== "ASSOCIATION" && legalForm !== "OTHER_CIVIL";
}

/**
 * Tribunaux des activités économiques: the twelve commercial courts of the
 * experiment of loi n° 2023-1059 art. 26, listed by the arrêté du 5 juillet
 * 2024 (art. 2), from 1 January 2025 for four years. Keyed by the seat; the
 * court sits for the ressort of the tribunal(s) judiciaire(s) named.
 */
export const TAE_SEATS: readonly { seat: string; ressort: readonly string[] }[] = [
  { seat: "Marseille", ressort: ["Marseille"] },
  { seat: "Le Mans", ressort: ["Le Mans"] },
  { seat: "Limoges", ressort: ["Limoges"] },
  { seat: "Lyon", ressort: ["Lyon"] },
  { seat: "Nancy", ressort: ["Nancy"] },
  { seat: "Avignon", ressort: ["Avignon", "Carpentras"] },
  { seat: "Auxerre", ressort: ["Auxerre"] },
  { seat: "Paris", ressort: ["Paris"] },
  { seat: "Saint-Brieuc", ressort: ["Saint-Brieuc"] },
  { seat: "Le Havre", ressort: ["Le Havre"] },
  { seat: "Nanterre", ressort: ["Nanterre"] },
  { seat: "Versailles", ressort: ["Versailles"] },
];
export const TAE_EXPERIMENT = { from: new Date(Date.UTC(2025, 0, 1)), until: new Date(Date.UTC(2028, 11, 31)) } as const;

/** Member states where Regulation (EC) 1896/2006 applies: the EU less Denmark (its recital 32). */
const EOP_STATES = new Set([
  "AT",
  "BE",
  "BG",
  "CY",
  "CZ",
  "DE",
  "EE",
  "ES",
  "FI",
  "GR",
  "HR",
  "HU",
  "IE",
  "IT",
  "LT",
  "LU",
  "LV",
  "MT",
  "NL",
  "PL",
  "PT",
  "RO",
  "SE",
  "SI",
  "SK",
]);

/** "de Lyon", "d'Avignon", "du Havre". */
const ofPlace = (place: string) =>
  place.startsWith("Le ") ? `du ${place.slice(3)}` : /^[AEIOUY]/.test(place) ? `d'${place}` : `de ${place}`;

const normalise = (city: string) =>
  city
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/\bcedex\b.*$/, "")
    .replace(/[^a-z]+/g, " ")
    .trim();

export type CourtChoice =
  | {
      procedure: "FR_INJUNCTION";
      form: InjunctionForm;
      commercial: boolean;
      /** "Tribunal des activités économiques de Lyon", "Tribunal de commerce", "Tribunal judiciaire (chambre commerciale)"… */
      courtName: Bilingual;
      tae: boolean;
    }
  | { procedure: "EU_ORDER_FOR_PAYMENT"; country: string; regulation: "(CE) n° 1896/2006"; formName: "A" }
  | { procedure: "LAWYER"; country: string };

export type CourtDebtor = {
  kind: DebtorKind;
  legalForm?: DebtorLegalForm | null;
  country?: string | null;
  city?: string | null;
  postalCode?: string | null;
};

/**
 * Which procedure and court for this debtor on `at`: a French injonction de
 * payer only against a debtor in France (C. pr. civ. 1406: the court of the
 * debtor's domicile); in another member state the European order for payment
 * (Regulation (EC) 1896/2006, application on form A); elsewhere nothing is
 * proposed and the file is flagged for a lawyer. In France, a trading debtor
 * goes to the commercial court — a tribunal des activités économiques in the
 * twelve seats during the experiment, the commercial chamber of the tribunal
 * judiciaire in Alsace-Moselle (départements 57, 67, 68) — anyone else to
 * the tribunal judiciaire. The TAE match is by the debtor's city against the
 * seats and their ressort's main towns: a debtor elsewhere in a ressort
 * is not recognised (the dossier asks to check the court).
 */
export function chooseCourt(debtor: CourtDebtor, at: Date): CourtChoice {
  const country = (debtor.country ?? "FR").toUpperCase();
  if (country !== "FR") {
    return EOP_STATES.has(country)
      ? { procedure: "EU_ORDER_FOR_PAYMENT", country, regulation: "(CE) n° 1896/2006", formName: "A" }
      : { procedure: "LAWYER", country };
  }
  const commercial = isCommercialDebtor(debtor.kind, debtor.legalForm);
  const form = injunctionForm(debtor.kind, { commercial });
  if (!commercial) return { procedure: "FR_INJUNCTION", form, commercial, courtName: form.courtLabel, tae: false };
  const department = (debtor.postalCode ?? "").trim().slice(0, 2);
  if (["57", "67", "68"].includes(department)) {
    return {
      procedure: "FR_INJUNCTION",
      form,
      commercial,
      tae: false,
      courtName: { fr: "Tribunal judiciaire (chambre commerciale)", en: "Civil court, commercial chamber (tribunal judiciaire)" },
    };
  }
  const day = startOfDayUTC(at);
  const city = debtor.city ? normalise(debtor.city) : "";
  const seat =
    day >= TAE_EXPERIMENT.from && day <= TAE_EXPERIMENT.until
      ? TAE_SEATS.find((s) => s.ressort.some((town) => city === normalise(town)))
      : undefined;
  if (seat) {
    return {
      procedure: "FR_INJUNCTION",
      form,
      commercial,
      tae: true,
      courtName: {
        fr: `Tribunal des activités économiques ${ofPlace(seat.seat)}`,
        en: `Economic activities court of ${seat.seat} (tribunal des activités économiques)`,
      },
    };
  }
  return { procedure: "FR_INJUNCTION", form, commercial, courtName: form.courtLabel, tae: false };
}
