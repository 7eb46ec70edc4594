import type { LoaderFunctionArgs } from "@remix-run/node";
import { inboundAttachment } from "~/services/inbound/threads.server";
import { db } from "~/utils/db.server";
import { requireStaff } from "~/utils/staff-session.server";

/**
 * GET /app/emails/attachments/:attachmentId — a file a debtor attached to an email, for the staff of that
 * creditor only (404 otherwise). Always downloaded as bytes, never rendered: its type is the sender's claim.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const found = await inboundAttachment(db, staff.creditorId, params.attachmentId ?? "");
  if (!found) throw new Response("Not found", { status: 404 });
  const { attachment, bytes } = found;
  const ascii = attachment.fileName.replace(/[^\w.-]/g, "_");
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": "application/octet-stream",
      "Content-Length": String(bytes.byteLength),
      "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(attachment.fileName)}`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
