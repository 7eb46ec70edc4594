import type { LoaderFunctionArgs } from "@remix-run/node";
import { readAttachment } from "~/services/disputes/open.server";
import { findDisputeAttachment } from "~/services/backoffice/inbox.server";
import { db } from "~/utils/db.server";
import { requireStaff } from "~/utils/staff-session.server";

/**
 * GET /app/attachments/:attachmentId — a file a debtor attached to a dispute,
 * for the staff of that creditor only (404 otherwise). Always downloaded,
 * never rendered inline: the type was sniffed at upload (PDF, PNG, JPEG).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const attachment = await findDisputeAttachment(db, staff.creditorId, params.attachmentId ?? "");
  if (!attachment) throw new Response("Not found", { status: 404 });
  const bytes = await readAttachment(attachment);
  const ascii = attachment.fileName.replace(/[^\w.-]/g, "_");
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": attachment.contentType,
      "Content-Length": String(bytes.byteLength),
      "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(attachment.fileName)}`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
