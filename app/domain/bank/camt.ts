import { decimalToMinor, decodeText, isoCalendarDate } from "./decimal";
import { BankTransactionInput, ParsedStatement, StatementParseError } from "./types";
import { attribute, child, children, parseXml, text, XmlNode } from "./xml";

/** Namespaces we read: camt.053 (statement) and camt.054 (debit/credit notification), versions .02 to .08. */
const NAMESPACE = /^urn:iso:std:iso:20022:tech:xsd:camt\.05([34])\.001\.0([2-8])$/;

export function parseCamt053(input: string | Uint8Array): ParsedStatement {
  return parseCamt(input, "053");
}

export function parseCamt054(input: string | Uint8Array): ParsedStatement {
  return parseCamt(input, "054");
}

const SHAPES = {
  "053": { message: "BkToCstmrStmt", report: "Stmt", format: "CAMT053" },
  "054": { message: "BkToCstmrDbtCdtNtfctn", report: "Ntfctn", format: "CAMT054" },
} as const;

function parseCamt(input: string | Uint8Array, kind: "053" | "054"): ParsedStatement {
  const doc = parseXml(decodeText(input));
  const shape = SHAPES[kind];
  if (doc.name !== "Document") throw new StatementParseError(doc.name, "the root element must be Document");
  if (doc.namespace) {
    const match = NAMESPACE.exec(doc.namespace);
    if (!match || match[1] !== kind.slice(2))
      throw new StatementParseError("Document", `unsupported namespace ${doc.namespace} (expected camt.${kind}.001.02 to .08)`);
  }
  const message = children(doc.node, shape.message)[0];
  if (!message) throw new StatementParseError("Document", `missing ${shape.message}`);
  const base = `Document/${shape.message}`;
  const reports = children(message, shape.report);
  if (reports.length === 0) throw new StatementParseError(base, `missing ${shape.report}`);

  const transactions: BankTransactionInput[] = [];
  let accountId = "";
  let currency = "";
  let statementDate: Date | null = null;
  reports.forEach((report, r) => {
    const reportPath = `${base}/${shape.report}[${r + 1}]`;
    const account = text(report, "Acct/Id/IBAN") ?? text(report, "Acct/Id/Othr/Id");
    if (!account) throw new StatementParseError(`${reportPath}/Acct/Id`, "missing account IBAN or Othr/Id");
    const reportCurrency = text(report, "Acct/Ccy");
    if (r === 0) {
      accountId = account.replace(/\s+/g, "");
      statementDate = isoCalendarDate(text(report, "FrToDt/ToDtTm") ?? text(report, "CreDtTm") ?? "");
    }
    children(report, "Ntry").forEach((entry, e) => {
      const entryPath = `${reportPath}/Ntry[${e + 1}]`;
      for (const tx of readEntry(entry, entryPath, account.replace(/\s+/g, ""))) {
        transactions.push({ ...tx, position: transactions.length + 1 });
      }
    });
    if (!currency) currency = reportCurrency ?? transactions[0]?.currency ?? "";
  });
  if (!currency) currency = transactions[0]?.currency ?? "EUR";
  return { format: shape.format, accountId, currency, statementDate, transactions };
}

