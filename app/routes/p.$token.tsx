import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ExpiredLinkPage, ResendLinkForm } from "~/components/expired-link";
import { systemClock } from "~/domain/clock";
import { makeT } from "~/i18n";
import { useRootLocale } from "~/root";
import { checkPortalLink, resendPortalLink } from "~/services/portal/access.server";
import { brandOfExpiredLink } from "~/services/portal/expired.server";
import { selectedInvoices } from "~/services/portal/links.server";
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
  if (!check.ok) {
    const brand = check.reason === "expired" ? await brandOfExpiredLink(db, params.token ?? "", systemClock) : null;
    return json({ reason: check.reason, brand }, { status: check.reason === "invalid" ? 404 : 410, headers: noReferrer });
  }
  // A reminder's link opens the pay page with the invoices it lists already selected.
  const select = selectedInvoices(new URL(request.url));
  const location = select.length > 0 ? `/portal/pay?${select.map((id) => `invoice=${encodeURIComponent(id)}`).join("&")}` : "/portal";
  const headers = new Headers({ ...noReferrer, Location: location });
  if (isAutomatedVisit(request)) return new Response(null, { status: 302, headers });
  headers.append("Set-Cookie", await startPortalOpening(check, request));
  // The portal opens in the debtor's language, whatever this browser chose before (a shared
  // computer, an earlier visit); the switcher changes it afterwards.
  const debtor = await db.debtor.findFirst({ where: { id: check.debtorId, creditorId: check.creditorId }, select: { locale: true } });
  if (debtor) headers.append("Set-Cookie", await localeCookie.serialize(debtor.locale));
  return new Response(null, { status: 302, headers });
}

/** "Email me a fresh link": same answer whatever the link was (no enumeration). */
export async function action({ params }: ActionFunctionArgs) {
  await resendPortalLink(db, params.token ?? "", systemClock);
  return json({ sent: true }, { headers: noReferrer });
}

export default function LinkProblem() {
  const { reason, brand } = useLoaderData<typeof loader>();
  const sent = useActionData<typeof action>()?.sent ?? false;
  const busy = useNavigation().state !== "idle";
  const locale = useRootLocale();
  const t = makeT(locale);
  const expired = reason === "expired";
  return (
    <ExpiredLinkPage
      brand={brand}
      heading={brand ? t("link.expiredFor", { creditor: brand.name }) : null}
      title={expired ? t("link.expiredTitle") : t("link.invalidTitle")}
      lead={expired ? t("link.expiredLead") : t("link.invalidLead")}
      contactLabel={brand ? t("link.contact", { creditor: brand.name }) : null}
      resend={<ResendLinkForm sent={sent} busy={busy} label={t("link.resend")} sentLabel={t("link.sent")} />}
    />
  );
}
