import { en } from "./en";
import { fr } from "./fr";
import { negotiateLocale, translate } from "./index";

describe("i18n", () => {
  it("has the same keys in every language and no empty message", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(fr).sort());
    for (const value of [...Object.values(fr), ...Object.values(en)]) expect(value.trim()).not.toBe("");
  });

  it("fills placeholders", () => {
    expect(translate("fr", "portal.owedTo", { creditor: "ACME" })).toBe("Factures dues à ACME");
    expect(translate("en", "portal.owedTo", { creditor: "ACME" })).toBe("Invoices owed to ACME");
  });

  it("prefers the explicit choice, then Accept-Language, then French", () => {
    expect(negotiateLocale("en", "fr-FR,fr;q=0.9")).toBe("en");
    expect(negotiateLocale(null, "en-GB,en;q=0.9,fr;q=0.8")).toBe("en");
    expect(negotiateLocale(undefined, "de-DE,de;q=0.9")).toBe("fr");
    expect(negotiateLocale("xx", null)).toBe("fr");
  });
});

describe("French elision", () => {
  it("writes d' before a name starting with a vowel, de otherwise, and never touches English", () => {
    expect(translate("fr", "portal.footer", { creditor: "Atelier Durand" })).toBe(
      "Espace de paiement sécurisé pour les factures d'Atelier Durand",
    );
    expect(translate("fr", "portal.footer", { creditor: "Écoles Réunies" })).toBe(
      "Espace de paiement sécurisé pour les factures d'Écoles Réunies",
    );
    expect(translate("fr", "portal.footer", { creditor: "Nordic Design" })).toBe(
      "Espace de paiement sécurisé pour les factures de Nordic Design",
    );
    expect(translate("en", "portal.footer", { creditor: "Atelier Durand" })).toBe("Secure payment space for invoices from Atelier Durand");
  });
});
