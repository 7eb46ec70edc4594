import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { daysBetween } from "~/domain/clock";
import { AGING_BUCKETS } from "~/domain/kpis";
import { formatAmount, formatDate } from "~/components/money";
import { SortHeader } from "~/components/sort-header";
import { DEFAULT_INVOICE_SORT } from "~/domain/lists";
import { makeT, type MessageKey } from "~/i18n";
import { levelLabel, pauseReasonLabel, stageLabel } from "~/i18n/labels";
import { useRootLocale } from "~/root";
import { ensureDefaultPolicy } from "~/services/dunning/policies.server";
import {
  BulkActionError,
  bulkInvoiceAction,
  listInvoices,
  parseInvoiceFilters,
  type BulkAction,
} from "~/services/backoffice/invoices.server";
import { creditorToday } from "~/services/creditor-clock.server";
import { db } from "~/utils/db.server";
import { requireStaff } from "~/utils/staff-session.server";
import { pageTitle } from "~/utils/page-title";
import { invoiceBalance } from "~/domain/money";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "nav.invoices");

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const url = new URL(request.url);
  const { defaultCurrency: currency } = await db.creditor.findUniqueOrThrow({
    where: { id: staff.creditorId },
    select: { defaultCurrency: true },
  });
  const filters = parseInvoiceFilters(url.searchParams, currency);
  const now = new Date();
  const [list, policy, debtor] = await Promise.all([
    listInvoices(db, staff.creditorId, filters, now),
    ensureDefaultPolicy(db, staff.creditorId),
    filters.debtorId
      ? db.debtor.findFirst({ where: { id: filters.debtorId, creditorId: staff.creditorId }, select: { id: true, name: true } })
      : null,
  ]);
  return json({
    ...list,
    filters,
    currency,
    // What was typed in the amount fields, shown back as typed.
    typed: { min: url.searchParams.get("min") ?? "", max: url.searchParams.get("max") ?? "" },
    debtor,
    // Days late on the creditor's calendar (decision 012).
    today: (await creditorToday(db, staff.creditorId, now)).toISOString(),
    levels: policy.levels.map((l) => ({ position: l.position, templateKey: l.templateKey })),
    canAct: staff.role !== "VIEWER",
    done: url.searchParams.get("done"),
    count: Number(url.searchParams.get("count") ?? 0),
    skipped: url.searchParams.get("skipped"),
  });
}

const ACTIONS: readonly BulkAction[] = ["pause", "resume", "write-off"];
const INVOICE_STATUSES = ["OPEN", "PARTIALLY_PAID", "PAID", "CANCELLED", "WRITTEN_OFF"] as const;

/** Bulk pause / resume / write-off of the ticked invoices; redirects back to the same filtered page. */
export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request, "AGENT");
  const form = await request.formData();
  const bulk = String(form.get("bulk") ?? "") as BulkAction;
  const invoiceIds = form.getAll("invoiceId").map(String);
  const note = String(form.get("note") ?? "");
  if (!ACTIONS.includes(bulk)) return json({ error: "bo.errors.invalid", note }, { status: 400 });
  try {
    const result = await db.$transaction(
      (tx) => bulkInvoiceAction(tx, staff.creditorId, { invoiceIds, action: bulk, note }, staff, new Date()),
      { timeout: 60_000 },
    );
    const back = new URL(request.url);
    back.searchParams.delete("index");
    back.searchParams.set("done", bulk);
    back.searchParams.set("count", String(result.done.length));
    if (result.skipped.length) back.searchParams.set("skipped", result.skipped.map((s) => s.number).join(", "));
    else back.searchParams.delete("skipped");
    return redirect(`${back.pathname}?${back.searchParams}`);
  } catch (error) {
    if (error instanceof BulkActionError) {
      if (error.code === "not_found") throw new Response("Not found", { status: 404 });
      return json({ error: `bo.errors.${error.code}`, note }, { status: 400 });
    }
    throw error;
  }
}

