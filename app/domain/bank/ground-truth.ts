import { toCreditorReference, formatCreditorReference } from "~/domain/payments/reference";
import type { MatchContext } from "./matching";
import type { BankTransactionInput, OpenInvoice } from "./types";

/**
 * A synthetic creditor and bank statement whose right answers are known, to
 * measure the matcher (scripts/bench-reconcile.ts). Deterministic per seed.
 */
export type TruthKind =
  "reference" | "invoice_numbers" | "lump_numbers" | "known_iban" | "name_only" | "partial" | "overpayment" | "stranger" | "debit";

export type GroundTruthCase = {
  tx: BankTransactionInput;
  kind: TruthKind;
  debtorId: string | null;
  /** The allocation a careful human would make (empty for strangers and debits). */
  allocations: { invoiceId: string; amount: number }[];
  /** Identified by a rule (reference, invoice numbers, known IBAN) and fully spent on what it names: should be applied automatically. */
  payableByRule: boolean;
};

export type GroundTruth = { ctx: MatchContext; cases: GroundTruthCase[] };

const TRADES = [
  "Boulangerie",
  "Menuiserie",
  "Transports",
  "Garage",
  "Pharmacie",
  "Plomberie",
  "Imprimerie",
  "Cabinet",
  "Électricité",
  "Maçonnerie",
  "Traiteur",
  "Librairie",
  "Fromagerie",
  "Ambulances",
  "Serrurerie",
  "Peinture",
  "Charpente",
  "Paysages",
  "Optique",
  "Couverture",
];
const NAMES = [
  "Martin",
  "Bernard",
  "Dubois",
  "Thomas",
  "Robert",
  "Richard",
  "Petit",
  "Durand",
  "Leroy",
  "Moreau",
  "Simon",
  "Laurent",
  "Lefèvre",
  "Michel",
  "Garcia",
  "David",
  "Bertrand",
  "Roux",
  "Vincent",
  "Fournier",
  "Morel",
  "Girard",
  "André",
  "Mercier",
  "Dupont",
  "Lambert",
  "Bonnet",
  "François",
  "Martinez",
  "Legrand",
];
const PLACES = [
  "Nantes",
  "Lyon",
  "Lille",
  "Rennes",
  "Brest",
  "Dijon",
  "Nîmes",
  "Metz",
  "Tours",
  "Caen",
  "Pau",
  "Annecy",
  "Valence",
  "Chartres",
  "Colmar",
  "Vannes",
  "Lorient",
  "Angers",
  "Reims",
  "Amiens",
];
const FORMS = ["SAS", "SARL", "EURL", "SA", "SASU", "SCI", ""];

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;

