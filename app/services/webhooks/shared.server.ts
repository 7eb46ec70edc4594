import type { z } from "zod";
import type { Db } from "~/utils/db.server";

/** What the provider handlers share: their signature, their outcome, the payload check, and what an event is about. */
export type WebhookProvider = "STRIPE" | "GOCARDLESS" | "RESEND" | "TWILIO";
export type WebhookOutcome = "processed" | "ignored";
export type WebhookHandler = (db: Db, payload: unknown, now: Date) => Promise<WebhookOutcome>;

const INVALID_PAYLOAD = "invalid_payload";

/**
 * A signed event whose content is not what the provider documents (a field of
 * the wrong type): retrying cannot fix it, so it fails once, with the field named.
 */
export class MalformedWebhookError extends Error {
  constructor(
    public readonly field: string,
    detail: string,
  ) {
    super(`${INVALID_PAYLOAD}: ${field}: ${detail}`);
    this.name = "MalformedWebhookError";
  }
}

/** Parses a stored payload with the handler's schema; the first wrong field becomes the error. */
export function parseWebhookPayload<S extends z.ZodType>(schema: S, payload: unknown): z.infer<S> {
  const result = schema.safeParse(payload);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new MalformedWebhookError(issue.path.map(String).join(".") || "(body)", issue.message);
}

/** The field named by a stored MalformedWebhookError message (the back-office shows it translated), else null. */
export function invalidPayloadField(lastError: string | null): string | null {
  const match = lastError?.startsWith(`${INVALID_PAYLOAD}: `) ? /^[^:]+: ([^:]+):/.exec(lastError) : null;
  return match?.[1] ?? null;
}

const text = (v: unknown) => (typeof v === "string" && v ? v : undefined);
const idOf = (v: unknown) => text(v) ?? (v && typeof v === "object" ? text((v as { id?: unknown }).id) : undefined);

/**
 * What an event is about: our payment id or the provider's object id (events
 * without one each stand alone). The one answer for both sides of the inbox:
 * on receipt it finds the payment (hence the creditor) owning the event, in
 * the worker it puts events about one thing in one lane. Reads an unchecked
 * payload, so anything that is not a string is skipped.
 */
export function subjectOf(provider: WebhookProvider, payload: unknown): string {
  const p = (payload && typeof payload === "object" ? payload : {}) as {
    id?: unknown;
    links?: Record<string, unknown> | null;
    data?: {
      object?: { id?: unknown; client_reference_id?: unknown; payment_intent?: unknown; metadata?: Record<string, unknown> | null } | null;
      email_id?: unknown;
    } | null;
  };
  if (provider === "STRIPE") {
    const object = p.data?.object;
    return (
      text(object?.metadata?.payment_id) ??
      text(object?.client_reference_id) ??
      idOf(object?.payment_intent) ??
      text(object?.id) ??
      text(p.id) ??
      ""
    );
  }
  if (provider === "GOCARDLESS") {
    const links = p.links ?? {};
    return text(links.payment) ?? text(links.billing_request) ?? text(links.mandate) ?? text(links.instalment_schedule) ?? text(p.id) ?? "";
  }
  return text(p.data?.email_id) ?? text(p.id) ?? "";
}
