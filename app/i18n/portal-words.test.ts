import { describe, expect, it } from "vitest";
import { portalKeys, portalModules } from "../../scripts/i18n-portal-words";
import { en } from "./en";
import { fr } from "./fr";
import { translate } from "./index";
import { words as enWords } from "./portal-words.en";
import { words as frWords } from "./portal-words.fr";

describe("the portal's words in the browser", () => {
  it("are the words the portal's browser modules name, as the dictionaries say them (regenerate: npx tsx scripts/i18n-portal-words.ts)", () => {
    const keys = portalKeys();
    expect(Object.keys(frWords)).toEqual(keys);
    expect(Object.keys(enWords)).toEqual(keys);
    for (const key of keys) {
      expect(frWords[key]).toBe(fr[key]);
      expect(enWords[key]).toBe(en[key]);
    }
  });

  it("follow the portal's imports, not the back-office's", () => {
    const modules = portalModules();
    expect(modules).toContain("app/routes/portal.pay.tsx");
    expect(modules).toContain("app/components/language-switcher.tsx");
    expect(modules.some((m) => m.startsWith("app/routes/app."))).toBe(false);
    expect(modules.some((m) => m.endsWith(".server.ts"))).toBe(false);
  });

  it("take literal keys and every key a template literal starts", () => {
    const keys = portalKeys();
    expect(keys).toContain("nav.skip"); // root
    expect(keys).toContain("nav.language"); // language switcher
    expect(keys).toContain("payments.lead"); // portal.pay, after JSX text with apostrophes
    // portal._index renders t(`claim.interest.${debtor.kind}`)
    expect(keys).toEqual(expect.arrayContaining(["claim.interest.BUSINESS", "claim.interest.CONSUMER"]));
    expect(keys.length).toBeLessThan(Object.keys(fr).length / 4);
  });

  it("leave the server with every word", () => {
    expect(translate("en", "bo.template.other")).toBe(en["bo.template.other"]);
    expect(translate("fr", "nav.skip")).toBe(fr["nav.skip"]);
  });
});
