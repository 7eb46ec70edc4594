import type { MetaFunction } from "@remix-run/node";
import { Link, useSearchParams } from "@remix-run/react";
import { makeT } from "~/i18n";
import { useRootLocale } from "~/root";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "title.portal.planSent");

export default function PlanSent() {
  const [params] = useSearchParams();
  const t = makeT(useRootLocale());
  const active = params.get("status") === "ACTIVE";
  return (
    <div className="stack narrow">
      <h1>{active ? t("plan.acceptedTitle") : t("plan.proposedTitle")}</h1>
      <p className="success" role="status">
        {active ? t("plan.accepted") : t("plan.proposed")}
      </p>
      <p>
        <Link to="/portal">{t("portal.back")}</Link>
      </p>
    </div>
  );
}
