import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { endStaffSession } from "~/utils/staff-session.server";

export async function action({ request }: ActionFunctionArgs) {
  return redirect("/login", { headers: { "Set-Cookie": await endStaffSession(request) } });
}

export function loader() {
  return redirect("/app");
}
