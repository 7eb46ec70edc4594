import {
  compactReference,
  creditorReferencesIn,
  invoiceNumberCandidates,
  invoiceNumberKeys,
  nameSimilarity,
  nameTokens,
} from "./normalize";
import type { BankTransactionInput, DebtorIdentity, MatchReason, MatchSuggestion, OpenInstallment, OpenInvoice } from "./types";

/**
 * Cash application: which debtor and invoices a bank credit pays, with how
 * sure we are and why. Pure: the caller loads the creditor's open invoices,
 * debtors and installments once (`buildMatchIndex`) and asks per transaction.
 *
 * Confidence = identity (who pays) + amount (what it pays). Identity comes
 * from a structured reference, invoice numbers, a known IBAN or the name;
 * the amount only ever confirms: without identity it stays low.
 */
export type MatchContext = { invoices: OpenInvoice[]; debtors: DebtorIdentity[]; installments: OpenInstallment[] };

export type MatchIndex = {
  debtors: Map<string, DebtorIdentity & { tokens: string[]; knownTokens: string[][] }>;
  byReference: Map<string, string>;
  invoicesByKey: Map<string, OpenInvoice[]>;
  invoicesByDebtor: Map<string, OpenInvoice[]>;
  invoicesByAmount: Map<string, OpenInvoice[]>;
  installmentsByDebtor: Map<string, OpenInstallment[]>;
  byIban: Map<string, string[]>;
  byToken: Map<string, string[]>;
  invoicesById: Map<string, OpenInvoice>;
};

/** Points per signal (identity is capped at IDENTITY_CAP, amount adds on top). */
export const WEIGHTS = {
  structuredReference: 60,
  invoiceNumber: 55,
  payerIban: 50,
  payerName: 35,
  knownName: 40,
  amountExact: 30,
  amountCombinationUnique: 25,
  amountCombinationAmbiguous: 10,
  partial: 5,
  strangerAmount: 25,
} as const;
const IDENTITY_CAP = 70;
const NAME_THRESHOLD = 0.75;
/** Debtors kept for allocation (by identity score): the amount search is the costly part. */
const MAX_CANDIDATES = 5;
const MAX_COMBINATION = 12;
/** A token held by more debtors than this ("BOULANGERIE") does not select candidates by itself. */
const COMMON_TOKEN = 200;

const push = <K, V>(map: Map<K, V[]>, key: K, value: V) => {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
};

const byDueDate = (a: OpenInvoice, b: OpenInvoice) => a.dueDate.getTime() - b.dueDate.getTime() || a.number.localeCompare(b.number);

export function buildMatchIndex(ctx: MatchContext): MatchIndex {
  const index: MatchIndex = {
    debtors: new Map(),
    byReference: new Map(),
    invoicesByKey: new Map(),
    invoicesByDebtor: new Map(),
    invoicesByAmount: new Map(),
    installmentsByDebtor: new Map(),
    byIban: new Map(),
    byToken: new Map(),
    invoicesById: new Map(),
  };
  for (const debtor of ctx.debtors) addDebtor(index, debtor);
  for (const invoice of ctx.invoices) addInvoice(index, invoice);
  for (const list of index.invoicesByDebtor.values()) list.sort(byDueDate);
  for (const installment of ctx.installments) push(index.installmentsByDebtor, installment.debtorId, installment);
  for (const list of index.installmentsByDebtor.values()) list.sort((a, b) => a.dueDate.getTime() - b.dueDate.getTime());
  return index;
}

const debtorKeys = (debtor: DebtorIdentity) => ({
  tokens: nameTokens(debtor.name),
  keys: new Set([...nameTokens(debtor.name), ...debtor.knownNames.flatMap(nameTokens)].map((t) => t.slice(0, 4))),
});

function addDebtor(index: MatchIndex, debtor: DebtorIdentity) {
  const { tokens, keys } = debtorKeys(debtor);
  index.debtors.set(debtor.id, { ...debtor, tokens, knownTokens: debtor.knownNames.map(nameTokens) });
  if (debtor.transferReference) index.byReference.set(compactReference(debtor.transferReference), debtor.id);
  for (const iban of debtor.knownIbans) push(index.byIban, compactReference(iban), debtor.id);
  for (const key of keys) push(index.byToken, key, debtor.id);
}

