import { buildOpenApiDocument } from "~/services/api/openapi.server";
import { getEnv } from "~/utils/env.server";

/** Public: the API's description, for client generators and the docs page. */
export function loader() {
  return new Response(JSON.stringify(buildOpenApiDocument(getEnv().APP_URL), null, 2), {
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "public, max-age=300" },
  });
}
