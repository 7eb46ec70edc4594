import {
  json,
  redirect,
  unstable_composeUploadHandlers,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  type UploadHandler,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { IMPORT_FIELDS, missingMappings, REQUIRED_FIELDS, type ImportField, type ImportMapping } from "~/domain/intake/csv-import";
import { makeT, type MessageKey } from "~/i18n";
import { wakeJob } from "~/services/wake.server";
import { useRootLocale } from "~/root";
import { queueImport, recentImportJobs } from "~/services/intake/import-jobs.server";
import { findPendingUpload, IMPORT_LIMITS, previewUpload, storeUpload, type StoredUpload } from "~/services/intake/uploads.server";
import { db } from "~/utils/db.server";
import { requireStaff } from "~/utils/staff-session.server";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "intake.title");

const MAX_MB = IMPORT_LIMITS.maxBytes / 1024 / 1024;

/** `map_<field>` query / form values → mapping; null when none was sent (then we guess). */
function mappingFrom(params: URLSearchParams | FormData): ImportMapping | null {
  if (!IMPORT_FIELDS.some((f) => params.has(`map_${f}`))) return null;
  const mapping: ImportMapping = {};
  for (const f of IMPORT_FIELDS) {
    const header = String(params.get(`map_${f}`) ?? "");
    if (header) mapping[f] = header;
  }
  return mapping;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const url = new URL(request.url);
  const jobs = (await recentImportJobs(db, staff.creditorId)).map((j) => ({ ...j, createdAt: j.createdAt.toISOString() }));
  const canImport = staff.role !== "VIEWER";
  const uploadId = url.searchParams.get("upload");
  if (!uploadId || !canImport) return json({ jobs, canImport, upload: null });
  const pending = await findPendingUpload(staff.creditorId, uploadId);
  if (!pending) throw new Response("Not found", { status: 404 });
  const creditor = await db.creditor.findUniqueOrThrow({ where: { id: staff.creditorId }, select: { defaultCurrency: true } });
  const preview = await previewUpload(uploadId, mappingFrom(url.searchParams), creditor.defaultCurrency);
  return json({
    jobs,
    canImport,
    upload: { id: uploadId, fileName: pending.fileName, ...preview, missing: missingMappings(preview.mapping) },
  });
}

