import { sampleBase } from "./_components/preview-data";
import { renderEmail } from "./index";

const portalUrl = "https://pay.example.test/p/eyJhbGciOiJIUzI1NiJ9.abc.def";
const creditor = { ...sampleBase.creditor, rcsCity: "Lyon", vatNumber: "FR44732829320", contactPhone: "+33 4 72 00 00 00" };
const base = { ...sampleBase, creditor, portalUrl };
const installments = [
  { dueDate: new Date("2026-12-05"), amount: 61_728 },
  { dueDate: new Date("2027-01-05"), amount: 61_728 },
];

describe("acknowledgement emails", () => {
  const dispute = {
    ...base,
    invoiceNumber: "F-2026-0104",
    reason: "DEFECTIVE",
    message: "Deux chaises livrées cassées.",
    openedAt: new Date("2026-11-30"),
    amount: 78_000,
    currency: "EUR",
  };

  it("the dispute acknowledgement says what was received and what happens next, in French and English", async () => {
    const fr = await renderEmail("dispute_received", dispute);
    expect(fr.subject).toBe("Facture F-2026-0104\u00a0: votre contestation est enregistrée — Atelier Durand");
    expect(fr.text).toContain("contestation de la facture F-2026-0104, le 30/11/2026");
    expect(fr.text).toContain("Deux chaises livrées cassées.");
    expect(fr.text).toMatch(/relances de la facture F-2026-0104 sont suspendues dès aujourd'hui, jusqu'à notre réponse/);
    expect(fr.text).toContain("780,00\u00a0€");
    const en = await renderEmail("dispute_received", { ...dispute, locale: "en" });
    expect(en.subject).toBe("Invoice F-2026-0104: your dispute is recorded — Atelier Durand");
    expect(en.text).toContain("We received your dispute about invoice F-2026-0104 on 30 Nov 2026.");
    expect(en.text).toContain("paused from today until we answer");
    expect(en.html).toMatch(/<html[^>]*lang="en"/);
  });

  it("the dispute acknowledgement names the reason in words, never its code", async () => {
    const fr = await renderEmail("dispute_received", dispute);
    expect(fr.text).not.toContain("DEFECTIVE");
    expect(fr.text).toMatch(/Motif\s+\S/);
  });

  it("the plan proposal acknowledgement shows the schedule proposed, the review and the first installment's date", async () => {
    const props = { ...base, amount: 123_456, currency: "EUR", installments };
    const fr = await renderEmail("plan_proposed", props);
    expect(fr.subject).toBe("Votre proposition d'échéancier est bien reçue — Atelier Durand");
    expect(fr.text).toContain("1\u00a0234,56\u00a0€ en 2 échéances");
    expect(fr.text).toMatch(/1\s+05\/12\/2026\s+617,28\u00a0€/);
    expect(fr.text).toContain("Notre service comptable l'examine et vous répond par e-mail");
    expect(fr.text).toContain("la première échéance de 617,28\u00a0€ sera à régler le 05/12/2026");
    const en = await renderEmail("plan_proposed", { ...props, locale: "en" });
    expect(en.subject).toBe("We have received your installment plan proposal — Atelier Durand");
    expect(en.text).toContain("the first installment of €617.28 will be due on 5 Dec 2026");
  });

  it("the receipt shows the method, the date and our reference, and says the PDF is attached", async () => {
    const props = {
      ...base,
      amount: 64_000,
      currency: "EUR",
      paidAt: new Date("2026-11-20"),
      reference: "PAY-7K3M-Q9XA",
      invoiceNumbers: ["F-2026-0104"],
      method: "card" as const,
      receiptAttached: true,
    };
    const fr = await renderEmail("payment_receipt", props);
    expect(fr.text).toMatch(/Moyen de paiement\s+Carte bancaire/);
    expect(fr.text).toMatch(/Référence\s+PAY-7K3M-Q9XA/);
    expect(fr.text).toContain("20/11/2026");
    expect(fr.text).toContain("Le reçu de paiement (PDF) est joint à ce message");
    const en = await renderEmail("payment_receipt", { ...props, locale: "en", method: "sepa_debit", receiptAttached: false });
    expect(en.text).toMatch(/Payment method\s+SEPA Direct Debit/);
    expect(en.text).toContain("Keep this email: it is your payment receipt.");
  });

  it("every debtor email carries the creditor's legal identity and a tappable phone", async () => {
    const email = await renderEmail("dispute_received", dispute);
    expect(email.text).toContain("Atelier Durand SAS · SIREN 732829320 · RCS Lyon · 12 rue des Tanneurs, 69002 Lyon · TVA FR44732829320");
    expect(email.html).toContain('href="tel:+33472000000"');
  });
});
