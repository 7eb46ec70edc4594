import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseCamt053, parseCamt054 } from "./camt";
import { parseCfonb120 } from "./cfonb";
import { CsvColumnMapping, parseCsvStatement, previewCsv } from "./csv";
import { decimalToMinor } from "./decimal";
import { parseOfx } from "./ofx";
import { detectFormat, parseStatement, transactionKey } from "./statement";
import { StatementParseError } from "./types";

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, "fixtures", name));
const day = (iso: string) => new Date(`${iso}T00:00:00.000Z`);
const csvMapping: CsvColumnMapping = {
  date: "Date opération",
  valueDate: "Date valeur",
  label: "Libellé",
  debit: "Débit",
  credit: "Crédit",
  counterparty: "Tiers",
  reference: "Référence",
  decimalSeparator: ",",
  dateFormat: "DD/MM/YYYY",
  accountId: "FR7630004000031234567890143",
  currency: "EUR",
};

function errorOf(run: () => unknown): StatementParseError {
  try {
    run();
  } catch (error) {
    if (error instanceof StatementParseError) return error;
    throw error;
  }
  throw new Error("expected a StatementParseError");
}

describe("decimalToMinor", () => {
  it("converts decimal text exactly, without floats", () => {
    expect(decimalToMinor("1234.56", "EUR")).toBe(123456);
    expect(decimalToMinor("0.1", "EUR")).toBe(10);
    expect(decimalToMinor("1 234,56", "EUR", ",")).toBe(123456);
    expect(decimalToMinor("-0,07", "EUR", ",")).toBe(-7);
    expect(decimalToMinor("1200", "JPY")).toBe(1200);
    expect(decimalToMinor("1.234", "BHD")).toBe(1234);
    expect(decimalToMinor("19.999", "EUR")).toBeNull();
    expect(decimalToMinor("12.500", "EUR")).toBe(1250);
    expect(decimalToMinor("abc", "EUR")).toBeNull();
  });
});

