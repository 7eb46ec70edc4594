import type { LoaderFunctionArgs } from "@remix-run/node";
import { findCreditorDocument, pdfHeaders, readDocument } from "~/services/documents/documents.server";
import { db } from "~/utils/db.server";
import { requireStaff } from "~/utils/staff-session.server";

/** GET /app/documents/:attachmentId — a generated document (mise en demeure, dossier) of the staff member's creditor. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const attachment = await findCreditorDocument(db, staff.creditorId, params.attachmentId ?? "");
  if (!attachment) throw new Response("Not found", { status: 404 });
  const bytes = await readDocument(attachment);
  return new Response(new Uint8Array(bytes), { headers: pdfHeaders(attachment.fileName, { size: bytes.byteLength }) });
}
