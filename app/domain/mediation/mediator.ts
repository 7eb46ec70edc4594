/**
 * Who a case goes to in mediation (decision 027). Between businesses: the
 * Médiateur des entreprises, the State's free and confidential service. With
 * a consumer: the consumer mediator the creditor has joined and must name
 * (C. conso. L612-1, L616-1; R616-1: its name and its website or address).
 */
export type MediationKind = "BUSINESS_MEDIATOR" | "CONSUMER_MEDIATOR";
export type MediationStatus = "OPEN" | "AGREEMENT" | "NO_AGREEMENT" | "WITHDRAWN";
export type MediationOutcome = Exclude<MediationStatus, "OPEN">;
export const MEDIATION_OUTCOMES: readonly MediationOutcome[] = ["AGREEMENT", "NO_AGREEMENT", "WITHDRAWN"];

export type Mediator = { name: string; url: string | null; address: string | null };

export const BUSINESS_MEDIATOR: Mediator = {
  name: "Médiateur des entreprises",
  url: "https://www.economie.gouv.fr/mediateur-des-entreprises",
  address: null,
};

/** The creditor's consumer mediator from its profile, or null while its name or its website/address is missing. */
export function consumerMediatorOf(creditor: {
  consumerMediatorName: string | null;
  consumerMediatorUrl: string | null;
  consumerMediatorAddr: string | null;
}): Mediator | null {
  const name = creditor.consumerMediatorName?.trim();
  const url = creditor.consumerMediatorUrl?.trim() || null;
  const address = creditor.consumerMediatorAddr?.trim() || null;
  // R616-1: the consumer must be able to reach it — a name alone is not enough.
  if (!name || (!url && !address)) return null;
  return { name, url, address };
}

/** The mediator for a debtor, or null: a consumer's creditor that names no consumer mediator cannot refer the case. */
export function mediatorFor(
  debtorKind: "BUSINESS" | "CONSUMER",
  consumerMediator: Mediator | null,
): { kind: MediationKind; mediator: Mediator } | null {
  if (debtorKind === "BUSINESS") return { kind: "BUSINESS_MEDIATOR", mediator: BUSINESS_MEDIATOR };
  return consumerMediator ? { kind: "CONSUMER_MEDIATOR", mediator: consumerMediator } : null;
}

/** One line naming the mediator: "Name · https://… · address". */
export function mediatorLine(m: Mediator): string {
  return [m.name, m.url, m.address].filter(Boolean).join(" · ");
}

export function isMediationOutcome(value: unknown): value is MediationOutcome {
  return typeof value === "string" && (MEDIATION_OUTCOMES as readonly string[]).includes(value);
}

export type MediatorFormField = "name" | "url" | "address";
export type MediatorFormResult =
  | { ok: true; value: { consumerMediatorName: string | null; consumerMediatorUrl: string | null; consumerMediatorAddr: string | null } }
  | { ok: false; fieldErrors: Partial<Record<MediatorFormField, "name" | "reach" | "url">> };

/**
 * The settings form: all empty clears the mediator; otherwise a name and a
 * way to reach it (an http(s) website or a postal address), as R616-1 asks.
 */
export function parseMediatorForm(input: { name?: string | null; url?: string | null; address?: string | null }): MediatorFormResult {
  const name = (input.name ?? "").trim().slice(0, 200);
  const url = (input.url ?? "").trim().slice(0, 500);
  const address = (input.address ?? "")
    .trim()
    .replace(/\s*\n\s*/g, ", ")
    .slice(0, 500);
  if (!name && !url && !address)
    return { ok: true, value: { consumerMediatorName: null, consumerMediatorUrl: null, consumerMediatorAddr: null } };
  const fieldErrors: Partial<Record<MediatorFormField, "name" | "reach" | "url">> = {};
  if (!name) fieldErrors.name = "name";
  if (url && !isWebAddress(url)) fieldErrors.url = "url";
  if (!url && !address) fieldErrors.url = "reach";
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
  return { ok: true, value: { consumerMediatorName: name, consumerMediatorUrl: url || null, consumerMediatorAddr: address || null } };
}

function isWebAddress(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === "https:" || u.protocol === "http:") && u.hostname.includes(".");
  } catch {
    return false;
  }
}
