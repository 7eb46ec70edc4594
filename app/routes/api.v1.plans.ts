import type { LoaderFunctionArgs } from "@remix-run/node";
import { handleApi, methodNotAllowed } from "~/services/api/handler.server";
import { listPlans } from "~/services/api/sync.server";

export function loader({ request }: LoaderFunctionArgs) {
  return handleApi(request, { run: (ctx) => listPlans(ctx, new URL(request.url)) });
}

export const action = () => methodNotAllowed(["GET"]);
