import type { LoaderFunctionArgs } from "@remix-run/node";
import { handleApi, listEvents, methodNotAllowed } from "~/services/api/api.server";

export function loader({ request }: LoaderFunctionArgs) {
  return handleApi(request, { run: (ctx) => listEvents(ctx, new URL(request.url)) });
}

export const action = () => methodNotAllowed(["GET"]);
