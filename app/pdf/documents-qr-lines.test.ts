import * as layout from "./layout";
import { buildFormalNotice, type FormalNoticeData } from "./formal-notice";
import { buildInvoiceDocument, type InvoiceDocumentData } from "./invoice";
import { buildReceiptDocument } from "./receipt";

// The drawing helpers still draw; the spies only record what each document printed.
vi.mock("./layout", async (original) => {
  const real = await original<typeof import("./layout")>();
  return { ...real, qrCode: vi.fn(real.qrCode), table: vi.fn(real.table) };
});

const creditor = {
  legalName: "Atelier Durand SAS",
  addressLines: ["12 rue des Tanneurs", "69002 Lyon"],
  city: "Lyon",
  iban: "FR76 3000 6000 0112 3456 7890 189",
  bic: "AGRIFRPP",
};
const debtor = {
  name: "Nordic Design",
  kind: "BUSINESS" as const,
  addressLines: ["5 place Bellecour"],
  postalCode: "69002",
  city: "Lyon",
  country: "FR",
  transferReference: "RF18539007547034",
};
const claim = {
  currency: "EUR",
  debtorKind: "BUSINESS" as const,
  contractualRateBps: null,
  lines: [],
  principal: 48_000,
  interest: 1_234,
  indemnity: 4_000,
  indemnityCount: 1,
  total: 53_234,
  estimated: false,
};
const rowsPrinted = () => vi.mocked(layout.table).mock.calls.flatMap((call) => call[2].map((r) => r.cells.join(" | ")));

beforeEach(() => {
  vi.mocked(layout.qrCode).mockClear();
  vi.mocked(layout.table).mockClear();
});

describe("mise en demeure: EPC QR code", () => {
  const notice = (iban: string | null): FormalNoticeData => ({
    reference: "MED-1",
    date: new Date("2026-03-01T00:00:00Z"),
    deadline: new Date("2026-03-09T00:00:00Z"),
    creditor: { ...creditor, iban },
    debtor,
    claim: claim as FormalNoticeData["claim"],
    portalUrl: "https://pay.example.test/p/abc",
    sentBy: { registeredLetter: true, email: true },
  });

  it("prints the EPC code of the amount demanded with the debtor's RF reference, beside the portal's QR code", async () => {
    await buildFormalNotice(notice(creditor.iban), "fr");
    const payloads = vi.mocked(layout.qrCode).mock.calls.map((c) => c[1]);
    expect(payloads).toContain("https://pay.example.test/p/abc");
    expect(payloads).toContain(
      "BCD\n002\n1\nSCT\nAGRIFRPP\nAtelier Durand SAS\nFR7630006000011234567890189\nEUR532.34\n\nRF18539007547034",
    );
  });

  it("prints only the portal's QR code without an IBAN", async () => {
    await buildFormalNotice(notice(null), "fr");
    expect(vi.mocked(layout.qrCode).mock.calls.map((c) => c[1])).toEqual(["https://pay.example.test/p/abc"]);
  });
});

describe("invoice copy: HT / TVA / TTC from its lines", () => {
  const invoice = (lines: NonNullable<InvoiceDocumentData["invoice"]["lines"]>, amount: number): InvoiceDocumentData => ({
    date: new Date("2026-03-01T00:00:00Z"),
    creditor,
    debtor,
    invoice: {
      number: "F-2026-0317",
      issueDate: new Date("2026-01-01"),
      dueDate: new Date("2026-01-31"),
      description: null,
      currency: "EUR",
      amount,
      amountPaid: 0,
      amountCredited: 0,
      balance: amount,
      lines,
    },
    payments: [],
  });
  const lines = [
    { description: "Table chêne", quantity: "1", unitPrice: "1000.00", net: 1_000_00, vatRate: "20" },
    { description: "Livraison", quantity: "1", unitPrice: "50.00", net: 50_00, vatRate: "5.5" },
  ];

  it("lists the lines and the totals when they add up to the invoice's amount", async () => {
    await buildInvoiceDocument(invoice(lines, 1_252_75), "fr");
    const rows = rowsPrinted();
    expect(rows).toContain("Table chêne | 1 | 1000.00 | 20\u00a0% | 1\u00a0000,00\u00a0€");
    expect(rows).toContain("Total HT | 1\u00a0050,00\u00a0€");
    expect(rows).toContain("TVA 20\u00a0% | 200,00\u00a0€");
    expect(rows).toContain("TVA 5,5\u00a0% | 2,75\u00a0€");
    expect(rows).toContain("Total TTC | 1\u00a0252,75\u00a0€");
  });

  it("leaves out lines that contradict the invoice's amount, and prints no totals without lines", async () => {
    await buildInvoiceDocument(invoice(lines, 1_300_00), "en");
    expect(rowsPrinted().some((r) => r.startsWith("Total excl. VAT"))).toBe(false);
    vi.mocked(layout.table).mockClear();
    await buildInvoiceDocument(invoice([], 1_300_00), "fr");
    expect(rowsPrinted().some((r) => r.startsWith("Total HT"))).toBe(false);
  });
});

describe("receipt PDF", () => {
  it("states our reference, the date, the method, the amount and the invoices settled", async () => {
    const pdf = await buildReceiptDocument(
      {
        reference: "PAY-7K3M-Q9XA",
        paidAt: new Date("2026-11-20T10:00:00Z"),
        creditor,
        debtor,
        amount: 64_000,
        currency: "EUR",
        method: "card",
        invoices: [{ number: "F-2026-0317", amount: 64_000, balanceAfter: 0 }],
      },
      "fr",
    );
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const rows = rowsPrinted();
    expect(rows).toContain("Notre référence | PAY-7K3M-Q9XA");
    expect(rows).toContain("Date | 20/11/2026");
    expect(rows).toContain("Moyen de paiement | Carte bancaire");
    expect(rows).toContain("Montant | 640,00\u00a0€");
    expect(rows).toContain("F-2026-0317 | 640,00\u00a0€ | 0,00\u00a0€");
  });
});
