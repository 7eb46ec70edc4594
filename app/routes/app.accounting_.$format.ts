import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { exportPayments, parseRange } from "~/services/accounting/export.server";
import { db } from "~/utils/db.server";
import { requireStaff } from "~/utils/staff-session.server";

/** /app/accounting/csv and /app/accounting/fec?from=AAAA-MM-JJ&to=AAAA-MM-JJ: this creditor's payments received, as files. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, "AGENT");
  const format = params.format;
  if (format !== "csv" && format !== "fec") throw new Response("Not found", { status: 404 });
  const url = new URL(request.url);
  const range = parseRange(url.searchParams);
  // Back to the form, which says what is wrong next to the dates.
  if (!range) throw redirect(`/app/accounting${url.search}`);
  const body = await exportPayments(db, staff.creditorId, range, format);
  const span = `${range.from.toISOString().slice(0, 10)}_${range.to.toISOString().slice(0, 10)}`;
  return new Response(body, {
    headers: {
      "Content-Type": format === "csv" ? "text/csv; charset=utf-8" : "text/plain; charset=utf-8",
      "Content-Disposition": `attachment; filename="${format === "csv" ? `paiements_${span}.csv` : `FEC_banque_${span}.txt`}"`,
      "Cache-Control": "no-store",
    },
  });
}
