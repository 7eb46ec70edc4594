import { sampleBase, sampleInvoices } from "./_components/preview-data";
import { renderEmail, type DunningEmailProps } from "./index";

/** The early-payment discount line of the courtesy reminder (decision 028). */
const invoice = { ...sampleInvoices[0]!, daysLate: 0 };
function props(overrides: Partial<DunningEmailProps> = {}): DunningEmailProps {
  return {
    ...sampleBase,
    tone: "CORDIAL",
    invoices: [invoice],
    totalDue: 1_234_56,
    currency: "EUR",
    discounts: [{ number: invoice.number, until: new Date("2026-10-09"), rateBps: 200, toPay: 1_209_87, currency: "EUR" }],
    ...overrides,
  };
}

describe("courtesy reminder with an early-payment discount", () => {
  it("says in French: pay by the last day, 2 %, and what to pay", async () => {
    const email = await renderEmail("courtesy_reminder", props());
    expect(email.text).toMatch(/Payez au plus tard le 09\/10\/2026 : escompte de 2 %, soit 1\s209,87\s€ à régler\./);
    expect(email.html).toContain("escompte de 2 %");
  });
  it("and in English", async () => {
    const email = await renderEmail("courtesy_reminder", props({ locale: "en" }));
    expect(email.text).toContain("Pay by 9 Oct 2026: 2% early-payment discount, €1,209.87 to pay.");
  });
  it("says nothing of a discount when none is offered, nor in a later reminder", async () => {
    expect((await renderEmail("courtesy_reminder", props({ discounts: null }))).text).not.toMatch(/escompte/i);
    expect((await renderEmail("first_reminder", props({ tone: "STANDARD" }))).text).not.toMatch(/escompte/i);
  });
});
