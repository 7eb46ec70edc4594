import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { formatAmount } from "~/components/money";
import { makeT } from "~/i18n";
import { useRootLocale } from "~/root";
import { deliverGoCardlessEvents, gocardlessMock, sandboxEnabled } from "~/providers/mocks/sandbox.server";

/** Imitates the GoCardless hosted Billing Request Flow (mocks only). */

export async function loader({ params }: LoaderFunctionArgs) {
  if (!sandboxEnabled("gocardless")) throw new Response("Not found", { status: 404 });
  const br = (await gocardlessMock()).gocardlessStore().billingRequests.get(params.billingRequestId ?? "") as
    { id: string; status: string; payment_request?: { amount: number | string; currency: string }; mandate_request?: unknown } | undefined;
  if (!br) throw new Response("Not found", { status: 404 });
  return json({
    id: br.id,
    status: br.status,
    amount: br.payment_request ? Number(br.payment_request.amount) : null,
    currency: br.payment_request?.currency ?? "EUR",
    mandate: !!br.mandate_request,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  if (!sandboxEnabled("gocardless")) throw new Response("Not found", { status: 404 });
  const choice = String((await request.formData()).get("action"));
  if (!["pay", "fail", "cancel", "authorise"].includes(choice)) return json({ error: "unknown action" }, { status: 400 });
  const { gocardlessSandboxAct } = await gocardlessMock();
  const { events, redirect: to } = gocardlessSandboxAct(params.billingRequestId ?? "", choice as never);
  await deliverGoCardlessEvents(events);
  return redirect(to ?? "/portal");
}

export default function GoCardlessSandbox() {
  const br = useLoaderData<typeof loader>();
  const locale = useRootLocale();
  const t = makeT(locale);
  return (
    <main id="main" className="page narrow stack">
      <h1>{t("payments.sandbox.title")} — GoCardless</h1>
      <p className="notice">{t("payments.sandbox.lead")}</p>
      <div className="card sandbox stack">
        {br.amount !== null ? <p className="total">{formatAmount(br.amount, br.currency, locale)}</p> : null}
        <p className="muted">
          {br.mandate ? "Mandate (SEPA Core)" : "Instant bank pay"} · {br.id} · {br.status}
        </p>
        {br.status === "pending" ? (
          <Form method="post" className="row">
            {br.amount !== null ? (
              <>
                <button type="submit" name="action" value="pay">
                  {t("payments.sandbox.pay")}
                </button>
                <button type="submit" name="action" value="fail" className="secondary">
                  {t("payments.sandbox.fail")}
                </button>
              </>
            ) : (
              <button type="submit" name="action" value="authorise">
                {t("payments.sandbox.authorise")}
              </button>
            )}
            <button type="submit" name="action" value="cancel" className="secondary">
              {t("payments.sandbox.cancel")}
            </button>
          </Form>
        ) : null}
      </div>
    </main>
  );
}
