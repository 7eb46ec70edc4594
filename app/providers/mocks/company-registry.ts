import { http, HttpResponse } from "msw";
import { BODACC_RECORDS_URL, RECHERCHE_ENTREPRISES_URL } from "../company-registry.server";

/**
 * Local stand-in for the two public registries, shaped like their real
 * answers (Recherche d'entreprises `/search`, BODACC Explore v2.1 records).
 * Tests build answers with `companyResult` / `bodaccRecord` and override the
 * handlers per test; development answers from FIXTURES by SIREN — a SIREN not
 * listed is unknown to the registry, as a typo would be.
 */
export type CompanyFixture = {
  siren: string;
  name: string;
  state: "A" | "C";
  createdOn: string;
  ceasedOn?: string | null;
  natureJuridique: string;
  announcements?: Record<string, unknown>[];
};

/** One `results[]` entry of Recherche d'entreprises (the fields relance reads, and a few it does not). */
export function companyResult(c: CompanyFixture) {
  return {
    siren: c.siren,
    nom_complet: c.name,
    nom_raison_sociale: c.name,
    sigle: null,
    nombre_etablissements: 1,
    nombre_etablissements_ouverts: c.state === "A" ? 1 : 0,
    activite_principale: "62.01Z",
    categorie_entreprise: "PME",
    date_creation: c.createdOn,
    date_fermeture: c.ceasedOn ?? null,
    date_mise_a_jour: "2026-11-28T03:12:44",
    etat_administratif: c.state,
    nature_juridique: c.natureJuridique,
    section_activite_principale: "J",
    tranche_effectif_salarie: "11",
    statut_diffusion: "O",
    siege: {
      siret: `${c.siren}00017`,
      est_siege: true,
      etat_administratif: c.state === "A" ? "A" : "F",
      date_creation: c.createdOn,
      date_fermeture: c.ceasedOn ?? null,
      adresse: "12 RUE DES ARTISANS 69003 LYON",
      code_postal: "69003",
      libelle_commune: "LYON",
    },
    matching_etablissements: [],
  };
}

export function searchAnswer(results: ReturnType<typeof companyResult>[]) {
  return { results, total_results: results.length, page: 1, per_page: 5, total_pages: results.length > 0 ? 1 : 0 };
}

/** One BODACC A announcement of the `collective` family, with its judgment serialised as the open data does. */
export function bodaccRecord(a: {
  id: string;
  siren: string;
  name: string;
  publishedOn: string;
  court: string;
  judgment: { famille: string; nature: string; date: string; complementJugement?: string };
}) {
  const grouped = `${a.siren.slice(0, 3)} ${a.siren.slice(3, 6)} ${a.siren.slice(6)}`;
  return {
    id: a.id,
    publicationavis: "A",
    publicationavis_facette: "Bodacc A",
    parution: `${a.publishedOn.slice(0, 4)}0${a.id.slice(-4, -2)}`,
    dateparution: a.publishedOn,
    numeroannonce: Number(a.id.slice(-4)),
    typeavis: "annonce",
    typeavis_lib: "Avis initial",
    familleavis: "collective",
    familleavis_lib: "Procédures collectives",
    numerodepartement: "69",
    departement_nom_officiel: "Rhône",
    region_code: 84,
    region_nom_officiel: "Auvergne-Rhône-Alpes",
    tribunal: a.court,
    commercant: a.name,
    ville: "Lyon",
    cp: "69003",
    registre: [grouped, a.siren],
    url_complete: `https://www.bodacc.fr/pages/annonces-commerciales-detail/?q.id=id:${a.id}`,
    listepersonnes: JSON.stringify({
      personne: {
        typePersonne: "pm",
        denomination: a.name,
        formeJuridique: "Société par actions simplifiée",
        numeroImmatriculation: { codeRCS: "RCS", numeroIdentification: grouped, nomGreffeImmat: "Lyon" },
      },
    }),
    jugement: JSON.stringify({ type: "initial", ...a.judgment }),
    acte: null,
    parutionavisprecedent: null,
  };
}

export function bodaccAnswer(results: ReturnType<typeof bodaccRecord>[]) {
  return { total_count: results.length, results };
}

/** The demo installation's registry: the demo debtors' SIRENs are active companies; two more show a ceased company and a redressement. */
export const FIXTURES: CompanyFixture[] = [
  ...[
    "443061841",
    "512345678",
    "389012345",
    "803456789",
    "421987654",
    "794561230",
    "881234567",
    "330111222",
    "552100554",
    "451236987",
    "478523691",
    "418529637",
    "523456789",
    "534567891",
    "545678912",
  ].map((siren, i) => ({
    siren,
    name: `DEMO ${siren}`,
    state: "A" as const,
    createdOn: `${2004 + (i % 20)}-0${(i % 9) + 1}-15`,
    natureJuridique: i % 2 ? "5499" : "5710",
  })),
  {
    siren: "902345678",
    name: "ANCIENNE MENUISERIE ROUX",
    state: "C",
    createdOn: "2011-04-01",
    ceasedOn: "2026-06-30",
    natureJuridique: "5499",
  },
  {
    siren: "901234567",
    name: "ATELIER BRUNEAU",
    state: "A",
    createdOn: "2016-09-12",
    natureJuridique: "5710",
    announcements: [
      bodaccRecord({
        id: "A202602151234",
        siren: "901234567",
        name: "ATELIER BRUNEAU",
        publishedOn: "2026-11-20",
        court: "Greffe du Tribunal de Commerce de Lyon",
        judgment: {
          famille: "Jugement d'ouverture",
          nature: "Jugement d'ouverture d'une procédure de redressement judiciaire",
          date: "2026-11-12",
          complementJugement:
            "Jugement prononçant l'ouverture d'une procédure de redressement judiciaire, date de cessation des paiements le 1 octobre 2026, désignant mandataire judiciaire SELARL MJ Synergie 3 rue du Palais 69002 Lyon, administrateur Maître Anne Duval. Les déclarations des créances sont à adresser au mandataire judiciaire dans les deux mois de la publication au BODACC.",
        },
      }),
    ],
  },
];

export function companyRegistryHandlers(fixtures: CompanyFixture[] = FIXTURES) {
  return [
    http.get(RECHERCHE_ENTREPRISES_URL, ({ request }) => {
      const q = (new URL(request.url).searchParams.get("q") ?? "").replace(/\s/g, "");
      return HttpResponse.json(searchAnswer(fixtures.filter((f) => f.siren === q).map(companyResult)));
    }),
    http.get(BODACC_RECORDS_URL, ({ request }) => {
      const where = new URL(request.url).searchParams.get("where") ?? "";
      const siren = /registre like "(\d{9})"/.exec(where)?.[1];
      const found = fixtures.find((f) => f.siren === siren);
      return HttpResponse.json(bodaccAnswer((found?.announcements ?? []) as ReturnType<typeof bodaccRecord>[]));
    }),
  ];
}
