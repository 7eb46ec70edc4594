import { injunctionDeadlines, injunctionForm } from "./court";

const d = (day: string) => new Date(`${day}T00:00:00Z`);
const iso = (date: Date | null) => date?.toISOString().slice(0, 10) ?? null;

describe("injonction de payer (C. pr. civ. 1405 ff.)", () => {
  it("C. pr. civ. 1405: Cerfa 12946 (tribunal de commerce) for a business debtor", () => {
    const form = injunctionForm("BUSINESS");
    expect(form).toMatchObject({ cerfa: "12946", court: "TRIBUNAL_DE_COMMERCE", oppositionMonths: 1, serviceDeadlineMonths: 6 });
    expect(form.label.fr).toMatch(/tribunal de commerce/);
    expect(form.label.en).toMatch(/commercial court/);
  });

  it("C. pr. civ. 1405: Cerfa 12948 (tribunal judiciaire) for a consumer or a non-trading business", () => {
    expect(injunctionForm("CONSUMER")).toMatchObject({ cerfa: "12948", court: "TRIBUNAL_JUDICIAIRE" });
    expect(injunctionForm("BUSINESS", { commercial: false }).cerfa).toBe("12948");
    expect(injunctionForm("CONSUMER").courtLabel).toEqual({ fr: "Tribunal judiciaire", en: "Civil court (tribunal judiciaire)" });
  });

  it("C. pr. civ. 1411, 1416: serve within 6 months of the order; opposition within 1 month of service", () => {
    expect(injunctionDeadlines(d("2025-03-10"))).toEqual({ serveBy: d("2025-09-10"), oppositionUntil: null });
    // Month ends clamp (C. pr. civ. 641): 31 Aug + 6 months → 28 Feb; 31 Jan + 1 month → 28 Feb.
    const deadlines = injunctionDeadlines(d("2025-08-31"), d("2026-01-31"));
    expect([iso(deadlines.serveBy), iso(deadlines.oppositionUntil)]).toEqual(["2026-02-28", "2026-02-28"]);
  });
});
