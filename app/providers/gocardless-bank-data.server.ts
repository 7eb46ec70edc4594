import { z } from "zod";
import { getEnv } from "~/utils/env.server";

/**
 * GoCardless Bank Account Data (formerly Nordigen): read-only access to the
 * creditor's own bank account. One wrapper, typed results; nothing else calls
 * the API. Secrets from GOCARDLESS_BANK_SECRET_ID / _KEY (absent: the local
 * mock answers on the same base URL).
 */
export const BANK_DATA_BASE = "https://bankaccountdata.gocardless.com/api/v2/";

export class BankDataError extends Error {
  constructor(
    public readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "BankDataError";
  }
}

const Token = z.object({ access: z.string(), access_expires: z.number() });
const Institution = z.object({ id: z.string(), name: z.string(), bic: z.string().optional(), logo: z.string().optional() });
const Requisition = z.object({ id: z.string(), status: z.string(), link: z.string(), accounts: z.array(z.string()).default([]) });
const Amount = z.object({ amount: z.string(), currency: z.string() });
const Transaction = z.object({
  transactionId: z.string().optional(),
  internalTransactionId: z.string().optional(),
  bookingDate: z.string(),
  valueDate: z.string().optional(),
  transactionAmount: Amount,
  debtorName: z.string().optional(),
  debtorAccount: z.object({ iban: z.string().optional() }).optional(),
  creditorName: z.string().optional(),
  creditorAccount: z.object({ iban: z.string().optional() }).optional(),
  remittanceInformationUnstructured: z.string().optional(),
  remittanceInformationUnstructuredArray: z.array(z.string()).optional(),
  remittanceInformationStructured: z.string().optional(),
  bankTransactionCode: z.string().optional(),
  proprietaryBankTransactionCode: z.string().optional(),
});
const Transactions = z.object({ transactions: z.object({ booked: z.array(Transaction), pending: z.array(Transaction).optional() }) });

export type BankDataInstitution = z.infer<typeof Institution>;
export type BankDataRequisition = z.infer<typeof Requisition>;
export type BankDataTransaction = z.infer<typeof Transaction>;

let cached: { access: string; until: number } | null = null;

async function call<T extends z.ZodType>(
  method: "GET" | "POST",
  path: string,
  schema: T,
  body?: unknown,
  auth = true,
): Promise<z.output<T>> {
  const headers: Record<string, string> = { accept: "application/json", "content-type": "application/json" };
  if (auth) headers.authorization = `Bearer ${await accessToken()}`;
  const response = await fetch(new URL(path, BANK_DATA_BASE), {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const json = await response.json().catch(() => null);
  if (!response.ok)
    throw new BankDataError(
      response.status,
      `GoCardless Bank Account Data ${method} ${path}: ${response.status} ${JSON.stringify(json)?.slice(0, 300)}`,
    );
  return schema.parse(json);
}

async function accessToken() {
  if (cached && cached.until > Date.now()) return cached.access;
  const env = getEnv();
  const token = await call(
    "POST",
    "token/new/",
    Token,
    { secret_id: env.GOCARDLESS_BANK_SECRET_ID ?? "mock-secret-id", secret_key: env.GOCARDLESS_BANK_SECRET_KEY ?? "mock-secret-key" },
    false,
  );
  cached = { access: token.access, until: Date.now() + (token.access_expires - 60) * 1000 };
  return token.access;
}

export function listInstitutions(country: string) {
  return call("GET", `institutions/?country=${encodeURIComponent(country.toLowerCase())}`, z.array(Institution));
}

/** Starts the consent at the bank: the user is sent to `link`, and comes back to `redirect` with ?ref=<reference>. */
export function createRequisition(input: { institutionId: string; redirect: string; reference: string; language: "FR" | "EN" }) {
  return call("POST", "requisitions/", Requisition, {
    institution_id: input.institutionId,
    redirect: input.redirect,
    reference: input.reference,
    user_language: input.language,
  });
}

/** Status LN = linked (accounts listed); CR created, GA/UA/SA in progress; RJ rejected, EX expired. */
export function getRequisition(id: string) {
  return call("GET", `requisitions/${encodeURIComponent(id)}/`, Requisition);
}

export async function listTransactions(accountId: string, opts: { dateFrom?: string } = {}) {
  const query = opts.dateFrom ? `?date_from=${opts.dateFrom}` : "";
  const result = await call("GET", `accounts/${encodeURIComponent(accountId)}/transactions/${query}`, Transactions);
  return result.transactions.booked;
}

/** Tests: forget the cached access token. */
export function resetBankDataToken() {
  cached = null;
}
