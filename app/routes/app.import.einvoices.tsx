import {
  json,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { LIFECYCLE_LABELS, LIFECYCLE_STATUSES, type LifecycleCode } from "~/domain/einvoice/lifecycle";
import { makeT, type MessageKey } from "~/i18n";
import { useRootLocale } from "~/root";
import { EINVOICE_MAX_BYTES, EInvoiceImportError, importEInvoice } from "~/services/einvoice/import.server";
import { INBOUND_LIFECYCLE_CODES, LifecycleError, recordLifecycleStatus } from "~/services/einvoice/lifecycle.server";
import { db } from "~/utils/db.server";
import { getLocale } from "~/utils/locale.server";
import { pageTitle } from "~/utils/page-title";
import { requireStaff } from "~/utils/staff-session.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "einvoice.title");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request, "AGENT");
  return json({ codes: INBOUND_LIFECYCLE_CODES, today: new Date().toISOString().slice(0, 10) });
}

const StatusForm = z.object({
  number: z.string().trim().min(1, "einvoice.status.error.invoice_not_found").max(100),
  code: z.coerce.number().int(),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "einvoice.status.error.date"),
  reason: z.string().trim().max(2000).optional(),
});

type Values = Record<string, string>;
type Result =
  | { intent: "import"; ok: true; outcome: "created" | "updated"; number: string; debtor: string; warnings: string[] }
  | { intent: "import"; ok: false; error: MessageKey; detail: string }
  | { intent: "status"; ok: true; label: string; number: string }
  | { intent: "status"; ok: false; errors: Partial<Record<"number" | "code" | "date", MessageKey>>; values: Values };

const gapKey = (field: string) => `einvoice.gap.${field}` as MessageKey;

/** Two forms without JavaScript: an e-invoice file (multipart), or a status reported by the creditor's platform. */
export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request, "AGENT");
  const actor = { type: "STAFF" as const, id: staff.userId };
  const clock = { now: () => new Date() };
  const isMultipart = (request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data");
  const form = isMultipart
    ? await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: EINVOICE_MAX_BYTES }))
    : await request.formData();
  if (form.get("intent") === "import") {
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0)
      return json<Result>({ intent: "import", ok: false, error: "einvoice.error.noFile", detail: "" }, { status: 400 });
    try {
      const result = await importEInvoice(db, {
        creditorId: staff.creditorId,
        bytes: new Uint8Array(await file.arrayBuffer()),
        contentType: file.type,
        fileName: file.name,
        actor,
        clock,
      });
      return json<Result>({
        intent: "import",
        ok: true,
        outcome: result.outcome,
        number: result.invoice.number,
        debtor: result.debtor.name,
        warnings: result.warnings.map((gap) => gap.field),
      });
    } catch (error) {
      if (!(error instanceof EInvoiceImportError)) throw error;
      const t = makeT(await getLocale(request));
      const detail =
        error.code === "not_for_dunning"
          ? (error.details.missing ?? []).map((gap) => t(gapKey(gap.field))).join(", ")
          : error.code === "malformed"
            ? error.message
            : "";
      return json<Result>({ intent: "import", ok: false, error: `einvoice.error.${error.code}` as MessageKey, detail }, { status: 422 });
    }
  }
  const values = Object.fromEntries([...form.entries()].filter(([k]) => k !== "intent").map(([k, v]) => [k, String(v)])) as Values;
  const parsed = StatusForm.safeParse(values);
  if (!parsed.success) {
    const errors: Partial<Record<"number" | "code" | "date", MessageKey>> = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as "number" | "code" | "date";
      errors[field] = field === "code" ? "einvoice.status.error.unknown_code" : (issue.message as MessageKey);
    }
    return json<Result>({ intent: "status", ok: false, errors, values }, { status: 400 });
  }
  try {
    const { event } = await recordLifecycleStatus(db, {
      creditorId: staff.creditorId,
      invoiceNumber: parsed.data.number,
      code: parsed.data.code,
      occurredAt: new Date(`${parsed.data.date}T00:00:00Z`),
      reason: parsed.data.reason ?? null,
      source: "backoffice",
      actor,
      clock,
    });
    return json<Result>({ intent: "status", ok: true, label: event.label, number: parsed.data.number });
  } catch (error) {
    if (!(error instanceof LifecycleError)) throw error;
    const errors =
      error.code === "invoice_not_found"
        ? { number: "einvoice.status.error.invoice_not_found" as const }
        : { code: "einvoice.status.error.unknown_code" as const };
    return json<Result>({ intent: "status", ok: false, errors, values }, { status: 422 });
  }
}

