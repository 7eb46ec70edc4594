import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { makeT } from "~/i18n";
import { useRootLocale } from "~/root";
import { parseDay } from "~/services/accounting/export.server";
import { pageTitle } from "~/utils/page-title";
import { requireStaff } from "~/utils/staff-session.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "export.title");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request, "AGENT");
  const params = new URL(request.url).searchParams;
  const now = new Date();
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0));
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const from = params.get("from") ?? day(first);
  const to = params.get("to") ?? day(last);
  const valid = parseDay(from) !== null && parseDay(to) !== null && from <= to;
  return json({ from, to, invalid: params.has("from") && !valid });
}

/** The accounting export: a date range, then the CSV or the FEC (the two buttons of one GET form, no JavaScript needed). */
export default function Accounting() {
  const { from, to, invalid } = useLoaderData<typeof loader>();
  const t = makeT(useRootLocale());
  return (
    <div className="stack">
      <h1>{t("export.title")}</h1>
      <p className="muted">{t("export.lead")}</p>
      <Form method="get" action="/app/accounting/csv" reloadDocument className="card">
        <div className="field">
          <label htmlFor="export-from">{t("export.from")}</label>
          <input
            id="export-from"
            name="from"
            type="date"
            required
            defaultValue={from}
            aria-describedby={invalid ? "export-error" : undefined}
          />
        </div>
        <div className="field">
          <label htmlFor="export-to">{t("export.to")}</label>
          <input id="export-to" name="to" type="date" required defaultValue={to} />
        </div>
        {invalid ? (
          <p className="field-error" id="export-error">
            {t("export.errors.range")}
          </p>
        ) : null}
        <div className="actions">
          <button type="submit" formAction="/app/accounting/csv">
            {t("export.csv")}
          </button>
          <button type="submit" formAction="/app/accounting/fec" className="secondary">
            {t("export.fec")}
          </button>
        </div>
      </Form>
    </div>
  );
}