describe("camt.053.001.02 (French bank)", () => {
  const statement = parseCamt053(fixture("camt053-v02-bnp.xml"));

  it("reads the account, the statement date and every booked transaction (batch split, pending skipped)", () => {
    expect(statement).toMatchObject({
      format: "CAMT053",
      accountId: "FR7630004000031234567890143",
      currency: "EUR",
      statementDate: day("2024-03-15"),
    });
    expect(statement.transactions.map((t) => t.amount)).toEqual([125000, 84000, 30000, 15050, 4950, -1240, -24000]);
    expect(statement.transactions.map((t) => t.position)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("keeps the RF reference, the payer and its IBAN of an SCT", () => {
    expect(statement.transactions[0]).toMatchObject({
      entryRef: "0315A0001",
      counterpartyName: "ACME INDUSTRIE SAS",
      counterpartyIban: "FR7610278060000002045360123",
      structuredRef: "RF39ACME0001",
      endToEndId: "ACME-PAY-20240314-01",
      bankCode: "PMNT/RCDT/ESCT",
      bookingDate: day("2024-03-15"),
      valueDate: day("2024-03-15"),
      reversal: false,
    });
  });

  it("joins Ustrd lines and splits a batch into one transaction per TxDtls", () => {
    expect(statement.transactions[1]!.remittance).toBe("REGLEMENT FACT F-2024-0012 ET F-2024-0013 MERCI");
    expect(statement.transactions[1]!.endToEndId).toBeNull();
    expect(statement.transactions.slice(2, 5).map((t) => [t.entryRef, t.counterpartyName, t.remittance, t.structuredRef])).toEqual([
      ["0315A0003/BNP24075B0001", "GARAGE DU CENTRE SARL", "Facture n° 2024/0107", null],
      ["0315A0003/BNP24075B0002", "Mme Élodie Lefèvre", "ACOMPTE DOSSIER 4471", null],
      ["0315A0003/BNP24075B0003", "SCI LES TILLEULS", "", "RF43DUPONT0042"],
    ]);
  });

  it("marks the bank fee as a debit and the returned transfer as a reversal, with the creditor as counterparty", () => {
    expect(statement.transactions[5]).toMatchObject({
      amount: -1240,
      bankCode: "ACMT/MDOP/CHRG",
      remittance: "COMMISSION TENUE DE COMPTE MARS 2024",
      reversal: false,
    });
    expect(statement.transactions[6]).toMatchObject({
      amount: -24000,
      reversal: true,
      counterpartyName: "TRANSPORTS DURAND",
      valueDate: day("2024-03-14"),
    });
  });
});

describe("camt.053.001.08 and camt.054", () => {
  it("reads prefixed .08 elements: Sts/Cd, Dbtr/Pty/Nm, BookgDt/DtTm, TxDtls/Amt", () => {
    const statement = parseCamt053(fixture("camt053-v08.xml").toString("utf8"));
    expect(statement.accountId).toBe("FR7630003000705555555555512");
    expect(statement.transactions).toHaveLength(2);
    expect(statement.transactions[0]).toMatchObject({
      amount: 240000,
      bookingDate: day("2024-04-02"),
      counterpartyName: "Société Nouvelle des Établissements Petit",
      counterpartyIban: "BE68539007547034",
      structuredRef: "RF60C000123",
      endToEndId: "INV-2024-0042",
    });
    expect(statement.transactions[1]).toMatchObject({ entryRef: "SG0402-002", amount: -3599, counterpartyName: "ORANGE SA" });
  });

  it("reads a camt.054 notification", () => {
    const statement = parseCamt054(fixture("camt054.xml"));
    expect(statement.format).toBe("CAMT054");
    expect(statement.transactions).toEqual([
      expect.objectContaining({
        entryRef: "778812-1",
        amount: 61235,
        counterpartyName: "MENUISERIE ROUX EURL",
        counterpartyIban: "FR1420041010050500013M02606",
        remittance: "VIR FA 2024-0077 MENUISERIE ROUX",
        endToEndId: "FA20240077",
      }),
    ]);
  });

  it("refuses a camt.054 read as a camt.053 and an unknown namespace", () => {
    expect(errorOf(() => parseCamt053(fixture("camt054.xml"))).where).toBe("Document");
    const foreign = fixture("camt053-v08.xml").toString("utf8").replace("tech:xsd:camt.053.001.08", "tech:xsd:camt.053.001.99");
    expect(errorOf(() => parseCamt053(foreign)).message).toContain("unsupported namespace");
  });

  it("names the element of a bad amount and the line of broken XML", () => {
    const bad = fixture("camt053-v02-bnp.xml").toString("utf8").replace('<Amt Ccy="EUR">12.40</Amt>', '<Amt Ccy="EUR">12,40</Amt>');
    expect(errorOf(() => parseCamt053(bad)).where).toBe("Document/BkToCstmrStmt/Stmt[1]/Ntry[4]/Amt");
    const noSign = fixture("camt053-v02-bnp.xml")
      .toString("utf8")
      .replace("<CdtDbtInd>DBIT</CdtDbtInd>\n        <Sts>", "<CdtDbtInd>XX</CdtDbtInd>\n        <Sts>");
    expect(errorOf(() => parseCamt053(noSign)).where).toBe("Document/BkToCstmrStmt/Stmt[1]/Ntry[4]/CdtDbtInd");
    const broken = fixture("camt054.xml").toString("utf8").replace("</Ntry>", "</Ntryy>");
    expect(errorOf(() => parseCamt054(broken)).where).toMatch(/^line \d+$/);
  });

  it("refuses a batch whose transactions do not add up to the entry", () => {
    const bad = fixture("camt053-v02-bnp.xml").toString("utf8").replace('<Amt Ccy="EUR">49.50</Amt>', '<Amt Ccy="EUR">49.00</Amt>');
    expect(errorOf(() => parseCamt053(bad)).where).toBe("Document/BkToCstmrStmt/Stmt[1]/Ntry[3]/NtryDtls");
  });
});

describe("CFONB 120", () => {
  const statement = parseCfonb120(fixture("cfonb120.txt"));

  it("reads movements with their 05 complements (payer, IBAN, remittance, RF reference)", () => {
    expect(statement).toMatchObject({
      format: "CFONB120",
      accountId: "300040003100012345678",
      currency: "EUR",
      statementDate: day("2024-03-06"),
    });
    expect(statement.transactions.map((t) => t.amount)).toEqual([198000, -830, 45060]);
    expect(statement.transactions[0]).toMatchObject({
      bookingDate: day("2024-03-05"),
      counterpartyName: "TRANSPORTS DURAND ET CIE SAS",
      counterpartyIban: "FR7630003012340005000012345",
      endToEndId: "TD-PAY-88412",
      bankCode: "05",
      entryRef: null,
    });
    expect(statement.transactions[0]!.remittance).toContain("FACTURES FA-2024-0031 FA-2024-0035");
    expect(statement.transactions[2]).toMatchObject({
      counterpartyName: "PHARMACIE DU PORT SELARL",
      structuredRef: "RF18539007547034",
      bookingDate: day("2024-03-06"),
    });
  });

  it("reads the same records without line breaks", () => {
    const glued = fixture("cfonb120.txt").toString("latin1").replace(/\r\n/g, "");
    expect(parseCfonb120(glued).transactions).toEqual(statement.transactions);
  });

  it("names the line of a bad amount, a bad date, an orphan complement", () => {
    const lines = fixture("cfonb120.txt").toString("latin1").split("\r\n");
    const withAmount = [...lines];
    withAmount[6] = `${lines[6]!.slice(0, 103)}X${lines[6]!.slice(104)}`;
    expect(errorOf(() => parseCfonb120(withAmount.join("\r\n"))).where).toBe("line 7");
    const withDate = [...lines];
    withDate[1] = `${lines[1]!.slice(0, 34)}310224${lines[1]!.slice(40)}`;
    expect(errorOf(() => parseCfonb120(withDate.join("\r\n"))).message).toContain("booking date");
    expect(errorOf(() => parseCfonb120([lines[0], lines[2]].join("\n"))).where).toBe("line 2");
  });
});

describe("OFX", () => {
  it("reads SGML v1 (leaves without closing tags, comma decimals, dates with time zones)", () => {
    const statement = parseOfx(fixture("ofx-v1-sgml.ofx"));
    expect(statement).toMatchObject({
      format: "OFX",
      accountId: "182060004265432109876",
      currency: "EUR",
      statementDate: day("2024-04-09"),
    });
    expect(
      statement.transactions.map((t) => [t.entryRef, t.amount, t.bookingDate.toISOString().slice(0, 10), t.counterpartyName, t.remittance]),
    ).toEqual([
      ["2024040200017", 198000, "2024-04-02", "VIR SEPA BOULANGERIE MARTIN", "FACT F2024-0012 + F2024-0013"],
      ["2024040300004", -4590, "2024-04-03", "PRLV SEPA EDF", "ECHEANCE AVRIL & REGUL"],
      ["2024040800022", 32000, "2024-04-08", "M DUPONT JEAN", "RF43DUPONT0042"],
    ]);
  });

  it("reads XML v2 through the XML parser", () => {
    const statement = parseOfx(fixture("ofx-v2.ofx"));
    expect(statement.transactions).toEqual([
      expect.objectContaining({
        entryRef: "CIC-0502-0001",
        amount: 61235,
        counterpartyName: "MENUISERIE ROUX",
        remittance: "FA 2024-0077",
      }),
    ]);
  });

  it("names the transaction of a bad amount and the line of an unclosed aggregate", () => {
    const bad = fixture("ofx-v1-sgml.ofx").toString("latin1").replace("<TRNAMT>-45.90", "<TRNAMT>-45.9O");
    expect(errorOf(() => parseOfx(bad)).where).toBe("OFX/BANKMSGSRSV1/STMTTRNRS[1]/STMTRS/BANKTRANLIST/STMTTRN[2]/TRNAMT");
    // A missing closing tag of an inner aggregate is repaired by the next outer one; the outermost one is not.
    const unclosed = fixture("ofx-v1-sgml.ofx").toString("latin1").replace("</OFX>", "");
    expect(errorOf(() => parseOfx(unclosed)).where).toBe("line 11");
  });
});

describe("CSV with a column mapping", () => {
  it("reads credit/debit columns, French amounts and dates, quoted labels", () => {
    const statement = parseCsvStatement(fixture("statement.csv"), csvMapping);
    expect(
      statement.transactions.map((t) => [t.amount, t.bookingDate.toISOString().slice(0, 10), t.counterpartyName, t.remittance]),
    ).toEqual([
      [125000, "2024-03-05", "ACME INDUSTRIE SAS", "VIR SEPA RECU FACTURE F-2024-0012 E2E-778"],
      [-183047, "2024-03-05", "URSSAF", "PRLV SEPA URSSAF; COTISATIONS"],
      [4990, "2024-03-06", "Jean Dupont", "VIR INST RECU RF39ACME0001"],
    ]);
    expect(statement.transactions[2]!.valueDate).toEqual(day("2024-03-07"));
  });

  it("reads a signed amount column and names the line of a bad value", () => {
    const csv = "date,amount,label\n2024-03-01,12.50,A\n2024-03-02,-3.10,B\n2024-03-03,1O.00,C\n";
    const mapping: CsvColumnMapping = {
      date: "date",
      amount: "amount",
      label: "label",
      decimalSeparator: ".",
      dateFormat: "YYYY-MM-DD",
      accountId: "X",
      currency: "EUR",
    };
    const error = errorOf(() => parseCsvStatement(csv, mapping));
    expect(error.where).toBe("line 4");
    expect(parseCsvStatement(csv.split("\n").slice(0, 3).join("\n"), mapping).transactions.map((t) => t.amount)).toEqual([1250, -310]);
    expect(errorOf(() => parseCsvStatement(csv, { ...mapping, label: "libellé" })).message).toContain('no column "libellé"');
  });

  it("previews the header and first rows for the mapping screen, and reads the payer's IBAN column", () => {
    const csv = "Date;Libellé;Montant;IBAN émetteur\n05/03/2024;VIR FACT 12;1 250,00;fr76 3000 4000\n06/03/2024;PRLV;-12,00;\n";
    expect(previewCsv(csv, 1)).toEqual({
      delimiter: ";",
      headers: ["Date", "Libellé", "Montant", "IBAN émetteur"],
      rows: [["05/03/2024", "VIR FACT 12", "1 250,00", "fr76 3000 4000"]],
    });
    const mapping: CsvColumnMapping = {
      date: "date",
      amount: "montant",
      label: "libelle",
      iban: "IBAN émetteur",
      decimalSeparator: ",",
      dateFormat: "DD/MM/YYYY",
      accountId: "X",
      currency: "EUR",
    };
    expect(parseCsvStatement(csv, mapping).transactions.map((t) => [t.amount, t.counterpartyIban])).toEqual([
      [125000, "FR7630004000"],
      [-1200, null],
    ]);
    const bad = errorOf(() => parseCsvStatement(csv, { ...mapping, dateFormat: "YYYY-MM-DD" }));
    expect([bad.where, bad.message]).toEqual(["line 2", 'line 2: invalid date "05/03/2024" in column "date" (expected YYYY-MM-DD)']);
  });
});

describe("detectFormat, parseStatement and transactionKey", () => {
  it("recognises every fixture by its content", () => {
    expect(detectFormat("text/xml", fixture("camt053-v02-bnp.xml"))).toBe("CAMT053");
    expect(detectFormat(null, fixture("camt053-v08.xml"))).toBe("CAMT053");
    expect(detectFormat("application/octet-stream", fixture("camt054.xml"))).toBe("CAMT054");
    expect(detectFormat(null, fixture("cfonb120.txt"))).toBe("CFONB120");
    expect(detectFormat(null, fixture("ofx-v1-sgml.ofx"))).toBe("OFX");
    expect(detectFormat(null, fixture("ofx-v2.ofx"))).toBe("OFX");
    expect(detectFormat("text/csv", fixture("statement.csv"))).toBe("CSV");
    expect(detectFormat("application/pdf", "%PDF-1.7")).toBeNull();
  });

  it("gives the same keys when a file is parsed again, distinct keys within a file", () => {
    for (const name of [
      "camt053-v02-bnp.xml",
      "camt053-v08.xml",
      "camt054.xml",
      "cfonb120.txt",
      "ofx-v1-sgml.ofx",
      "ofx-v2.ofx",
      "statement.csv",
    ]) {
      const format = detectFormat(null, fixture(name))!;
      const keys = () => parseStatement(format, fixture(name), csvMapping).transactions.map(transactionKey);
      const first = keys();
      expect(keys(), name).toEqual(first);
      expect(new Set(first).size, name).toBe(first.length);
    }
  });

  it("keys on the entry reference within the account, else on a hash including the position", () => {
    const [tx] = parseCamt054(fixture("camt054.xml")).transactions;
    expect(transactionKey(tx!)).toBe("ref:FR7618206000001234567890112:778812-1");
    const noRef = { ...tx!, entryRef: null };
    expect(transactionKey(noRef)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(transactionKey({ ...noRef, position: 2 })).not.toBe(transactionKey(noRef));
  });
});
