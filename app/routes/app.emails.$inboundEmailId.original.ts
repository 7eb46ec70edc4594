import type { LoaderFunctionArgs } from "@remix-run/node";
import { inboundOriginal } from "~/services/inbound/threads.server";
import { db } from "~/utils/db.server";
import { requireStaff } from "~/utils/staff-session.server";

/** GET /app/emails/:inboundEmailId/original — a received email as it arrived, as text, for staff of its creditor only. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const raw = await inboundOriginal(db, staff.creditorId, params.inboundEmailId ?? "");
  if (!raw) throw new Response("Not found", { status: 404 });
  return new Response(new Uint8Array(raw), {
    headers: {
      // Shown, never run: plain text, no sniffing, no scripts even if a browser tried.
      "Content-Type": "text/plain; charset=utf-8",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "private, no-store",
      "Content-Length": String(raw.byteLength),
    },
  });
}
