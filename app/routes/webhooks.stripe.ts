import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "~/services/webhooks/receive.server";
import { db } from "~/utils/db.server";

/** Stripe webhooks (see receiveWebhook). In production server.ts answers this path before Remix; same code. */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return new Response("Method not allowed", { status: 405 });
  const reply = await receiveWebhook(db, "stripe", await request.text(), request.headers);
  return Response.json(reply.body, { status: reply.status });
}
