import type { LoaderFunctionArgs } from "@remix-run/node";
import { handleApi, methodNotAllowed } from "~/services/api/handler.server";
import { listPayments } from "~/services/api/sync.server";

export function loader({ request }: LoaderFunctionArgs) {
  return handleApi(request, { run: (ctx) => listPayments(ctx, new URL(request.url)) });
}

export const action = () => methodNotAllowed(["GET"]);
