import {
  frenchVatKey,
  isValidBic,
  isValidIban,
  isValidSiren,
  isValidSiret,
  isValidVatNumber,
  parsePercentToBps,
  settingsSchema,
} from "./creditor-settings";

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
  it("checks IBANs against the country's length and format (ibantools)", () => {
    // Right mod 97 but one digit short for a French IBAN.
    expect(isValidIban("FR76300060000112345678901")).toBe(false);
    expect(isValidIban("BE68539007547034")).toBe(true);
    expect(isValidIban("XX7630006000011234567890189")).toBe(false);
    expect(isValidBic("AGRIXXPP")).toBe(false);
  });
  it("checks SIRETs: 14 digits, Luhn, La Poste's own rule", () => {
    expect(isValidSiret("73282932000017")).toBe(true);
    expect(isValidSiret("732 829 320 00017")).toBe(true);
    expect(isValidSiret("73282932000018")).toBe(false);
    expect(isValidSiret("7328293200001")).toBe(false);
    // La Poste: head office by Luhn, establishments by a digit sum divisible by 5.
    expect(isValidSiret("35600000000048")).toBe(true);
    expect(isValidSiret("35600000049837")).toBe(true);
    expect(isValidSiret("35600000049838")).toBe(false);
  });
  it("computes the French VAT key from the SIREN", () => {
    expect(frenchVatKey("732829320")).toBe("44");
    expect(frenchVatKey("404833048")).toBe("83");
    expect(isValidVatNumber("FR 83 404 833 048")).toBe(true);
    expect(isValidVatNumber("FR83404833049")).toBe(false);
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

  it("keeps the company profile consistent: SIRET and French VAT number carry the SIREN", () => {
    expect(errors({ ...valid, siret: "73282932000017" })).toEqual({});
    expect(errors({ ...valid, siret: "73282932000018" })).toEqual({ siret: "intake.settings.errors.siret" });
    // A valid SIRET and a valid VAT number, but of another company.
    expect(errors({ ...valid, siret: "35600000000048", vatNumber: "FR83404833048" })).toEqual({
      siret: "intake.settings.errors.siretSiren",
      vatNumber: "intake.settings.errors.vatSiren",
    });
    expect(errors({ ...valid, siren: "732829321", siret: "35600000000048" })).toEqual({ siren: "intake.settings.errors.siren" });
  });

  it("checks sender name, reply-to address, language and time zone", () => {
    expect(
      schema.parse({ ...valid, senderName: "Atelier Durand — Compta", replyToEmail: "compta@durand.fr", timeZone: "America/Martinique" }),
    ).toMatchObject({
      senderName: "Atelier Durand — Compta",
      replyToEmail: "compta@durand.fr",
      timeZone: "America/Martinique",
      defaultLocale: "fr",
    });
    expect(
      errors({ ...valid, senderName: "Durand <x@y.fr>", replyToEmail: "compta", timeZone: "Europe/Lyon", defaultLocale: "de" }),
    ).toEqual({
      senderName: "intake.settings.errors.senderName",
      replyToEmail: "intake.settings.errors.email",
      timeZone: "intake.settings.errors.timeZone",
      defaultLocale: "intake.settings.errors.required",
    });
  });

  it("refuses a contractual rate below 3 × the legal interest rate (FR), or a missing one", () => {
    expect(errors({ ...valid, lateInterestRate: "5" })).toEqual({ lateInterestRate: "intake.settings.errors.rateFloor" });
    expect(errors({ ...valid, lateInterestRate: undefined })).toEqual({ lateInterestRate: "intake.settings.errors.rate" });
    expect(errors({ ...valid, lateInterestRate: "5", jurisdiction: "EU" })).toEqual({});
  });
});
