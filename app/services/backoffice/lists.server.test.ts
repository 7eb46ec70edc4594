import { addDays, startOfDayUTC } from "~/domain/clock";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { useTestDatabase } from "../../testing/db";
import { exportDebtorsCsv, listDebtors, parseDebtorFilters } from "./debtors.server";
import { exportInvoicesCsv, listInvoices, parseInvoiceFilters } from "./invoices.server";

const database = useTestDatabase();
const NOW = new Date("2026-04-02T10:00:00Z");
const TODAY = startOfDayUTC(NOW);

async function tenant(label: string) {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db);
  const alpha = await makeDebtor(db, creditor.id, { name: `Alpha ${label}`, riskSegment: "GOOD" });
  const beta = await makeDebtor(db, creditor.id, { name: `Beta ${label}`, riskSegment: "LATE_PAYER" });
  const gamma = await makeDebtor(db, creditor.id, { name: `Gamma ${label}` });
  const ctx = (debtorId: string) => ({ creditorId: creditor.id, debtorId, policy });
  const small = await makeInvoice(db, ctx(alpha.id), { dueDate: addDays(TODAY, 10), amount: 50_00, now: NOW, number: `${label}-1` });
  const big = await makeInvoice(db, ctx(beta.id), { dueDate: addDays(TODAY, -20), amount: 2_500_00, now: NOW, number: `${label}-2` });
  const mid = await makeInvoice(db, ctx(alpha.id), { dueDate: addDays(TODAY, -5), amount: 1_234_56, now: NOW, number: `${label}-3` });
  return { db, creditor, alpha, beta, gamma, small, big, mid };
}

const invoiceIds = async (t: Awaited<ReturnType<typeof tenant>>, query: string) =>
  (await listInvoices(t.db, t.creditor.id, parseInvoiceFilters(new URLSearchParams(query)), NOW)).rows.map((r) => r.number);
const debtorNames = async (t: Awaited<ReturnType<typeof tenant>>, query: string) =>
  (await listDebtors(t.db, t.creditor.id, parseDebtorFilters(new URLSearchParams(query)), NOW)).debtors.map((d) => d.name);

const invoiceWords = {
  header: ["N°", "Client", "Réf", "Date", "Échéance", "Montant", "Payé", "Avoirs", "Reste dû", "Devise", "Statut", "Étape"],
  status: (s: string) => `statut ${s}`,
  stage: () => "étape",
  decimal: "," as const,
};

describe("back-office invoice list: order, filters, export", () => {
  it("sorts by amount both ways and by debtor, from ?sort=&dir=", async () => {
    const t = await tenant("S");
    expect(await invoiceIds(t, "sort=amount&dir=asc")).toEqual(["S-1", "S-3", "S-2"]);
    expect(await invoiceIds(t, "sort=amount&dir=desc")).toEqual(["S-2", "S-3", "S-1"]);
    expect(await invoiceIds(t, "sort=debtor&dir=desc")).toEqual(["S-2", "S-3", "S-1"]);
    // Default: oldest due date first.
    expect(await invoiceIds(t, "")).toEqual(["S-2", "S-3", "S-1"]);
  });

  it("filters overdue only and by an amount range typed in French", async () => {
    const t = await tenant("F");
    expect(await invoiceIds(t, "overdue=1")).toEqual(["F-2", "F-3"]);
    expect(await invoiceIds(t, "min=1 000&max=2000")).toEqual(["F-3"]);
    expect(await invoiceIds(t, "min=1234,56&sort=amount")).toEqual(["F-3", "F-2"]);
    expect(await invoiceIds(t, "overdue=1&q=beta")).toEqual(["F-2"]);
  });

  it("the CSV has the header, decimal amounts with their currency, the list's order, and never another creditor's invoice", async () => {
    const mine = await tenant("M");
    await tenant("T");
    const csv = await exportInvoicesCsv(
      mine.db,
      mine.creditor.id,
      parseInvoiceFilters(new URLSearchParams("sort=amount&dir=desc")),
      NOW,
      invoiceWords,
    );
    const lines = csv
      .replace(/^\uFEFF/, "")
      .trimEnd()
      .split("\r\n");
    expect(csv.startsWith("\uFEFF")).toBe(true);
    expect(lines[0]).toBe(invoiceWords.header.join(";"));
    expect(lines.slice(1).map((l) => l.split(";")[0])).toEqual(["M-2", "M-3", "M-1"]);
    expect(lines[2]!.split(";").slice(5, 10)).toEqual(["1234,56", "0,00", "0,00", "1234,56", "EUR"]);
    expect(csv).not.toContain("T-");
    expect(csv).not.toContain("Alpha T");
    // A debtor id of another creditor in the filters finds nothing rather than their invoices.
    const theirs = await exportInvoicesCsv(mine.db, mine.creditor.id, { debtorId: (await tenant("U")).alpha.id }, NOW, invoiceWords);
    expect(theirs.trimEnd().split("\r\n")).toHaveLength(1);
  });
});

describe("back-office debtor list: order, filters, export", () => {
  it("sorts by open balance and by name, filters by segment, overdue and balance range", async () => {
    const t = await tenant("D");
    expect(await debtorNames(t, "sort=balance&dir=desc")).toEqual(["Beta D", "Alpha D", "Gamma D"]);
    expect(await debtorNames(t, "sort=balance&dir=asc")).toEqual(["Gamma D", "Alpha D", "Beta D"]);
    expect(await debtorNames(t, "sort=name&dir=desc")).toEqual(["Gamma D", "Beta D", "Alpha D"]);
    expect(await debtorNames(t, "segment=LATE_PAYER")).toEqual(["Beta D"]);
    expect(await debtorNames(t, "overdue=1")).toEqual(["Alpha D", "Beta D"]);
    expect(await debtorNames(t, "min=1000&max=2000")).toEqual(["Alpha D"]);
    expect(await debtorNames(t, "q=gam")).toEqual(["Gamma D"]);
    // LIKE wildcards typed in the search are literal.
    expect(await debtorNames(t, "q=%25")).toEqual([]);
  });

  it("the CSV lists this creditor's debtors only, with their balance as a decimal and the currency", async () => {
    const mine = await tenant("E");
    await tenant("O");
    const csv = await exportDebtorsCsv(mine.db, mine.creditor.id, parseDebtorFilters(new URLSearchParams("sort=balance&dir=desc")), NOW, {
      header: ["Client", "Réf", "E-mail", "Profil", "Factures", "Reste dû", "Devise"],
      segment: (s) => s.toLowerCase(),
      decimal: ",",
    });
    const lines = csv
      .replace(/^\uFEFF/, "")
      .trimEnd()
      .split("\r\n");
    expect(lines[0]).toBe("Client;Réf;E-mail;Profil;Factures;Reste dû;Devise");
    expect(lines.slice(1).map((l) => l.split(";")[0])).toEqual(["Beta E", "Alpha E", "Gamma E"]);
    expect(lines[2]!.split(";").slice(3)).toEqual(["good", "2", "1284,56", "EUR"]);
    expect(lines[3]!.split(";").slice(4)).toEqual(["0", "0,00", "EUR"]);
    expect(csv).not.toContain(" O;");
  });
});
