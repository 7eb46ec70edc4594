import type { ActionFunctionArgs } from "@remix-run/node";
import { handleApi, methodNotAllowed } from "~/services/api/handler.server";
import { postPayment } from "~/services/api/payments.server";
import { PaymentBody } from "~/services/api/schemas.server";

export const loader = () => methodNotAllowed(["POST"]);

export function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  return handleApi(request, { schema: PaymentBody, run: (ctx, body) => postPayment(ctx, params.number ?? "", body) });
}
