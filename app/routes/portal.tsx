import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { LanguageSwitcher } from "~/components/language-switcher";
import { consumerMediatorOf, mediatorLine } from "~/domain/mediation/mediator";
import { makeT, translate } from "~/i18n";
import { getLocale } from "~/utils/locale.server";
import { useRootLocale } from "~/root";
import { logoPath } from "~/services/documents/logo.server";
import { getPortalFrame } from "~/services/portal/home.server";
import { db } from "~/utils/db.server";
import { requirePortalIdentity } from "~/utils/portal-session.server";

/** The debtor's face: the creditor's brand, nothing of the back-office. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const identity = await requirePortalIdentity(request);
  // The same read as the page's loader (one query per request for both).
  const { creditor, kind } = await getPortalFrame(db, identity, context);
  const { id, logoAttachmentId, timeZone: _zone, jurisdiction: _jurisdiction, lateInterestRateBps: _rate, ...shown } = creditor;
  const { consumerMediatorName: _name, consumerMediatorUrl: _url, consumerMediatorAddr: _addr, ...face } = shown;
  // A consumer is told of the consumer mediator on every page (C. conso. L616-1); a business is not. Written
  // here, in the page's language: the sentence is data, not one more word for the browser's dictionary.
  const mediator = kind === "CONSUMER" ? consumerMediatorOf(creditor) : null;
  const mediatorText = mediator ? translate(await getLocale(request), "portal.mediator", { mediator: mediatorLine(mediator) }) : null;
  return json(
    { creditor: face, logo: logoPath({ id, logoAttachmentId }), mediator: mediatorText },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export default function PortalLayout() {
  const { creditor, logo, mediator } = useLoaderData<typeof loader>();
  const locale = useRootLocale();
  const t = makeT(locale);
  const brand = /^#[0-9a-f]{6}$/i.test(creditor.brandColor ?? "") ? creditor.brandColor! : undefined;
  return (
    <div style={brand ? ({ "--brand": brand } as React.CSSProperties) : undefined}>
      <header className="topbar">
        <div className="page">
          <Link to="/portal" className="brand">
            {/* The logo stands beside the name, which stays as text: the link's name for screen readers. */}
            {logo ? <img src={logo} alt="" className="brand-logo" height={32} /> : <span className="brand-dot" aria-hidden="true" />}
            {creditor.brandName ?? creditor.legalName}
          </Link>
          <span className="spacer" />
          <LanguageSwitcher locale={locale} />
        </div>
      </header>
      <main id="main" className="page">
        <Outlet />
      </main>
      <footer className="site">
        {t("portal.footer", { creditor: creditor.legalName })}
        {/* Who the debtor deals with, on every page: legal identity and a one-tap way to call. */}
        <br />
        {[
          creditor.legalName,
          creditor.siren ? t("legal.siren", { siren: creditor.siren }) : null,
          creditor.rcsCity ? t("legal.rcs", { city: creditor.rcsCity }) : null,
          [creditor.addressLine1, [creditor.postalCode, creditor.city].filter(Boolean).join(" ")].filter(Boolean).join(", ") || null,
          creditor.vatNumber ? t("legal.vat", { vat: creditor.vatNumber }) : null,
        ]
          .filter(Boolean)
          .join(" · ")}
        {creditor.contactPhone || creditor.contactEmail ? <br /> : null}
        {creditor.contactPhone ? (
          <a href={`tel:${creditor.contactPhone.replace(/[^\d+]/g, "")}`}>{t("legal.call", { phone: creditor.contactPhone })}</a>
        ) : null}
        {creditor.contactPhone && creditor.contactEmail ? " · " : null}
        {creditor.contactEmail ? <a href={`mailto:${creditor.contactEmail}`}>{creditor.contactEmail}</a> : null}
        {mediator ? (
          <>
            <br />
            <span data-testid="consumer-mediator">{mediator}</span>
          </>
        ) : null}
      </footer>
    </div>
  );
}

/** A missing invoice, plan or payment, or a failure, in the debtor's language with a way back to their invoices. */
export function ErrorBoundary() {
  return <GeneralErrorBoundary home={{ to: "/portal", label: "error.portalHome" }} />;
}
