import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { addDays, startOfDayUTC } from "~/domain/clock";
import { startStaffSession } from "~/utils/staff-session.server";
import { makeCreditor, makeDebtor, makeInvoice } from "../testing/factories";
import { useTestDatabase } from "../testing/db";
import { action as bankAction, loader as bankLoader, meta } from "./app.bank";
import { action, loader } from "./app.bank_.imports.$importId.mapping";

/** A bank CSV with no saved mapping: kept, its first rows shown, columns mapped by staff, the file run again; errors name the line and column. */
process.env.DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), "relance-bank-mapping-"));
const database = useTestDatabase();
const NOW = new Date();
const DUE = startOfDayUTC(addDays(NOW, -20));
const CSV =
  "Date;Libellé;Montant;Nom;IBAN\n05/03/2026;VIR FACTURE MAP-0001;1 250,00;ACME SAS;FR76 3000 4000 0100\n06/03/2026;FRAIS;-12,00;BANQUE;\n";

async function tenant() {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db);
  const user = await db.user.create({
    data: { creditorId: creditor.id, email: `agent-${creditor.id}@example.test`, name: "Claire", role: "AGENT" },
  });
  const cookie = (await startStaffSession(user, new Request("http://localhost/login"))).split(";")[0]!;
  const debtor = await makeDebtor(db, creditor.id, { name: "Acme SAS" });
  const invoice = await makeInvoice(
    db,
    { creditorId: creditor.id, debtorId: debtor.id, policy },
    { dueDate: DUE, amount: 1250_00, now: addDays(DUE, -30), number: "MAP-0001" },
  );
  return { db, creditor, cookie, invoice };
}

const upload = (cookie: string, text: string) => {
  const form = new FormData();
  form.set("file", new File([text], "export.csv", { type: "text/csv" }));
  return new Request("http://localhost/app/bank", { method: "POST", body: form, headers: { Cookie: cookie } });
};
const args = (request: Request, importId = "") => ({ request, params: { importId }, context: {} });
const post = (cookie: string, importId: string, form: Record<string, string>) =>
  new Request(`http://localhost/app/bank/imports/${importId}/mapping`, {
    method: "POST",
    body: new URLSearchParams(form),
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
  });

