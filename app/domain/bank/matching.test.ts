import { describe, expect, it } from "vitest";
import { toCreditorReference } from "~/domain/payments/reference";
import { generateGroundTruth } from "./ground-truth";
import { autoApplicable, buildMatchIndex, findCombination, MatchContext, suggestMatches, updateMatchIndex } from "./matching";
import { creditorReferencesIn, invoiceNumberCandidates, invoiceNumberKey, nameSimilarity, nameTokens } from "./normalize";
import type { BankTransactionInput, OpenInvoice } from "./types";

const d = (iso: string) => new Date(`${iso}T00:00:00.000Z`);
const ACME_REF = toCreditorReference("ACME0001");

const invoice = (id: string, debtorId: string, number: string, balance: number, due: string): OpenInvoice => ({
  id,
  debtorId,
  number,
  balance,
  dueDate: d(due),
  currency: "EUR",
});

const ctx: MatchContext = {
  debtors: [
    { id: "acme", name: "Acme Industrie SAS", transferReference: ACME_REF, knownIbans: ["FR7610278060000002045360123"], knownNames: [] },
    {
      id: "martin",
      name: "Boulangerie Martin et Fils SARL",
      transferReference: toCreditorReference("MARTIN01"),
      knownIbans: [],
      knownNames: [],
    },
    { id: "petit", name: "Établissements Petit", transferReference: null, knownIbans: [], knownNames: ["SNEP"] },
  ],
  invoices: [
    invoice("a1", "acme", "F-2024-0010", 50_000, "2024-01-31"),
    invoice("a2", "acme", "F-2024-0011", 30_000, "2024-02-29"),
    invoice("a3", "acme", "F-2024-0020", 20_000, "2024-03-31"),
    invoice("m1", "martin", "F-2024-0012", 42_000, "2024-02-15"),
    invoice("m2", "martin", "F-2024-0013", 42_000, "2024-03-15"),
    invoice("p1", "petit", "F-2024-0042", 125_000, "2024-02-01"),
  ],
  installments: [{ id: "inst1", planId: "plan1", debtorId: "petit", dueDate: d("2024-04-05"), amount: 31_250, currency: "EUR" }],
};
const index = buildMatchIndex(ctx);

const tx = (over: Partial<BankTransactionInput>): BankTransactionInput => ({
  entryRef: "E1",
  accountId: "FR76X",
  bookingDate: d("2024-04-10"),
  valueDate: null,
  amount: 0,
  currency: "EUR",
  counterpartyName: null,
  counterpartyIban: null,
  remittance: "",
  endToEndId: null,
  structuredRef: null,
  bankCode: null,
  reversal: false,
  position: 1,
  ...over,
});
const kinds = (s: { reasons: { kind: string }[] } | undefined) => s?.reasons.map((r) => r.kind) ?? [];

