import crypto from "node:crypto";
import twilio from "twilio";
import { getEnv } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";
import { singleton } from "~/utils/singleton.server";

/**
 * The SMS provider (Twilio, decision 026): the only file that imports its SDK. Without keys the real SDK
 * still runs, with a placeholder account, and the MSW stand-in (mocks/twilio.ts) answers its HTTP call.
 */
export const MOCK_ACCOUNT_SID = "AC00000000000000000000000000000000";
const MOCK_FROM = "relance";

/** Twilio's answer codes that mean "never to this number again": unsubscribed (STOP), not a mobile, unreachable. */
const OPTED_OUT_CODES = new Set([21610]);
const BAD_NUMBER_CODES = new Set([21211, 21214, 21614, 21408]);

export type SmsSendResult =
  | { ok: true; providerMessageId: string; status: string }
  | { ok: false; retryable: boolean; message: string; reason: "opted_out" | "bad_number" | "not_configured" | "provider" };

function credentials(): { accountSid: string; authToken: string; from: string } | null {
  const env = getEnv();
  if (env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN && !env.mocks.sms)
    return { accountSid: env.TWILIO_ACCOUNT_SID, authToken: env.TWILIO_AUTH_TOKEN, from: env.TWILIO_FROM ?? MOCK_FROM };
  if (!env.mocks.sms) return null;
  return { accountSid: MOCK_ACCOUNT_SID, authToken: smsAuthToken(), from: env.TWILIO_FROM ?? MOCK_FROM };
}

const client = () => {
  const c = credentials()!;
  return singleton(`twilio:${c.accountSid}`, () => twilio(c.accountSid, c.authToken));
};

export type SmsAccountCheck =
  { ok: true; accountSid: string; name: string; status: string; trial: boolean } | { ok: false; message: string };

/** The go-live check: Twilio's own record of the account the keys open (active? a trial sends only to verified numbers). */
export async function verifySmsAccount(): Promise<SmsAccountCheck> {
  const c = credentials();
  if (!c) return { ok: false, message: "SMS provider not configured (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN)" };
  try {
    const account = await client().api.v2010.accounts(c.accountSid).fetch();
    return { ok: true, accountSid: account.sid, name: account.friendlyName, status: account.status, trial: account.type === "Trial" };
  } catch (error) {
    const e = error as { code?: number; message?: string };
    return { ok: false, message: `${e.code ? `Twilio ${e.code}: ` : ""}${e.message ?? "no response from the SMS provider"}` };
  }
}

/**
 * Sends one SMS;/**
 * Sends one SMS; `statusCallback` is where Twilio posts its delivery reports (signed with the auth token).
 * Twilio has no idempotency key for messages: the caller guards against sending twice (sms.server.ts).
 */
export async function sendSms(sms: { to: string; body: string; statusCallback: string }): Promise<SmsSendResult> {
  const c = credentials();
  if (!c)
    return {
      ok: false,
      retryable: false,
      reason: "not_configured",
      message: "SMS provider not configured (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN)",
    };
  try {
    const message = await client().messages.create({ to: sms.to, from: c.from, body: sms.body, statusCallback: sms.statusCallback });
    return { ok: true, providerMessageId: message.sid, status: message.status };
  } catch (error) {
    const e = error as { status?: number; code?: number; message?: string };
    const status = e.status ?? 0;
    const reason = OPTED_OUT_CODES.has(e.code ?? 0) ? "opted_out" : BAD_NUMBER_CODES.has(e.code ?? 0) ? "bad_number" : "provider";
    logger.warn({ status, code: e.code }, "SMS provider refused the message");
    return {
      ok: false,
      retryable: reason === "provider" && (status === 0 || status === 429 || status >= 500),
      reason,
      message: `${e.code ? `Twilio ${e.code}: ` : ""}${e.message ?? "no response from the SMS provider"}`,
    };
  }
}

/** Twilio signs its webhooks with the account's auth token; the stand-in uses one derived from the session secret. */
export function smsAuthToken(): string {
  const env = getEnv();
  if (env.TWILIO_AUTH_TOKEN && !env.mocks.sms) return env.TWILIO_AUTH_TOKEN;
  return crypto.createHash("sha256").update(`twilio-webhook:${env.SESSION_SECRET}`).digest("hex").slice(0, 32);
}

/** The URL Twilio is told to call back (and signs): our public address, whatever proxy the request came through. */
export function smsCallbackUrl(query: Record<string, string> = {}): string {
  const search = new URLSearchParams(query).toString();
  return `${getEnv().APP_URL}/webhooks/sms${search ? `?${search}` : ""}`;
}

/**
 * X-Twilio-Signature: HMAC-SHA1 of the full URL Twilio called followed by the sorted form parameters
 * (twilio.validateRequest). `url` must be the exact URL configured at Twilio (smsCallbackUrl).
 */
export function verifySmsWebhook(url: string, params: Record<string, string>, signature: string | null): boolean {
  if (!signature) return false;
  return twilio.validateRequest(smsAuthToken(), signature, url, params);
}

/** Signs like Twilio does (tests and the dev SMS page). */
export function signSmsWebhook(url: string, params: Record<string, string>): string {
  return twilio.getExpectedTwilioSignature(smsAuthToken(), url, params);
}
