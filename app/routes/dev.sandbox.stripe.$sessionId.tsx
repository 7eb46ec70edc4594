import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useSearchParams } from "@remix-run/react";
import { formatAmount } from "~/components/money";
import { makeT } from "~/i18n";
import { useRootLocale } from "~/root";
import { deliverStripeEvents, sandboxEnabled, stripeMock } from "~/providers/mocks/sandbox.server";

/** Imitates Stripe Checkout (mocks only): Pay / Fail / Cancel, and for SEPA the bank's later answer. */

export async function loader({ params }: LoaderFunctionArgs) {
  if (!sandboxEnabled("stripe")) throw new Response("Not found", { status: 404 });
  const session = (await stripeMock()).stripeSessions().get(params.sessionId ?? "");
  if (!session) throw new Response("Not found", { status: 404 });
  return json({
    id: session.id,
    amount: session.amount_total,
    currency: session.currency.toUpperCase(),
    status: session.status,
    paymentStatus: session.payment_status,
    sepa: session.payment_method_types.includes("sepa_debit"),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  if (!sandboxEnabled("stripe")) throw new Response("Not found", { status: 404 });
  const choice = String((await request.formData()).get("action"));
  if (!["pay", "fail", "cancel", "settle", "debit_fail"].includes(choice)) return json({ error: "unknown action" }, { status: 400 });
  const { stripeSandboxAct } = await stripeMock();
  const { events, redirect: to } = stripeSandboxAct(params.sessionId ?? "", choice as never);
  await deliverStripeEvents(events);
  return redirect(to ?? `/dev/sandbox/stripe/${params.sessionId}?done=1`);
}

export default function StripeSandbox() {
  const s = useLoaderData<typeof loader>();
  const locale = useRootLocale();
  const t = makeT(locale);
  const done = useSearchParams()[0].has("done");
  return (
    <main id="main" className="page narrow stack">
      <h1>{t("payments.sandbox.title")} — Stripe</h1>
      <p className="notice">{t("payments.sandbox.lead")}</p>
      <div className="card sandbox stack">
        <p className="total">{formatAmount(s.amount, s.currency, locale)}</p>
        <p className="muted">
          {s.sepa ? "SEPA Direct Debit" : "Card"} · {s.id} · {s.status}/{s.paymentStatus}
        </p>
        {done ? (
          <p className="success" role="status">
            {t("payments.sandbox.done")}
          </p>
        ) : null}
        <Form method="post" className="row">
          {s.status === "open" ? (
            <>
              <button type="submit" name="action" value="pay">
                {t("payments.sandbox.pay")}
              </button>
              {!s.sepa ? (
                <button type="submit" name="action" value="fail" className="secondary">
                  {t("payments.sandbox.fail")}
                </button>
              ) : null}
              <button type="submit" name="action" value="cancel" className="secondary">
                {t("payments.sandbox.cancel")}
              </button>
            </>
          ) : null}
          {s.status === "complete" && s.paymentStatus === "unpaid" ? (
            <>
              <button type="submit" name="action" value="settle">
                {t("payments.sandbox.settle")}
              </button>
              <button type="submit" name="action" value="debit_fail" className="secondary">
                {t("payments.sandbox.debitFail")}
              </button>
            </>
          ) : null}
        </Form>
      </div>
    </main>
  );
}
