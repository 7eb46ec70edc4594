/**
 * Bank statements and cash application (issue 14): the shapes shared by the
 * parsers (camt.053/054, CFONB 120, OFX, CSV), the matching engine and the
 * services that store and apply transactions. Pure data: no I/O.
 */

export type StatementFormat = "CAMT053" | "CAMT054" | "CFONB120" | "OFX" | "CSV";

/** One booked entry of a statement, as the bank reports it. Amounts in minor units; credits positive, debits negative. */
export type BankTransactionInput = {
  /** The bank's own entry reference (camt NtryRef / AcctSvcrRef, OFX FITID, CFONB has none): the dedup key when present. */
  entryRef: string | null;
  /** Account the statement is about (IBAN when known, else the bank's account id). */
  accountId: string;
  bookingDate: Date;
  valueDate: Date | null;
  amount: number;
  currency: string;
  counterpartyName: string | null;
  counterpartyIban: string | null;
  /** Unstructured remittance information, lines joined with a space. */
  remittance: string;
  /** The payer's end-to-end id (camt Refs/EndToEndId, CFONB RCN) when given: often an invoice number. */
  endToEndId?: string | null;
  /** Creditor reference (ISO 11649 RF…) or another structured reference when the bank gives one. */
  structuredRef: string | null;
  /** Bank transaction code (camt Domain/Family/SubFamily e.g. "PMNT/RCDT/ESCT", CFONB operation code "05"…); informative. */
  bankCode: string | null;
  /** A return / reversal of an earlier transfer (camt RvslInd, a returned SEPA credit transfer code). */
  reversal: boolean;
  /** Position of the entry in its file (1-based): part of the dedup hash when there is no entry reference. */
  position: number;
};

export type ParsedStatement = {
  format: StatementFormat;
  accountId: string;
  currency: string;
  /** Statement period / date when the file says so. */
  statementDate: Date | null;
  transactions: BankTransactionInput[];
};

/** A file that cannot be read: says where (line number for text formats, element path for XML) and what. */
export class StatementParseError extends Error {
  constructor(
    public readonly where: string,
    message: string,
  ) {
    super(`${where}: ${message}`);
    this.name = "StatementParseError";
  }
}

/** What the matcher knows about the creditor's open receivables. */
export type OpenInvoice = {
  id: string;
  debtorId: string;
  number: string;
  dueDate: Date;
  balance: number;
  currency: string;
};

export type DebtorIdentity = {
  id: string;
  name: string;
  /** The debtor's RF transfer reference (see domain/payments/reference). */
  transferReference: string | null;
  /** IBANs already seen paying for this debtor. */
  knownIbans: string[];
  /** Payer names already confirmed for this debtor. */
  knownNames: string[];
};

export type OpenInstallment = { id: string; planId: string; debtorId: string; dueDate: Date; amount: number; currency: string };

export type MatchReason =
  | { kind: "structured_reference"; reference: string }
  | { kind: "invoice_number"; number: string }
  | { kind: "payer_iban"; iban: string }
  | { kind: "payer_name"; name: string; score: number }
  | { kind: "amount_exact_invoice" }
  | { kind: "amount_combination"; count: number }
  | { kind: "amount_installment"; installmentId: string }
  | { kind: "partial_oldest_first" }
  | { kind: "overpayment"; excess: number };

/** One proposed application of a transaction: which debtor, which invoices for how much, how sure and why. */
export type MatchSuggestion = {
  debtorId: string;
  allocations: { invoiceId: string; amount: number }[];
  installmentId: string | null;
  /** 0..100 */
  confidence: number;
  reasons: MatchReason[];
  /** Part of the transaction left over (an overpayment → a credit balance with a task). */
  unallocated: number;
};
