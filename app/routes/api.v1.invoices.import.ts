import type { ActionFunctionArgs } from "@remix-run/node";
import { importInvoiceFile } from "~/services/api/einvoice.server";
import { handleApi, methodNotAllowed } from "~/services/api/handler.server";

export const loader = () => methodNotAllowed(["POST"]);

/** POST /api/v1/invoices/import: a Factur-X PDF, UBL 2.1 or CII XML as the body; ?fileName= names the original kept. */
export function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const fileName = new URL(request.url).searchParams.get("fileName") ?? "api-upload";
  return handleApi(request, {
    raw: true,
    run: (ctx, body) => importInvoiceFile(ctx, body as { contentType: string; bytes: Uint8Array }, fileName),
  });
}
