import type { LoaderFunctionArgs } from "@remix-run/node";
import { handleApi, methodNotAllowed } from "~/services/api/handler.server";
import { listPromises } from "~/services/api/sync.server";

export function loader({ request }: LoaderFunctionArgs) {
  return handleApi(request, { run: (ctx) => listPromises(ctx, new URL(request.url)) });
}

export const action = () => methodNotAllowed(["GET"]);
