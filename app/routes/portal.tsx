import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { LanguageSwitcher } from "~/components/language-switcher";
import { makeT } from "~/i18n";
import { useRootLocale } from "~/root";
import { db } from "~/utils/db.server";
import { requirePortalIdentity } from "~/utils/portal-session.server";

/** The debtor's face: the creditor's brand, nothing of the back-office. */
export async function loader({ request }: LoaderFunctionArgs) {
  const identity = await requirePortalIdentity(request);
  const creditor = await db.creditor.findUniqueOrThrow({
    where: { id: identity.creditorId },
    select: { legalName: true, brandName: true, brandColor: true },
  });
  return json({ creditor }, { headers: { "Cache-Control": "private, no-store" } });
}

export default function PortalLayout() {
  const { creditor } = useLoaderData<typeof loader>();
  const locale = useRootLocale();
  const t = makeT(locale);
  const brand = /^#[0-9a-f]{6}$/i.test(creditor.brandColor ?? "") ? creditor.brandColor! : undefined;
  return (
    <div style={brand ? ({ "--brand": brand } as React.CSSProperties) : undefined}>
      <header className="topbar">
        <div className="page">
          <Link to="/portal" className="brand">
            <span className="brand-dot" aria-hidden="true" />
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
      </footer>
    </div>
  );
}

/** A missing invoice, plan or payment, or a failure, in the debtor's language with a way back to their invoices. */
export function ErrorBoundary() {
  return <GeneralErrorBoundary home={{ to: "/portal", label: "error.portalHome" }} />;
}