/** Streams the file to disk (never whole in memory); other fields are tiny. */
function fileHandler(owner: { creditorId: string; userId: string }, stored: { value: StoredUpload | null }): UploadHandler {
  return async ({ name, filename, data }) => {
    if (name !== "file" || !filename) return undefined;
    stored.value = await storeUpload(owner, filename, data);
    return stored.value.ok ? stored.value.id : null;
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request, "AGENT");
  if ((request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) {
    // Refuse an oversized body before reading it.
    if (Number(request.headers.get("Content-Length") ?? 0) > IMPORT_LIMITS.maxBytes + 64 * 1024) {
      return json({ error: "intake.upload.errors.too_large" }, { status: 413 });
    }
    const stored: { value: StoredUpload | null } = { value: null };
    await unstable_parseMultipartFormData(
      request,
      unstable_composeUploadHandlers(
        fileHandler({ creditorId: staff.creditorId, userId: staff.userId }, stored),
        unstable_createMemoryUploadHandler({ maxPartSize: 4 * 1024 }),
      ),
    );
    if (!stored.value) return json({ error: "intake.upload.errors.missing" }, { status: 400 });
    if (!stored.value.ok) return json({ error: `intake.upload.errors.${stored.value.code}` }, { status: 400 });
    return redirect(`/app/import?upload=${stored.value.id}`);
  }
  const form = await request.formData();
  const uploadId = String(form.get("upload") ?? "");
  const mapping = mappingFrom(form) ?? {};
  if (missingMappings(mapping).length > 0) return json({ error: "intake.mapping.missing" }, { status: 400 });
  const job = await queueImport(db, staff.creditorId, uploadId, mapping, staff.userId);
  if (!job) throw new Response("Not found", { status: 404 });
  await wakeJob("import_process");
  return redirect(`/app/import/${job.id}`);
}

export default function ImportPage() {
  const { jobs, canImport, upload } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const locale = useRootLocale();
  const t = makeT(locale);
  const fieldLabel = (f: ImportField) => t(`intake.field.${f}` as MessageKey);

  return (
    <div className="stack">
      <h1>{t("intake.title")}</h1>
      <p>
        <Link to="/app/import/einvoices">{t("einvoice.link")}</Link>
      </p>
      {result?.error ? (
        <p className="form-error" role="alert">
          {t(result.error as MessageKey, { fields: upload ? upload.missing.map(fieldLabel).join(", ") : "" })}
        </p>
      ) : null}

      {canImport && !upload ? (
        <Form method="post" encType="multipart/form-data" className="card">
          <p>{t("intake.lead")}</p>
          <div className="field">
            <label htmlFor="file">{t("intake.file")}</label>
            <input id="file" name="file" type="file" accept=".csv,text/csv" required aria-describedby="file-hint" />
            <p className="muted" id="file-hint">
              {t("intake.fileHint", { max: MAX_MB })}
            </p>
          </div>
          <button type="submit" disabled={busy}>
            {t("intake.upload")}
          </button>
        </Form>
      ) : null}

      {upload ? (
        <section aria-labelledby="mapping" className="stack">
          <h2 id="mapping">{t("intake.mapping.title", { file: upload.fileName })}</h2>
          <p className="muted">{t("intake.mapping.lead")}</p>
          {upload.headers.length === 0 ? (
            <p className="form-error" role="alert">
              {t("intake.upload.errors.unreadable")}
            </p>
          ) : null}
          {/* GET refreshes the preview (works without JavaScript); the confirm button posts. */}
          <Form method="get" className="card">
            <input type="hidden" name="upload" value={upload.id} />
            <div className="mapping-grid">
              {IMPORT_FIELDS.map((f) => (
                <div className="field" key={f}>
                  <label htmlFor={`map_${f}`}>
                    {fieldLabel(f)} {REQUIRED_FIELDS.includes(f) ? <span className="muted">({t("intake.mapping.required")})</span> : null}
                  </label>
                  <select
                    id={`map_${f}`}
                    name={`map_${f}`}
                    defaultValue={upload.mapping[f] ?? ""}
                    aria-invalid={upload.missing.includes(f) || undefined}
                  >
                    <option value="">{t("intake.mapping.none")}</option>
                    {upload.headers.map((h) => (
                      <option key={h} value={h}>
                        {h}
                      </option>
                    ))}
                  </select>
                </div>
              ))}
            </div>
            {upload.missing.length > 0 ? (
              <p className="field-error" role="alert">
                {t("intake.mapping.missing", { fields: upload.missing.map(fieldLabel).join(", ") })}
              </p>
            ) : null}
            <div className="row">
              <button type="submit" className="secondary" disabled={busy}>
                {t("intake.mapping.refresh")}
              </button>
              <button type="submit" formMethod="post" name="intent" value="confirm" disabled={busy || upload.missing.length > 0}>
                {t("intake.mapping.confirm")}
              </button>
            </div>
          </Form>

          <h3>{t("intake.preview.title")}</h3>
          <div className="table-scroll">
            <table className="responsive preview">
              <thead>
                <tr>
                  <th>{t("intake.preview.line")}</th>
                  {IMPORT_FIELDS.filter((f) => upload.mapping[f]).map((f) => (
                    <th key={f}>{fieldLabel(f)}</th>
                  ))}
                  <th>{t("intake.job.errors")}</th>
                </tr>
              </thead>
              <tbody>
                {upload.rows.map((row) => (
                  <tr key={row.line} className={row.errors.length ? "has-error" : undefined}>
                    <td data-label={t("intake.preview.line")}>{row.line}</td>
                    {IMPORT_FIELDS.filter((f) => upload.mapping[f]).map((f) => (
                      <td key={f} data-label={fieldLabel(f)}>
                        {row.cells[f]}
                      </td>
                    ))}
                    <td data-label={t("intake.job.errors")}>
                      {row.errors.length === 0
                        ? t("intake.preview.ok")
                        : row.errors
                            .map((e) => `${e.field ? fieldLabel(e.field) : ""} : ${t(`intake.error.${e.code}` as MessageKey)}`)
                            .join(" · ")}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      <section aria-labelledby="jobs">
        <h2 id="jobs">{t("intake.jobs.title")}</h2>
        {jobs.length === 0 ? <p className="muted">{t("intake.jobs.none")}</p> : null}
        {jobs.length > 0 ? (
          <table className="responsive">
            <thead>
              <tr>
                <th>{t("intake.jobs.file")}</th>
                <th>{t("intake.jobs.date")}</th>
                <th>{t("intake.job.processed")}</th>
                <th className="num">{t("intake.job.created")}</th>
                <th className="num">{t("intake.job.updated")}</th>
                <th className="num">{t("intake.job.errors")}</th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((j) => (
                <tr key={j.id}>
                  <td data-label={t("intake.jobs.file")}>
                    <Link to={`/app/import/${j.id}`}>{j.fileName}</Link>
                  </td>
                  <td data-label={t("intake.jobs.date")}>{new Date(j.createdAt).toLocaleString(locale)}</td>
                  <td data-label={t("intake.job.processed")}>
                    <span className={`status import-${j.status.toLowerCase()}`}>{t(`intake.status.${j.status}` as MessageKey)}</span>{" "}
                    {j.processedRows}/{j.totalRows}
                  </td>
                  <td className="num" data-label={t("intake.job.created")}>
                    {j.createdRows}
                  </td>
                  <td className="num" data-label={t("intake.job.updated")}>
                    {j.updatedRows}
                  </td>
                  <td className="num" data-label={t("intake.job.errors")}>
                    {j.errorCount}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
    </div>
  );
}
