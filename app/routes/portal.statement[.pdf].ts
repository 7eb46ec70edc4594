import type { LoaderFunctionArgs } from "@remix-run/node";
import { isoDay } from "~/domain/clock";
import { buildPortalStatement, pdfHeaders } from "~/services/documents/documents.server";
import { db } from "~/utils/db.server";
import { getLocale } from "~/utils/locale.server";
import { requirePortalIdentity } from "~/utils/portal-session.server";

/** GET /portal/statement.pdf — the session debtor's relevé de compte. */
export async function loader({ request }: LoaderFunctionArgs) {
  const identity = await requirePortalIdentity(request);
  const now = new Date();
  const pdf = await buildPortalStatement(db, identity, now, await getLocale(request));
  return new Response(new Uint8Array(pdf), { headers: pdfHeaders(`releve-${isoDay(now)}.pdf`, { inline: true, size: pdf.byteLength }) });
}
