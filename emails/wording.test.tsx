import { sampleBase, sampleInvoices } from "./_components/preview-data";
import { defaultWording, renderEmail, type DunningEmailProps } from "./index";

const portalUrl = "https://pay.example.test/p/eyJhbGciOiJIUzI1NiJ9.abc.def";
const totalDue = sampleInvoices.reduce((sum, i) => sum + i.amountDue, 0);
const lateCharges = { interest: 4_512, indemnity: 8_000, total: totalDue + 4_512 + 8_000 };

function dunning(overrides: Partial<DunningEmailProps> = {}): DunningEmailProps {
  return {
    ...sampleBase,
    portalUrl,
    tone: "FIRM",
    invoices: sampleInvoices,
    totalDue,
    currency: "EUR",
    deadline: new Date("2026-12-10"),
    ...overrides,
  };
}

const wording = {
  subject: "{nom_debiteur}, {total_du} attendus depuis le {echeance_plus_ancienne}",
  paragraphs: [
    "Bonjour {debtor_name},\nnous attendons {total_du} ({jours_de_retard} jours de retard).",
    "Factures {numeros_factures} — <b>{nom_creancier}</b>",
  ],
};

describe("dunning emails with the creditor's own wording", () => {
  it("penalties notice (fr): subject and paragraphs filled with the email's own figures; button, table and L441-10 still there", async () => {
    const email = await renderEmail("penalties_notice", dunning({ locale: "fr", wording, lateCharges }));
    // {total_du} is the total the email claims (balances + penalties + €40), in French format.
    expect(email.subject).toBe("Boulangerie Martin SARL, 4\u00a0459,68\u00a0€ attendus depuis le 31/10/2026 — Atelier Durand");
    expect(email.text).toContain("Bonjour Boulangerie Martin SARL,\nnous attendons 4\u00a0459,68\u00a0€ (30 jours de retard).");
    expect(email.text).toContain("Factures F-2026-0104, F-2026-0117 — <b>Atelier Durand</b>");
    // Plain text only: the brackets reach the HTML escaped, never as markup.
    expect(email.html).toContain("&lt;b&gt;Atelier Durand&lt;/b&gt;");
    expect(email.html).not.toContain("<b>Atelier Durand</b>");
    // The default intro is gone…
    expect(email.text).not.toContain("un retard de paiement important");
    // …and what cannot be removed stays: the pay button, the invoice table, the legal mentions and the claimed total.
    expect(email.html).toContain(`href="${portalUrl}"`);
    expect(email.html).toMatch(/class="cta"/);
    expect(email.text).toContain("Voir et payer\u00a0: ");
    expect(email.html).toMatch(/class="data-table"/);
    for (const invoice of sampleInvoices) expect(email.text).toContain(invoice.number);
    expect(email.text).toContain("L441-10");
    expect(email.text).toContain("D441-5");
    expect(email.text).toContain("Pénalités de retard");
    expect(email.text).toContain("4\u00a0459,68\u00a0€");
  });

  it("first reminder (en): English formats, and the creditor named once when the subject already names it", async () => {
    const email = await renderEmail(
      "first_reminder",
      dunning({
        locale: "en",
        invoices: [sampleInvoices[1]!],
        totalDue: 123_456,
        wording: {
          subject: "{creditor_name}: {total_due} due since {oldest_due_date}",
          paragraphs: ["Dear {debtor_name}, {days_late} days late."],
        },
      }),
    );
    expect(email.subject).toBe("Atelier Durand: €1,234.56 due since 8 Nov 2026");
    expect(email.text).toContain("Dear Boulangerie Martin SARL, 22 days late.");
    expect(email.html).toMatch(/class="data-table"/);
    expect(email.text).toContain("View and pay: ");
  });

  it("formal notice: the wording replaces the intro, the object, the demand, L441-10 and the consequence stay", async () => {
    const email = await renderEmail("formal_notice", dunning({ locale: "fr", wording, lateCharges }));
    expect(email.subject).toBe("Boulangerie Martin SARL, 4\u00a0334,56\u00a0€ attendus depuis le 31/10/2026 — Atelier Durand");
    // The demand states the balances: {total_du} is that same amount here.
    expect(email.text).toContain("nous attendons 4\u00a0334,56\u00a0€ (30 jours de retard).");
    expect(email.text).toContain("Objet\u00a0: mise en demeure de payer — factures n° F-2026-0104, F-2026-0117");
    expect(email.text).toContain("nous vous mettons en demeure de nous régler la somme de 4\u00a0334,56\u00a0€ au plus tard le 10/12/2026");
    expect(email.text).toContain("L441-10");
    expect(email.text).toContain("injonction de payer");
    expect(email.text).not.toContain("Nos relances sont restées sans effet");
    expect(email.html).toContain(`href="${portalUrl}"`);
    expect(email.html).toMatch(/class="data-table"/);
  });

  it("without wording the default text is unchanged", async () => {
    const email = await renderEmail("penalties_notice", dunning({ locale: "fr", wording: null }));
    expect(email.subject).toBe("Retard de paiement : 2 factures — Atelier Durand");
    expect(email.text).toContain("un retard de paiement important");
  });

  it("the starting text is the default with placeholders where the default puts values", () => {
    expect(defaultWording("courtesy_reminder", "CORDIAL", "fr").subject).toBe(
      "Facture {numeros_factures} : échéance le {echeance_plus_ancienne}",
    );
    expect(defaultWording("formal_notice", "FIRM", "en")).toEqual({
      subject: "Formal notice to pay — invoice {invoice_numbers}",
      paragraphs: [expect.stringContaining("Our reminders have had no effect")],
    });
  });
});
