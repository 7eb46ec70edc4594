import {
  json,
  redirect,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { bankReasonText } from "~/components/bank-reasons";
import { formatAmount, formatDate } from "~/components/money";
import { makeT, type MessageKey } from "~/i18n";
import { useRootLocale } from "~/root";
import { BankError, confirmBankMatch, markNotOurs, undoBankMatch } from "~/services/bank/apply.server";
import { bankConnections, institutionsFor, startBankConnection, syncBankConnection } from "~/services/bank/feed.server";
import { bankInbox } from "~/services/bank/inbox.server";
import {
  holdStatementForMapping,
  importStatement,
  INLINE_IMPORT_BYTES,
  MAX_STATEMENT_BYTES,
  queueStatement,
  recentStatementImports,
  StatementRefused,
} from "~/services/bank/imports.server";
import { wakeJob } from "~/services/wake.server";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { requireStaff } from "~/utils/staff-session.server";
import { pageTitle } from "~/utils/page-title";

/** While an import waits for the worker or runs, the page reloads itself (no JavaScript needed) to show its counts. */
const REFRESH_SECONDS = 3;

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => [
  ...pageTitle(matches, "bank.title"),
  ...(data?.importsRunning ? [{ httpEquiv: "refresh", content: String(REFRESH_SECONDS) } as const] : []),
];

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const [inbox, imports, connections, institutions] = await Promise.all([
    bankInbox(db, staff.creditorId),
    recentStatementImports(db, staff.creditorId),
    bankConnections(db, staff.creditorId),
    institutionsFor("fr").then(
      (list) => list.map((i) => ({ id: i.id, name: i.name })),
      () => [] as { id: string; name: string }[],
    ),
  ]);
  const applied = await db.bankTransaction.findMany({
    where: { creditorId: staff.creditorId, status: "APPLIED", amount: { gt: 0 } },
    orderBy: { decidedAt: "desc" },
    take: 10,
    select: { id: true, bookingDate: true, amount: true, currency: true, counterpartyName: true },
  });
  const importsRunning = imports.some((i) => i.status === "QUEUED" || i.status === "RUNNING");
  const justApplied = new URL(request.url).searchParams.get("applied") === "1";
  return json({ inbox, imports, connections, institutions, applied, importsRunning, justApplied });
}

type ActionResult = { ok?: string; vars?: Record<string, number>; error?: string; where?: string | null };

export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request, "AGENT");
  const now = new Date();
  const isUpload = (request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data");
  if (isUpload) {
    const form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_STATEMENT_BYTES }));
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) return json<ActionResult>({ error: "bank.upload.missing" }, 400);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const input = {
      creditorId: staff.creditorId,
      userId: staff.userId,
      contentType: file.type,
      bytes,
      fileName: file.name,
      mappingId: String(form.get("mapping") ?? "") || null,
      now,
    };
    if (bytes.byteLength > INLINE_IMPORT_BYTES) {
      await queueStatement(db, input);
      return json<ActionResult>({ ok: "bank.upload.queued" });
    }
    try {
      const result = await db.$transaction((tx) => importStatement(tx, input), { timeout: 120_000 });
      void wakeJob("outbox_send");
      return json<ActionResult>({
        ok: "bank.upload.result",
        vars: {
          transactions: result.transactions,
          new: result.new,
          applied: result.applied,
          suggested: result.suggested,
          unmatched: result.unmatched,
        },
      });
    } catch (error) {
      if (error instanceof StatementRefused && error.code === "csv_mapping_missing") {
        const held = await holdStatementForMapping(db, input);
        return redirect(`/app/bank/imports/${held.id}/mapping`);
      }
      if (error instanceof StatementRefused) return json<ActionResult>({ error: error.message, where: error.where }, 422);
      throw error;
    }
  }
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const transactionId = String(form.get("transactionId") ?? "");
  const base = { creditorId: staff.creditorId, transactionId, userId: staff.userId, now };
  try {
    if (intent === "confirm")
      await db.$transaction((tx) => confirmBankMatch(tx, { ...base, suggestion: Number(form.get("suggestion") ?? 0) }), {
        timeout: 30_000,
      });
    else if (intent === "not-ours") await db.$transaction((tx) => markNotOurs(tx, base));
    else if (intent === "undo") await db.$transaction((tx) => undoBankMatch(tx, base), { timeout: 30_000 });
    else if (intent === "connect") {
      const started = await startBankConnection(db, {
        creditorId: staff.creditorId,
        institutionId: String(form.get("institutionId") ?? ""),
        callbackUrl: `${getEnv().APP_URL}/app/bank/callback`,
        locale: "fr",
      });
      if (started) return new Response(null, { status: 302, headers: { Location: started.link } });
    } else if (intent === "sync") {
      const connection = await db.bankConnection.findFirst({
        where: { id: String(form.get("connectionId") ?? ""), creditorId: staff.creditorId, status: "LINKED" },
      });
      if (connection) await syncBankConnection(db, connection.id, now);
    }
    void wakeJob("outbox_send");
    return json<ActionResult>({});
  } catch (error) {
    if (error instanceof BankError) return json<ActionResult>({ error: `bank.inbox.error.${error.code}` }, 409);
    throw error;
  }
}

