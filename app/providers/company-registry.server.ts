import { z } from "zod";
import { logger } from "~/utils/logger.server";

/**
 * Two public French registries, no key, plain fetch (no SDK exists):
 *
 * - "Recherche d'entreprises" (recherche-entreprises.api.gouv.fr, DINUM):
 *   `GET /search?q=<siren>` answers `{ results: [{ siren, nom_complet,
 *   etat_administratif: "A" | "C", date_creation, date_fermeture,
 *   nature_juridique, … }], total_results, page, per_page, total_pages }`.
 *   A search, not a lookup: the result whose `siren` is the one asked is kept.
 * - BODACC open data (bodacc-datadila.opendatasoft.com, DILA), Explore API
 *   v2.1, dataset `annonces-commerciales`: `GET …/records?where=…` answers
 *   `{ total_count, results: [{ id, dateparution, familleavis, tribunal,
 *   registre: ["833310592", "833 310 592"], jugement: "<JSON text>", … }] }`.
 *   Nested fields (`jugement`, `listepersonnes`) arrive as JSON *strings*.
 *
 * In development and demos a local stand-in answers both (providers/mocks/
 * company-registry.ts) unless COMPANY_REGISTRY_LIVE=true. Failures come back
 * as `{ ok: false, reason }`, never thrown: the caller keeps its state.
 */
export const RECHERCHE_ENTREPRISES_URL = "https://recherche-entreprises.api.gouv.fr/search";
export const BODACC_RECORDS_URL =
  "https://bodacc-datadila.opendatasoft.com/api/explore/v2.1/catalog/datasets/annonces-commerciales/records";

export type RegistryFailure = { ok: false; reason: "network" | "timeout" | "http" | "rate_limited" | "malformed"; message: string };

export type CompanyRecord = {
  siren: string;
  name: string | null;
  status: "ACTIVE" | "CEASED" | "NOT_FOUND";
  /** INSEE "catégorie juridique" code, e.g. 5710 (SAS), 5499 (SARL). */
  legalFormCode: string | null;
  createdOn: string | null;
  ceasedOn: string | null;
};

export type BodaccJudgment = { famille: string | null; nature: string | null; date: string | null; complement: string | null };

export type BodaccAnnouncement = {
  id: string;
  publishedOn: string;
  famille: string | null;
  court: string | null;
  sirens: string[];
  judgment: BodaccJudgment | null;
  url: string | null;
};

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}/);
const day = (v: string | null | undefined) => (v && /^\d{4}-\d{2}-\d{2}/.test(v) ? v.slice(0, 10) : null);

const SearchAnswer = z.object({
  results: z.array(
    z.object({
      siren: z.string(),
      nom_complet: z.string().nullish(),
      nom_raison_sociale: z.string().nullish(),
      etat_administratif: z.string().nullish(),
      date_creation: z.string().nullish(),
      date_fermeture: z.string().nullish(),
      nature_juridique: z.string().nullish(),
    }),
  ),
  total_results: z.number().optional(),
});

const BodaccAnswer = z.object({
  total_count: z.number(),
  results: z.array(
    z.object({
      id: z.string(),
      dateparution: isoDay,
      familleavis: z.string().nullish(),
      tribunal: z.string().nullish(),
      registre: z.union([z.array(z.string()), z.string()]).nullish(),
      jugement: z.union([z.string(), z.record(z.string(), z.unknown())]).nullish(),
      url_complete: z.string().nullish(),
    }),
  ),
});

const JudgmentJson = z.object({
  famille: z.string().nullish(),
  nature: z.string().nullish(),
  date: z.string().nullish(),
  complementJugement: z.string().nullish(),
});

type Options = { timeoutMs?: number };

async function getJson(url: string, opts: Options, source: string): Promise<{ ok: true; body: unknown } | RegistryFailure> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: "application/json", "user-agent": "relance (solvency watch)" },
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
    });
  } catch (error) {
    const timeout = (error as Error).name === "TimeoutError" || (error as Error).name === "AbortError";
    logger.warn({ err: error, source }, `${source} unreachable`);
    return { ok: false, reason: timeout ? "timeout" : "network", message: (error as Error).message };
  }
  if (response.status === 429) return { ok: false, reason: "rate_limited", message: "HTTP 429" };
  if (!response.ok) {
    logger.warn({ status: response.status, source }, `${source} refused the query`);
    return { ok: false, reason: "http", message: `HTTP ${response.status}` };
  }
  try {
    return { ok: true, body: await response.json() };
  } catch {
    return { ok: false, reason: "malformed", message: "not JSON" };
  }
}

