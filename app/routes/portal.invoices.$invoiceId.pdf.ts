import type { LoaderFunctionArgs } from "@remix-run/node";
import { portalInvoicePdf, pdfHeaders } from "~/services/documents/documents.server";
import { db } from "~/utils/db.server";
import { getLocale } from "~/utils/locale.server";
import { requirePortalIdentity } from "~/utils/portal-session.server";

/** GET /portal/invoices/:invoiceId/pdf — one of the session debtor's invoices (the creditor's original, or a copy), named after its number. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const identity = await requirePortalIdentity(request);
  const invoice = await portalInvoicePdf(db, identity, params.invoiceId ?? "", new Date(), await getLocale(request));
  // Someone else's invoice and a missing one look the same.
  if (!invoice) throw new Response("Not found", { status: 404 });
  return new Response(new Uint8Array(invoice.pdf), {
    headers: pdfHeaders(invoice.fileName, { inline: true, size: invoice.pdf.byteLength }),
  });
}
