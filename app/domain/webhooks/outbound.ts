/**
 * Outbound webhooks (decision 021): which trace entries become which events,
 * the retry schedule, and which URLs an endpoint may have. Pure.
 */
export const OUTBOUND_EVENT_TYPES = [
  "invoice.paid",
  "payment.succeeded",
  "payment.failed",
  "plan.proposed",
  "plan.accepted",
  "dispute.opened",
  "dispute.resolved",
  "promise.created",
  "promise.broken",
  "reminder.sent",
  "letter.sent",
  "lifecycle.encaissee",
  "bank_transaction.unmatched",
] as const;
export type OutboundEventType = (typeof OUTBOUND_EVENT_TYPES)[number];

export const isOutboundEventType = (s: string): s is OutboundEventType => (OUTBOUND_EVENT_TYPES as readonly string[]).includes(s);

type TraceData = { from?: { status?: string }; to?: { status?: string } | string } | null | undefined;

/**
 * The event a written-trace entry (Communication.kind) stands for, or null.
 * `dunning.*` entries are written per invoice by the state door: they give
 * invoice.paid (the invoice moved to PAID), plan.*, dispute.opened and promise.*.
 */
export function eventTypeForTrace(kind: string, data: unknown): OutboundEventType | null {
  const d = data as TraceData;
  switch (kind) {
    case "payment.succeeded":
    case "payment.transfer_recorded":
    case "payment.bank_transfer_matched":
      return "payment.succeeded";
    case "payment.failed":
      return "payment.failed";
    case "dunning.plan_proposed":
      return "plan.proposed";
    case "dunning.plan_activated":
      return "plan.accepted";
    case "dunning.dispute_opened":
      return "dispute.opened";
    case "dispute.resolved_credit":
    case "dispute.rejected":
      return "dispute.resolved";
    case "dunning.promise_made":
      return "promise.created";
    case "dunning.promise_broken":
      return "promise.broken";
    case "dunning.email":
      return "reminder.sent";
    case "letter.sent":
      return "letter.sent";
  }
  if (kind.startsWith("dunning.") && typeof d?.to === "object" && d.to?.status === "PAID" && d.from?.status !== "PAID")
    return "invoice.paid";
  return null;
}

/** A state-door entry can be both a payment step and "the invoice is now paid". */
export function eventTypesForTrace(kind: string, data: unknown): OutboundEventType[] {
  const d = data as TraceData;
  const main = eventTypeForTrace(kind, data);
  const paid = kind.startsWith("dunning.") && typeof d?.to === "object" && d.to?.status === "PAID" && d.from?.status !== "PAID";
  const out = main ? [main] : [];
  if (paid && main !== "invoice.paid") out.push("invoice.paid");
  return out;
}

/** Delay before attempt n+1 after attempt n failed (1-based): 30 s, 2 min, 10 min, 1 h, 6 h; then it gives up. */
export const RETRY_DELAYS_MS = [30_000, 120_000, 600_000, 3_600_000, 21_600_000] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
export function retryDelayMs(attempt: number): number | null {
  return RETRY_DELAYS_MS[attempt - 1] ?? null;
}

/** The receiver's answer kept in the delivery log. */
export const RESPONSE_BODY_MAX = 2000;
export const truncate = (s: string, max = RESPONSE_BODY_MAX) => (s.length > max ? `${s.slice(0, max)}…` : s);

export type UrlProblem = "invalid" | "https_required";
/** https only; plain http only to this machine (localhost, 127.0.0.1, ::1) outside production. */
export function checkEndpointUrl(raw: string, opts: { production: boolean }): UrlProblem | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return "invalid";
  }
  if (url.username || url.password) return "invalid";
  if (url.protocol === "https:") return null;
  if (url.protocol !== "http:") return "invalid";
  const local = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  return local && !opts.production ? null : "https_required";
}
