import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { formatAmount, formatDate } from "~/components/money";
import { makeT, type MessageKey } from "~/i18n";
import { useRootLocale } from "~/root";
import { inboxItems } from "~/services/inbox.server";
import { db } from "~/utils/db.server";
import { requireStaff } from "~/utils/staff-session.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  return json(await inboxItems(db, staff.creditorId, new Date()));
}

export default function Inbox() {
  const { proposals, disputes, tasks } = useLoaderData<typeof loader>();
  const locale = useRootLocale();
  const t = makeT(locale);
  return (
    <div className="stack">
      <h1>{t("nav.inbox")}</h1>
      <section aria-labelledby="proposals">
        <h2 id="proposals">{t("inbox.proposals")} ({proposals.length})</h2>
        {proposals.length === 0 ? <p className="muted">{t("inbox.none")}</p> : null}
        <ul>
          {proposals.map((p) => (
            <li key={p.id}>
              {p.debtor.name} — {formatAmount(p.totalAmount, p.currency, locale)} ({p._count.installments}×)
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
