import { signGoCardlessBody } from "~/providers/gocardless.server";
import { signStripePayload } from "~/providers/stripe.server";
import { getEnv } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";

/**
 * The local stand-in for the providers' hosted pages (mocks only): what the
 * debtor clicks there becomes correctly signed webhooks posted over HTTP to our
 * own endpoints, exactly as Stripe and GoCardless would deliver them.
 */
export function sandboxEnabled(provider: "stripe" | "gocardless") {
  return getEnv().mocks[provider];
}

export async function deliverStripeEvents(events: object[]) {
  for (const event of events) {
    const body = JSON.stringify(event);
    const response = await fetch(`${getEnv().APP_URL}/webhooks/stripe`, {
      method: "POST",
      body,
      headers: { "content-type": "application/json", "stripe-signature": signStripePayload(body) },
    });
    if (!response.ok) logger.warn({ status: response.status }, "sandbox: stripe webhook not accepted");
  }
}

export async function deliverGoCardlessEvents(events: object[]) {
  if (events.length === 0) return;
  const body = JSON.stringify({ events, meta: { webhook_id: `WB${Date.now()}` } });
  const response = await fetch(`${getEnv().APP_URL}/webhooks/gocardless`, {
    method: "POST",
    body,
    headers: { "content-type": "application/json", "webhook-signature": signGoCardlessBody(body) },
  });
  if (!response.ok) logger.warn({ status: response.status }, "sandbox: gocardless webhook not accepted");
}

/** The mocked providers' state (the hosted pages read and change it). Loaded only when a sandbox page is used. */
export function stripeMock() {
  return import("./stripe");
}

export function gocardlessMock() {
  return import("./gocardless");
}

/** The payments GoCardless would collect for a plan's instalment schedule, for the sandbox buttons. */
export async function sandboxSchedule(scheduleId: string) {
  const { gocardlessStore } = await gocardlessMock();
  const schedule = gocardlessStore().schedules.get(scheduleId) as { links: { payments: string[] } } | undefined;
  if (!schedule) return null;
  return schedule.links.payments.map((id) => {
    const p = gocardlessStore().payments.get(id) as { id: string; status: string; amount: number; charge_date: string };
    return { id: p.id, status: p.status, amount: p.amount, chargeDate: p.charge_date };
  });
}
