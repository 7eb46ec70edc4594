import type { ActionFunctionArgs } from "@remix-run/node";
import { LifecycleBody, postLifecycleStatus } from "~/services/api/einvoice.server";
import { handleApi, methodNotAllowed } from "~/services/api/handler.server";

export const loader = () => methodNotAllowed(["POST"]);

/** POST /api/v1/invoices/{number}/lifecycle: {code, date, reason} — a status of the e-invoice life cycle from the creditor's platform. */
export function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  return handleApi(request, { schema: LifecycleBody, run: (ctx, body) => postLifecycleStatus(ctx, params.number ?? "", body) });
}
