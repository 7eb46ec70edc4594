import { sampleBase } from "./_components/preview-data";
import { renderEmail, TEMPLATE_KEYS, type EmailLocale, type EmailProps, type NoticeKey } from "./index";

const portalUrl = "https://pay.example.test/p/eyJhbGciOiJIUzI1NiJ9.abc.def";
const base = { ...sampleBase, portalUrl };
const installments = [
  { dueDate: new Date("2026-12-05"), amount: 61_728 },
  { dueDate: new Date("2027-01-05"), amount: 61_728 },
];

const props: { [K in NoticeKey]: EmailProps[K] } = {
  portal_link: base,
  payment_receipt: {
    ...base,
    amount: 123_456,
    currency: "EUR",
    paidAt: new Date("2026-11-20"),
    reference: "pi_3QxY2Z",
    invoiceNumbers: ["F-2026-0104", "F-2026-0117"],
  },
  payment_failed: { ...base, amount: 123_456, currency: "EUR", reason: "Provision insuffisante" },
  plan_confirmation: { ...base, amount: 123_456, currency: "EUR", installments },
  plan_rejected: { ...base, reason: "Durée trop longue", currency: "EUR", counterOffer: installments },
  dispute_answer: { ...base, invoiceNumber: "F-2026-0104", answer: "La livraison a été signée.", outcome: "REJECTED" },
  promise_confirmation: { ...base, amount: 123_456, currency: "EUR", date: new Date("2026-12-05") },
  dispute_received: {
    ...base,
    invoiceNumber: "F-2026-0104",
    reason: "AMOUNT_WRONG",
    message: "Le montant ne correspond pas au devis.",
    openedAt: new Date("2026-11-20"),
    amount: 123_456,
    currency: "EUR",
  },
  plan_proposed: { ...base, amount: 123_456, currency: "EUR", installments },
};
const withLocale = <K extends NoticeKey>(key: K, locale: EmailLocale): EmailProps[K] => ({ ...props[key], locale }) as EmailProps[K];
const noticeKeys = Object.keys(props) as NoticeKey[];

describe("transactional emails", () => {
  it("cover every non-dunning template key", () => {
    expect([...noticeKeys].sort()).toEqual(TEMPLATE_KEYS.filter((k) => !k.includes("reminder") && !k.endsWith("_notice")).sort());
  });

  it.each(noticeKeys.flatMap((key) => (["fr", "en"] as const).map((locale) => [key, locale] as const)))(
    "%s renders in %s with the link in both parts and a localized subject naming the creditor",
    async (key, locale) => {
      const email = await renderEmail(key, withLocale(key, locale));
      const other = await renderEmail(key, withLocale(key, locale === "fr" ? "en" : "fr"));
      expect(email.subject).toMatch(/ — Atelier Durand$/);
      expect(email.subject).not.toBe(other.subject);
      expect(email.html).toMatch(new RegExp(`<html[^>]*lang="${locale}"`));
      expect(email.html).toContain(`href="${portalUrl}"`);
      expect(email.text).toContain(portalUrl);
      // eslint-disable-next-line no-control-regex -- the check is for a NUL character leaking into the rendered email
      expect(email.html + email.text).not.toMatch(/\u0000|\ufffd|undefined|NaN|\[object/);
    },
  );

  it("the receipt states amount, date, reference and the invoices settled", async () => {
    const email = await renderEmail("payment_receipt", props.payment_receipt);
    expect(email.subject).toBe("Reçu de paiement — 2 factures — Atelier Durand");
    expect(email.text).toContain("1\u00a0234,56\u00a0€");
    expect(email.text).toContain("20/11/2026");
    expect(email.text).toContain("pi_3QxY2Z");
    expect(email.text).toContain("F-2026-0104, F-2026-0117");
    const one = await renderEmail("payment_receipt", { ...props.payment_receipt, locale: "en", invoiceNumbers: ["F-2026-0104"] });
    expect(one.subject).toBe("Payment receipt — invoice F-2026-0104 — Atelier Durand");
    expect(one.text).toContain("€1,234.56");
  });

  it("the failed payment says why when the reason is known", async () => {
    expect((await renderEmail("payment_failed", props.payment_failed)).text).toContain("Provision insuffisante");
    const noReason = await renderEmail("payment_failed", { ...props.payment_failed, reason: null });
    expect(noReason.text).not.toContain("Motif");
  });

  it("the plan confirmation lists the schedule with its total", async () => {
    const email = await renderEmail("plan_confirmation", props.plan_confirmation);
    expect(email.text).toContain("en 2 échéances");
    expect(email.text).toMatch(/1\s+05\/12\/2026\s+617,28\u00a0€/);
    expect(email.text).toMatch(/2\s+05\/01\/2027\s+617,28\u00a0€/);
    expect(email.text).toMatch(/Total\s+1\u00a0234,56\u00a0€/);
  });

  it("the plan rejection gives the reason, and the counter-offer when there is one", async () => {
    const counter = await renderEmail("plan_rejected", props.plan_rejected);
    expect(counter.text).toContain("Durée trop longue");
    expect(counter.text).toContain("05/01/2027");
    expect(counter.subject).toBe("Contre-proposition pour votre échéancier — Atelier Durand");
    const plain = await renderEmail("plan_rejected", { ...props.plan_rejected, counterOffer: null });
    expect(plain.text).not.toContain("05/01/2027");
    expect(plain.text).toContain("Les relances reprennent");
    expect(plain.subject).toBe("Votre proposition d'échéancier n'a pas été acceptée — Atelier Durand");
  });

  it("the dispute answer quotes the creditor and depends on the outcome", async () => {
    const rejected = await renderEmail("dispute_answer", props.dispute_answer);
    expect(rejected.subject).toBe("Facture F-2026-0104 : réponse à votre contestation — Atelier Durand");
    expect(rejected.text).toContain("nous maintenons notre facture");
    expect(rejected.text).toContain("La livraison a été signée.");
    const credit = await renderEmail("dispute_answer", { ...props.dispute_answer, locale: "en", outcome: "CREDIT" });
    expect(credit.text).toContain("credit note");
    expect(credit.subject).toBe("Invoice F-2026-0104: answer to your dispute — Atelier Durand");
  });

  it("the promise confirmation repeats the amount and the date", async () => {
    const email = await renderEmail("promise_confirmation", props.promise_confirmation);
    expect(email.text).toContain("régler 1\u00a0234,56\u00a0€ au plus tard le 05/12/2026");
  });
});
