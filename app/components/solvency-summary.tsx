import { Form, Link, useSearchParams } from "@remix-run/react";
import { formatAmount, formatDate, formatDateTime } from "~/components/money";
import { makeT, type Locale, type MessageKey } from "~/i18n";

/** What `solvencySummary` returns, as the loader serialises it (dates as strings). */
export type SolvencySummaryData = {
  solvency: {
    siren: string;
    status: "ACTIVE" | "CEASED" | "NOT_FOUND";
    registryName: string | null;
    legalFormCode: string | null;
    createdOn: string | null;
    ceasedOn: string | null;
    ceasedSeenAt: string | null;
    checkedAt: string | null;
    failedAt: string | null;
    failureReason: string | null;
  } | null;
  proceedings: {
    id: string;
    kind: "SAUVEGARDE" | "REDRESSEMENT" | "LIQUIDATION";
    openedOn: string;
    publishedOn: string;
    court: string | null;
    claimDeadline: string;
    closedOn: string | null;
    declarationId: string | null;
  }[];
  history: { paid: number; avgDaysLate: number | null; openCount: number; openBalance: number; currency: string };
};

const hasKey = (t: ReturnType<typeof makeT>, key: string) => t(key as MessageKey) !== key;

/** Full years between two calendar days. */
function yearsSince(from: string, now: Date) {
  const a = new Date(from);
  let years = now.getUTCFullYear() - a.getUTCFullYear();
  if (now.getUTCMonth() < a.getUTCMonth() || (now.getUTCMonth() === a.getUTCMonth() && now.getUTCDate() < a.getUTCDate())) years--;
  return years;
}

/**
 * The debtor page's solvency box (decision 024): the registry status in words,
 * the company's age and legal form, its collective proceedings with their
 * dates and the claim deadline, when it was last checked, this creditor's
 * payment history with it, and the "check now" button. Works without JavaScript.
 */
export function SolvencySummary(props: {
  data: SolvencySummaryData | null;
  hasSiren: boolean;
  canAct: boolean;
  locale: Locale;
  timeZone: string;
}) {
  const { data, locale, timeZone } = props;
  const t = makeT(locale);
  const [params] = useSearchParams();
  const done = params.get("done");
  const s = data?.solvency ?? null;
  const open = data?.proceedings.filter((p) => !p.closedOn) ?? [];
  const allClosed = (data?.proceedings.length ?? 0) > 0 && open.length === 0;
  const liquidation = data?.proceedings.some((p) => p.kind === "LIQUIDATION") ?? false;
  const form = s?.legalFormCode
    ? hasKey(t, `legalForm.${s.legalFormCode}`)
      ? t(`legalForm.${s.legalFormCode}` as MessageKey)
      : t("solvency.legalFormCode", { code: s.legalFormCode })
    : null;
  const years = s?.createdOn ? yearsSince(s.createdOn, new Date()) : null;

  return (
    <section aria-labelledby="solvency-title" className="card stack">
      <h2 id="solvency-title">{t("solvency.title")}</h2>
      {done === "solvency_checked" ? (
        <p className="success" role="status">
          {t("solvency.done.checked")}
        </p>
      ) : null}
      {done === "solvency_resumed" ? (
        <p className="success" role="status">
          {t("solvency.done.resumed")}
        </p>
      ) : null}
      {!props.hasSiren ? <p className="muted">{t("solvency.noSiren")}</p> : null}
      {props.hasSiren ? (
        <p>
          <strong className={`status ${s?.status === "ACTIVE" ? "due" : s ? "late" : "paused"}`}>
            {s ? t(`solvency.status.${s.status}`) : t("solvency.status.unchecked")}
          </strong>
          {open.length > 0 ? (
            <>
              {" "}
              <strong className="status late">{t("solvency.insolvencyFlag")}</strong>
            </>
          ) : null}
          {s?.ceasedOn ? <> — {t("solvency.ceasedSince", { date: formatDate(s.ceasedOn, locale) })}</> : null}
        </p>
      ) : null}
      {s ? (
        <ul className="plain-list">
          {s.createdOn && years !== null ? (
            <li>
              {years >= 1
                ? t("solvency.age", { date: formatDate(s.createdOn, locale), years })
                : t("solvency.ageUnderOne", { date: formatDate(s.createdOn, locale) })}
            </li>
          ) : null}
          {form ? <li>{t("solvency.legalForm", { form })}</li> : null}
          {s.checkedAt ? (
            <li className="muted">{t("solvency.lastChecked", { date: formatDateTime(s.checkedAt, locale, timeZone) })}</li>
          ) : null}
          {s.failedAt ? (
            <li className="muted">
              {t("solvency.lastFailed", {
                date: formatDateTime(s.failedAt, locale, timeZone),
                reason: hasKey(t, `solvency.reason.${s.failureReason}`) ? t(`solvency.reason.${s.failureReason}` as MessageKey) : "—",
              })}
            </li>
          ) : null}
        </ul>
      ) : null}

      {props.hasSiren ? (
        <>
          <h3>{t("solvency.proceedings")}</h3>
          {data && data.proceedings.length > 0 ? (
            <ul className="plain-list">
              {data.proceedings.map((p) => (
                <li key={p.id}>
                  {t("solvency.proceeding", {
                    kind: t(`proceedingKind.${p.kind}`),
                    opened: formatDate(p.openedOn, locale),
                    published: formatDate(p.publishedOn, locale),
                    court: p.court ? ` — ${p.court}` : "",
                  })}
                  <br />
                  {p.closedOn ? (
                    <span className="muted">{t("solvency.closed", { date: formatDate(p.closedOn, locale) })}</span>
                  ) : (
                    <strong>{t("solvency.deadline", { date: formatDate(p.claimDeadline, locale) })}</strong>
                  )}
                  {p.declarationId ? (
                    <>
                      {" "}
                      — <Link to={`/app/documents/${p.declarationId}`}>{t("solvency.declaration")}</Link>
                    </>
                  ) : null}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">{t("solvency.noProceedings")}</p>
          )}
        </>
      ) : null}

      {data ? (
        <>
          <h3>{t("solvency.history")}</h3>
          <ul className="plain-list">
            <li>{t("solvency.paidCount", { count: data.history.paid })}</li>
            <li>
              {data.history.avgDaysLate === null
                ? t("solvency.avgLateNone")
                : t("solvency.avgLate", { days: data.history.avgDaysLate.toLocaleString(locale === "fr" ? "fr-FR" : "en-GB") })}
            </li>
            <li>
              {t("solvency.openNow", {
                count: data.history.openCount,
                amount: formatAmount(data.history.openBalance, data.history.currency, locale),
              })}
            </li>
          </ul>
        </>
      ) : null}

      {props.canAct && props.hasSiren ? (
        <div className="row">
          <Form method="post">
            <button type="submit" name="intent" value="solvency-check" className="secondary">
              {t("solvency.check")}
            </button>
          </Form>
          {allClosed ? (
            liquidation ? (
              <p className="muted">{t("solvency.resumeNoteLiquidation")}</p>
            ) : (
              <Form method="post" className="row">
                <p className="muted">{t("solvency.resumeNote")}</p>
                <button type="submit" name="intent" value="solvency-resume" className="secondary">
                  {t("solvency.resume")}
                </button>
              </Form>
            )
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
