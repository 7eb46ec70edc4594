import { isValidBic, isValidIban, isValidSiren, isValidVatNumber, parsePercentToBps, settingsSchema } from "./creditor-settings";

const NOW = new Date("2026-03-10T00:00:00Z");
const valid = {
  legalName: "Atelier Durand SAS",
  siren: "732 829 320",
  vatNumber: "FR44732829320",
  iban: "FR76 3000 6000 0112 3456 7890 189",
  bic: "AGRIFRPP",
  brandColor: "#1d4ed8",
  portalLinkDays: 30,
  planMaxInstallments: 6,
  planMaxMonths: 6,
  planMinInstallment: "50,00",
  planMinDownPaymentPc: 10,
  planGraceDays: 5,
  allowPartialPayments: true,
  minPartialAmount: "10",
  promiseMaxDays: 15,
  lateInterestMode: "contractual",
  lateInterestRate: "12,5",
  jurisdiction: "FR",
};

describe("bank and company identifiers", () => {
  it("checks IBANs with mod 97", () => {
    expect(isValidIban("FR7630006000011234567890189")).toBe(true);
    expect(isValidIban("fr76 3000 6000 0112 3456 7890 189")).toBe(true);
    expect(isValidIban("DE89370400440532013000")).toBe(true);
    expect(isValidIban("FR7630006000011234567890188")).toBe(false);
    expect(isValidIban("FR76")).toBe(false);
  });
  it("checks BIC shape, SIREN Luhn and French VAT keys", () => {
    expect(isValidBic("AGRIFRPP")).toBe(true);
    expect(isValidBic("AGRIFRPP882")).toBe(true);
    expect(isValidBic("AGRI")).toBe(false);
    expect(isValidSiren("732829320")).toBe(true);
    expect(isValidSiren("732829321")).toBe(false);
    expect(isValidVatNumber("FR44732829320")).toBe(true);
    expect(isValidVatNumber("FR45732829320")).toBe(false);
    expect(isValidVatNumber("DE123456789")).toBe(true);
  });
  it("reads percentages into basis points", () => {
    expect(parsePercentToBps("12,5")).toBe(1250);
    expect(parsePercentToBps("7.86 %")).toBe(786);
    expect(parsePercentToBps("abc")).toBeNull();
  });
});

describe("settingsSchema", () => {
  const schema = settingsSchema({ now: NOW, currency: "EUR" });
  const errors = (input: Record<string, unknown>) => {
    const r = schema.safeParse(input);
    return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
  };

  it("turns a valid form into creditor columns", () => {
    const r = schema.parse(valid);
    expect(r).toMatchObject({
      siren: "732829320",
      iban: "FR7630006000011234567890189",
      planMinInstallment: 5000,
      minPartialAmount: 1000,
      lateInterestRateBps: 1250,
    });
    expect(r).not.toHaveProperty("lateInterestMode");
    expect(schema.parse({ ...valid, lateInterestMode: "legal" }).lateInterestRateBps).toBeNull();
  });

  it("names each bad field", () => {
    expect(
      errors({
        ...valid,
        iban: "FR7630006000011234567890188",
        bic: "XX",
        brandColor: "blue",
        portalLinkDays: 0,
        planMinInstallment: "beaucoup",
        legalName: "",
      }),
    ).toEqual({
      iban: "intake.settings.errors.iban",
      bic: "intake.settings.errors.bic",
      brandColor: "intake.settings.errors.color",
      portalLinkDays: "intake.settings.errors.range",
      planMinInstallment: "intake.settings.errors.amount",
      legalName: "intake.settings.errors.required",
    });
  });

  it("refuses a contractual rate below 3 × the legal interest rate (FR), or a missing one", () => {
    expect(errors({ ...valid, lateInterestRate: "5" })).toEqual({ lateInterestRate: "intake.settings.errors.rateFloor" });
    expect(errors({ ...valid, lateInterestRate: undefined })).toEqual({ lateInterestRate: "intake.settings.errors.rate" });
    expect(errors({ ...valid, lateInterestRate: "5", jurisdiction: "EU" })).toEqual({});
  });
});
