import crypto from "node:crypto";
import Stripe from "stripe";
import { getEnv } from "~/utils/env.server";
import { singleton } from "~/utils/singleton.server";

/**
 * The only module that imports the Stripe SDK. Real keys in the environment
 * talk to Stripe; without them the same SDK calls are answered by the local
 * MSW handlers (app/providers/mocks/stripe.ts) and the hosted page is our sandbox.
 */
export type StripeMethod = "card" | "sepa_debit";

export class ProviderUnavailableError extends Error {
  constructor(
    public readonly provider: "stripe" | "gocardless",
    cause: unknown,
  ) {
    super(`${provider} is unavailable: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = "ProviderUnavailableError";
  }
}

const MOCK_KEY = "sk_test_relance_local_sandbox";

function client(): Stripe {
  return singleton("stripe", () => {
    const env = getEnv();
    const key = env.mocks.stripe ? MOCK_KEY : env.STRIPE_SECRET_KEY!;
    // Fail fast: the debtor is waiting on the other end of this call.
    return new Stripe(key, { maxNetworkRetries: 1, timeout: 10_000, telemetry: false });
  });
}

/** In mock mode a local secret stands in for Stripe's, so the sandbox can sign the events it delivers. */
export function stripeWebhookSecret(): string {
  const env = getEnv();
  if (env.STRIPE_WEBHOOK_SECRET) return env.STRIPE_WEBHOOK_SECRET;
  return `whsec_${crypto.createHash("sha256").update(`stripe-webhook:${env.SESSION_SECRET}`).digest("hex")}`;
}

export type CheckoutInput = {
  paymentId: string;
  amount: number;
  currency: string;
  method: StripeMethod;
  description: string;
  customerEmail?: string | null;
  locale: "fr" | "en";
  successUrl: string;
  cancelUrl: string;
};

/** A Checkout Session for one payment; the payment id is the idempotency key, so a retry never makes a second session. */
export async function createCheckoutSession(input: CheckoutInput): Promise<{ id: string; url: string; paymentIntentId: string | null }> {
  try {
    const session = await client().checkout.sessions.create(
      {
        mode: "payment",
        // A filter on Stripe's dynamic payment methods, not a fixed list: "card" keeps Apple Pay and
        // Google Pay (wallets are card payments in Checkout) wherever the device and the dashboard allow them.
        allowed_payment_method_types: [input.method],
        line_items: [
          {
            quantity: 1,
            price_data: { currency: input.currency.toLowerCase(), unit_amount: input.amount, product_data: { name: input.description } },
          },
        ],
        client_reference_id: input.paymentId,
        metadata: { payment_id: input.paymentId },
        payment_intent_data: { metadata: { payment_id: input.paymentId } },
        ...(input.customerEmail ? { customer_email: input.customerEmail } : {}),
        locale: input.locale,
        success_url: input.successUrl,
        cancel_url: input.cancelUrl,
      },
      { idempotencyKey: `checkout:${input.paymentId}` },
    );
    if (!session.url) throw new Error("Checkout Session without a URL");
    return {
      id: session.id,
      url: session.url,
      paymentIntentId: typeof session.payment_intent === "string" ? session.payment_intent : (session.payment_intent?.id ?? null),
    };
  } catch (error) {
    throw new ProviderUnavailableError("stripe", error);
  }
}

export type StripeEvent = Stripe.Event;
export type StripeCheck = { ok: true; event: Stripe.Event } | { ok: false; reason: "signature" | "payload" };

/** How far a signed timestamp may be from our clock, either way (seconds). */
const SIGNATURE_TOLERANCE = 300;

/**
 * Verifies Stripe-Signature on the raw body (HMAC-SHA256), signed within 5
 * minutes of now in either direction: the SDK only bounds the past, so a
 * signature dated ahead (a skewed or replayed signer) is refused here.
 */
export function verifyStripeWebhook(raw: string, signature: string | null, now = new Date()): StripeCheck {
  if (!signature) return { ok: false, reason: "signature" };
  const signedAt = Number(/(?:^|,)\s*t=(\d+)/.exec(signature)?.[1]);
  if (!Number.isFinite(signedAt) || Math.abs(now.getTime() / 1000 - signedAt) > SIGNATURE_TOLERANCE)
    return { ok: false, reason: "signature" };
  try {
    const event = client().webhooks.constructEvent(raw, signature, stripeWebhookSecret(), SIGNATURE_TOLERANCE, undefined, now.getTime());
    if (!event || typeof event.id !== "string" || typeof event.type !== "string") return { ok: false, reason: "payload" };
    return { ok: true, event };
  } catch (error) {
    return { ok: false, reason: error instanceof SyntaxError ? "payload" : "signature" };
  }
}

/** Signs a payload the way Stripe does (sandbox, tests, benchmark). */
export function signStripePayload(payload: string, at = new Date()): string {
  return client().webhooks.generateTestHeaderString({ payload, secret: stripeWebhookSecret(), timestamp: Math.floor(at.getTime() / 1000) });
}

export type StripeAccountCheck =
  { ok: true; accountId: string; name: string | null; chargesEnabled: boolean; testKey: boolean } | { ok: false; message: string };

/** Go-live checklist: the account the configured key belongs to (GET /v1/account, the SDK's accounts.retrieveCurrent()), or Stripe's own words for the refusal. */
export async function verifyStripeAccount(): Promise<StripeAccountCheck> {
  const env = getEnv();
  try {
    const account = await client().accounts.retrieveCurrent();
    return {
      ok: true,
      accountId: account.id,
      name: account.settings?.dashboard?.display_name ?? account.business_profile?.name ?? null,
      chargesEnabled: account.charges_enabled ?? false,
      testKey: env.mocks.stripe || !/^(sk|rk)_live_/.test(env.STRIPE_SECRET_KEY ?? ""),
    };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}
