import { calendarDate, decimalToMinor, decodeText } from "./decimal";
import { BankTransactionInput, ParsedStatement, StatementParseError } from "./types";
import { child, children, parseXml, text, XmlNode } from "./xml";

/**
 * OFX bank statements: v1 (SGML: leaf elements have no closing tag) read by
 * a small tolerant tokenizer, v2 (XML) by fast-xml-parser. Both give the
 * same tree shape (children by name, always arrays) so one reader serves.
 */
export function parseOfx(input: string | Uint8Array): ParsedStatement {
  const raw = decodeText(input);
  const start = raw.search(/<OFX>/i);
  if (start < 0) throw new StatementParseError("line 1", "no <OFX> element");
  const isXml = /^\s*<\?xml/.test(raw) || /<\?OFX/.test(raw.slice(0, start));
  let root: XmlNode;
  if (isXml) {
    const doc = parseXml(raw);
    if (doc.name !== "OFX") throw new StatementParseError(doc.name, "the root element must be OFX");
    root = doc.node;
  } else {
    root = parseSgml(raw, start);
  }
  return readStatement(root);
}

type Open = { name: string; node: { [name: string]: XmlNode[] }; line: number };

function parseSgml(raw: string, start: number): XmlNode {
  const top: Open = { name: "#document", node: {}, line: 1 };
  const stack: Open[] = [top];
  const tag = /<(\/?)([A-Za-z0-9_.]+)>([^<]*)/g;
  tag.lastIndex = start;
  let lastLeaf: string | null = null;
  let match: RegExpExecArray | null;
  let consumed = start;
  while ((match = tag.exec(raw))) {
    if (match.index !== consumed && raw.slice(consumed, match.index).trim()) {
      throw new StatementParseError(`line ${lineAt(raw, consumed)}`, "text outside of an element");
    }
    consumed = tag.lastIndex;
    const [, closing, rawName = "", after = ""] = match;
    const name = rawName.toUpperCase();
    const line = lineAt(raw, match.index);
    const value = after.trim();
    const current = stack[stack.length - 1] ?? top;
    if (closing) {
      if (lastLeaf === name) {
        lastLeaf = null;
        continue;
      }
      const at = stack.map((o) => o.name).lastIndexOf(name);
      if (at <= 0) throw new StatementParseError(`line ${line}`, `closing tag </${name}> without its opening tag`);
      stack.length = at;
      lastLeaf = null;
      continue;
    }
    if (value) {
      // A leaf: "<TRNAMT>-12.50", closing tag optional.
      (current.node[name] ??= []).push(decodeEntities(value));
      lastLeaf = name;
    } else {
      const node: { [name: string]: XmlNode[] } = {};
      (current.node[name] ??= []).push(node);
      stack.push({ name, node, line });
      lastLeaf = null;
    }
  }
  const unclosed = stack[1];
  if (unclosed) throw new StatementParseError(`line ${unclosed.line}`, `<${unclosed.name}> is never closed`);
  return top.node;
}

function lineAt(raw: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (raw.charCodeAt(i) === 10) line++;
  return line;
}

function decodeEntities(value: string): string {
  return value
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}

function readStatement(doc: XmlNode): ParsedStatement {
  const ofx = children(doc, "OFX")[0] ?? doc;
  const bank = children(child(ofx, "BANKMSGSRSV1"), "STMTTRNRS").map((r) => ({
    rs: child(r, "STMTRS"),
    acct: "BANKACCTFROM",
    base: "OFX/BANKMSGSRSV1/STMTTRNRS",
  }));
  const card = children(child(ofx, "CREDITCARDMSGSRSV1"), "CCSTMTTRNRS").map((r) => ({
    rs: child(r, "CCSTMTRS"),
    acct: "CCACCTFROM",
    base: "OFX/CREDITCARDMSGSRSV1/CCSTMTTRNRS",
  }));
  const statements = [...bank, ...card];
  if (statements.length === 0)
    throw new StatementParseError("OFX", "no BANKMSGSRSV1/STMTTRNRS or CREDITCARDMSGSRSV1/CCSTMTTRNRS statement");
  const transactions: BankTransactionInput[] = [];
  let accountId = "";
  let currency = "";
  let statementDate: Date | null = null;
  statements.forEach(({ rs, acct, base }, s) => {
    const path = `${base}[${s + 1}]`;
    if (!rs) throw new StatementParseError(path, "missing STMTRS");
    const stmtCurrency = text(rs, "CURDEF");
    if (!stmtCurrency || !/^[A-Z]{3}$/.test(stmtCurrency))
      throw new StatementParseError(`${path}/STMTRS/CURDEF`, "missing or invalid currency");
    const from = child(rs, acct);
    const account = [text(from, "BANKID"), text(from, "BRANCHID"), text(from, "ACCTID")].filter(Boolean).join("");
    if (!text(from, "ACCTID")) throw new StatementParseError(`${path}/STMTRS/${acct}/ACCTID`, "missing account id");
    if (s === 0) {
      accountId = account;
      currency = stmtCurrency;
      const end = text(rs, "BANKTRANLIST/DTEND");
      statementDate = end ? readDate(end, `${path}/STMTRS/BANKTRANLIST/DTEND`) : null;
    }
    children(child(rs, "BANKTRANLIST"), "STMTTRN").forEach((trn, t) => {
      const trnPath = `${path}/STMTRS/BANKTRANLIST/STMTTRN[${t + 1}]`;
      const txCurrency = text(trn, "CURRENCY/CURSYM") ?? stmtCurrency;
      const rawAmount = text(trn, "TRNAMT");
      // French banks' OFX often write "1234,56".
      const amount =
        rawAmount && /^[+-]?\d+([.,]\d+)?$/.test(rawAmount)
          ? decimalToMinor(rawAmount, txCurrency, rawAmount.includes(",") ? "," : ".")
          : null;
      if (amount === null) throw new StatementParseError(`${trnPath}/TRNAMT`, `invalid amount "${rawAmount ?? ""}"`);
      const posted = text(trn, "DTPOSTED");
      if (!posted) throw new StatementParseError(`${trnPath}/DTPOSTED`, "missing posting date");
      const name = text(trn, "NAME") ?? text(trn, "PAYEE/NAME");
      const memo = text(trn, "MEMO");
      const type = text(trn, "TRNTYPE");
      transactions.push({
        entryRef: text(trn, "FITID"),
        accountId: account,
        bookingDate: readDate(posted, `${trnPath}/DTPOSTED`),
        valueDate: text(trn, "DTAVAIL") ? readDate(text(trn, "DTAVAIL")!, `${trnPath}/DTAVAIL`) : null,
        amount,
        currency: txCurrency,
        counterpartyName: name,
        counterpartyIban: null,
        remittance: [memo, text(trn, "CHECKNUM") ? `CHQ ${text(trn, "CHECKNUM")}` : null].filter(Boolean).join(" "),
        endToEndId: null,
        structuredRef: null,
        bankCode: type,
        reversal: false,
        position: transactions.length + 1,
      });
    });
  });
  return { format: "OFX", accountId, currency, statementDate, transactions };
}

/** OFX dates: YYYYMMDD[HHMMSS[.XXX]][[-5:EST]] — the calendar date as written. */
function readDate(value: string, where: string): Date {
  const match = /^(\d{4})(\d{2})(\d{2})/.exec(value);
  const date = match ? calendarDate(Number(match[1]), Number(match[2]), Number(match[3])) : null;
  if (!date) throw new StatementParseError(where, `invalid date "${value}"`);
  return date;
}
