import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { getDebtor, putDebtor } from "~/services/api/debtors.server";
import { handleApi, methodNotAllowed } from "~/services/api/handler.server";
import { DebtorBody } from "~/services/api/schemas.server";

export function loader({ request, params }: LoaderFunctionArgs) {
  return handleApi(request, { run: (ctx) => getDebtor(ctx, params.externalRef ?? "") });
}

export function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "PUT") return methodNotAllowed(["GET", "PUT"]);
  return handleApi(request, { schema: DebtorBody, run: (ctx, body) => putDebtor(ctx, params.externalRef ?? "", body) });
}
