import type { LoaderFunctionArgs } from "@remix-run/node";
import { isoDay } from "~/domain/clock";
import { makeT, type MessageKey } from "~/i18n";
import { stageLabel } from "~/i18n/labels";
import { exportInvoicesCsv, parseInvoiceFilters } from "~/services/backoffice/invoices.server";
import { db } from "~/utils/db.server";
import { getLocale } from "~/utils/locale.server";
import { requireStaff } from "~/utils/staff-session.server";

/**
 * The invoice list as a spreadsheet: the same filters and order as the page
 * (all pages), this creditor's invoices only. ";" separated, UTF-8 with BOM and
 * decimal commas in French, so Excel opens it as it is.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const locale = await getLocale(request);
  const t = makeT(locale);
  const { defaultCurrency } = await db.creditor.findUniqueOrThrow({ where: { id: staff.creditorId }, select: { defaultCurrency: true } });
  const filters = parseInvoiceFilters(new URL(request.url).searchParams, defaultCurrency);
  const now = new Date();
  const columns = [
    "number",
    "debtor",
    "debtorRef",
    "issueDate",
    "dueDate",
    "amount",
    "paid",
    "credited",
    "balance",
    "currency",
    "status",
    "stage",
  ];
  const csv = await exportInvoicesCsv(db, staff.creditorId, { ...filters, page: 1 }, now, {
    header: columns.map((c) => t(`csv.invoice.${c}` as MessageKey)),
    status: (status) => t(`bo.invoiceStatus.${status}`),
    stage: (stage) => stageLabel(locale, stage),
    decimal: locale === "fr" ? "," : ".",
  });
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${locale === "fr" ? "factures" : "invoices"}-${isoDay(now)}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
