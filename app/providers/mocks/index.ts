import { setupServer } from "msw/node";
import { gocardlessHandlers } from "./gocardless";
import { resendHandlers } from "./resend";
import { stripeHandlers } from "./stripe";

/**
 * Answers the providers' HTTP APIs in-process (the real SDKs still run).
 * Switched on per provider when its key is absent; other traffic passes through.
 */
export function startMockServer(which: { stripe: boolean; gocardless: boolean; resend: boolean }) {
  const server = setupServer(
    ...(which.stripe ? stripeHandlers : []),
    ...(which.gocardless ? gocardlessHandlers : []),
    ...(which.resend ? resendHandlers : []),
  );
  server.listen({ onUnhandledRequest: "bypass" });
  return () => server.close();
}

export { stripeHandlers, gocardlessHandlers, resendHandlers };
