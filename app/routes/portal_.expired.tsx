import type { MetaFunction } from "@remix-run/node";
import { makeT } from "~/i18n";
import { useRootLocale } from "~/root";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "portal.signedOutTitle");

export default function PortalExpired() {
  const t = makeT(useRootLocale());
  return (
    <main id="main" className="page narrow stack">
      <h1>{t("portal.signedOutTitle")}</h1>
      <p>{t("portal.signedOut")}</p>
    </main>
  );
}
