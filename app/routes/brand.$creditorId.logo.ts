import type { LoaderFunctionArgs } from "@remix-run/node";
import { findCreditorLogo, readLogo } from "~/services/documents/logo.server";
import { db } from "~/utils/db.server";

/**
 * GET /brand/:creditorId/logo — the creditor's logo, public and cacheable:
 * email clients fetch it without a session. Only the attachment the creditor
 * points at as its LOGO is served; any other id answers 404.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const logo = await findCreditorLogo(db, params.creditorId ?? "");
  if (!logo) throw new Response("Not found", { status: 404, headers: { "Cache-Control": "public, max-age=300" } });
  const etag = `"${logo.sha256.slice(0, 32)}"`;
  const headers = {
    "Content-Type": logo.contentType,
    ETag: etag,
    // The URL carries the logo's version (?v=): a day in caches, revalidated by ETag after that.
    "Cache-Control": "public, max-age=86400",
    "X-Content-Type-Options": "nosniff",
    // Webmail pages on other origins display it.
    "Cross-Origin-Resource-Policy": "cross-origin",
    "Content-Security-Policy": "default-src 'none'",
  };
  const match = request.headers.get("If-None-Match");
  if (match && match.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag)) return new Response(null, { status: 304, headers });
  const bytes = await readLogo(logo);
  return new Response(new Uint8Array(bytes), { headers: { ...headers, "Content-Length": String(bytes.byteLength) } });
}