describe("normalisation", () => {
  it("invoice numbers: spaces, dashes, prefixes, leading zeros", () => {
    for (const written of [
      "F-2024-0012",
      "FACT 2024 0012",
      "f20240012",
      "Facture n° 2024-0012",
      "FA2024-0012",
      "INV-2024-0012",
      "N°20240012",
    ]) {
      expect(invoiceNumberKey(written), written).toBe("20240012");
    }
    expect(invoiceNumberKey("2024-A-17")).toBe("2024A17");
    expect(invoiceNumberKey("000123")).toBe("123");
    expect(invoiceNumberCandidates("REGLEMENT FACT F-2024-0012 ET F 2024 0013 MERCI")).toEqual(
      expect.arrayContaining(["20240012", "20240013"]),
    );
    expect(invoiceNumberCandidates("ACOMPTE F 2024-12")).toContain("2024-12");
    expect(invoiceNumberCandidates("MERCI BEAUCOUP")).toEqual([]);
  });

  it("names: case, accents, legal forms and civilities, truncation, one typo", () => {
    expect(nameTokens("Sté Établissements PETIT & Cie SAS")).toEqual(["PETIT"]);
    expect(nameSimilarity("ACME INDUSTRIE", "Acme Industrie SAS")).toBe(1);
    expect(nameSimilarity("BOULANGERIE MART", "Boulangerie Martin SARL")).toBe(1);
    expect(nameSimilarity("BOULANGERIE MARTIM", "Boulangerie Martin")).toBe(1);
    expect(nameSimilarity("TECHNO LOGIC", "Technologic SARL")).toBe(1);
    expect(nameSimilarity("GARAGE DUPONT", "Boulangerie Martin")).toBe(0);
    expect(nameSimilarity("BOULANGERIE MARTIN LYON", "Boulangerie Martin Nantes")).toBeLessThan(0.75);
  });

  it("creditor references in free text, printed in groups, checked", () => {
    expect(creditorReferencesIn("VIR RF18 5390 0754 7034 MERCI")).toEqual(["RF18539007547034"]);
    expect(creditorReferencesIn(`paiement ${ACME_REF}`)).toEqual([ACME_REF]);
    expect(creditorReferencesIn("RF19ACME0001")).toEqual([]);
  });
});