/** The registry's entry for one SIREN (9 digits): status A = active, C = ceased; NOT_FOUND when no result has this SIREN. */
export async function fetchCompany(siren: string, opts: Options = {}): Promise<{ ok: true; company: CompanyRecord } | RegistryFailure> {
  const url = `${RECHERCHE_ENTREPRISES_URL}?q=${encodeURIComponent(siren)}&page=1&per_page=5`;
  const answer = await getJson(url, opts, "Recherche d'entreprises");
  if (!answer.ok) return answer;
  const parsed = SearchAnswer.safeParse(answer.body);
  if (!parsed.success) return { ok: false, reason: "malformed", message: parsed.error.issues[0]?.message ?? "unexpected shape" };
  const hit = parsed.data.results.find((r) => r.siren === siren);
  if (!hit) return { ok: true, company: { siren, name: null, status: "NOT_FOUND", legalFormCode: null, createdOn: null, ceasedOn: null } };
  const state = hit.etat_administratif;
  if (state !== "A" && state !== "C") return { ok: false, reason: "malformed", message: `etat_administratif ${String(state)}` };
  return {
    ok: true,
    company: {
      siren,
      name: hit.nom_complet ?? hit.nom_raison_sociale ?? null,
      status: state === "A" ? "ACTIVE" : "CEASED",
      legalFormCode: hit.nature_juridique ?? null,
      createdOn: day(hit.date_creation),
      ceasedOn: day(hit.date_fermeture),
    },
  };
}

/** The page size the Explore API allows at most. */
const BODACC_LIMIT = 100;

/**
 * The collective-proceedings announcements (famille "collective") naming this
 * SIREN, oldest first. `registre` holds the identity twice ("833310592",
 * "833 310 592") and, in a sale, seller and buyer: an announcement is kept
 * only when one of its entries is this SIREN.
 */
export async function fetchCollectiveAnnouncements(
  siren: string,
  opts: Options = {},
): Promise<{ ok: true; announcements: BodaccAnnouncement[] } | RegistryFailure> {
  const params = new URLSearchParams({
    where: `registre like "${siren}" and familleavis="collective"`,
    order_by: "dateparution asc",
    limit: String(BODACC_LIMIT),
  });
  const answer = await getJson(`${BODACC_RECORDS_URL}?${params}`, opts, "BODACC");
  if (!answer.ok) return answer;
  const parsed = BodaccAnswer.safeParse(answer.body);
  if (!parsed.success) return { ok: false, reason: "malformed", message: parsed.error.issues[0]?.message ?? "unexpected shape" };
  // More than a page of proceedings for one company would be read half: refuse rather than decide on a part.
  if (parsed.data.total_count > BODACC_LIMIT)
    return { ok: false, reason: "malformed", message: `${parsed.data.total_count} announcements` };
  const announcements: BodaccAnnouncement[] = [];
  for (const r of parsed.data.results) {
    const registre = r.registre == null ? [] : Array.isArray(r.registre) ? r.registre : r.registre.split(",");
    const sirens = [...new Set(registre.map((s) => s.replace(/\s/g, "")).filter((s) => /^\d{9}$/.test(s)))];
    if (!sirens.includes(siren)) continue;
    let judgment: BodaccJudgment | null = null;
    if (r.jugement) {
      let raw: unknown = r.jugement;
      if (typeof raw === "string") {
        try {
          raw = JSON.parse(raw);
        } catch {
          return { ok: false, reason: "malformed", message: `announcement ${r.id}: jugement is not JSON` };
        }
      }
      const j = JudgmentJson.safeParse(raw);
      if (!j.success) return { ok: false, reason: "malformed", message: `announcement ${r.id}: ${j.error.issues[0]?.message}` };
      judgment = {
        famille: j.data.famille ?? null,
        nature: j.data.nature ?? null,
        date: day(j.data.date),
        complement: j.data.complementJugement ?? null,
      };
    }
    announcements.push({
      id: r.id,
      publishedOn: r.dateparution.slice(0, 10),
      famille: r.familleavis ?? null,
      court: r.tribunal?.replace(/\s+/g, " ").trim() || null,
      sirens,
      judgment,
      url: r.url_complete ?? null,
    });
  }
  return { ok: true, announcements };
}
