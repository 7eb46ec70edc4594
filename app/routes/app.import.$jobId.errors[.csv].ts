import type { LoaderFunctionArgs } from "@remix-run/node";
import type { ImportField } from "~/domain/intake/csv-import";
import { makeT, type MessageKey } from "~/i18n";
import { errorReportCsv } from "~/services/intake/error-report.server";
import { findImportJob } from "~/services/intake/import-jobs.server";
import { db } from "~/utils/db.server";
import { getLocale } from "~/utils/locale.server";
import { requireStaff } from "~/utils/staff-session.server";

/** The row errors of one import as a CSV a spreadsheet opens (";" separated, UTF-8 with BOM). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const job = await findImportJob(db, staff.creditorId, params.jobId ?? "");
  if (!job) throw new Response("Not found", { status: 404 });
  const t = makeT(await getLocale(request));
  const csv = errorReportCsv(
    job,
    (e) => t(`intake.error.${e.code}` as MessageKey),
    {
      line: t("intake.report.line"),
      field: t("intake.report.field"),
      error: t("intake.report.error"),
      value: t("intake.report.value"),
      truncated: t("intake.report.truncated"),
    },
    (f: ImportField) => t(`intake.field.${f}` as MessageKey),
  );
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="import-${job.id}-errors.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