describe("suggestMatches: each signal", () => {
  it("structured reference + exact amount of one invoice → applied automatically", () => {
    const [best, second] = suggestMatches(tx({ amount: 30_000, structuredRef: ACME_REF }), index);
    expect(best).toMatchObject({ debtorId: "acme", allocations: [{ invoiceId: "a2", amount: 30_000 }], unallocated: 0 });
    expect(kinds(best)).toEqual(["structured_reference", "amount_exact_invoice"]);
    expect(best!.confidence).toBeGreaterThanOrEqual(80);
    expect(autoApplicable(best, second)).toBe(true);
  });

  it("the RF reference written in the remittance text counts too", () => {
    const [best] = suggestMatches(tx({ amount: 30_000, remittance: `VIR ${ACME_REF.replace(/(.{4})/g, "$1 ")}` }), index);
    expect(best?.debtorId).toBe("acme");
    expect(kinds(best)).toContain("structured_reference");
  });

  it("invoice numbers in messy text, lump payment of two invoices", () => {
    const [best, second] = suggestMatches(
      tx({ amount: 84_000, counterpartyName: "BOULANGERIE MARTIN ET FILS", remittance: "REGLEMENT FACT F-2024-0012 ET F2024-0013 MERCI" }),
      index,
    );
    expect(best).toMatchObject({
      debtorId: "martin",
      unallocated: 0,
      allocations: [
        { invoiceId: "m1", amount: 42_000 },
        { invoiceId: "m2", amount: 42_000 },
      ],
    });
    expect(kinds(best)).toEqual(["invoice_number", "invoice_number", "payer_name"]);
    expect(autoApplicable(best, second)).toBe(true);
  });

  it("known IBAN + exact amount", () => {
    const [best, second] = suggestMatches(tx({ amount: 20_000, counterpartyIban: "FR76 1027 8060 0000 0204 5360 123" }), index);
    expect(best).toMatchObject({ debtorId: "acme", allocations: [{ invoiceId: "a3", amount: 20_000 }] });
    expect(kinds(best)).toEqual(["payer_iban", "amount_exact_invoice"]);
    expect(autoApplicable(best, second)).toBe(true);
  });

  it("name only + exact amount: suggested, never automatic", () => {
    const [best, second] = suggestMatches(tx({ amount: 20_000, counterpartyName: "ACME INDUSTRIE" }), index);
    expect(best).toMatchObject({ debtorId: "acme", allocations: [{ invoiceId: "a3", amount: 20_000 }] });
    expect(kinds(best)).toEqual(["payer_name", "amount_exact_invoice"]);
    expect(best!.confidence).toBeLessThan(80);
    expect(autoApplicable(best, second)).toBe(false);
  });

  it("a known payer name (SNEP) and a plan installment", () => {
    const [best] = suggestMatches(tx({ amount: 31_250, counterpartyName: "SNEP" }), index);
    expect(best).toMatchObject({ debtorId: "petit", installmentId: "inst1", allocations: [], unallocated: 0 });
    expect(kinds(best)).toEqual(["payer_name", "amount_installment"]);
  });

  it("a combination of the debtor's invoices (fewest, oldest)", () => {
    const [best] = suggestMatches(tx({ amount: 70_000, structuredRef: ACME_REF }), index);
    expect(best?.allocations).toEqual([
      { invoiceId: "a1", amount: 50_000 },
      { invoiceId: "a3", amount: 20_000 },
    ]);
    expect(kinds(best)).toContain("amount_combination");
  });

  it("a partial payment goes to the oldest invoice first, not automatically", () => {
    const [best, second] = suggestMatches(tx({ amount: 60_000, structuredRef: ACME_REF }), index);
    expect(best?.allocations).toEqual([
      { invoiceId: "a1", amount: 50_000 },
      { invoiceId: "a2", amount: 10_000 },
    ]);
    expect(kinds(best)).toContain("partial_oldest_first");
    expect(autoApplicable(best, second)).toBe(false);
  });

  it("an overpayment leaves the excess unallocated with its reason", () => {
    const [best, second] = suggestMatches(tx({ amount: 130_000, remittance: "FACTURE 2024-0042" }), index);
    expect(best).toMatchObject({ debtorId: "petit", allocations: [{ invoiceId: "p1", amount: 125_000 }], unallocated: 5_000 });
    expect(best?.reasons).toContainEqual({ kind: "overpayment", excess: 5_000 });
    expect(autoApplicable(best, second)).toBe(false);
  });

  it("a stranger paying an amount equal to an invoice gets only a low hint", () => {
    const [best, second] = suggestMatches(
      tx({ amount: 125_000, counterpartyName: "GARAGE INCONNU", counterpartyIban: "DE89370400440532013000" }),
      index,
    );
    expect(best).toMatchObject({ debtorId: "petit", allocations: [{ invoiceId: "p1", amount: 125_000 }] });
    expect(best!.confidence).toBeLessThanOrEqual(30);
    expect(autoApplicable(best, second, 20)).toBe(false);
  });

  it("debits and reversals get no suggestion", () => {
    expect(suggestMatches(tx({ amount: -30_000, structuredRef: ACME_REF }), index)).toEqual([]);
    expect(suggestMatches(tx({ amount: 30_000, structuredRef: ACME_REF, reversal: true }), index)).toEqual([]);
  });

  it("conflicting identities close to each other are not applied automatically", () => {
    // Acme's IBAN but Martin's invoice number and amount: two debtors, neither clearly ahead.
    const suggestions = suggestMatches(
      tx({ amount: 42_000, counterpartyIban: "FR7610278060000002045360123", remittance: "F-2024-0012" }),
      index,
    );
    expect(suggestions.map((s) => s.debtorId).sort()).toEqual(["acme", "martin"]);
    expect(autoApplicable(suggestions[0], suggestions[1])).toBe(false);
  });

  it("accepts the raw context as well as a prebuilt index", () => {
    expect(suggestMatches(tx({ amount: 30_000, structuredRef: ACME_REF }), ctx)).toEqual(
      suggestMatches(tx({ amount: 30_000, structuredRef: ACME_REF }), index),
    );
  });
});

describe("findCombination", () => {
  it("prefers the fewest invoices, says when the choice is ambiguous, stays bounded", () => {
    const list = [
      invoice("x1", "x", "1", 100, "2024-01-01"),
      invoice("x2", "x", "2", 200, "2024-01-02"),
      invoice("x3", "x", "3", 300, "2024-01-03"),
      invoice("x4", "x", "4", 400, "2024-01-04"),
    ];
    expect(findCombination(list, 700)).toEqual({ invoices: [list[2], list[3]], unique: true });
    expect(findCombination(list, 500)).toEqual({ invoices: [list[0], list[3]], unique: false });
    expect(findCombination(list, 1100)).toBeNull();
    const many = Array.from({ length: 40 }, (_, i) => invoice(`y${i}`, "y", String(i), 1 + i, "2024-01-01"));
    expect(findCombination(many, 10_000)).toBeNull();
  });
});