function addInvoice(index: MatchIndex, invoice: OpenInvoice) {
  if (invoice.balance <= 0) return;
  index.invoicesById.set(invoice.id, invoice);
  for (const key of invoiceNumberKeys(invoice.number)) push(index.invoicesByKey, key, invoice);
  push(index.invoicesByDebtor, invoice.debtorId, invoice);
  push(index.invoicesByAmount, `${invoice.currency}:${invoice.balance}`, invoice);
}

const drop = <K, V>(map: Map<K, V[]>, key: K, keep: (v: V) => boolean) => {
  const list = map.get(key);
  if (!list) return;
  const left = list.filter(keep);
  if (left.length) map.set(key, left);
  else map.delete(key);
};

/**
 * Brings an index up to date with rows that changed since it was built (a
 * payment booked, an invoice added, a payer learned) without reading the
 * whole ledger again: each given invoice or debtor replaces its old entry; an
 * invoice with nothing left to pay leaves the index.
 */
export function updateMatchIndex(index: MatchIndex, changes: { invoices?: OpenInvoice[]; debtors?: DebtorIdentity[] }) {
  for (const debtor of changes.debtors ?? []) {
    const old = index.debtors.get(debtor.id);
    if (old) {
      if (old.transferReference) index.byReference.delete(compactReference(old.transferReference));
      for (const iban of old.knownIbans) drop(index.byIban, compactReference(iban), (id) => id !== old.id);
      for (const key of debtorKeys(old).keys) drop(index.byToken, key, (id) => id !== old.id);
    }
    addDebtor(index, debtor);
  }
  const touched = new Set<string>();
  for (const invoice of changes.invoices ?? []) {
    const old = index.invoicesById.get(invoice.id);
    if (old) {
      index.invoicesById.delete(old.id);
      for (const key of invoiceNumberKeys(old.number)) drop(index.invoicesByKey, key, (i) => i.id !== old.id);
      drop(index.invoicesByDebtor, old.debtorId, (i) => i.id !== old.id);
      drop(index.invoicesByAmount, `${old.currency}:${old.balance}`, (i) => i.id !== old.id);
    }
    addInvoice(index, invoice);
    touched.add(invoice.debtorId);
  }
  for (const debtorId of touched) index.invoicesByDebtor.get(debtorId)?.sort(byDueDate);
}

type Identity = { reasons: MatchReason[]; points: number[]; invoices: OpenInvoice[] };

