import { Form, Link, useSearchParams } from "@remix-run/react";
import { formatAmount, formatDate } from "~/components/money";
import { makeT, type Locale } from "~/i18n";

type MediationRow = {
  id: string;
  kind: "BUSINESS_MEDIATOR" | "CONSUMER_MEDIATOR";
  status: "OPEN" | "AGREEMENT" | "NO_AGREEMENT" | "WITHDRAWN";
  mediatorName: string;
  openedAt: string;
  closedAt: string | null;
  outcomeNote: string | null;
  dossierId: string | null;
  invoices: string[];
};

export type MediationPanelData = {
  open: MediationRow | null;
  past: MediationRow[];
  mediator: { kind: "BUSINESS_MEDIATOR" | "CONSUMER_MEDIATOR"; name: string } | null;
} | null;

export type MediationPanelRefusal = {
  form: "start" | "end";
  error: string;
  field: "invoices" | "confirm" | "note" | "outcome" | null;
  values: { invoiceIds: string[]; note: string; outcome: string };
} | null;

const OUTCOMES = ["AGREEMENT", "NO_AGREEMENT", "WITHDRAWN"] as const;

/**
 * The debtor page's mediation (decision 027): "hand to mediation" (invoices,
 * what the dispute is about, a confirmation) while none is open; then the
 * open one, its dossier and "record the outcome". Plain forms: they work
 * without JavaScript and come back with the typed values and the error next
 * to its field.
 */
