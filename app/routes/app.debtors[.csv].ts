import type { LoaderFunctionArgs } from "@remix-run/node";
import { isoDay } from "~/domain/clock";
import { makeT, type MessageKey } from "~/i18n";
import { exportDebtorsCsv, parseDebtorFilters } from "~/services/backoffice/debtors.server";
import { db } from "~/utils/db.server";
import { getLocale } from "~/utils/locale.server";
import { requireStaff } from "~/utils/staff-session.server";

/**
 * The debtor list as a spreadsheet: the same filters and order as the page
 * (all pages), this creditor's debtors only, one line per currency owed.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const locale = await getLocale(request);
  const t = makeT(locale);
  const { defaultCurrency } = await db.creditor.findUniqueOrThrow({ where: { id: staff.creditorId }, select: { defaultCurrency: true } });
  const filters = parseDebtorFilters(new URL(request.url).searchParams, defaultCurrency);
  const now = new Date();
  const columns = ["name", "ref", "email", "segment", "openInvoices", "balance", "currency"];
  const csv = await exportDebtorsCsv(db, staff.creditorId, { ...filters, page: 1 }, now, {
    header: columns.map((c) => t(`csv.debtor.${c}` as MessageKey)),
    segment: (segment) => t(`bo.segment.${segment}`),
    decimal: locale === "fr" ? "," : ".",
  });
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${locale === "fr" ? "debiteurs" : "debtors"}-${isoDay(now)}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
