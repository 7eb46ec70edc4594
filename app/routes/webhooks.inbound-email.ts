import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveRawInboundEmail } from "~/services/inbound/raw-endpoint.server";
import { db } from "~/utils/db.server";

/** Raw MIME from any relay (Postfix pipe, a provider forwarding message/rfc822): see receiveRawInboundEmail. */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return Response.json({ error: "method_not_allowed" }, { status: 405 });
  const reply = await receiveRawInboundEmail(db, request);
  return Response.json(reply.body, { status: reply.status });
}
