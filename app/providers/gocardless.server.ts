import crypto from "node:crypto";
import { GoCardlessClient } from "gocardless-nodejs/client";
import { Environments } from "gocardless-nodejs/constants";
import { verifySignature } from "gocardless-nodejs/webhooks";
import { getEnv } from "~/utils/env.server";
import { singleton } from "~/utils/singleton.server";
import { ProviderUnavailableError } from "./stripe.server";

/**
 * The only module that imports the GoCardless SDK. Without an access token the
 * SDK's HTTP calls are answered by app/providers/mocks/gocardless.ts and the hosted
 * flow is our sandbox page.
 */
const MOCK_TOKEN = "sandbox_relance_local_token";

function client(): GoCardlessClient {
  return singleton("gocardless", () => {
    const env = getEnv();
    const token = env.mocks.gocardless ? MOCK_TOKEN : env.GOCARDLESS_ACCESS_TOKEN!;
    const environment = env.mocks.gocardless || env.GOCARDLESS_ENVIRONMENT === "sandbox" ? Environments.Sandbox : Environments.Live;
    return new GoCardlessClient(token, environment, { raiseOnIdempotencyConflict: false });
  });
}

export function gocardlessWebhookSecret(): string {
  const env = getEnv();
  return env.GOCARDLESS_WEBHOOK_SECRET ?? crypto.createHash("sha256").update(`gocardless-webhook:${env.SESSION_SECRET}`).digest("hex");
}

export type BankPaymentInput = {
  paymentId: string;
  amount: number;
  currency: string;
  description: string;
  /** Also ask for a mandate (for installment plans collected by direct debit). */
  mandate?: boolean;
  redirectUrl: string;
  exitUrl: string;
  locale: "fr" | "en";
  email?: string | null;
};

/** A Billing Request (instant bank pay) and its hosted flow; our payment id is the idempotency key and the metadata. */
export async function createBankPayment(input: BankPaymentInput): Promise<{ billingRequestId: string; url: string }> {
  try {
    const br = await client().billingRequests.create(
      {
        payment_request: {
          amount: String(input.amount) as never,
          currency: input.currency,
          description: input.description,
          metadata: { payment_id: input.paymentId },
        },
        ...(input.mandate ? { mandate_request: { scheme: "sepa_core" } as never } : {}),
        metadata: { payment_id: input.paymentId },
      },
      `brq:${input.paymentId}`,
    );
    const flow = await client().billingRequestFlows.create({
      redirect_uri: input.redirectUrl,
      exit_uri: input.exitUrl,
      language: input.locale,
      links: { billing_request: br.id! },
      ...(input.email ? { prefilled_customer: { email: input.email } } : {}),
    } as never);
    return { billingRequestId: br.id!, url: flow.authorisation_url! };
  } catch (error) {
    throw new ProviderUnavailableError("gocardless", error);
  }
}

/** A mandate-only Billing Request: the debtor authorises debits once, installments are then collected automatically. */
export async function createMandateRequest(input: {
  planId: string;
  currency: string;
  redirectUrl: string;
  exitUrl: string;
  locale: "fr" | "en";
}) {
  try {
    const br = await client().billingRequests.create(
      { mandate_request: { scheme: "sepa_core", currency: input.currency } as never, metadata: { plan_id: input.planId } },
      `mandate:${input.planId}`,
    );
    const flow = await client().billingRequestFlows.create({
      redirect_uri: input.redirectUrl,
      exit_uri: input.exitUrl,
      language: input.locale,
      links: { billing_request: br.id! },
    } as never);
    return { billingRequestId: br.id!, url: flow.authorisation_url! };
  } catch (error) {
    throw new ProviderUnavailableError("gocardless", error);
  }
}

