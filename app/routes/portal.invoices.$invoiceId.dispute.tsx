import { getFormProps, getSelectProps, getTextareaProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
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
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { UPLOAD_LIMITS } from "~/domain/intake/uploads";
import { makeT, type MessageKey } from "~/i18n";
import { useRootLocale } from "~/root";
import { DisputeError, openDispute, type UploadedFile } from "~/services/disputes/open.server";
import { wakeJob } from "~/services/wake.server";
import { db } from "~/utils/db.server";
import { requirePortalIdentity } from "~/utils/portal-session.server";
import { pageTitle } from "~/utils/page-title";

export const DisputeSchema = z.object({
  reason: z.enum(["NOT_RECEIVED", "AMOUNT_WRONG", "DEFECTIVE", "ALREADY_PAID", "OTHER"], { message: "errors.reason" }),
  message: z.string({ message: "errors.required" }).trim().min(10, "errors.messageShort").max(2000, "errors.messageLong"),
});

const REASONS = ["NOT_RECEIVED", "AMOUNT_WRONG", "DEFECTIVE", "ALREADY_PAID", "OTHER"] as const;

async function loadInvoice(request: Request, invoiceId: string | undefined) {
  const identity = await requirePortalIdentity(request);
  const invoice = await db.invoice.findFirst({
    where: { id: invoiceId ?? "", creditorId: identity.creditorId, debtorId: identity.debtorId },
    select: { id: true, number: true },
  });
  if (!invoice) throw new Response("Not found", { status: 404 });
  return { identity, invoice };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { invoice } = await loadInvoice(request, params.invoiceId);
  return json({ invoice });
}

/** Collects uploads in memory, refusing more than the limit without failing the whole form. */
function collectFiles(files: UploadedFile[], problems: Set<string>): UploadHandler {
  return async ({ name, filename, data }) => {
    if (name !== "attachments" || !filename) {
      if (name === "attachments") for await (const _ of data) void _;
      return undefined;
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of data) {
      size += chunk.byteLength;
      if (size <= UPLOAD_LIMITS.maxBytes) chunks.push(chunk);
    }
    if (size > UPLOAD_LIMITS.maxBytes) problems.add("tooLarge");
    else files.push({ name: filename, bytes: Buffer.concat(chunks) });
    return null;
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { identity, invoice } = await loadInvoice(request, params.invoiceId);
  const files: UploadedFile[] = [];
  const problems = new Set<string>();
  const formData = await unstable_parseMultipartFormData(
    request,
    // Our handler takes the files; the memory handler keeps the text fields (small: 64 KB max).
    unstable_composeUploadHandlers(collectFiles(files, problems), unstable_createMemoryUploadHandler({ maxPartSize: 64 * 1024 })),
  );
  const submission = parseWithZod(formData, { schema: DisputeSchema });
  if (submission.status !== "success" || problems.size > 0) {
    const reply = submission.reply({ fieldErrors: problems.size ? { attachments: [`errors.${[...problems][0]}`] } : undefined });
    return json(reply, { status: 400 });
  }
  try {
    await db.$transaction((tx) =>
      openDispute(
        tx,
        identity,
        { invoiceId: invoice.id, reason: submission.value.reason, message: submission.value.message, files },
        new Date(),
      ),
    );
  } catch (error) {
    if (error instanceof DisputeError) {
      return json(
        submission.reply({ fieldErrors: { [error.field === "attachments" ? "attachments" : "message"]: [`errors.${error.code}`] } }),
        { status: 400 },
      );
    }
    throw error;
  }
  void wakeJob("outbox_send"); // the acknowledgement queued with the dispute
  return redirect(`/portal/invoices/${invoice.id}?sent=dispute`);
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, "dispute.title", { number: data?.invoice.number ?? "" });

export default function DisputeInvoice() {
  const { invoice } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const locale = useRootLocale();
  const t = makeT(locale);
  const [form, fields] = useForm<z.input<typeof DisputeSchema>>({ lastResult, shouldValidate: "onSubmit" });
  const err = (errors?: string[]) => (errors?.[0] ? t(errors[0] as MessageKey) : null);
  const attachmentErrors = lastResult?.error?.attachments as string[] | undefined;
  return (
    <div className="stack narrow">
      <h1>{t("dispute.title", { number: invoice.number })}</h1>
      <p>{t("dispute.lead")}</p>
      <Form method="post" encType="multipart/form-data" {...getFormProps(form)} className="card">
        <div className="field">
          <label htmlFor={fields.reason.id}>{t("dispute.reason")}</label>
          <select {...getSelectProps(fields.reason)}>
            <option value="">—</option>
            {REASONS.map((r) => (
              <option key={r} value={r}>
                {t(`dispute.reason.${r}` as MessageKey)}
              </option>
            ))}
          </select>
          {fields.reason.errors ? (
            <p className="field-error" id={fields.reason.errorId}>
              {err(fields.reason.errors)}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor={fields.message.id}>{t("dispute.message")}</label>
          <textarea {...getTextareaProps(fields.message, { ariaDescribedBy: `${fields.message.id}-hint` })} rows={6} maxLength={2000} />
          <p className="muted" id={`${fields.message.id}-hint`}>
            {t("dispute.messageHint")}
          </p>
          {fields.message.errors ? (
            <p className="field-error" id={fields.message.errorId}>
              {err(fields.message.errors)}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="attachments">{t("dispute.attachments")}</label>
          <input
            id="attachments"
            name="attachments"
            type="file"
            multiple
            accept="application/pdf,image/jpeg,image/png"
            aria-describedby="attachments-hint"
            aria-invalid={attachmentErrors ? true : undefined}
          />
          <p className="muted" id="attachments-hint">
            {t("dispute.attachmentsHint")}
          </p>
          {attachmentErrors ? <p className="field-error">{err(attachmentErrors)}</p> : null}
        </div>
        <button type="submit" disabled={busy}>
          {t("dispute.submit")}
        </button>
      </Form>
    </div>
  );
}
