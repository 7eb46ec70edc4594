import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import type { ImportField } from "~/domain/intake/csv-import";
import { makeT, type MessageKey } from "~/i18n";
import { useRootLocale } from "~/root";
import type { StoredRowError } from "~/services/intake/error-report.server";
import { findImportJob } from "~/services/intake/import-jobs.server";
import { db } from "~/utils/db.server";
import { requireStaff } from "~/utils/staff-session.server";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "intake.title");

const SHOWN_ERRORS = 200;
const REFRESH_SECONDS = 2;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const job = await findImportJob(db, staff.creditorId, params.jobId ?? "");
  if (!job) throw new Response("Not found", { status: 404 });
  const errors = (job.errors as StoredRowError[]) ?? [];
  return json({
    job: {
      id: job.id,
      fileName: job.fileName,
      status: job.status,
      totalRows: job.totalRows,
      processedRows: job.processedRows,
      createdRows: job.createdRows,
      updatedRows: job.updatedRows,
      errorCount: job.errorCount,
      lastError: job.lastError,
    },
    errors: errors.slice(0, SHOWN_ERRORS),
  });
}

export default function ImportJobPage() {
  const { job, errors } = useLoaderData<typeof loader>();
  const locale = useRootLocale();
  const t = makeT(locale);
  const running = job.status === "QUEUED" || job.status === "RUNNING";
  const revalidator = useRevalidator();
  // With JavaScript: re-run the loader while the worker runs; without it, the <noscript> meta refresh reloads.
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, REFRESH_SECONDS * 1000);
    return () => clearInterval(timer);
  }, [running, revalidator]);
  const percent = job.totalRows > 0 ? Math.round((job.processedRows / job.totalRows) * 100) : running ? 0 : 100;
  const field = (f: ImportField | null) => (f ? t(`intake.field.${f}` as MessageKey) : "—");

  return (
    <div className="stack">
      {running ? (
        <noscript>
          <meta httpEquiv="refresh" content={String(REFRESH_SECONDS)} />
        </noscript>
      ) : null}
      <h1>{t("intake.job.title", { file: job.fileName })}</h1>
      <div className="card stack" aria-live="polite">
        <p>
          <span className={`status import-${job.status.toLowerCase()}`}>{t(`intake.status.${job.status}` as MessageKey)}</span>{" "}
          {t("intake.job.progress", { processed: job.processedRows, total: job.totalRows })}
        </p>
        <progress className="import-progress" max={100} value={percent} aria-label={`${percent} %`}>
          {percent} %
        </progress>
        {running ? <p className="muted">{t("intake.job.running")}</p> : null}
        {job.status === "FAILED" ? (
          <p className="form-error" role="alert">
            {t("intake.job.failed", { message: job.lastError ?? "" })}
          </p>
        ) : null}
        <dl className="import-counts">
          <div className="pair">
            <dt>{t("intake.job.processed")}</dt>
            <dd>{job.processedRows}</dd>
          </div>
          <div className="pair">
            <dt>{t("intake.job.created")}</dt>
            <dd>{job.createdRows}</dd>
          </div>
          <div className="pair">
            <dt>{t("intake.job.updated")}</dt>
            <dd>{job.updatedRows}</dd>
          </div>
          <div className="pair">
            <dt>{t("intake.job.errors")}</dt>
            <dd>{job.errorCount}</dd>
          </div>
        </dl>
      </div>

      {job.errorCount > 0 ? (
        <section aria-labelledby="errors" className="stack">
          <h2 id="errors">{t("intake.job.errorList")}</h2>
          <p>
            <a href={`/app/import/${job.id}/errors.csv`} download>
              {t("intake.job.download")}
            </a>
          </p>
          {job.errorCount > errors.length ? (
            <p className="muted">{t("intake.job.errorsTruncated", { shown: errors.length, count: job.errorCount })}</p>
          ) : null}
          <table className="responsive">
            <thead>
              <tr>
                <th className="num">{t("intake.report.line")}</th>
                <th>{t("intake.report.field")}</th>
                <th>{t("intake.report.error")}</th>
                <th>{t("intake.report.value")}</th>
              </tr>
            </thead>
            <tbody>
              {errors.map((e, i) => (
                <tr key={`${e.line}-${e.field}-${i}`}>
                  <td className="num" data-label={t("intake.report.line")}>
                    {e.line}
                  </td>
                  <td data-label={t("intake.report.field")}>{field(e.field)}</td>
                  <td data-label={t("intake.report.error")}>{t(`intake.error.${e.code}` as MessageKey)}</td>
                  <td data-label={t("intake.report.value")}>{e.value ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      <p>
        <Link to="/app/import">{t("intake.job.back")}</Link>
      </p>
    </div>
  );
}
