import { sampleBase, sampleInvoices } from "./_components/preview-data";
import { DUNNING_TEMPLATE_KEYS, renderEmail, type DunningEmailProps, type EmailLocale, type EmailTone } from "./index";

const TONES: EmailTone[] = ["CORDIAL", "STANDARD", "FIRM"];
const LOCALES: EmailLocale[] = ["fr", "en"];
const portalUrl = "https://pay.example.test/p/eyJhbGciOiJIUzI1NiJ9.abc.def";

function dunning(overrides: Partial<DunningEmailProps> = {}): DunningEmailProps {
  return {
    ...sampleBase,
    portalUrl,
    tone: "STANDARD",
    invoices: sampleInvoices,
    totalDue: sampleInvoices.reduce((sum, i) => sum + i.amountDue, 0),
    currency: "EUR",
    deadline: new Date("2026-12-10"),
    ...overrides,
  };
}
const consumer = { name: "Jeanne Petit", kind: "CONSUMER" } as const;
const business = { name: "Boulangerie Martin SARL", kind: "BUSINESS" } as const;
const INDEMNITY = /40\s?€|€\s?40|D441-5|indemnité forfaitaire|fixed indemnity/i;

describe("dunning emails", () => {
  const cases = DUNNING_TEMPLATE_KEYS.flatMap((key) => LOCALES.flatMap((locale) => TONES.map((tone) => [key, locale, tone] as const)));

  it.each(cases)("%s renders in %s, tone %s, with the link and every invoice in the text part", async (key, locale, tone) => {
    const email = await renderEmail(key, dunning({ locale, tone }));
    expect(email.subject).toContain("Atelier Durand");
    expect(email.html).toMatch(new RegExp(`<html[^>]*lang="${locale}"`));
    expect(email.html).toContain(`href="${portalUrl}"`);
    expect(email.text).toContain(portalUrl);
    for (const invoice of sampleInvoices) {
      expect(email.text).toContain(invoice.number);
      expect(email.html).toContain(invoice.number);
    }
    expect(email.text).toContain(locale === "fr" ? "Voir et payer\u00a0: " : "View and pay: ");
    // eslint-disable-next-line no-control-regex -- the check is for a NUL character leaking into the rendered email
    expect(email.html + email.text).not.toMatch(/\u0000|\ufffd|undefined|NaN|\[object/);
  });

  it.each(DUNNING_TEMPLATE_KEYS)("%s: the tone changes the wording, not the structure", async (key) => {
    for (const locale of LOCALES) {
      const emails = await Promise.all(TONES.map((tone) => renderEmail(key, dunning({ locale, tone }))));
      expect(new Set(emails.map((e) => e.text)).size).toBe(3);
      expect(new Set(emails.map((e) => e.subject)).size).toBe(1);
      const tableCount = (html: string) => html.match(/class="data-table"/g)?.length;
      expect(new Set(emails.map((e) => tableCount(e.html))).size).toBe(1);
    }
  });

  it("formats amounts and dates French-style in French, English-style in English", async () => {
    const fr = await renderEmail("first_reminder", dunning({ locale: "fr" }));
    expect(fr.text).toContain("1\u00a0234,56\u00a0€");
    expect(fr.text).toContain("4\u00a0334,56\u00a0€");
    expect(fr.text).toContain("31/10/2026");
    expect(fr.text).toContain("émise le 01/10/2026");
    expect(fr.text).toContain("30 jours");
    const en = await renderEmail("first_reminder", dunning({ locale: "en" }));
    expect(en.text).toContain("€1,234.56");
    expect(en.text).toContain("31 Oct 2026");
    expect(en.text).not.toContain("1\u00a0234,56");
  });

  it("shows 'not yet due' instead of days late before the due date", async () => {
    const invoices = sampleInvoices.map((i) => ({ ...i, daysLate: 0 }));
    const email = await renderEmail("courtesy_reminder", dunning({ invoices, tone: "CORDIAL" }));
    expect(email.text).toContain("à échoir");
    expect(email.text).not.toMatch(/\d+ jours?/);
  });

  it("names the invoice in the subject when there is one, counts them otherwise, in the debtor's language", async () => {
    const one = { invoices: [sampleInvoices[0]!], totalDue: sampleInvoices[0]!.amountDue };
    const subjects = async (key: (typeof DUNNING_TEMPLATE_KEYS)[number], locale: EmailLocale) => [
      (await renderEmail(key, dunning({ locale, ...one }))).subject,
      (await renderEmail(key, dunning({ locale }))).subject,
    ];
    expect(await subjects("courtesy_reminder", "fr")).toEqual([
      "Facture F-2026-0104 : échéance le 31/10/2026 — Atelier Durand",
      "2 factures arrivent à échéance — Atelier Durand",
    ]);
    expect(await subjects("first_reminder", "fr")).toEqual([
      "Facture F-2026-0104 : rappel de paiement — Atelier Durand",
      "Rappel : 2 factures en attente de paiement — Atelier Durand",
    ]);
    expect(await subjects("first_reminder", "en")).toEqual([
      "Invoice F-2026-0104: payment reminder — Atelier Durand",
      "Reminder: 2 invoices awaiting payment — Atelier Durand",
    ]);
    expect(await subjects("second_reminder", "fr")).toEqual([
      "Facture F-2026-0104 : second rappel — Atelier Durand",
      "Second rappel : 2 factures impayées — Atelier Durand",
    ]);
    expect(await subjects("penalties_notice", "en")).toEqual([
      "Invoice F-2026-0104: overdue payment — Atelier Durand",
      "Overdue payment: 2 invoices — Atelier Durand",
    ]);
    expect(await subjects("formal_notice", "fr")).toEqual([
      "Mise en demeure de payer — facture F-2026-0104 — Atelier Durand",
      "Mise en demeure de payer — 2 factures — Atelier Durand",
    ]);
    expect(await subjects("formal_notice", "en")).toEqual([
      "Formal notice to pay — invoice F-2026-0104 — Atelier Durand",
      "Formal notice to pay — 2 invoices — Atelier Durand",
    ]);
  });

  it("uses the singular for one invoice in the body", async () => {
    const email = await renderEmail("second_reminder", dunning({ invoices: [sampleInvoices[0]!], totalDue: 310_000 }));
    expect(email.text).toContain("la facture ci-dessous reste impayée");
    expect(email.text).toContain("Facture concernée");
  });

  describe.each(["penalties_notice", "formal_notice"] as const)("%s and the debtor's kind", (key) => {
    const lateCharges = { interest: 4_512, indemnity: 8_000 };

    it.each(LOCALES)("business debtors (%s) read L441-10, the €40 indemnity and the charges to date", async (locale) => {
      for (const tone of TONES) {
        const email = await renderEmail(key, dunning({ locale, tone, debtor: business, lateCharges }));
        expect(email.text).toContain("L441-10");
        expect(email.text).toContain("D441-5");
        expect(email.text).toMatch(/40\s?€|€40/);
        expect(email.text).toContain(locale === "fr" ? "45,12\u00a0€" : "€45.12");
        expect(email.text).toContain(locale === "fr" ? "80,00\u00a0€" : "€80.00");
      }
    });

    it.each(LOCALES)(
      "consumer debtors (%s) never read the €40 indemnity nor the commercial rate, even if charges are passed",
      async (locale) => {
        for (const tone of TONES) {
          const email = await renderEmail(key, dunning({ locale, tone, debtor: consumer, lateCharges }));
          expect(email.text).not.toContain("L441-10");
          expect(email.text).not.toMatch(INDEMNITY);
          expect(email.html).not.toMatch(INDEMNITY);
          expect(email.text).not.toContain(locale === "fr" ? "80,00" : "80.00");
        }
      },
    );
  });

  it("the consumer penalties notice is still a firm reminder", async () => {
    const email = await renderEmail("penalties_notice", dunning({ debtor: consumer }));
    expect(email.text).toContain("mise en demeure");
  });

  describe("formal notice", () => {
    it("is a formal letter with the deadline and the consequence", async () => {
      const fr = await renderEmail("formal_notice", dunning({ debtor: consumer }));
      expect(fr.text).toContain("MISE EN DEMEURE DE PAYER");
      expect(fr.text).toContain("Objet\u00a0: mise en demeure de payer — factures n° F-2026-0104, F-2026-0117");
      expect(fr.text).toContain("Madame, Monsieur,");
      expect(fr.text).toContain("au plus tard le 10/12/2026");
      expect(fr.text).toContain("injonction de payer");
      expect(fr.text).toContain("1344-1");
      expect(fr.text).toContain("Pour Atelier Durand SAS, le service comptabilité");
      const en = await renderEmail("formal_notice", dunning({ locale: "en", debtor: consumer }));
      expect(en.text).toContain("FORMAL NOTICE TO PAY");
      expect(en.text).toContain("by 10 Dec 2026 at the latest");
      expect(en.text).toContain("order for payment (injonction de payer)");
    });

    it("gives 8 days when no deadline is set", async () => {
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(new Date("2026-12-15T09:30:00Z"));
      try {
        const email = await renderEmail("formal_notice", dunning({ deadline: undefined }));
        expect(email.text).toContain("au plus tard le 23/12/2026");
      } finally {
        vi.useRealTimers();
      }
    });
  });

  it("refuses to render a reminder without invoices", async () => {
    await expect(renderEmail("first_reminder", dunning({ invoices: [], totalDue: 0 }))).rejects.toThrow(/no invoices/);
  });
});
