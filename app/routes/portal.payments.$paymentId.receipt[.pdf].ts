import type { LoaderFunctionArgs } from "@remix-run/node";
import { pdfHeaders } from "~/services/documents/documents.server";
import { buildPaymentReceipt, receiptFileName } from "~/services/documents/receipts.server";
import { db } from "~/utils/db.server";
import { getLocale } from "~/utils/locale.server";
import { requirePortalIdentity } from "~/utils/portal-session.server";

/** GET /portal/payments/:paymentId/receipt.pdf — the receipt of one of the session debtor's succeeded payments. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const identity = await requirePortalIdentity(request);
  const receipt = await buildPaymentReceipt(db, identity, params.paymentId ?? "", await getLocale(request));
  // Someone else's payment, a missing one and one not yet succeeded look the same.
  if (!receipt) throw new Response("Not found", { status: 404 });
  return new Response(new Uint8Array(receipt.pdf), {
    headers: pdfHeaders(receiptFileName(receipt.reference), { size: receipt.pdf.byteLength }),
  });
}