/** One entry → one transaction, or one per TxDtls for a batch entry (several TxDtls with their own amounts). */
function readEntry(entry: XmlNode, path: string, accountId: string): Omit<BankTransactionInput, "position">[] {
  // .02–.03 say <Sts>BOOK</Sts>, .04+ <Sts><Cd>BOOK</Cd></Sts>; only booked entries are on the account.
  const status = text(entry, "Sts") ?? text(entry, "Sts/Cd");
  if (status && status !== "BOOK") return [];
  const amount = readAmount(entry, path);
  const bookingDate = readDate(entry, "BookgDt", path);
  if (!bookingDate) throw new StatementParseError(`${path}/BookgDt`, "missing or invalid booking date (Dt or DtTm)");
  const valueDate = readDate(entry, "ValDt", path);
  const reversal = text(entry, "RvslInd") === "true";
  const entryRef = text(entry, "NtryRef") ?? text(entry, "AcctSvcrRef");
  const entryCode = bankCode(entry);
  const entryInfo = text(entry, "AddtlNtryInf");

  const details = children(entry, "NtryDtls").flatMap((d) => children(d, "TxDtls"));
  const batch = details.length > 1;
  if (details.length === 0) {
    return [
      {
        entryRef,
        accountId,
        bookingDate,
        valueDate,
        amount: amount.value,
        currency: amount.currency,
        counterpartyName: null,
        counterpartyIban: null,
        remittance: entryInfo ?? "",
        endToEndId: null,
        structuredRef: null,
        bankCode: entryCode,
        reversal: reversal || isReturn(entryCode),
      },
    ];
  }
  const txs = details.map((tx, i) => {
    const txPath = `${path}/NtryDtls/TxDtls[${i + 1}]`;
    const own = child(tx, "Amt") ?? child(tx, "AmtDtls/TxAmt/Amt");
    if (batch && !own) throw new StatementParseError(`${txPath}/Amt`, "a batch entry's transaction needs its own amount");
    const sign = text(tx, "CdtDbtInd") ?? text(entry, "CdtDbtInd");
    const value = own ? signed(amountOf(own, `${txPath}/Amt`).value, sign, `${txPath}/CdtDbtInd`) : amount.value;
    const outgoing = value < 0;
    // The other party: the payer (Dbtr) of a credit, the payee (Cdtr) of a debit; .08 nests the name in Pty.
    const party = outgoing ? "Cdtr" : "Dbtr";
    const name =
      text(tx, `RltdPties/${party}/Nm`) ??
      text(tx, `RltdPties/${party}/Pty/Nm`) ??
      text(tx, `RltdPties/Ultmt${party}/Nm`) ??
      text(tx, `RltdPties/Ultmt${party}/Pty/Nm`);
    const iban = text(tx, `RltdPties/${party}Acct/Id/IBAN`);
    const unstructured = children(child(tx, "RmtInf"), "Ustrd")
      .map((u) => text(u))
      .filter(Boolean);
    const structured =
      children(child(tx, "RmtInf"), "Strd")
        .map((s) => text(s, "CdtrRefInf/Ref"))
        .find(Boolean) ?? null;
    const endToEndId = notProvided(text(tx, "Refs/EndToEndId"));
    const txRef = text(tx, "Refs/AcctSvcrRef") ?? endToEndId ?? text(tx, "Refs/TxId");
    const code = bankCode(tx) ?? entryCode;
    const remittance =
      (unstructured.length ? unstructured.join(" ") : (entryInfo ?? "")) +
      (text(tx, "AddtlTxInf") && !unstructured.length ? ` ${text(tx, "AddtlTxInf")}` : "");
    return {
      entryRef: batch ? (entryRef ? `${entryRef}/${txRef ?? i + 1}` : txRef) : (entryRef ?? txRef),
      accountId,
      bookingDate,
      valueDate,
      amount: value,
      currency: own ? amountOf(own, `${txPath}/Amt`).currency : amount.currency,
      counterpartyName: name,
      counterpartyIban: iban ? iban.replace(/\s+/g, "").toUpperCase() : null,
      remittance: remittance.trim(),
      endToEndId,
      structuredRef: structured ? structured.replace(/\s+/g, "") : null,
      bankCode: code,
      reversal: reversal || isReturn(code),
    };
  });
  if (batch) {
    const total = txs.reduce((sum, t) => sum + t.amount, 0);
    if (total !== amount.value)
      throw new StatementParseError(
        `${path}/NtryDtls`,
        `the batch's transactions add up to ${total}, the entry says ${amount.value} (minor units)`,
      );
  }
  return txs;
}

function readAmount(entry: XmlNode, path: string) {
  const node = child(entry, "Amt");
  if (!node) throw new StatementParseError(`${path}/Amt`, "missing amount");
  const { value, currency } = amountOf(node, `${path}/Amt`);
  return { value: signed(value, text(entry, "CdtDbtInd"), `${path}/CdtDbtInd`), currency };
}

function amountOf(node: XmlNode, path: string) {
  const currency = attribute(node, "Ccy");
  if (!currency || !/^[A-Z]{3}$/.test(currency)) throw new StatementParseError(path, "missing or invalid Ccy attribute");
  const raw = text(node);
  const value = raw && /^\d+(\.\d+)?$/.test(raw) ? decimalToMinor(raw, currency) : null;
  if (value === null) throw new StatementParseError(path, `invalid amount "${raw ?? ""}"`);
  return { value, currency };
}

function signed(value: number, indicator: string | null, path: string): number {
  if (indicator === "CRDT") return value;
  if (indicator === "DBIT") return -value;
  throw new StatementParseError(path, `CdtDbtInd must be CRDT or DBIT, got "${indicator ?? ""}"`);
}

function readDate(entry: XmlNode, name: string, path: string): Date | null {
  const raw = text(entry, `${name}/Dt`) ?? text(entry, `${name}/DtTm`);
  if (raw === null) return null;
  const date = isoCalendarDate(raw);
  if (!date) throw new StatementParseError(`${path}/${name}`, `invalid date "${raw}"`);
  return date;
}

function bankCode(node: XmlNode): string | null {
  const domain = child(node, "BkTxCd/Domn");
  if (domain) return [text(domain, "Cd"), text(domain, "Fmly/Cd"), text(domain, "Fmly/SubFmlyCd")].filter(Boolean).join("/");
  return text(node, "BkTxCd/Prtry/Cd");
}

/** SEPA return / reversal sub-families (returned credit transfer, reversal). */
function isReturn(code: string | null): boolean {
  return !!code && /\/(RRTN|RPCR)$/.test(code);
}

function notProvided(value: string | null): string | null {
  return value && value !== "NOTPROVIDED" ? value : null;
}
