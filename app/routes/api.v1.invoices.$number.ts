import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { handleApi, methodNotAllowed } from "~/services/api/handler.server";
import { getInvoice, putInvoice } from "~/services/api/invoices.server";
import { InvoiceBody } from "~/services/api/schemas.server";

export function loader({ request, params }: LoaderFunctionArgs) {
  return handleApi(request, { run: (ctx) => getInvoice(ctx, params.number ?? "") });
}

export function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "PUT") return methodNotAllowed(["GET", "PUT"]);
  return handleApi(request, { schema: InvoiceBody, run: (ctx, body) => putInvoice(ctx, params.number ?? "", body) });
}