export default function EInvoicesPage() {
  const { codes, today } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as Result | undefined;
  const busy = useNavigation().state !== "idle";
  const locale = useRootLocale();
  const t = makeT(locale);
  const statusLabel = (code: number) => `${code} — ${LIFECYCLE_LABELS[LIFECYCLE_STATUSES[code as LifecycleCode].key][locale]}`;
  const imported = result?.intent === "import" ? result : null;
  const status = result?.intent === "status" ? result : null;
  const statusErrors = status && !status.ok ? status.errors : {};
  const values = status && !status.ok ? status.values : {};

  return (
    <div className="stack">
      <p>
        <Link to="/app/import">{t("intake.title")}</Link>
      </p>
      <h1>{t("einvoice.title")}</h1>

      <Form method="post" encType="multipart/form-data" className="card" aria-labelledby="einvoice-upload">
        <h2 id="einvoice-upload">{t("einvoice.upload")}</h2>
        <p>{t("einvoice.lead")}</p>
        {imported?.ok ? (
          <div role="status">
            <p>
              {t(imported.outcome === "created" ? "einvoice.created" : "einvoice.updated", {
                number: imported.number,
                debtor: imported.debtor,
              })}
            </p>
            {imported.warnings.length > 0 ? (
              <p className="muted">{t("einvoice.warnings", { fields: imported.warnings.map((f) => t(gapKey(f))).join(", ") })}</p>
            ) : null}
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="file">{t("einvoice.file")}</label>
          <input
            id="file"
            name="file"
            type="file"
            accept=".pdf,.xml,application/pdf,application/xml,text/xml"
            required
            aria-invalid={imported && !imported.ok ? true : undefined}
            aria-describedby={imported && !imported.ok ? "file-error" : undefined}
          />
          {imported && !imported.ok ? (
            <p className="field-error" id="file-error" role="alert">
              {t(imported.error, { detail: imported.detail })}
            </p>
          ) : null}
        </div>
        <button type="submit" name="intent" value="import" disabled={busy}>
          {t("einvoice.upload")}
        </button>
      </Form>

      <Form method="post" className="card" aria-labelledby="einvoice-status">
        <h2 id="einvoice-status">{t("einvoice.status.title")}</h2>
        <p className="muted">{t("einvoice.status.lead")}</p>
        {status?.ok ? <p role="status">{t("einvoice.status.saved", { label: status.label, number: status.number })}</p> : null}
        <div className="field">
          <label htmlFor="number">{t("einvoice.status.number")}</label>
          <input
            id="number"
            name="number"
            required
            defaultValue={values.number ?? ""}
            aria-invalid={statusErrors.number ? true : undefined}
            aria-describedby={statusErrors.number ? "number-error" : undefined}
          />
          {statusErrors.number ? (
            <p className="field-error" id="number-error" role="alert">
              {t(statusErrors.number)}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="code">{t("einvoice.status.code")}</label>
          <select
            id="code"
            name="code"
            defaultValue={values.code ?? "210"}
            aria-invalid={statusErrors.code ? true : undefined}
            aria-describedby={statusErrors.code ? "code-error" : undefined}
          >
            {codes.map((code) => (
              <option key={code} value={code}>
                {statusLabel(code)}
              </option>
            ))}
          </select>
          {statusErrors.code ? (
            <p className="field-error" id="code-error" role="alert">
              {t(statusErrors.code)}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="date">{t("einvoice.status.date")}</label>
          <input
            id="date"
            name="date"
            type="date"
            required
            defaultValue={values.date ?? today}
            aria-invalid={statusErrors.date ? true : undefined}
            aria-describedby={statusErrors.date ? "date-error" : undefined}
          />
          {statusErrors.date ? (
            <p className="field-error" id="date-error" role="alert">
              {t(statusErrors.date)}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="reason">{t("einvoice.status.reason")}</label>
          <textarea id="reason" name="reason" rows={3} maxLength={2000} defaultValue={values.reason ?? ""} />
        </div>
        <button type="submit" name="intent" value="status" disabled={busy}>
          {t("einvoice.status.submit")}
        </button>
      </Form>
    </div>
  );
}
