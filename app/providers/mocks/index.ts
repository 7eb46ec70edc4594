import { setupServer } from "msw/node";
import { getEnv } from "~/utils/env.server";
import { companyRegistryHandlers } from "./company-registry";
import { ecbHandlers } from "./ecb";
import { gocardlessHandlers } from "./gocardless";
import { gocardlessBankDataHandlers } from "./gocardless-bank-data";
import { resendHandlers } from "./resend";
import { resendInboundHandlers } from "./resend-inbound";
import { stripeHandlers } from "./stripe";
import { twilioAccountHandlers, twilioHandlers } from "./twilio";

/**
 * Answers the providers' HTTP APIs in-process (the real SDKs still run).
 * Switched on per provider when its key is absent; other traffic passes through.
 * The ECB Data Portal needs no key: it is answered locally outside production
 * (and in a MOCKS=true demo) unless the caller says otherwise.
 */
export function startMockServer(which: {
  stripe: boolean;
  gocardless: boolean;
  resend: boolean;
  gocardlessBank?: boolean;
  ecb?: boolean;
  sms?: boolean;
}) {
  const env = getEnv();
  const ecb = which.ecb ?? (env.MOCKS === true || env.NODE_ENV !== "production");
  // The public company registries (decision 024): the stand-in outside production unless COMPANY_REGISTRY_LIVE=true.
  const companyRegistry = env.MOCKS === true || (env.NODE_ENV !== "production" && env.COMPANY_REGISTRY_LIVE !== true);
  const server = setupServer(
    ...(ecb ? ecbHandlers : []),
    ...(companyRegistry ? companyRegistryHandlers() : []),
    ...(which.stripe ? stripeHandlers : []),
    ...(which.gocardless ? gocardlessHandlers : []),
    ...(which.resend ? [...resendHandlers, ...resendInboundHandlers] : []),
    ...(which.gocardlessBank ? gocardlessBankDataHandlers : []),
    ...(which.sms ? [...twilioHandlers, ...twilioAccountHandlers] : []),
  );
  server.listen({ onUnhandledRequest: "bypass" });
  return () => server.close();
}

export { stripeHandlers, gocardlessHandlers, resendHandlers, resendInboundHandlers, ecbHandlers, gocardlessBankDataHandlers };