/** Up to three suggestions, best first; none for debits and reversals. */
export function suggestMatches(tx: BankTransactionInput, ctx: MatchContext | MatchIndex): MatchSuggestion[] {
  const index = "byReference" in ctx ? ctx : buildMatchIndex(ctx);
  if (tx.amount <= 0 || tx.reversal) return [];
  const candidates = new Map<string, Identity>();
  const evidence = (debtorId: string) => {
    let found = candidates.get(debtorId);
    if (!found) candidates.set(debtorId, (found = { reasons: [], points: [], invoices: [] }));
    return found;
  };
  const text = [tx.remittance, tx.endToEndId ?? "", tx.structuredRef ?? ""].join(" ");

  // 1. Structured reference: the debtor's RF, or an invoice number given as the reference.
  const references = new Set(creditorReferencesIn(text));
  if (tx.structuredRef) references.add(compactReference(tx.structuredRef));
  for (const reference of references) {
    const debtorId = index.byReference.get(reference);
    if (debtorId && index.debtors.has(debtorId)) {
      const e = evidence(debtorId);
      e.reasons.push({ kind: "structured_reference", reference });
      e.points.push(WEIGHTS.structuredReference);
    }
  }
  // 2. Invoice numbers in the free text (and a non-RF structured reference).
  const seen = new Set<string>();
  for (const key of invoiceNumberCandidates(text)) {
    for (const invoice of index.invoicesByKey.get(key) ?? []) {
      if (invoice.currency !== tx.currency || seen.has(invoice.id)) continue;
      seen.add(invoice.id);
      const e = evidence(invoice.debtorId);
      if (!e.invoices.length) e.points.push(WEIGHTS.invoiceNumber);
      e.invoices.push(invoice);
      e.reasons.push({ kind: "invoice_number", number: invoice.number });
    }
  }
  // 3. The payer's IBAN, already seen paying for a debtor.
  if (tx.counterpartyIban) {
    const iban = compactReference(tx.counterpartyIban);
    for (const debtorId of index.byIban.get(iban) ?? []) {
      const e = evidence(debtorId);
      e.reasons.push({ kind: "payer_iban", iban });
      e.points.push(WEIGHTS.payerIban);
    }
  }
  // 4. The payer's name, fuzzy, against debtors sharing a word with it.
  if (tx.counterpartyName) {
    const tokens = nameTokens(tx.counterpartyName);
    const pool = new Set<string>();
    const lists = [...new Set(tokens.map((t) => t.slice(0, 4)))].map((k) => index.byToken.get(k) ?? []);
    const rare = lists.filter((l) => l.length <= COMMON_TOKEN);
    if (rare.length) for (const list of rare) for (const id of list) pool.add(id);
    else if (lists.length >= 2) {
      // Only common words: the debtors holding the two rarest of them.
      const [a = [], b = []] = [...lists].sort((x, y) => x.length - y.length);
      const inB = new Set(b);
      for (const id of a) if (inB.has(id)) pool.add(id);
    }
    for (const debtorId of pool) {
      const debtor = index.debtors.get(debtorId)!;
      const known = Math.max(0, ...debtor.knownTokens.map((k) => nameSimilarity(tokens, k)));
      const score = Math.max(nameSimilarity(tokens, debtor.tokens), known);
      if (score < NAME_THRESHOLD) continue;
      const e = evidence(debtorId);
      e.reasons.push({ kind: "payer_name", name: tx.counterpartyName, score: Math.round(score * 100) / 100 });
      e.points.push(Math.round((known >= 0.95 ? WEIGHTS.knownName : WEIGHTS.payerName) * score));
    }
  }

  const suggestions: MatchSuggestion[] = [];
  const ranked = [...candidates].sort((x, y) => identityScore(y[1].points) - identityScore(x[1].points)).slice(0, MAX_CANDIDATES);
  for (const [debtorId, identity] of ranked) suggestions.push(allocate(tx, index, debtorId, identity));
  // A stranger: only the amount speaks, so only a low-confidence hint.
  if (suggestions.length === 0) {
    for (const invoice of (index.invoicesByAmount.get(`${tx.currency}:${tx.amount}`) ?? []).slice(0, 3)) {
      suggestions.push({
        debtorId: invoice.debtorId,
        allocations: [{ invoiceId: invoice.id, amount: invoice.balance }],
        installmentId: null,
        confidence: WEIGHTS.strangerAmount,
        reasons: [{ kind: "amount_exact_invoice" }],
        unallocated: 0,
      });
    }
  }
  return suggestions.sort((a, b) => b.confidence - a.confidence).slice(0, 3);
}

function identityScore(points: number[]): number {
  const sorted = [...points].sort((a, b) => b - a);
  const [first = 0, ...rest] = sorted;
  // The strongest signal counts in full, each corroborating one for a third.
  return Math.min(IDENTITY_CAP, first + rest.reduce((sum, p) => sum + p / 3, 0));
}

