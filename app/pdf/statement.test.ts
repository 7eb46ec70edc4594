import * as layout from "./layout";
import { buildStatement, type StatementData } from "./statement";

vi.mock("./layout", async (original) => ({ ...(await original<typeof import("./layout")>()), qrCode: vi.fn() }));

const data = (iban: string | null): StatementData => ({
  reference: "REL-1",
  date: new Date("2026-03-01T00:00:00Z"),
  creditor: { legalName: "Atelier Durand SAS", addressLines: ["1 rue de la Paix"], iban, bic: "AGRIFRPP" },
  debtor: { name: "Nordic Design", kind: "BUSINESS", addressLines: [], transferReference: "RF18539007547034" },
  invoices: [
    {
      number: "F-1",
      issueDate: new Date("2026-01-01"),
      dueDate: new Date("2026-01-31"),
      amount: 48_000,
      paid: 0,
      balance: 48_000,
      currency: "EUR",
      daysLate: 29,
    },
  ],
  claim: {
    currency: "EUR",
    debtorKind: "BUSINESS",
    contractualRateBps: null,
    lines: [],
    principal: 48_000,
    interest: 0,
    indemnity: 0,
    indemnityCount: 0,
    total: 48_000,
    estimated: false,
  },
  overdue: 48_000,
});

describe("account statement: EPC QR code for the transfer", () => {
  it("draws the EPC code of the whole balance with the debtor's RF reference", async () => {
    await buildStatement(data("FR76 3000 6000 0112 3456 7890 189"), "fr");
    expect(vi.mocked(layout.qrCode)).toHaveBeenCalledTimes(1);
    expect(vi.mocked(layout.qrCode).mock.calls[0]![1]).toBe(
      "BCD\n002\n1\nSCT\nAGRIFRPP\nAtelier Durand SAS\nFR7630006000011234567890189\nEUR480.00\n\nRF18539007547034",
    );
  });

  it("draws none without an IBAN", async () => {
    vi.mocked(layout.qrCode).mockClear();
    await buildStatement(data(null), "fr");
    expect(vi.mocked(layout.qrCode)).not.toHaveBeenCalled();
  });
});