export default function BankPage() {
  const { inbox, imports, connections, institutions, applied, importsRunning, justApplied } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const locale = useRootLocale();
  const t = makeT(locale);
  const message = (key: string) => (key.startsWith("bank.") ? t(key as MessageKey, result?.vars) : key);
  return (
    <main id="main">
      <h1>{t("bank.title")}</h1>
      {result?.ok ? <p role="status">{message(result.ok)}</p> : null}
      {justApplied && !result ? <p role="status">{t("bank.decide.applied")}</p> : null}
      <section aria-labelledby="upload">
        <h2 id="upload">{t("bank.upload.title")}</h2>
        <p>{t("bank.upload.lead")}</p>
        <Form method="post" encType="multipart/form-data">
          <label htmlFor="file">{t("bank.upload.file")}</label>
          <input
            id="file"
            name="file"
            type="file"
            accept=".xml,.txt,.ofx,.csv,.120"
            aria-describedby={result?.error ? "file-error" : undefined}
          />
          {result?.error ? (
            <p id="file-error" role="alert">
              {message(result.error)}
            </p>
          ) : null}
          <button type="submit">{t("bank.upload.submit")}</button>
        </Form>
      </section>
      <section aria-labelledby="inbox">
        <h2 id="inbox">{t("bank.inbox.title")}</h2>
        {inbox.length === 0 ? <p>{t("bank.inbox.empty")}</p> : null}
        <ul>
          {inbox.map((e) => (
            <li key={e.id}>
              <strong>{formatAmount(e.amount, e.currency, locale)}</strong> · {formatDate(e.bookingDate, locale)} ·{" "}
              {e.counterpartyName ?? ""} · {e.structuredRef ?? e.remittance}
              {e.suggestions.length === 0 ? <p>{t("bank.inbox.none")}</p> : null}
              <ol>
                {e.suggestions.map((s) => (
                  <li key={s.index}>
                    {s.debtorName} — {s.invoices.map((i) => i.number).join(", ")} ({t("bank.inbox.confidence", { n: s.confidence })}:{" "}
                    {s.reasons.map((r) => bankReasonText(t, r, locale, e.currency)).join(", ")})
                    <Form method="post">
                      <input type="hidden" name="transactionId" value={e.id} />
                      <input type="hidden" name="suggestion" value={s.index} />
                      <button type="submit" name="intent" value="confirm">
                        {t("bank.inbox.confirm")}
                      </button>
                    </Form>
                  </li>
                ))}
              </ol>
              <p>
                <Link
                  to={`/app/bank/${e.id}`}
                  aria-label={t("bank.decide.openLabel", {
                    amount: formatAmount(e.amount, e.currency, locale),
                    payer: e.counterpartyName ?? e.remittance,
                  })}
                >
                  {t("bank.decide.open")}
                </Link>
              </p>
              <Form method="post">
                <input type="hidden" name="transactionId" value={e.id} />
                <button type="submit" name="intent" value="not-ours">
                  {t("bank.inbox.notOurs")}
                </button>
              </Form>
            </li>
          ))}
        </ul>
        <ul>
          {applied.map((a) => (
            <li key={a.id}>
              {formatAmount(a.amount, a.currency, locale)} · {formatDate(a.bookingDate, locale)} · {a.counterpartyName ?? ""}
              <Form method="post">
                <input type="hidden" name="transactionId" value={a.id} />
                <button type="submit" name="intent" value="undo">
                  {t("bank.inbox.undo")}
                </button>
              </Form>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="imports">
        <h2 id="imports">{t("bank.imports")}</h2>
        {importsRunning ? (
          <p role="status">
            {t("bank.import.refreshing", { seconds: REFRESH_SECONDS })} <Link to="/app/bank">{t("bank.import.refresh")}</Link>
          </p>
        ) : null}
        <ul>
          {imports.map((i) => {
            const done = i.applied + i.suggested + i.unmatched + i.ignored;
            return (
              <li key={i.id}>
                {i.fileName} — {t(`bank.import.status.${i.status}` as MessageKey)} ·{" "}
                {t("bank.upload.result", {
                  transactions: i.transactions,
                  new: i.newCount,
                  applied: i.applied,
                  suggested: i.suggested,
                  unmatched: i.unmatched,
                })}
                {i.status === "RUNNING" && i.newCount > 0 ? (
                  <>
                    {" "}
                    <label htmlFor={`progress-${i.id}`}>{t("bank.import.progress", { done, total: i.newCount })}</label>{" "}
                    <progress id={`progress-${i.id}`} max={i.newCount} value={done} />
                  </>
                ) : null}
                {i.error ? <p>{i.error}</p> : null}
                {i.needsMapping ? (
                  <p>
                    <Link to={`/app/bank/imports/${i.id}/mapping`}>{t("bank.mapping.open")}</Link>
                  </p>
                ) : null}
              </li>
            );
          })}
        </ul>
      </section>
      <section aria-labelledby="connect">
        <h2 id="connect">{t("bank.connect.title")}</h2>
        <p>{t("bank.connect.lead")}</p>
        <ul>
          {connections.map((c) => (
            <li key={c.id}>
              {c.status === "LINKED"
                ? t("bank.connect.linked", { name: c.institutionName, date: c.lastSyncedAt ? formatDate(c.lastSyncedAt, locale) : "—" })
                : t(c.status === "FAILED" ? "bank.connect.failed" : "bank.connect.pending", { name: c.institutionName })}
              {c.status === "LINKED" ? (
                <Form method="post">
                  <input type="hidden" name="connectionId" value={c.id} />
                  <button type="submit" name="intent" value="sync">
                    {t("bank.connect.sync")}
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
        <Form method="post">
          <label htmlFor="institutionId">{t("bank.connect.institution")}</label>
          <select id="institutionId" name="institutionId">
            {institutions.map((i) => (
              <option key={i.id} value={i.id}>
                {i.name}
              </option>
            ))}
          </select>
          <button type="submit" name="intent" value="connect">
            {t("bank.connect.submit")}
          </button>
        </Form>
      </section>
    </main>
  );
}
