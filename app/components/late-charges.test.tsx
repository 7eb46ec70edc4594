import { renderToString } from "react-dom/server";
import { translate } from "~/i18n";
import { LateChargesSummary } from "./late-charges";

const html = (locale: "fr" | "en", estimated: boolean) =>
  renderToString(
    <LateChargesSummary lateCharges={{ interest: 1_798, indemnity: 4_000, invoices: 1, estimated }} currency="EUR" locale={locale} />,
  ).replace(/&#x27;/g, "'");

describe("portal late-charges block", () => {
  it.each(["fr", "en"] as const)("%s: says the interest is estimated with the letters' words, and only then", (locale) => {
    const label = translate(locale, "documents.interest.estimatedInline");
    expect(html(locale, true)).toContain(label);
    expect(html(locale, false)).not.toContain(label);
    expect(html(locale, false)).toContain(locale === "fr" ? "17,98" : "17.98");
  });
});
