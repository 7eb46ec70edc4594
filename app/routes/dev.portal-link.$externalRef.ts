import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { systemClock } from "~/domain/clock";
import { issuePortalLink } from "~/services/portal/links.server";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";

/**
 * Development only (mocked providers, not production): opens the portal of a
 * debtor by its external reference, like `npm run portal-link` does on the
 * command line. 404 everywhere else.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const env = getEnv();
  if (!env.mocks.resend || env.NODE_ENV === "production") throw new Response("Not found", { status: 404 });
  const debtor = await db.debtor.findFirst({ where: { externalRef: params.externalRef ?? "" }, select: { id: true, creditorId: true } });
  if (!debtor) throw new Response("Not found", { status: 404 });
  const link = await issuePortalLink(db, debtor, { clock: systemClock });
  return redirect(link.url, { headers: { "Referrer-Policy": "no-referrer" } });
}
