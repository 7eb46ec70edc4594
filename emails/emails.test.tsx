import { DUNNING_TEMPLATE_KEYS, renderEmail, TEMPLATE_KEYS, type EmailProps, type TemplateKey } from "./index";

const creditor = { legalName: "Atelier Durand SAS", siren: "732829320", address: "12 rue des Tanneurs, 69002 Lyon", contactEmail: "compta@atelier-durand.test" };
const invoices = [
  { number: "F-2026-0104", issueDate: new Date("2026-10-01"), dueDate: new Date("2026-10-31"), amountDue: 123_456, currency: "EUR", daysLate: 12 },
  { number: "F-2026-0105", issueDate: new Date("2026-10-02"), dueDate: new Date("2026-10-31"), amountDue: 45_500, currency: "EUR", daysLate: 12 },
];
const base = { creditor, portalUrl: "https://pay.example.test/p/abc.def.ghi" };
const dunning = (locale: "fr" | "en", kind: "BUSINESS" | "CONSUMER", tone: "CORDIAL" | "STANDARD" | "FIRM" = "STANDARD") => ({
  ...base, locale, tone, debtor: { name: "Client SARL", kind }, invoices, totalDue: 168_956, currency: "EUR", deadline: new Date("2026-12-10"),
});

function propsFor(key: TemplateKey, locale: "fr" | "en"): EmailProps[TemplateKey] {
  const common = { ...base, locale, debtor: { name: "Client SARL", kind: "BUSINESS" as const } };
  switch (key) {
    case "payment_receipt":
      return { ...common, amount: 168_956, currency: "EUR", paidAt: new Date("2026-11-20"), reference: "pay_123", invoiceNumbers: ["F-2026-0104"] };
    case "payment_failed":
      return { ...common, amount: 168_956, currency: "EUR", reason: "insufficient funds" };
    case "plan_confirmation":
      return { ...common, amount: 90_000, currency: "EUR", installments: [{ dueDate: new Date("2026-12-01"), amount: 45_000 }, { dueDate: new Date("2027-01-01"), amount: 45_000 }] };
    case "plan_rejected":
      return { ...common, reason: "Durée trop longue", currency: "EUR", counterOffer: [{ dueDate: new Date("2026-12-01"), amount: 90_000 }] };
    case "dispute_answer":
      return { ...common, invoiceNumber: "F-2026-0104", answer: "La livraison a été signée.", outcome: "REJECTED" };
    case "promise_confirmation":
      return { ...common, amount: 90_000, currency: "EUR", date: new Date("2026-12-05") };
    case "portal_link":
      return common;
    default:
      return dunning(locale, "BUSINESS");
  }
}

describe("email templates", () => {
  it.each(TEMPLATE_KEYS.flatMap((key) => (["fr", "en"] as const).map((locale) => [key, locale] as const)))(
    "%s renders in %s with the portal link in both parts and no stray bytes",
    async (key, locale) => {
      const email = await renderEmail(key, propsFor(key, locale) as never);
      expect(email.subject).toContain("Atelier Durand SAS".slice(0, 14));
      expect(email.html).toContain(base.portalUrl);
      expect(email.text).toContain(base.portalUrl);
      expect(email.html).toMatch(new RegExp(`<html[^>]*lang="${locale}"`));
      expect(email.html + email.text).not.toContain("\u0000");
    },
  );

  it.each(DUNNING_TEMPLATE_KEYS)("%s lists every invoice and changes wording with the tone", async (key) => {
    const texts = await Promise.all((["CORDIAL", "STANDARD", "FIRM"] as const).map((tone) => renderEmail(key, dunning("fr", "BUSINESS", tone))));
    for (const { text } of texts) for (const i of invoices) expect(text).toContain(i.number);
    if (key !== "formal_notice") expect(new Set(texts.map((t) => t.text)).size).toBe(3);
  });

  it("formats French amounts and dates the French way, English the English way", async () => {
    const fr = await renderEmail("first_reminder", dunning("fr", "BUSINESS"));
    expect(fr.text).toContain("1\u00a0234,56\u00a0€");
    expect(fr.text).toContain("31/10/2026");
    const en = await renderEmail("first_reminder", dunning("en", "BUSINESS"));
    expect(en.text).toContain("€1,234.56");
    expect(en.subject).toBe("Reminder: 2 invoices awaiting payment — Atelier Durand SAS");
  });

  it("names one invoice in the subject when there is only one", async () => {
    const email = await renderEmail("second_reminder", { ...dunning("fr", "BUSINESS"), invoices: [invoices[0]!], totalDue: 123_456 });
    expect(email.subject).toBe("Facture F-2026-0104 : second rappel — Atelier Durand SAS");
  });

  it.each(["penalties_notice", "formal_notice"] as const)("%s: business debtors read L441-10 and the €40 indemnity; consumers never", async (key) => {
    for (const locale of ["fr", "en"] as const) {
      const business = await renderEmail(key, dunning(locale, "BUSINESS"));
      expect(business.text).toContain("L441-10");
      expect(business.text).toMatch(/40 €|€40/);
      const consumer = await renderEmail(key, dunning(locale, "CONSUMER"));
      expect(consumer.text).not.toContain("L441-10");
      expect(consumer.text).not.toMatch(/40 €|€40|D441-5/);
    }
  });

  it("the formal notice states the deadline and the consequence", async () => {
    const email = await renderEmail("formal_notice", dunning("fr", "CONSUMER"));
    expect(email.subject).toMatch(/^Mise en demeure de payer/);
    expect(email.text).toContain("10/12/2026");
    expect(email.text).toContain("injonction de payer");
    expect(email.text).toContain("1344-1");
  });
});
