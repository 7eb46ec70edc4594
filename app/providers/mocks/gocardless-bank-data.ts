import { http, HttpResponse } from "msw";
import { randomId } from "./utils";

const base = "https://bankaccountdata.gocardless.com/api/v2";

type Requisition = {
  id: string;
  status: string;
  link: string;
  accounts: string[];
  redirect: string;
  reference: string;
  institution_id: string;
};
type BookedTransaction = Record<string, unknown>;
type Store = { requisitions: Map<string, Requisition>; transactions: Map<string, BookedTransaction[]> };

/** Shared across module copies (server bundle and boot code). Tests push booked transactions with `bankDataStore().transactions.set(account, [...])`. */
export function bankDataStore(): Store {
  const g = globalThis as { __relanceBankData?: Store };
  return (g.__relanceBankData ??= { requisitions: new Map(), transactions: new Map() });
}

const institutions = [
  {
    id: "BNP_PARIBAS_BNPAFRPP",
    name: "BNP Paribas",
    bic: "BNPAFRPP",
    transaction_total_days: "730",
    countries: ["FR"],
    logo: "https://cdn.nordigen.com/ais/BNP_PARIBAS_BNPAFRPP.png",
  },
  {
    id: "SOCIETE_GENERALE_SOGEFRPP",
    name: "Société Générale",
    bic: "SOGEFRPP",
    transaction_total_days: "540",
    countries: ["FR"],
    logo: "https://cdn.nordigen.com/ais/SOCIETE_GENERALE_SOGEFRPP.png",
  },
  {
    id: "CREDIT_AGRICOLE_AGRIFRPP",
    name: "Crédit Agricole",
    bic: "AGRIFRPP",
    transaction_total_days: "730",
    countries: ["FR"],
    logo: "https://cdn.nordigen.com/ais/CREDIT_AGRICOLE_AGRIFRPP.png",
  },
  {
    id: "SANDBOXFINANCE_SFIN0000",
    name: "Sandbox Finance",
    bic: "SFIN0000",
    transaction_total_days: "90",
    countries: ["XX"],
    logo: "https://cdn.nordigen.com/ais/SANDBOXFINANCE_SFIN0000.png",
  },
];

const unauthorized = () =>
  HttpResponse.json(
    { summary: "Authentication credentials were not provided.", detail: "Authentication credentials were not provided.", status_code: 401 },
    { status: 401 },
  );
const authed = (request: Request) => /^Bearer mock-access-/.test(request.headers.get("authorization") ?? "");

/**
 * GoCardless Bank Account Data, the calls relance makes. The consent is given
 * at once: the mocked bank link goes straight back to the redirect URL with
 * the reference, and the requisition is then LN (linked) with one account.
 */
export const gocardlessBankDataHandlers = [
  http.post(`${base}/token/new/`, async ({ request }) => {
    const body = (await request.json()) as { secret_id?: string; secret_key?: string };
    if (!body.secret_id || !body.secret_key)
      return HttpResponse.json({ secret_id: ["This field is required."], status_code: 400 }, { status: 400 });
    return HttpResponse.json({
      access: `mock-access-${randomId("")}`,
      access_expires: 86400,
      refresh: `mock-refresh-${randomId("")}`,
      refresh_expires: 2592000,
    });
  }),
  http.get(`${base}/institutions/`, ({ request }) => {
    if (!authed(request)) return unauthorized();
    const country = (new URL(request.url).searchParams.get("country") ?? "").toUpperCase();
    return HttpResponse.json(institutions.filter((i) => i.countries.includes(country) || country === ""));
  }),
  http.post(`${base}/requisitions/`, async ({ request }) => {
    if (!authed(request)) return unauthorized();
    const body = (await request.json()) as { institution_id: string; redirect: string; reference: string };
    const id = crypto.randomUUID();
    const link = `${body.redirect}${body.redirect.includes("?") ? "&" : "?"}ref=${encodeURIComponent(body.reference)}`;
    const requisition: Requisition = {
      id,
      status: "CR",
      link,
      accounts: [],
      redirect: body.redirect,
      reference: body.reference,
      institution_id: body.institution_id,
    };
    bankDataStore().requisitions.set(id, requisition);
    return HttpResponse.json(
      {
        ...requisition,
        created: new Date().toISOString(),
        agreement: crypto.randomUUID(),
        user_language: "FR",
        ssn: null,
        account_selection: false,
        redirect_immediate: false,
      },
      { status: 201 },
    );
  }),
  http.get(`${base}/requisitions/:id/`, ({ request, params }) => {
    if (!authed(request)) return unauthorized();
    const requisition = bankDataStore().requisitions.get(String(params.id));
    if (!requisition) return HttpResponse.json({ summary: "Not found.", detail: "Not found.", status_code: 404 }, { status: 404 });
    // The user has been to the bank (the link redirected back): linked, with one account.
    if (requisition.status === "CR") Object.assign(requisition, { status: "LN", accounts: [crypto.randomUUID()] });
    return HttpResponse.json(requisition);
  }),
  http.get(`${base}/accounts/:id/transactions/`, ({ request, params }) => {
    if (!authed(request)) return unauthorized();
    const booked = bankDataStore().transactions.get(String(params.id)) ?? [];
    return HttpResponse.json({ transactions: { booked, pending: [] } });
  }),
];
