import type { ActionFunctionArgs } from "@remix-run/node";
import { handleApi, methodNotAllowed, PaymentBody, postPayment } from "~/services/api/api.server";

export const loader = () => methodNotAllowed(["POST"]);

export function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  return handleApi(request, { schema: PaymentBody, run: (ctx, body) => postPayment(ctx, params.number ?? "", body) });
}
