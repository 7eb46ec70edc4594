import type { ActionFunctionArgs } from "@remix-run/node";
import { handleApi, methodNotAllowed } from "~/services/api/handler.server";
import { cancelInvoice } from "~/services/api/invoices.server";
import { CancelBody } from "~/services/api/schemas.server";

export const loader = () => methodNotAllowed(["POST"]);

export function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  return handleApi(request, { schema: CancelBody, run: (ctx, body) => cancelInvoice(ctx, params.number ?? "", body) });
}
