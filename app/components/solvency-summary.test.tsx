import type { ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { vi } from "vitest";
import { SolvencySummary, type SolvencySummaryData } from "./solvency-summary";

// The box reads the page's ?done= and posts plain forms: a router stand-in is enough to render it.
vi.mock("@remix-run/react", () => ({
  Form: ({ children, className }: { children: ReactNode; className?: string }) => (
    <form method="post" className={className}>
      {children}
    </form>
  ),
  Link: ({ children, to }: { children: ReactNode; to: string }) => <a href={to}>{children}</a>,
  useSearchParams: () => [new URLSearchParams("done=solvency_checked")],
}));

const data = (over: Partial<SolvencySummaryData> = {}): SolvencySummaryData => ({
  solvency: {
    siren: "901234567",
    status: "ACTIVE",
    registryName: "ATELIER BRUNEAU",
    legalFormCode: "5710",
    createdOn: "2016-09-12T00:00:00.000Z",
    ceasedOn: null,
    ceasedSeenAt: null,
    checkedAt: "2026-03-12T06:30:00.000Z",
    failedAt: null,
    failureReason: null,
  },
  proceedings: [
    {
      id: "p1",
      kind: "REDRESSEMENT",
      openedOn: "2026-03-02T00:00:00.000Z",
      publishedOn: "2026-03-10T00:00:00.000Z",
      court: "Greffe du Tribunal de Commerce de Lyon",
      claimDeadline: "2026-05-10T00:00:00.000Z",
      closedOn: null,
      declarationId: "att1",
    },
  ],
  history: { paid: 4, avgDaysLate: 12.5, openCount: 3, openBalance: 1_950_00, currency: "EUR" },
  ...over,
});

const render = (d: SolvencySummaryData | null, locale: "fr" | "en" = "fr", hasSiren = true) =>
  renderToString(<SolvencySummary data={d} hasSiren={hasSiren} canAct locale={locale} timeZone="Europe/Paris" />)
    .replace(/&#x27;/g, "'")
    .replace(/<!-- -->/g, "")
    .replace(/\s+/g, " ");

describe("solvency box on the debtor page", () => {
  it("says the status, legal form, proceeding with its deadline and declaration, and the payment history, in words", () => {
    const html = render(data());
    expect(html).toContain("Entreprise en activité");
    expect(html).toContain("Procédure collective");
    expect(html).toMatch(/Créée le 12 sept\. 2016 \(\d+ ans\)/);
    expect(html).toContain("Forme juridique : Société par actions simplifiée (SAS)");
    expect(html).toContain(
      "Redressement judiciaire : jugement du 2 mars 2026, publié le 10 mars 2026 — Greffe du Tribunal de Commerce de Lyon",
    );
    expect(html).toContain("Créance à déclarer au plus tard le 10 mai 2026");
    expect(html).toContain('href="/app/documents/att1"');
    expect(html).toContain("Factures réglées : 4");
    expect(html).toContain("Retard moyen au paiement : 12,5 j");
    expect(html).toContain('value="solvency-check"');
    expect(html).toContain("Situation vérifiée");
    expect(html).not.toContain("solvency.");
    expect(html).not.toContain('value="solvency-resume"');
  });

  it("a closed redressement offers to resume; a closed liquidation does not; a ceased company and an unknown code read as words; English too", () => {
    const closed = data({ proceedings: [{ ...data().proceedings[0]!, closedOn: "2026-10-28T00:00:00.000Z" }] });
    expect(render(closed)).toContain('value="solvency-resume"');
    const liquidation = data({ proceedings: [{ ...data().proceedings[0]!, kind: "LIQUIDATION", closedOn: "2026-10-28T00:00:00.000Z" }] });
    expect(render(liquidation)).not.toContain('value="solvency-resume"');
    expect(render(liquidation)).toContain("L643-11");
    const ceased = render(
      data({
        solvency: { ...data().solvency!, status: "CEASED", ceasedOn: "2026-02-28T00:00:00.000Z", legalFormCode: "5306" },
        proceedings: [],
      }),
      "en",
    );
    expect(ceased).toContain("Company ceased");
    expect(ceased).toContain("Ceased on 28 Feb 2026");
    expect(ceased).toContain("Legal form: legal category 5306");
    expect(ceased).toContain("No insolvency proceedings published.");
    expect(render(null, "fr", false)).toContain("Renseignez le SIREN");
  });
});
