import { render } from "@react-email/components";
import { createElement, type ComponentType } from "react";
import { sampleBase, sampleInvoices } from "./_components/preview-data";
import { brandPalette, contrast } from "./_components/theme";
import { renderEmail, type DunningEmailProps } from "./index";

const reminder = (overrides: Partial<DunningEmailProps> = {}): DunningEmailProps => ({
  ...sampleBase,
  tone: "STANDARD",
  invoices: sampleInvoices,
  totalDue: 433_456,
  currency: "EUR",
  ...overrides,
});

describe("shared layout", () => {
  it("carries the creditor's legal identity and why the debtor gets the email", async () => {
    const fr = await renderEmail("first_reminder", reminder());
    expect(fr.text).toContain("Vous recevez cet e-mail au sujet de factures dues à Atelier Durand SAS.");
    expect(fr.text).toContain("Atelier Durand SAS · SIREN 732829320 · 12 rue des Tanneurs, 69002 Lyon");
    expect(fr.text).toContain("compta@atelier-durand.test · 04 78 00 00 00");
    const en = await renderEmail("first_reminder", reminder({ locale: "en" }));
    expect(en.text).toContain("You receive this email about invoices owed to Atelier Durand SAS.");
  });

  it("works with the bare minimum of creditor data", async () => {
    const email = await renderEmail("first_reminder", reminder({ creditor: { legalName: "Solo EURL" } }));
    expect(email.subject).toMatch(/ — Solo EURL$/);
    expect(email.text).not.toMatch(/SIREN|Contact/);
  });

  it("keeps the brand colour only where it stays readable", () => {
    for (const color of ["#0f766e", "#ffd400", "#eee", "not-a-colour", null]) {
      const p = brandPalette(color);
      expect(contrast(p.link, "#ffffff")).toBeGreaterThanOrEqual(4.5);
      expect(contrast(p.button, p.onButton)).toBeGreaterThanOrEqual(4.5);
    }
    expect(brandPalette("#0f766e").button).toBe("#0f766e");
  });

  it("never lets creditor or staff text inject markup or styles", async () => {
    const email = await renderEmail("dispute_answer", {
      ...sampleBase,
      creditor: { ...sampleBase.creditor, brandColor: "red;background:url(https://evil.test/x)" },
      invoiceNumber: "F-1",
      answer: '<script>alert(1)</script><img src="x">',
      outcome: "REJECTED",
    });
    expect(email.html).not.toContain("<script>");
    expect(email.html).not.toContain("evil.test");
    expect(email.html).toContain("&lt;script&gt;");
  });

  it("never splits a multi-byte character (React 18 streaming wrote NUL bytes at 2 KB boundaries)", async () => {
    for (const pad of [0, 1, 2]) {
      const email = await renderEmail("dispute_answer", {
        ...sampleBase,
        invoiceNumber: "F-1",
        answer: "x".repeat(pad) + "Réglé — 40 € \u200c".repeat(500),
        outcome: "REJECTED",
      });
      // eslint-disable-next-line no-control-regex -- the check is for a NUL character leaking into the rendered email
      expect(email.html + email.text).not.toMatch(/\u0000|\ufffd/);
    }
  });

  it("refuses a portal link that is not http(s)", async () => {
    await expect(renderEmail("portal_link", { ...sampleBase, portalUrl: "javascript:alert(1)" })).rejects.toThrow(/portalUrl/);
  });

  it("keeps the text part free of the HTML-only hints", async () => {
    const email = await renderEmail("second_reminder", reminder());
    expect(email.text).not.toContain("Si le bouton ne fonctionne pas");
    expect(email.text).not.toContain("Montant dû\u00a0:"); // the hidden inbox preview line
    expect(email.html).toContain("Montant dû\u00a0: 4\u00a0334,56\u00a0€");
  });

  // The react-email preview (`email dev --dir emails`) renders each template's default export with its PreviewProps.
  it.each([
    "dunning-reminder",
    "formal-notice",
    "portal-link",
    "payment-receipt",
    "payment-failed",
    "plan-confirmation",
    "plan-rejected",
    "dispute-answer",
    "promise-confirmation",
  ])("%s has PreviewProps the preview can render", async (file) => {
    const mod = (await import(`./${file}.tsx`)) as { default: ComponentType<object> & { PreviewProps?: object } };
    expect(mod.default.PreviewProps).toBeTypeOf("object");
    const html = await render(createElement(mod.default, mod.default.PreviewProps));
    expect(html).toContain(sampleBase.portalUrl);
  });
});
