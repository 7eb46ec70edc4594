import type { LoaderFunctionArgs } from "@remix-run/node";
import { buildPortalInvoice, pdfHeaders } from "~/services/documents/documents.server";
import { db } from "~/utils/db.server";
import { getLocale } from "~/utils/locale.server";
import { requirePortalIdentity } from "~/utils/portal-session.server";

/** GET /portal/invoices/:invoiceId/pdf — a PDF copy of one of the session debtor's invoices. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const identity = await requirePortalIdentity(request);
  const pdf = await buildPortalInvoice(db, identity, params.invoiceId ?? "", new Date(), await getLocale(request));
  // Someone else's invoice and a missing one look the same.
  if (!pdf) throw new Response("Not found", { status: 404 });
  return new Response(new Uint8Array(pdf), {
    headers: pdfHeaders(`facture-${params.invoiceId}.pdf`, { inline: true, size: pdf.byteLength }),
  });
}
