import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { completeBankConnection } from "~/services/bank/feed.server";
import { db } from "~/utils/db.server";
import { requireStaff } from "~/utils/staff-session.server";

/** The bank sends the staff member back here after the consent (?ref=<connection id>). */
export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, "AGENT");
  const ref = new URL(request.url).searchParams.get("ref") ?? "";
  await completeBankConnection(db, { creditorId: staff.creditorId, reference: ref, now: new Date() });
  return redirect("/app/bank");
}
