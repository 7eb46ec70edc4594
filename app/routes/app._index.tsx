import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { systemClock } from "~/domain/clock";
import { formatAmount, formatDate } from "~/components/money";
import { makeT, type MessageKey } from "~/i18n";
import { useRootLocale } from "~/root";
import { inboxItems } from "~/services/inbox.server";
import { acceptPlan, PlanError, rejectPlan } from "~/services/plans.server";
import { db } from "~/utils/db.server";
import { requireStaff } from "~/utils/staff-session.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  return json(await inboxItems(db, staff.creditorId, new Date()));
}

/** Inbox decisions. Agents and owners only; every query is scoped to the staff member's creditor. */
export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request, "AGENT");
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const planId = String(form.get("planId") ?? "");
  try {
    if (intent === "accept-plan") {
      await db.$transaction((tx) => acceptPlan(tx, staff.creditorId, planId, { userId: staff.userId }, systemClock), { timeout: 30_000 });
      return json({ ok: "inbox.planAccepted", planId, error: null });
    }
    if (intent === "reject-plan") {
      const reason = String(form.get("reason") ?? "").trim();
      await db.$transaction((tx) => rejectPlan(tx, staff.creditorId, planId, { reason, staffId: staff.userId }, systemClock), { timeout: 30_000 });
      return json({ ok: "inbox.planRejected", planId, error: null });
    }
  } catch (error) {
    if (error instanceof PlanError) {
      if (error.code === "not_found") throw new Response("Not found", { status: 404 });
      return json({ ok: null, planId, error: `inbox.errors.${error.code}` }, { status: 400 });
    }
    throw error;
  }
  return json({ ok: null, planId, error: "inbox.errors.unknown" }, { status: 400 });
}

export default function Inbox() {
  const { proposals, disputes, tasks } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const locale = useRootLocale();
  const t = makeT(locale);
  return (
    <div className="stack">
      <h1>{t("nav.inbox")}</h1>
      {result?.ok ? <p className="success" role="status">{t(result.ok as MessageKey)}</p> : null}
      <section aria-labelledby="proposals">
        <h2 id="proposals">{t("inbox.proposals")} ({proposals.length})</h2>
        {proposals.length === 0 ? <p className="muted">{t("inbox.none")}</p> : null}
        <ul>
          {proposals.map((p) => (
            <li key={p.id} className="card">
              <strong>{p.debtor.name}</strong> — {formatAmount(p.totalAmount, p.currency, locale)} ({p._count.installments}×)
              <div className="row">
                <Form method="post">
                  <input type="hidden" name="planId" value={p.id} />
                  <button type="submit" name="intent" value="accept-plan">{t("inbox.accept")}</button>
                </Form>
                <Form method="post" className="row">
                  <input type="hidden" name="planId" value={p.id} />
                  <label htmlFor={`reason-${p.id}`} className="muted">{t("inbox.rejectReason")}</label>
                  <input id={`reason-${p.id}`} name="reason" required aria-invalid={result?.planId === p.id && result.error ? true : undefined} />
                  <button type="submit" name="intent" value="reject-plan" className="secondary">{t("inbox.reject")}</button>
                </Form>
              </div>
              {result?.planId === p.id && result.error ? <p className="field-error">{t(result.error as MessageKey)}</p> : null}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="disputes">
        <h2 id="disputes">{t("inbox.disputes")} ({disputes.length})</h2>
        {disputes.length === 0 ? <p className="muted">{t("inbox.none")}</p> : null}
        <ul>
          {disputes.map((d) => (
            <li key={d.id}>
              <strong>{d.debtor.name}</strong> — {d.invoice.number} — {t(`dispute.reason.${d.reason}` as MessageKey)}
              <br />
              <span className="muted">{d.message}</span>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="tasks">
        <h2 id="tasks">{t("inbox.tasks")} ({tasks.length})</h2>
        {tasks.length === 0 ? <p className="muted">{t("inbox.none")}</p> : null}
        <ul>
          {tasks.map((task) => (
            <li key={task.id}>
              <strong>{task.title}</strong> — {formatDate(task.dueAt, locale)}
              {task.debtor.phone ? <> — <a href={`tel:${task.debtor.phone}`}>{task.debtor.phone}</a></> : null}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