function allocate(tx: BankTransactionInput, index: MatchIndex, debtorId: string, identity: Identity): MatchSuggestion {
  const reasons = [...identity.reasons];
  const open = (index.invoicesByDebtor.get(debtorId) ?? []).filter((i) => i.currency === tx.currency);
  let amountPoints = 0;
  let allocations: { invoiceId: string; amount: number }[] = [];
  let installmentId: string | null = null;

  if (identity.invoices.length) {
    // The payer named its invoices: pay those, oldest first; more money than they owe is left unallocated.
    const named = [...identity.invoices].sort(byDueDate);
    const total = named.reduce((s, i) => s + i.balance, 0);
    allocations = oldestFirst(named, tx.amount);
    if (total === tx.amount) amountPoints = WEIGHTS.amountExact;
    else if (tx.amount < total) {
      amountPoints = WEIGHTS.partial;
      reasons.push({ kind: "partial_oldest_first" });
    }
  } else {
    const installment = (index.installmentsByDebtor.get(debtorId) ?? []).find((i) => i.amount === tx.amount && i.currency === tx.currency);
    const single = open.find((i) => i.balance === tx.amount);
    if (installment) {
      installmentId = installment.id;
      amountPoints = WEIGHTS.amountExact;
      reasons.push({ kind: "amount_installment", installmentId: installment.id });
    } else if (single) {
      allocations = [{ invoiceId: single.id, amount: single.balance }];
      amountPoints = WEIGHTS.amountExact;
      reasons.push({ kind: "amount_exact_invoice" });
    } else {
      const combination = findCombination(open.slice(0, MAX_COMBINATION), tx.amount);
      if (combination) {
        allocations = combination.invoices.map((i) => ({ invoiceId: i.id, amount: i.balance }));
        amountPoints = combination.unique ? WEIGHTS.amountCombinationUnique : WEIGHTS.amountCombinationAmbiguous;
        reasons.push({ kind: "amount_combination", count: combination.invoices.length });
      } else if (open.length) {
        allocations = oldestFirst(open, tx.amount);
        const total = open.reduce((s, i) => s + i.balance, 0);
        if (tx.amount < total) {
          amountPoints = WEIGHTS.partial;
          reasons.push({ kind: "partial_oldest_first" });
        }
      }
    }
  }
  const allocated = allocations.reduce((s, a) => s + a.amount, 0) + (installmentId ? tx.amount : 0);
  const unallocated = tx.amount - allocated;
  if (unallocated > 0) reasons.push({ kind: "overpayment", excess: unallocated });
  const confidence = Math.round(Math.min(100, identityScore(identity.points) + amountPoints));
  return { debtorId, allocations, installmentId, confidence, reasons, unallocated };
}

function oldestFirst(invoices: OpenInvoice[], amount: number) {
  const out: { invoiceId: string; amount: number }[] = [];
  let left = amount;
  for (const invoice of invoices) {
    if (left <= 0) break;
    const part = Math.min(left, invoice.balance);
    out.push({ invoiceId: invoice.id, amount: part });
    left -= part;
  }
  return out;
}

/**
 * The fewest of (up to 12, oldest first) invoices whose balances add up to
 * the amount exactly; the first found in oldest-first order wins, `unique`
 * says whether another set of the same size would have fitted too.
 */
export function findCombination(invoices: OpenInvoice[], amount: number): { invoices: OpenInvoice[]; unique: boolean } | null {
  const n = Math.min(invoices.length, MAX_COMBINATION);
  for (let size = 2; size <= n; size++) {
    let first: number[] | null = null;
    let count = 0;
    const picked: number[] = [];
    const walk = (start: number, sum: number): boolean => {
      if (picked.length === size) {
        if (sum !== amount) return false;
        if (!first) first = [...picked];
        return ++count > 1;
      }
      for (let i = start; i <= n - (size - picked.length); i++) {
        const next = sum + invoices[i]!.balance;
        if (next > amount) continue;
        picked.push(i);
        const stop = walk(i + 1, next);
        picked.pop();
        if (stop) return true;
      }
      return false;
    };
    walk(0, 0);
    if (first) return { invoices: (first as number[]).map((i) => invoices[i]!), unique: count === 1 };
  }
  return null;
}

/**
 * Whether the best suggestion may be applied without a human: confident
 * enough, clearly ahead of the next one for another debtor, resting on a
 * strong identity (reference, invoice number or known IBAN, never the
 * amount or the name alone), not contradicted by strong evidence for another
 * debtor, and spending the whole transaction.
 */
export function autoApplicable(best: MatchSuggestion | undefined, second: MatchSuggestion | undefined, threshold = 80): boolean {
  if (!best || best.confidence < threshold || best.unallocated !== 0) return false;
  const strong = (s: MatchSuggestion) =>
    s.reasons.some((r) => r.kind === "structured_reference" || r.kind === "invoice_number" || r.kind === "payer_iban");
  if (!strong(best)) return false;
  // Another debtor also named by a reference, an invoice number or its IBAN: contradictory evidence, a human decides.
  if (second && second.debtorId !== best.debtorId && (strong(second) || best.confidence - second.confidence < 20)) return false;
  return true;
}
