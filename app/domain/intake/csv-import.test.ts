import {
  cellReader,
  detectDelimiter,
  guessMapping,
  missingMappings,
  parseAmount,
  parseDate,
  validateRow,
  type ImportMapping,
} from "./csv-import";

describe("guessMapping", () => {
  it("recognises French headers, accents and punctuation included", () => {
    const headers = [
      "Code client",
      "Raison sociale",
      "Courriel",
      "N° facture",
      "Date facture",
      "Date d'échéance",
      "Montant TTC",
      "Devise",
      "Type client",
      "Langue",
    ];
    expect(guessMapping(headers)).toEqual({
      debtorRef: "Code client",
      debtorName: "Raison sociale",
      debtorEmail: "Courriel",
      invoiceNumber: "N° facture",
      issueDate: "Date facture",
      dueDate: "Date d'échéance",
      amount: "Montant TTC",
      currency: "Devise",
      debtorKind: "Type client",
      debtorLanguage: "Langue",
    });
  });

  it("recognises English headers and leaves unknown columns out", () => {
    const mapping = guessMapping(["Customer ID", "Customer name", "Invoice No", "Invoice date", "Due date", "Amount", "Currency", "Notes"]);
    expect(mapping).toEqual({
      debtorRef: "Customer ID",
      debtorName: "Customer name",
      invoiceNumber: "Invoice No",
      issueDate: "Invoice date",
      dueDate: "Due date",
      amount: "Amount",
      currency: "Currency",
    });
    expect(missingMappings(mapping)).toEqual([]);
    expect(missingMappings({ amount: "Amount" })).toEqual(["debtorRef", "debtorName", "invoiceNumber", "issueDate", "dueDate"]);
  });

  it("prefers the longest match: 'Date d'échéance facture' is a due date", () => {
    expect(guessMapping(["Date emission", "Date d'échéance facture"])).toEqual({
      issueDate: "Date emission",
      dueDate: "Date d'échéance facture",
    });
  });
});

describe("parsing", () => {
  it("reads amounts in French and English notation into minor units", () => {
    expect(parseAmount("1 234,56", "EUR")).toBe(123456);
    expect(parseAmount("1\u202f234,56 €", "EUR")).toBe(123456);
    expect(parseAmount("1234.56", "EUR")).toBe(123456);
    expect(parseAmount("1234", "EUR")).toBe(123400);
    expect(parseAmount("1500", "JPY")).toBe(1500);
    expect(parseAmount("12,345", "EUR")).toBeNull();
    expect(parseAmount("abc", "EUR")).toBeNull();
  });

  it("reads DD/MM/YYYY and YYYY-MM-DD, refusing impossible dates", () => {
    expect(parseDate("31/03/2026")).toEqual(new Date("2026-03-31T00:00:00Z"));
    expect(parseDate("2026-03-31")).toEqual(new Date("2026-03-31T00:00:00Z"));
    expect(parseDate("1/3/2026")).toEqual(new Date("2026-03-01T00:00:00Z"));
    expect(parseDate("31/02/2026")).toBeNull();
    expect(parseDate("2026-13-01")).toBeNull();
    expect(parseDate("03/31/2026")).toBeNull();
    expect(parseDate("hier")).toBeNull();
  });

  it("detects the separator from the header line", () => {
    expect(detectDelimiter("a;b;c")).toBe(";");
    expect(detectDelimiter("a,b,c")).toBe(",");
    expect(detectDelimiter("a\tb\tc")).toBe("\t");
    expect(detectDelimiter("single")).toBe(",");
  });
});

describe("validateRow", () => {
  const headers = ["ref", "name", "num", "issue", "due", "amount", "cur", "email", "kind", "lang"];
  const mapping: ImportMapping = {
    debtorRef: "ref",
    debtorName: "name",
    invoiceNumber: "num",
    issueDate: "issue",
    dueDate: "due",
    amount: "amount",
    currency: "cur",
    debtorEmail: "email",
    debtorKind: "kind",
    debtorLanguage: "lang",
  };
  const read = cellReader(headers, mapping);
  const check = (record: string[], line = 7) => validateRow((f) => read(record, f), line, { currency: "EUR" });
  const good = ["C1", "ACME", "F-1", "01/03/2026", "31/03/2026", "1 200,00", "", "Compta@Acme.test", "particulier", "EN"];
  const codes = (record: string[], line = 7) => {
    const r = check(record, line);
    return r.ok ? [] : r.errors.map((e) => [e.line, e.field, e.code]);
  };
  const withCell = (i: number, value: string) => good.map((v, j) => (j === i ? value : v));

  it("accepts a good row, filling defaults", () => {
    const r = check(good);
    expect(r).toEqual({
      ok: true,
      row: {
        line: 7,
        debtorRef: "C1",
        debtorName: "ACME",
        debtorKind: "CONSUMER",
        debtorEmail: "compta@acme.test",
        debtorLanguage: "en",
        invoiceNumber: "F-1",
        issueDate: new Date("2026-03-01T00:00:00Z"),
        dueDate: new Date("2026-03-31T00:00:00Z"),
        amount: 120000,
        currency: "EUR",
      },
    });
  });

  it("reports each problem with its line number", () => {
    expect(codes(withCell(0, ""), 12)).toEqual([[12, "debtorRef", "required"]]);
    expect(codes(withCell(2, "  "), 3)).toEqual([[3, "invoiceNumber", "required"]]);
    expect(codes(withCell(5, "12,3,4"), 4)).toEqual([[4, "amount", "amount_format"]]);
    expect(codes(withCell(5, "-5"), 5)).toEqual([[5, "amount", "amount_not_positive"]]);
    expect(codes(withCell(5, "0"), 6)).toEqual([[6, "amount", "amount_not_positive"]]);
    expect(codes(withCell(3, "2026/03/01"), 8)).toEqual([[8, "issueDate", "date_format"]]);
    expect(codes(withCell(4, "28/02/2026"), 9)).toEqual([[9, "dueDate", "due_before_issue"]]);
    expect(codes(withCell(6, "ZZZ"), 10)).toEqual([[10, "currency", "currency_unknown"]]);
    expect(codes(withCell(7, "not-an-email"), 11)).toEqual([[11, "debtorEmail", "email_invalid"]]);
    expect(codes(withCell(8, "alien"), 13)).toEqual([[13, "debtorKind", "kind_unknown"]]);
    expect(codes(withCell(9, "de"), 14)).toEqual([[14, "debtorLanguage", "language_unknown"]]);
    expect(codes(withCell(1, "x".repeat(201)), 15)).toEqual([[15, "debtorName", "too_long"]]);
  });

  it("reports several problems of one row together", () => {
    expect(codes(["", "", "F-1", "", "nope", "", "EUR"], 2)).toEqual([
      [2, "debtorRef", "required"],
      [2, "debtorName", "required"],
      [2, "amount", "required"],
      [2, "issueDate", "required"],
      [2, "dueDate", "date_format"],
    ]);
  });
});