describe("CSV column mapping", () => {
  it("asks for the columns of an unknown CSV, names the line of a bad date, then imports it and keeps the mapping for the next file", async () => {
    const a = await tenant();
    const sent = (await bankAction(args(upload(a.cookie, CSV)))) as Response;
    expect(sent.status).toBe(302);
    const importId = /\/app\/bank\/imports\/([^/]+)\/mapping$/.exec(sent.headers.get("Location") ?? "")?.[1];
    expect(importId).toBeTruthy();
    const listed = await (await bankLoader(args(new Request("http://localhost/app/bank", { headers: { Cookie: a.cookie } })))).json();
    expect(listed.imports[0]).toMatchObject({ id: importId, needsMapping: true });

    const page = await (
      await loader(args(new Request(`http://localhost/app/bank/imports/${importId}/mapping`, { headers: { Cookie: a.cookie } }), importId))
    ).json();
    expect(page.preview.headers).toEqual(["Date", "Libellé", "Montant", "Nom", "IBAN"]);
    expect(page.preview.rows[0]).toEqual(["05/03/2026", "VIR FACTURE MAP-0001", "1 250,00", "ACME SAS", "FR76 3000 4000 0100"]);
    expect(page.defaults).toMatchObject({ date: "Date", label: "Libellé", amount: "Montant", iban: "IBAN", amountMode: "signed" });

    const base = {
      name: "Ma banque",
      date: "Date",
      amountMode: "signed",
      amount: "Montant",
      label: "Libellé",
      counterparty: "Nom",
      iban: "IBAN",
      dateFormat: "DD/MM/YYYY",
      decimalSeparator: ",",
      accountId: "FR76 3000 3000 0000 0000 0000 001",
      currency: "eur",
    };
    // Missing columns: said next to each field, the other choices kept.
    const missing = (await action(
      args(post(a.cookie, importId!, { ...base, label: "", amountMode: "split", amount: "" }), importId!),
    )) as Response;
    expect(missing.status).toBe(400);
    const reply = await missing.json();
    expect(reply.errors).toMatchObject({
      label: ["bank.mapping.error.required"],
      credit: ["bank.mapping.error.required"],
      debit: ["bank.mapping.error.required"],
    });
    expect(reply.values.counterparty).toBe("Nom");

    // A date format that does not fit: the parser names the line and the column; nothing imported.
    const wrong = (await action(args(post(a.cookie, importId!, { ...base, dateFormat: "YYYY-MM-DD" }), importId!))) as Response;
    expect(wrong.status).toBe(422);
    expect((await wrong.json()).fileError).toBe('line 2: invalid date "05/03/2026" in column "Date" (expected YYYY-MM-DD)');
    expect(await a.db.bankTransaction.count({ where: { creditorId: a.creditor.id } })).toBe(0);

    const ok = (await action(args(post(a.cookie, importId!, base), importId!))) as Response;
    expect(ok.status).toBe(302);
    const done = await a.db.bankStatementImport.findUniqueOrThrow({ where: { id: importId! } });
    expect([done.status, done.format, done.transactions, done.newCount, done.applied, done.ignored]).toEqual(["DONE", "CSV", 2, 2, 1, 1]);
    const entry = await a.db.bankTransaction.findFirstOrThrow({ where: { creditorId: a.creditor.id, amount: { gt: 0 } } });
    expect([entry.counterpartyIban, entry.accountId, entry.currency]).toEqual(["FR76300040000100", "FR7630003000000000000000001", "EUR"]);
    expect((await a.db.invoice.findUniqueOrThrow({ where: { id: a.invoice.id } })).status).toBe("PAID");
    const mapping = await a.db.bankCsvMapping.findFirstOrThrow({ where: { creditorId: a.creditor.id } });
    expect([mapping.name, mapping.isDefault]).toEqual(["Ma banque", true]);

    // The next export of the same bank goes straight in with the saved mapping.
    const next = (await bankAction(args(upload(a.cookie, CSV.replace("05/03/2026", "07/03/2026"))))) as Response;
    expect(next.status).toBe(200);
    expect(await next.json()).toMatchObject({ ok: "bank.upload.result", vars: { transactions: 2, new: 1 } });
  });

  it("while an import waits or runs, /app/bank says so and reloads itself (meta refresh, no JavaScript); not once it is done", async () => {
    const a = await tenant();
    const row = await a.db.bankStatementImport.create({
      data: {
        creditorId: a.creditor.id,
        format: "CAMT053",
        contentType: "application/xml",
        fileName: "big.xml",
        status: "RUNNING",
        transactions: 900,
        newCount: 900,
        applied: 300,
        suggested: 20,
      },
    });
    const get = () => new Request("http://localhost/app/bank", { headers: { Cookie: a.cookie } });
    const running = await (await bankLoader(args(get()))).json();
    expect(running.importsRunning).toBe(true);
    expect(running.imports[0]).toMatchObject({ status: "RUNNING", newCount: 900, applied: 300, suggested: 20 });
    const tags = (data: unknown) => meta({ data, matches: [], params: {}, location: {} as never } as never) as Record<string, string>[];
    expect(tags(running)).toContainEqual({ httpEquiv: "refresh", content: "3" });
    await a.db.bankStatementImport.update({ where: { id: row.id }, data: { status: "DONE" } });
    const done = await (await bankLoader(args(get()))).json();
    expect(done.importsRunning).toBe(false);
    expect(tags(done).some((t) => t.httpEquiv === "refresh")).toBe(false);
  });
});