export function MediationPanel({
  data,
  invoices,
  canAct,
  locale,
  refusal,
}: {
  data: MediationPanelData;
  invoices: { id: string; number: string; balance: number; currency: string; settled: boolean }[];
  canAct: boolean;
  locale: Locale;
  refusal: MediationPanelRefusal;
}) {
  const t = makeT(locale);
  const [params] = useSearchParams();
  const done = params.get("done");
  if (!data) return null;
  const open = data.open;
  const start = refusal?.form === "start" ? refusal : null;
  const end = refusal?.form === "end" ? refusal : null;
  const live = invoices.filter((i) => !i.settled);
  const errorFor = (r: MediationPanelRefusal, field: NonNullable<MediationPanelRefusal>["field"], id: string) =>
    r && r.field === field ? (
      <p className="field-error" id={id}>
        {t(r.error as Parameters<typeof t>[0])}
      </p>
    ) : null;
  const invalid = (r: MediationPanelRefusal, field: NonNullable<MediationPanelRefusal>["field"], id: string) =>
    r && r.field === field ? { "aria-invalid": true as const, "aria-describedby": id } : {};

  return (
    <section aria-labelledby="mediation-title" data-testid="mediation-panel">
      <h2 id="mediation-title">{t("mediation.panel.title")}</h2>
      <div className="card stack">
        {done === "mediation" || done === "mediation-ended" ? (
          <p className="success" role="status">
            {t(done === "mediation" ? "bo.debtor.done.mediation" : "bo.debtor.done.mediation-ended")}
          </p>
        ) : null}
        {open ? (
          <>
            <p>
              <strong>{t("mediation.panel.open", { date: formatDate(open.openedAt, locale), mediator: open.mediatorName })}</strong>
            </p>
            <p className="muted">{t("mediation.panel.openInvoices", { invoices: open.invoices.join(", ") })}</p>
            {open.dossierId ? (
              <p>
                <a href={`/app/documents/${open.dossierId}`} download>
                  {t("mediation.panel.dossier")}
                </a>
              </p>
            ) : null}
            {canAct ? (
              <Form method="post" className="stack" noValidate>
                <input type="hidden" name="mediationId" value={open.id} />
                <fieldset className="plain">
                  <legend>{t("mediation.panel.outcome")}</legend>
                  {end && end.field === null ? (
                    <p className="form-error" role="alert">
                      {t(end.error as Parameters<typeof t>[0])}
                    </p>
                  ) : null}
                  <div className="field">
                    <label htmlFor="mediation-outcome">{t("mediation.panel.outcomeChoice")}</label>
                    <select
                      id="mediation-outcome"
                      name="outcome"
                      required
                      defaultValue={end?.values.outcome ?? ""}
                      {...invalid(end, "outcome", "mediation-outcome-error")}
                    >
                      <option value="">—</option>
                      {OUTCOMES.map((o) => (
                        <option key={o} value={o}>
                          {t(`mediation.status.${o}`)}
                        </option>
                      ))}
                    </select>
                    {errorFor(end, "outcome", "mediation-outcome-error")}
                  </div>
                  <div className="field">
                    <label htmlFor="mediation-outcome-note">{t("mediation.panel.outcomeNote")}</label>
                    <textarea
                      id="mediation-outcome-note"
                      name="note"
                      rows={3}
                      required
                      defaultValue={end?.values.note ?? ""}
                      {...invalid(end, "note", "mediation-outcome-note-error")}
                    />
                    {errorFor(end, "note", "mediation-outcome-note-error")}
                  </div>
                  <button type="submit" name="intent" value="mediation-end">
                    {t("mediation.panel.end")}
                  </button>
                </fieldset>
              </Form>
            ) : null}
          </>
        ) : !data.mediator ? (
          <p className="notice">
            {t("mediation.panel.noMediator")} <Link to="/app/settings#mediator">{t("mediation.panel.settingsLink")}</Link>
          </p>
        ) : canAct ? (
          <Form method="post" className="stack" noValidate>
            <p className="muted">{t("mediation.panel.lead", { mediator: data.mediator.name })}</p>
            {start && start.field === null ? (
              <p className="form-error" role="alert">
                {t(start.error as Parameters<typeof t>[0])}
              </p>
            ) : null}
            {live.length === 0 ? (
              <p className="muted">{t("mediation.panel.noInvoices")}</p>
            ) : (
              <>
                <fieldset className="plain" aria-describedby={start?.field === "invoices" ? "mediation-invoices-error" : undefined}>
                  <legend>{t("mediation.panel.invoices")}</legend>
                  {live.map((i) => (
                    <div className="field checkbox" key={i.id}>
                      <input
                        type="checkbox"
                        id={`mediation-invoice-${i.id}`}
                        name="invoiceId"
                        value={i.id}
                        defaultChecked={start ? start.values.invoiceIds.includes(i.id) : true}
                      />
                      <label htmlFor={`mediation-invoice-${i.id}`}>
                        {i.number} — {formatAmount(i.balance, i.currency, locale)}
                      </label>
                    </div>
                  ))}
                  {errorFor(start, "invoices", "mediation-invoices-error")}
                </fieldset>
                <div className="field">
                  <label htmlFor="mediation-note">{t("mediation.panel.note")}</label>
                  <textarea id="mediation-note" name="note" rows={3} defaultValue={start?.values.note ?? ""} />
                </div>
                <div className="field checkbox">
                  <input
                    type="checkbox"
                    id="mediation-confirm"
                    name="confirm"
                    required
                    {...invalid(start, "confirm", "mediation-confirm-error")}
                  />
                  <label htmlFor="mediation-confirm">{t("mediation.panel.confirm")}</label>
                </div>
                {errorFor(start, "confirm", "mediation-confirm-error")}
                <button type="submit" name="intent" value="mediation-start">
                  {t("mediation.panel.start")}
                </button>
              </>
            )}
          </Form>
        ) : (
          <p className="muted">{t("bo.none")}</p>
        )}
        {data.past.length > 0 ? (
          <>
            <h3>{t("mediation.panel.history")}</h3>
            <ul className="plain-list">
              {data.past.map((m) => (
                <li key={m.id}>
                  {t("mediation.panel.historyLine", {
                    opened: formatDate(m.openedAt, locale),
                    closed: m.closedAt ? formatDate(m.closedAt, locale) : "—",
                    mediator: m.mediatorName,
                    outcome: t(`mediation.status.${m.status}`),
                  })}
                  {m.outcomeNote ? (
                    <>
                      <br />
                      <span className="muted">{m.outcomeNote}</span>
                    </>
                  ) : null}
                  {m.dossierId ? (
                    <>
                      {" "}
                      — <a href={`/app/documents/${m.dossierId}`}>{t("mediation.panel.dossier")}</a>
                    </>
                  ) : null}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </div>
    </section>
  );
}
