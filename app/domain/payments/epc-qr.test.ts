import { buildEpcQrPayload, EPC_MAX_BYTES, EpcQrError } from "./epc-qr";

const transfer = {
  name: "Atelier Durand SAS",
  iban: "FR76 3000 6000 0112 3456 7890 189",
  bic: "agrifrpp",
  amount: 48_000,
  reference: "RF18 5390 0754 7034",
};

const fieldOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof EpcQrError ? error.field : "other";
  }
  return null;
};

describe("EPC QR payload (EPC069-12)", () => {
  it("lists the fields in the standard's order, one a line, with no line break after the last", () => {
    expect(buildEpcQrPayload(transfer)).toBe(
      ["BCD", "002", "1", "SCT", "AGRIFRPP", "Atelier Durand SAS", "FR7630006000011234567890189", "EUR480.00", "", "RF18539007547034"].join(
        "\n",
      ),
    );
  });

  it("writes the amount in euros with a point and two decimals", () => {
    const amountLine = (amount: number) => buildEpcQrPayload({ ...transfer, amount }).split("\n")[7];
    expect(amountLine(48_000)).toBe("EUR480.00");
    expect(amountLine(1)).toBe("EUR0.01");
    expect(amountLine(123_456_78)).toBe("EUR123456.78");
    expect(amountLine(99_999_999_999)).toBe("EUR999999999.99");
  });

  it("refuses amounts out of range, fractional cents and other currencies", () => {
    expect(fieldOf(() => buildEpcQrPayload({ ...transfer, amount: 0 }))).toBe("amount");
    expect(fieldOf(() => buildEpcQrPayload({ ...transfer, amount: 100_000_000_000 }))).toBe("amount");
    expect(fieldOf(() => buildEpcQrPayload({ ...transfer, amount: 12.5 }))).toBe("amount");
    expect(fieldOf(() => buildEpcQrPayload({ ...transfer, currency: "CHF" }))).toBe("currency");
  });

  it("trims and folds the name and text, and compacts IBAN, BIC and reference", () => {
    const payload = buildEpcQrPayload({
      name: "  Atelier\nDurand  ",
      iban: " fr76 3000 6000 0112 3456 7890 189 ",
      text: "  Factures F-1,\r\nF-2  ",
    });
    expect(payload.split("\n")).toEqual([
      "BCD",
      "002",
      "1",
      "SCT",
      "",
      "Atelier Durand",
      "FR7630006000011234567890189",
      "",
      "",
      "",
      "Factures F-1, F-2",
    ]);
  });

  it("carries a structured reference or an unstructured text, never both", () => {
    const withText = buildEpcQrPayload({ ...transfer, reference: null, text: "Facture F-2026-0104" }).split("\n");
    expect(withText[9]).toBe("");
    expect(withText[10]).toBe("Facture F-2026-0104");
    expect(withText).toHaveLength(11);
    const withReference = buildEpcQrPayload(transfer).split("\n");
    expect(withReference).toHaveLength(10);
    expect(fieldOf(() => buildEpcQrPayload({ ...transfer, text: "Facture F-2026-0104" }))).toBe("text");
    expect(fieldOf(() => buildEpcQrPayload({ ...transfer, reference: "RF19539007547034" }))).toBe("reference");
  });

  it("leaves out the trailing empty fields: no amount, no reference ends at the IBAN", () => {
    expect(buildEpcQrPayload({ name: "A", iban: "DE89370400440532013000" })).toBe("BCD\n002\n1\nSCT\n\nA\nDE89370400440532013000");
  });

  it("enforces the field limits and the 331-byte payload limit", () => {
    expect(fieldOf(() => buildEpcQrPayload({ ...transfer, name: "x".repeat(71) }))).toBe("name");
    expect(fieldOf(() => buildEpcQrPayload({ ...transfer, name: "x".repeat(70) }))).toBeNull();
    expect(fieldOf(() => buildEpcQrPayload({ ...transfer, name: "  " }))).toBe("name");
    expect(fieldOf(() => buildEpcQrPayload({ ...transfer, iban: "not an iban" }))).toBe("iban");
    expect(fieldOf(() => buildEpcQrPayload({ ...transfer, bic: "AGRI" }))).toBe("bic");
    expect(fieldOf(() => buildEpcQrPayload({ ...transfer, reference: null, text: "x".repeat(141) }))).toBe("text");
    // 70 + 140 characters fit, but not in 331 bytes once they are multi-byte (é: 2 bytes, €: 3).
    const big = { ...transfer, reference: null, name: "é".repeat(70), text: "€".repeat(140) };
    expect(fieldOf(() => buildEpcQrPayload(big))).toBe("payload");
    const longest = buildEpcQrPayload({ ...transfer, reference: null, name: "x".repeat(70), text: "y".repeat(140) });
    expect(new TextEncoder().encode(longest).length).toBeLessThanOrEqual(EPC_MAX_BYTES);
  });
});
