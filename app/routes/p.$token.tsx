import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { systemClock } from "~/domain/clock";
import { makeT } from "~/i18n";
import { useRootLocale } from "~/root";
import { checkPortalLink, resendPortalLink } from "~/services/portal/access.server";
import { db } from "~/utils/db.server";
import { localeCookie } from "~/utils/locale.server";
import { isAutomatedVisit, startPortalOpening } from "~/utils/portal-session.server";

const noReferrer = { "Referrer-Policy": "no-referrer", "Cache-Control": "no-store" };

export const headers = () => noReferrer;

/**
 * Magic-link landing. It only reads, whoever asks (mail scanners prefetch
 * links): it verifies the link, sets a cookie naming the session to open and
 * redirects so the token leaves the address bar. The session, the link's last
 * use and the "link opened" trace are written by the first portal page that
 * brings the cookie back (getPortalIdentity); HEAD requests and known
 * scanners get no cookie at all.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const check = await checkPortalLink(db, params.token ?? "", systemClock);
  if (!check.ok) return json({ reason: check.reason }, { status: check.reason === "invalid" ? 404 : 410, headers: noReferrer });
  const headers = new Headers({ ...noReferrer, Location: "/portal" });
  if (isAutomatedVisit(request)) return new Response(null, { status: 302, headers });
  headers.append("Set-Cookie", await startPortalOpening(check, request));
  // The portal speaks the debtor's language (switchable), unless the visitor already chose one.
  if (!(await localeCookie.parse(request.headers.get("Cookie")))) {
    const debtor = await db.debtor.findFirst({ where: { id: check.debtorId, creditorId: check.creditorId }, select: { locale: true } });
    if (debtor) headers.append("Set-Cookie", await localeCookie.serialize(debtor.locale));
  }
  return new Response(null, { status: 302, headers });
}

/** "Email me a fresh link": same answer whatever the link was (no enumeration). */
export async function action({ params }: ActionFunctionArgs) {
  await resendPortalLink(db, params.token ?? "", systemClock);
  return json({ sent: true }, { headers: noReferrer });
}

export default function LinkProblem() {
  const { reason } = useLoaderData<typeof loader>();
  const sent = useActionData<typeof action>()?.sent;
  const busy = useNavigation().state !== "idle";
  const locale = useRootLocale();
  const t = makeT(locale);
  return (
    <main id="main" className="page narrow stack">
      <h1>{reason === "expired" ? t("link.expiredTitle") : t("link.invalidTitle")}</h1>
      <p>{reason === "expired" ? t("link.expiredLead") : t("link.invalidLead")}</p>
      {sent ? (
        <p className="success" role="status">
          {t("link.sent")}
        </p>
      ) : (
        <Form method="post">
          <button type="submit" disabled={busy}>
            {t("link.resend")}
          </button>
        </Form>
      )}
    </main>
  );
}