describe("on a generated statement with known answers", () => {
  it("never applies a wrong match automatically and applies ≥ 90 % of those payable by rule", () => {
    const truth = generateGroundTruth({ debtors: 500, invoices: 5_000, transactions: 1_000, seed: 7 });
    const idx = buildMatchIndex(truth.ctx);
    let payable = 0;
    let applied = 0;
    for (const c of truth.cases) {
      const suggestions = suggestMatches(c.tx, idx);
      const auto = autoApplicable(suggestions[0], suggestions[1]);
      if (auto) {
        expect(suggestions[0]!.debtorId, c.tx.remittance).toBe(c.debtorId);
        expect([...suggestions[0]!.allocations].sort((a, b) => a.invoiceId.localeCompare(b.invoiceId))).toEqual(
          [...c.allocations].sort((a, b) => a.invoiceId.localeCompare(b.invoiceId)),
        );
      }
      if (c.payableByRule) {
        payable++;
        if (auto) applied++;
      }
      if (c.kind === "stranger" || c.kind === "debit") expect(auto).toBe(false);
    }
    expect(payable).toBeGreaterThan(400);
    expect(applied / payable).toBeGreaterThanOrEqual(0.9);
  });
});

describe("updateMatchIndex (the ledger read once per import, then patched)", () => {
  it("an invoice paid in full leaves the index; one partly paid is found by its new balance; a new one is found", () => {
    const idx = buildMatchIndex({
      invoices: [invoice("u1", "du", "F-2024-0101", 100_00, "2024-01-01"), invoice("u2", "du", "F-2024-0102", 200_00, "2024-02-01")],
      debtors: [{ id: "du", name: "Garage Dupont", transferReference: null, knownIbans: [], knownNames: [] }],
      installments: [],
    });
    const tx = (remittance: string, amount: number): BankTransactionInput => ({
      entryRef: null,
      accountId: "A",
      bookingDate: d("2024-03-01"),
      valueDate: null,
      amount,
      currency: "EUR",
      counterpartyName: null,
      counterpartyIban: null,
      remittance,
      endToEndId: null,
      structuredRef: null,
      bankCode: null,
      reversal: false,
      position: 1,
    });
    expect(suggestMatches(tx("FACT 2024-0101", 100_00), idx)[0]!.allocations).toEqual([{ invoiceId: "u1", amount: 100_00 }]);
    updateMatchIndex(idx, {
      invoices: [
        { ...invoice("u1", "du", "F-2024-0101", 0, "2024-01-01") },
        { ...invoice("u2", "du", "F-2024-0102", 50_00, "2024-02-01") },
        invoice("u3", "du", "F-2024-0103", 70_00, "2024-03-01"),
      ],
      debtors: [{ id: "du", name: "Garage Dupont", transferReference: null, knownIbans: ["FR7612345"], knownNames: [] }],
    });
    expect(suggestMatches(tx("FACT 2024-0101", 100_00), idx)).toEqual([]);
    expect(idx.invoicesByDebtor.get("du")!.map((i) => [i.id, i.balance])).toEqual([
      ["u2", 50_00],
      ["u3", 70_00],
    ]);
    expect(idx.invoicesByAmount.get("EUR:20000")).toBeUndefined();
    expect(idx.invoicesByAmount.get("EUR:5000")!.map((i) => i.id)).toEqual(["u2"]);
    expect(suggestMatches(tx("INV-2024-0103", 70_00), idx)[0]!.allocations).toEqual([{ invoiceId: "u3", amount: 70_00 }]);
    expect(idx.byIban.get("FR7612345")).toEqual(["du"]);
  });
});
