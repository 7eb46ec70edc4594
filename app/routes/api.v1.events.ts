import type { LoaderFunctionArgs } from "@remix-run/node";
import { listEvents } from "~/services/api/events.server";
import { handleApi, methodNotAllowed } from "~/services/api/handler.server";

export function loader({ request }: LoaderFunctionArgs) {
  return handleApi(request, { run: (ctx) => listEvents(ctx, new URL(request.url)) });
}

export const action = () => methodNotAllowed(["GET"]);
