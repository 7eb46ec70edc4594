import { chooseCourt, injunctionDeadlines, injunctionForm, TAE_SEATS } from "./court";

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

describe("chooseCourt: procedure and court by the debtor's kind, legal form and country", () => {
  const on = d("2026-12-01");
  const name = (choice: ReturnType<typeof chooseCourt>) => (choice.procedure === "FR_INJUNCTION" ? choice.courtName.fr : choice.procedure);

  it("arrêté du 5 juillet 2024: a trading debtor in one of the twelve seats goes to its tribunal des activités économiques", () => {
    expect(TAE_SEATS.map((s) => s.seat).sort()).toEqual([
      "Auxerre",
      "Avignon",
      "Le Havre",
      "Le Mans",
      "Limoges",
      "Lyon",
      "Marseille",
      "Nancy",
      "Nanterre",
      "Paris",
      "Saint-Brieuc",
      "Versailles",
    ]);
    expect(name(chooseCourt({ kind: "BUSINESS", country: "FR", city: "Lyon" }, on))).toBe("Tribunal des activités économiques de Lyon");
    expect(name(chooseCourt({ kind: "BUSINESS", legalForm: "ARTISAN", city: "SAINT BRIEUC CEDEX 1" }, on))).toBe(
      "Tribunal des activités économiques de Saint-Brieuc",
    );
    expect(name(chooseCourt({ kind: "BUSINESS", city: "Carpentras" }, on))).toBe("Tribunal des activités économiques d'Avignon");
    expect(name(chooseCourt({ kind: "BUSINESS", city: "Le Havre" }, on))).toBe("Tribunal des activités économiques du Havre");
    expect(chooseCourt({ kind: "BUSINESS", city: "Lyon" }, on)).toMatchObject({ tae: true, form: { cerfa: "12946" } });
    // Before the experiment, and elsewhere: the tribunal de commerce.
    expect(name(chooseCourt({ kind: "BUSINESS", city: "Lyon" }, d("2024-12-31")))).toBe("Tribunal de commerce");
    expect(name(chooseCourt({ kind: "BUSINESS", city: "Bordeaux" }, on))).toBe("Tribunal de commerce");
  });

  it("C. com. L721-3: a liberal profession or an association is not a merchant → tribunal judiciaire, Cerfa 12948, even in a TAE seat", () => {
    for (const legalForm of ["LIBERAL_PROFESSION", "ASSOCIATION", "OTHER_CIVIL"] as const) {
      const choice = chooseCourt({ kind: "BUSINESS", legalForm, city: "Paris" }, on);
      expect(choice).toMatchObject({ procedure: "FR_INJUNCTION", commercial: false, tae: false, form: { cerfa: "12948" } });
      expect(name(choice)).toBe("Tribunal judiciaire");
    }
    expect(chooseCourt({ kind: "CONSUMER", city: "Paris" }, on)).toMatchObject({ commercial: false, form: { cerfa: "12948" } });
  });

  it("Alsace-Moselle: the commercial chamber of the tribunal judiciaire", () => {
    expect(name(chooseCourt({ kind: "BUSINESS", city: "Strasbourg", postalCode: "67000" }, on))).toBe(
      "Tribunal judiciaire (chambre commerciale)",
    );
  });

  it("no French injonction against a debtor abroad: EU → European order for payment (Reg. 1896/2006, form A); Denmark and elsewhere → lawyer", () => {
    expect(chooseCourt({ kind: "BUSINESS", country: "DE", city: "Berlin" }, on)).toEqual({
      procedure: "EU_ORDER_FOR_PAYMENT",
      country: "DE",
      regulation: "(CE) n° 1896/2006",
      formName: "A",
    });
    expect(chooseCourt({ kind: "CONSUMER", country: "be" }, on).procedure).toBe("EU_ORDER_FOR_PAYMENT");
    expect(chooseCourt({ kind: "BUSINESS", country: "DK" }, on)).toEqual({ procedure: "LAWYER", country: "DK" });
    expect(chooseCourt({ kind: "BUSINESS", country: "CH" }, on)).toEqual({ procedure: "LAWYER", country: "CH" });
  });
});
