import { makeT } from "~/i18n";
import { useRootLocale } from "~/root";

export default function PortalExpired() {
  const t = makeT(useRootLocale());
  return (
    <main id="main" className="page narrow stack">
      <h1>{t("portal.signedOutTitle")}</h1>
      <p>{t("portal.signedOut")}</p>
    </main>
  );
}
