import type { LoaderFunctionArgs } from "@remix-run/node";
import { resolveShortCode } from "~/services/messaging/short-links.server";
import { db } from "~/utils/db.server";

const noReferrer = { "Referrer-Policy": "no-referrer", "Cache-Control": "no-store" };

/**
 * An SMS reminder's short link. Reads only (SMS previewers fetch links too): it hands over to the
 * magic-link landing /p/<token>, which checks expiry and revocation, keeps scanners out of the
 * session and opens the portal for that one debtor. An unknown code is a plain 404.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const location = await resolveShortCode(db, params.code ?? "");
  if (!location) throw new Response("Not found", { status: 404, headers: noReferrer });
  return new Response(null, { status: 302, headers: { ...noReferrer, Location: location } });
}
