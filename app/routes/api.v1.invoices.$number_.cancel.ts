import type { ActionFunctionArgs } from "@remix-run/node";
import { CancelBody, cancelInvoice, handleApi, methodNotAllowed } from "~/services/api/api.server";

export const loader = () => methodNotAllowed(["POST"]);

export function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  return handleApi(request, { schema: CancelBody, run: (ctx, body) => cancelInvoice(ctx, params.number ?? "", body) });
}
