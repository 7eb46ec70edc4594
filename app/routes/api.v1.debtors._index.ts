import type { LoaderFunctionArgs } from "@remix-run/node";
import { handleApi, methodNotAllowed } from "~/services/api/handler.server";
import { listDebtors } from "~/services/api/sync.server";

export function loader({ request }: LoaderFunctionArgs) {
  return handleApi(request, { run: (ctx) => listDebtors(ctx, new URL(request.url)) });
}

export const action = () => methodNotAllowed(["GET"]);
