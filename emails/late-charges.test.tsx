import { translate } from "../app/i18n";
import { sampleBase, sampleInvoices } from "./_components/preview-data";
import { renderEmail, type DunningEmailProps, type EmailLocale } from "./index";

const props = (locale: EmailLocale, estimated: boolean): DunningEmailProps => ({
  ...sampleBase,
  locale,
  debtor: { name: "Boulangerie Martin SARL", kind: "BUSINESS" },
  portalUrl: "https://pay.example.test/p/token",
  tone: "FIRM",
  invoices: sampleInvoices,
  totalDue: sampleInvoices.reduce((sum, i) => sum + i.amountDue, 0),
  currency: "EUR",
  lateCharges: { interest: 4_512, indemnity: 8_000, estimated },
});

describe("the J+30 penalties notice says when the interest is estimated, as the letters do", () => {
  it.each(["fr", "en"] as const)("%s: the estimated label follows the interest, and only when estimated", async (locale) => {
    const label = translate(locale, "documents.interest.estimatedInline");
    const estimated = await renderEmail("penalties_notice", props(locale, true));
    // The text part lays the table out in columns: compare with white space folded.
    expect(estimated.text.replace(/\s+/g, " ")).toContain(label);
    expect(estimated.html).toContain(label.replace(/'/g, "&#x27;"));
    const known = await renderEmail("penalties_notice", props(locale, false));
    expect(known.text.replace(/\s+/g, " ")).not.toContain(label);
  });
});
