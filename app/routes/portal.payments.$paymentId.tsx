import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { formatAmount } from "~/components/money";
import { makeT, type MessageKey } from "~/i18n";
import { useRootLocale } from "~/root";
import { getPortalPayment } from "~/services/payments/start.server";
import { db } from "~/utils/db.server";
import { requirePortalIdentity } from "~/utils/portal-session.server";
import { pageTitle } from "~/utils/page-title";

/** Where the provider sends the debtor back: the payment's state, refreshed until the provider's event arrives. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const identity = await requirePortalIdentity(request);
  const payment = await getPortalPayment(db, identity, params.paymentId ?? "");
  if (!payment) throw new Response("Not found", { status: 404 });
  const cancelled = new URL(request.url).searchParams.has("cancelled");
  return json(
    {
      payment: { ...payment, checkoutUrl: null },
      cancelled,
      waiting: !cancelled && ["CREATED", "REQUIRES_ACTION"].includes(payment.status),
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

// Without JavaScript too: the page reloads itself while the confirmation is on its way.
export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  ...pageTitle(matches, "payments.status.title"),
  ...(data?.waiting ? [{ httpEquiv: "refresh", content: "3" }] : []),
];

export default function PaymentStatus() {
  const { payment, cancelled } = useLoaderData<typeof loader>();
  const locale = useRootLocale();
  const t = makeT(locale);
  const amount = formatAmount(payment.amount, payment.currency, locale);
  const done = payment.status === "SUCCEEDED";
  const text =
    cancelled && payment.status !== "SUCCEEDED" && payment.status !== "PROCESSING"
      ? t("payments.status.cancelled")
      : t(`payments.status.${payment.status}` as MessageKey, { amount });
  return (
    <div className="stack narrow">
      <h1>{t("payments.status.title")}</h1>
      <p className={done ? "success" : payment.status === "FAILED" || cancelled ? "form-error" : "notice"} role="status">
        {text}
      </p>
      {payment.failureReason && payment.status === "FAILED" ? <p className="muted">{payment.failureReason}</p> : null}
      <section aria-labelledby="allocated">
        <h2 id="allocated">{t("payments.status.allocated")}</h2>
        <ul>
          {payment.allocations.map((a) => (
            <li key={a.invoice.id}>
              <Link to={`/portal/invoices/${a.invoice.id}`}>{a.invoice.number}</Link>
            </li>
          ))}
        </ul>
      </section>
      <div className="row">
        {!done ? (
          <Link className="button secondary" to="/portal/pay">
            {t("payments.status.retry")}
          </Link>
        ) : null}
        <Link className="button" to="/portal">
          {t("payments.status.back")}
        </Link>
      </div>
    </div>
  );
}
