import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { formatAmount, formatDate } from "~/components/money";
import { paymentMethodKind, paymentReference } from "~/domain/payments/receipt";
import { makeT, type MessageKey } from "~/i18n";
import { useRootLocale } from "~/root";
import { getPortalPayment } from "~/services/payments/start.server";
import { db } from "~/utils/db.server";
import { requirePortalIdentity } from "~/utils/portal-session.server";
import { pageTitle } from "~/utils/page-title";
import { staticPage } from "~/utils/hydration";

/** Where the provider sends the debtor back: the payment's state, refreshed until the provider's event arrives. */
/** Links and plain forms only: the phone downloads no JavaScript for it (decision 023). */
export const handle = staticPage;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const identity = await requirePortalIdentity(request);
  const payment = await getPortalPayment(db, identity, params.paymentId ?? "");
  if (!payment) throw new Response("Not found", { status: 404 });
  const cancelled = new URL(request.url).searchParams.has("cancelled");
  return json(
    {
      payment: { ...payment, checkoutUrl: null },
      // Our reference, never the provider's pi_… id; the method in the words the debtor chose it by.
      reference: paymentReference(payment.id),
      method: paymentMethodKind(payment.provider, payment.method),
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
  const { payment, cancelled, reference, method } = useLoaderData<typeof loader>();
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
      <dl className="card">
        <div className="pair">
          <dt>{t("receipt.method")}</dt>
          <dd>{t(`receipt.method.${method}`)}</dd>
        </div>
        <div className="pair">
          <dt>{t("receipt.date")}</dt>
          <dd>{formatDate(payment.succeededAt ?? payment.createdAt, locale)}</dd>
        </div>
        <div className="pair">
          <dt>{t("receipt.amount")}</dt>
          <dd>{amount}</dd>
        </div>
        <div className="pair">
          <dt>{t("receipt.reference")}</dt>
          <dd>
            <strong>{reference}</strong>
          </dd>
        </div>
      </dl>
      {done ? (
        <p>
          <a href={`/portal/payments/${payment.id}/receipt.pdf`} download>
            {t("receipt.download")}
          </a>
        </p>
      ) : null}
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