/** Instalment Schedule with explicit dates; amounts must sum to the total (GoCardless checks it too). */
export async function createInstalmentSchedule(input: {
  planId: string;
  mandateId: string;
  currency: string;
  name: string;
  instalments: { chargeDate: string; amount: number }[];
}) {
  const total = input.instalments.reduce((s, i) => s + i.amount, 0);
  const schedule = await client().instalmentSchedules.createWithDates(
    {
      name: input.name,
      currency: input.currency as never,
      total_amount: String(total) as never,
      instalments: input.instalments.map((i) => ({ charge_date: i.chargeDate, amount: String(i.amount) })) as never,
      links: { mandate: input.mandateId },
      metadata: { plan_id: input.planId },
    } as never,
    `schedule:${input.planId}`,
  );
  return { id: schedule.id! };
}

export async function findGoCardlessPayment(id: string) {
  const payment = await client().payments.find(id);
  return {
    id: payment.id!,
    status: payment.status as string,
    amount: Number(payment.amount),
    chargeDate: payment.charge_date ?? null,
    metadata: (payment.metadata ?? {}) as Record<string, string>,
    instalmentScheduleId: (payment.links as { instalment_schedule?: string } | undefined)?.instalment_schedule ?? null,
  };
}

export async function findBillingRequest(id: string) {
  const br = await client().billingRequests.find(id);
  const links = (br.links ?? {}) as Record<string, string | undefined>;
  return {
    id: br.id!,
    status: br.status as string,
    metadata: (br.metadata ?? {}) as Record<string, string>,
    paymentId: links.payment_request_payment ?? null,
    mandateId: links.mandate_request_mandate ?? null,
    customerId: links.customer ?? null,
  };
}

export type GoCardlessEvent = {
  id: string;
  created_at?: string;
  resource_type: string;
  action: string;
  links: Record<string, string | undefined>;
  details?: { cause?: string; description?: string };
  metadata?: Record<string, string>;
};

export type GoCardlessCheck = { ok: true; events: GoCardlessEvent[] } | { ok: false; reason: "signature" | "payload" };

/** Verifies Webhook-Signature (HMAC-SHA256 of the raw body with the endpoint secret), then parses the events. */
export function verifyGoCardlessWebhook(raw: string, signature: string | null): GoCardlessCheck {
  if (!signature) return { ok: false, reason: "signature" };
  try {
    verifySignature(raw, gocardlessWebhookSecret(), signature);
  } catch {
    return { ok: false, reason: "signature" };
  }
  try {
    const body = JSON.parse(raw) as { events?: unknown };
    if (!Array.isArray(body.events)) return { ok: false, reason: "payload" };
    const events = body.events.filter(
      (e): e is GoCardlessEvent =>
        !!e &&
        typeof (e as GoCardlessEvent).id === "string" &&
        typeof (e as GoCardlessEvent).resource_type === "string" &&
        typeof (e as GoCardlessEvent).action === "string",
    );
    return { ok: true, events: events.map((e) => ({ ...e, links: e.links ?? {} })) };
  } catch {
    return { ok: false, reason: "payload" };
  }
}

export function signGoCardlessBody(raw: string): string {
  return crypto.createHmac("sha256", gocardlessWebhookSecret()).update(raw).digest("hex");
}

export type GoCardlessCreditorCheck =
  { ok: true; creditorId: string; name: string; verificationStatus: string; sandbox: boolean } | { ok: false; message: string };

/** Go-live checklist: the creditor the access token belongs to (creditors.list()), or GoCardless's own words for the refusal. */
export async function verifyGoCardlessCreditor(): Promise<GoCardlessCreditorCheck> {
  const env = getEnv();
  try {
    const { creditors } = await client().creditors.list();
    const creditor = creditors[0];
    if (!creditor?.id) return { ok: false, message: "No creditor is attached to this access token." };
    return {
      ok: true,
      creditorId: creditor.id,
      name: creditor.name ?? creditor.id,
      verificationStatus: String(creditor.verification_status ?? "unknown"),
      sandbox: env.mocks.gocardless || env.GOCARDLESS_ENVIRONMENT === "sandbox",
    };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}