export function generateGroundTruth(options: { debtors: number; invoices: number; transactions: number; seed?: number }): GroundTruth {
  const random = rng(options.seed ?? 42);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const upperAscii = (s: string) =>
    s
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toUpperCase();
  const iban = (n: number) => `FR76${String(10000 + (n % 89999)).padStart(5, "0")}${String(n).padStart(18, "0")}`;

  const debtors: MatchContext["debtors"] = [];
  for (let d = 0; d < options.debtors; d++) {
    // Distinct names: trade × surname × place, cycled so neighbours differ.
    const name =
      `${TRADES[d % TRADES.length]} ${NAMES[Math.floor(d / TRADES.length) % NAMES.length]} ${PLACES[Math.floor(d / (TRADES.length * NAMES.length)) % PLACES.length]} ${FORMS[d % FORMS.length]}`.trim();
    debtors.push({
      id: `d${d}`,
      name,
      transferReference: toCreditorReference(`C${String(d).padStart(6, "0")}`),
      knownIbans: d % 3 === 0 ? [iban(d)] : [],
      knownNames: [],
    });
  }
  const invoices: OpenInvoice[] = [];
  const start = Date.UTC(2024, 0, 1);
  for (let i = 0; i < options.invoices; i++) {
    const debtorId = `d${Math.floor(random() * options.debtors)}`;
    const cents = 5_000 + Math.floor(random() * 500_000);
    invoices.push({
      id: `i${i}`,
      debtorId,
      number: `F-2024-${String(i + 1).padStart(6, "0")}`,
      dueDate: new Date(start + Math.floor(random() * 300) * DAY),
      balance: cents,
      currency: "EUR",
    });
  }
  const byDebtor = new Map<string, OpenInvoice[]>();
  for (const invoice of invoices)
    (byDebtor.get(invoice.debtorId) ?? byDebtor.set(invoice.debtorId, []).get(invoice.debtorId)!).push(invoice);
  for (const list of byDebtor.values()) list.sort((a, b) => a.dueDate.getTime() - b.dueDate.getTime());
  const used = new Set<string>();
  const unusedOf = (debtorId: string, n: number) => {
    const out = (byDebtor.get(debtorId) ?? []).filter((i) => !used.has(i.id)).slice(0, n);
    return out.length === n ? out : null;
  };
  const messyNumber = (number: string) => {
    const digits = number.replace(/^F-/, "");
    return pick([
      `FACT ${digits}`,
      `F${digits.replace(/-/g, "")}`,
      `Facture n° ${digits}`,
      `FA ${digits.replace("-", " ")}`,
      `INV-${digits}`,
      number.toLowerCase(),
      `F ${digits.replace(/-0+/, "-")}`,
    ]);
  };
  const payerName = (debtorName: string) => {
    const base = upperAscii(debtorName);
    return pick([base, base.replace(/ (SAS|SARL|EURL|SA|SASU|SCI)$/, ""), base.slice(0, 18), debtorName]);
  };

  const cases: GroundTruthCase[] = [];
  const kinds: [TruthKind, number][] = [
    ["reference", 30],
    ["invoice_numbers", 15],
    ["lump_numbers", 10],
    ["known_iban", 10],
    ["name_only", 10],
    ["partial", 8],
    ["overpayment", 5],
    ["stranger", 7],
    ["debit", 5],
  ];
  const totalWeight = kinds.reduce((s, [, w]) => s + w, 0);
  for (let t = 0; cases.length < options.transactions && t < options.transactions * 20; t++) {
    let roll = random() * totalWeight;
    const kind = kinds.find(([, w]) => (roll -= w) < 0)![0];
    const debtorIndex = Math.floor(random() * options.debtors);
    const debtor = debtors[debtorIndex]!;
    const base: BankTransactionInput = {
      entryRef: `E${t}`,
      accountId: "FR7630004000031234567890143",
      bookingDate: new Date(start + (300 + (t % 60)) * DAY),
      valueDate: null,
      amount: 0,
      currency: "EUR",
      counterpartyName: payerName(debtor.name),
      counterpartyIban: null,
      remittance: "",
      endToEndId: null,
      structuredRef: null,
      bankCode: "PMNT/RCDT/ESCT",
      reversal: false,
      position: cases.length + 1,
    };
    const take = (list: OpenInvoice[]) => list.forEach((i) => used.add(i.id));
    const full = (list: OpenInvoice[]) => list.map((i) => ({ invoiceId: i.id, amount: i.balance }));
    const sum = (list: OpenInvoice[]) => list.reduce((s, i) => s + i.balance, 0);
    if (kind === "debit") {
      cases.push({
        tx: {
          ...base,
          amount: -(100 + Math.floor(random() * 5000)),
          counterpartyName: "BNP PARIBAS",
          remittance: "COMMISSION TENUE DE COMPTE",
          bankCode: "ACMT/MDOP/CHRG",
        },
        kind,
        debtorId: null,
        allocations: [],
        payableByRule: false,
      });
      continue;
    }
    if (kind === "stranger") {
      const lookalike = invoices[Math.floor(random() * invoices.length)]!;
      const amount = random() < 0.5 ? lookalike.balance : 1_000 + Math.floor(random() * 300_000);
      cases.push({
        tx: {
          ...base,
          amount,
          counterpartyName: `${pick(["SCP", "M", "MME"])} ${upperAscii(pick(NAMES))}X ${upperAscii(pick(["Quentin", "Zoé", "Yann"]))}`,
          counterpartyIban: `DE89370400440532${String(t).padStart(6, "0")}`,
          remittance: pick(["REMBOURSEMENT", "CAUTION LOCAL", "VIREMENT", "DON"]),
        },
        kind,
        debtorId: null,
        allocations: [],
        payableByRule: false,
      });
      continue;
    }
    const count = kind === "lump_numbers" ? 2 + Math.floor(random() * 3) : 1;
    const chosen = unusedOf(debtor.id, kind === "partial" || kind === "overpayment" ? 1 : count);
    if (!chosen) continue;
    take(chosen);
    const amount = sum(chosen);
    if (kind === "reference") {
      const ref = debtor.transferReference!;
      const inText = random() < 0.3;
      cases.push({
        tx: { ...base, amount, structuredRef: inText ? null : ref, remittance: inText ? `VIR ${formatCreditorReference(ref)}` : "" },
        kind,
        debtorId: debtor.id,
        allocations: full(chosen),
        payableByRule: true,
      });
    } else if (kind === "invoice_numbers" || kind === "lump_numbers") {
      const words = chosen.map((i) => messyNumber(i.number));
      cases.push({
        tx: {
          ...base,
          amount,
          remittance:
            `${pick(["REGLEMENT", "PAIEMENT", "VIR", ""])} ${words.join(pick([" ", " ET ", ", ", " + "]))} ${pick(["MERCI", "", "SOLDE"])}`.trim(),
        },
        kind,
        debtorId: debtor.id,
        allocations: full(chosen),
        payableByRule: true,
      });
    } else if (kind === "known_iban") {
      const known = debtor.knownIbans[0];
      if (!known) continue;
      cases.push({
        tx: { ...base, amount, counterpartyIban: known, remittance: pick(["PAIEMENT", "REGLEMENT", "VIREMENT"]) },
        kind,
        debtorId: debtor.id,
        allocations: full(chosen),
        payableByRule: true,
      });
    } else if (kind === "name_only") {
      cases.push({
        tx: { ...base, amount, remittance: "VIREMENT" },
        kind,
        debtorId: debtor.id,
        allocations: full(chosen),
        payableByRule: false,
      });
    } else if (kind === "partial") {
      const part = Math.max(1, Math.floor(amount * (0.2 + random() * 0.6)));
      cases.push({
        tx: { ...base, amount: part, remittance: `ACOMPTE ${messyNumber(chosen[0]!.number)}` },
        kind,
        debtorId: debtor.id,
        allocations: [{ invoiceId: chosen[0]!.id, amount: part }],
        payableByRule: false,
      });
    } else {
      const excess = 1_000 + Math.floor(random() * 10_000);
      cases.push({
        tx: { ...base, amount: amount + excess, remittance: messyNumber(chosen[0]!.number) },
        kind,
        debtorId: debtor.id,
        allocations: full(chosen),
        payableByRule: false,
      });
    }
  }
  // The invoices paid here stay open in the context: the statement is matched against what was owed before it.
  return { ctx: { debtors, invoices, installments: [] }, cases };
}
