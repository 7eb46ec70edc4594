import type { ActionFunctionArgs } from "@remix-run/node";
import { publicUrlOf, receiveSmsWebhook } from "~/services/webhooks/twilio.server";
import { db } from "~/utils/db.server";

/** Twilio's SMS webhooks (delivery reports, replies): X-Twilio-Signature checked on the public URL and the form fields. */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return new Response("Method not allowed", { status: 405 });
  const reply = await receiveSmsWebhook(db, {
    url: publicUrlOf(request.url),
    raw: await request.text(),
    contentType: request.headers.get("content-type"),
    signature: request.headers.get("x-twilio-signature"),
  });
  return new Response(reply.body, { status: reply.status, headers: { "Content-Type": reply.contentType } });
}