export default function Invoices() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const location = useLocation();
  const locale = useRootLocale();
  const t = makeT(locale);
  const { filters } = data;
  const order = filters.order ?? DEFAULT_INVOICE_SORT;
  const sorted = { asc: t("list.sortedAsc"), desc: t("list.sortedDesc") };
  const exportParams = new URLSearchParams(location.search);
  for (const key of ["page", "done", "count", "skipped", "index"]) exportParams.delete(key);
  const pageLink = (page: number) => {
    const params = new URLSearchParams(location.search);
    params.delete("done");
    params.delete("count");
    params.delete("skipped");
    params.set("page", String(page));
    return `?${params}`;
  };
  const levelName = (level: number) =>
    level < 0
      ? t("bo.level.none")
      : t("bo.level.n", { n: level + 1, name: levelLabel(locale, data.levels.find((l) => l.position === level)?.templateKey) });

  return (
    <div className="stack">
      <h1>{t("nav.invoices")}</h1>
      {data.done ? (
        <p className="success" role="status">
          {t(`bo.invoices.done.${data.done}` as MessageKey, { count: data.count })}
          {data.skipped ? ` ${t("bo.invoices.skipped", { numbers: data.skipped })}` : null}
        </p>
      ) : null}

      <Form method="get" className="card filters" aria-labelledby="filters-title">
        <h2 id="filters-title" className="h-small">
          {t("bo.filters")}
        </h2>
        <div className="filter-grid">
          <div className="field">
            <label htmlFor="f-status">{t("invoice.status")}</label>
            <select id="f-status" name="status" defaultValue={filters.status ?? ""}>
              <option value="">{t("bo.all")}</option>
              {INVOICE_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`bo.invoiceStatus.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-level">{t("bo.dunningLevel")}</label>
            <select id="f-level" name="level" defaultValue={filters.level ?? ""}>
              <option value="">{t("bo.all")}</option>
              <option value="-1">{levelName(-1)}</option>
              {data.levels.map((l) => (
                <option key={l.position} value={l.position}>
                  {levelName(l.position)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-bucket">{t("bo.overdue")}</label>
            <select id="f-bucket" name="bucket" defaultValue={filters.bucket ?? ""}>
              <option value="">{t("bo.all")}</option>
              {AGING_BUCKETS.map((b) => (
                <option key={b.key} value={b.key}>
                  {t(`bo.bucket.${b.key}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-q">{t("bo.invoices.search")}</label>
            <input id="f-q" name="q" type="search" defaultValue={filters.q ?? ""} />
          </div>
          <div className="field">
            <label htmlFor="f-min">{t("list.amountMin", { currency: data.currency })}</label>
            <input id="f-min" name="min" inputMode="decimal" defaultValue={data.typed.min} aria-describedby="f-amount-hint" />
          </div>
          <div className="field">
            <label htmlFor="f-max">{t("list.amountMax", { currency: data.currency })}</label>
            <input id="f-max" name="max" inputMode="decimal" defaultValue={data.typed.max} aria-describedby="f-amount-hint" />
          </div>
          <div className="field">
            <label className="choice">
              <input type="checkbox" name="overdue" value="1" defaultChecked={filters.overdue} /> {t("list.overdueOnly")}
            </label>
          </div>
        </div>
        <p className="muted" id="f-amount-hint">
          {t("list.amountHint")}
        </p>
        {order.sort !== DEFAULT_INVOICE_SORT.sort || order.dir !== DEFAULT_INVOICE_SORT.dir ? (
          <>
            <input type="hidden" name="sort" value={order.sort} />
            <input type="hidden" name="dir" value={order.dir} />
          </>
        ) : null}
        {data.debtor ? (
          <p>
            <input type="hidden" name="debtorId" value={data.debtor.id} />
            {t("bo.invoices.forDebtor", { name: data.debtor.name })} — <Link to="/app/invoices">{t("bo.clearFilters")}</Link>
          </p>
        ) : null}
        <div className="row">
          <button type="submit" className="secondary">
            {t("bo.applyFilters")}
          </button>
          <a href={`/app/invoices.csv?${exportParams}`} download className="button secondary" aria-describedby="export-hint">
            {t("list.exportCsv")}
          </a>
          <span className="muted" id="export-hint">
            {t("list.exportHint")}
          </span>
        </div>
      </Form>

      <Form method="post" className="stack">
        <table className="responsive">
          <caption>{t("bo.invoices.caption", { total: data.total, page: data.page, pages: data.pages })}</caption>
          <thead>
            <tr>
              {data.canAct ? (
                <th scope="col">
                  <span className="visually-hidden">{t("bo.select")}</span>
                </th>
              ) : null}
              <SortHeader column="number" label={t("invoice.number")} order={order} sortedLabel={sorted} />
              <SortHeader column="debtor" label={t("bo.debtor")} order={order} sortedLabel={sorted} />
              <SortHeader column="dueDate" label={t("invoice.dueDate")} order={order} sortedLabel={sorted} />
              <SortHeader column="amount" label={t("invoice.amount")} order={order} sortedLabel={sorted} className="num" />
              <th scope="col" className="num">
                {t("invoice.balance")}
              </th>
              <SortHeader column="status" label={t("invoice.status")} order={order} sortedLabel={sorted} />
              <th scope="col">{t("bo.dunningLevel")}</th>
            </tr>
          </thead>
          <tbody>
            {data.rows.length === 0 ? (
              <tr>
                <td colSpan={8}>{t("bo.invoices.none")}</td>
              </tr>
            ) : null}
            {data.rows.map((i) => {
              const late = daysBetween(new Date(i.dueDate), new Date(data.today));
              return (
                <tr key={i.id}>
                  {data.canAct ? (
                    <td data-label={t("bo.select")}>
                      <input
                        type="checkbox"
                        name="invoiceId"
                        value={i.id}
                        id={`sel-${i.id}`}
                        aria-label={t("bo.selectInvoice", { number: i.number })}
                      />
                    </td>
                  ) : null}
                  <td data-label={t("invoice.number")}>
                    <Link to={`/app/invoices/${i.id}`}>{i.number}</Link>
                  </td>
                  <td data-label={t("bo.debtor")}>
                    <Link to={`/app/debtors/${i.debtor.id}`}>{i.debtor.name}</Link>
                  </td>
                  <td data-label={t("invoice.dueDate")}>
                    {formatDate(i.dueDate, locale)}
                    {late > 0 && ["OPEN", "PARTIALLY_PAID"].includes(i.status) ? (
                      <>
                        {" "}
                        <span className="status late">{t("status.late", { days: late })}</span>
                      </>
                    ) : null}
                  </td>
                  <td data-label={t("invoice.amount")} className="num">
                    {formatAmount(i.amount, i.currency, locale)}
                  </td>
                  <td data-label={t("invoice.balance")} className="num">
                    {formatAmount(invoiceBalance(i), i.currency, locale)}
                  </td>
                  <td data-label={t("invoice.status")}>{t(`bo.invoiceStatus.${i.status}`)}</td>
                  <td data-label={t("bo.dunningLevel")}>
                    {stageLabel(locale, i.stage)}
                    {i.stage.kind === "dunning" && i.stage.pauseReason ? (
                      <>
                        {" "}
                        <span className="status paused">{pauseReasonLabel(locale, i.stage.pauseReason)}</span>
                      </>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {data.canAct ? (
          <fieldset className="card bulk">
            <legend>{t("bo.invoices.bulk")}</legend>
            <div className="filter-grid">
              <div className="field">
                <label htmlFor="bulk-action">{t("bo.invoices.bulkAction")}</label>
                <select id="bulk-action" name="bulk" required defaultValue="pause">
                  {ACTIONS.map((a) => (
                    <option key={a} value={a}>
                      {t(`bo.bulk.${a}`)}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="bulk-note">{t("bo.reason")}</label>
                <input
                  id="bulk-note"
                  name="note"
                  required
                  defaultValue={failure?.note ?? ""}
                  aria-invalid={failure ? true : undefined}
                  aria-describedby={failure ? "bulk-error" : undefined}
                />
              </div>
            </div>
            {failure ? (
              <p className="field-error" id="bulk-error" role="alert">
                {t(failure.error as MessageKey)}
              </p>
            ) : null}
            <button type="submit">{t("bo.invoices.apply")}</button>
          </fieldset>
        ) : null}
      </Form>

      <nav aria-label={t("bo.pagination")} className="row">
        {data.page > 1 ? (
          <Link to={pageLink(data.page - 1)} rel="prev">
            {t("bo.prev")}
          </Link>
        ) : null}
        <span className="muted">{t("bo.pageOf", { page: data.page, pages: data.pages })}</span>
        {data.page < data.pages ? (
          <Link to={pageLink(data.page + 1)} rel="next">
            {t("bo.next")}
          </Link>
        ) : null}
      </nav>
    </div>
  );
}
