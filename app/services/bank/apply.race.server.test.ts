import { addDays, isoDay, startOfDayUTC } from "~/domain/clock";
import { isPostgresUrl } from "~/utils/db.server";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { useTestDatabase } from "../../testing/db";
import { confirmBankMatch, type BankMatchPart } from "./apply.server";
import { importStatement } from "./imports.server";
import { camt053 } from "./test-support";

const database = useTestDatabase();
const NOW = new Date();

describe.skipIf(!isPostgresUrl(process.env.DATABASE_URL))("confirming a bank match concurrently (PostgreSQL)", () => {
  it("10 staff confirming the same transaction at once book one payment", async () => {
    const db = database.get().prisma;
    const { creditor, policy } = await makeCreditor(db);
    const user = await db.user.create({ data: { creditorId: creditor.id, email: `${creditor.slug}@staff.test`, name: "Claire" } });
    const debtor = await makeDebtor(db, creditor.id, { name: "Garage Dupont" });
    const other = await makeDebtor(db, creditor.id, { name: "Atelier Durand" });
    const due = startOfDayUTC(addDays(NOW, -20));
    const invoice = await makeInvoice(
      db,
      { creditorId: creditor.id, debtorId: debtor.id, policy },
      { dueDate: due, amount: 150_00, now: addDays(due, -30) },
    );
    await makeInvoice(
      db,
      { creditorId: creditor.id, debtorId: other.id, policy },
      { dueDate: due, amount: 150_00, now: addDays(due, -30) },
    );
    const file = camt053([{ ref: "R1", amount: 150_00, payer: "INCONNU", text: "VIREMENT", date: isoDay(addDays(NOW, -1)) }]);
    await db.$transaction((tx) =>
      importStatement(tx, {
        creditorId: creditor.id,
        userId: null,
        contentType: "application/xml",
        bytes: new TextEncoder().encode(file),
        fileName: "r.xml",
        mappingId: null,
        now: NOW,
      }),
    );
    const entry = await db.bankTransaction.findFirstOrThrow({ where: { creditorId: creditor.id } });
    expect(entry.status).toBe("SUGGESTED");

    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        db.$transaction(
          (tx) =>
            confirmBankMatch(tx, {
              creditorId: creditor.id,
              transactionId: entry.id,
              userId: user.id,
              now: NOW,
              parts: [{ debtorId: debtor.id, invoices: [{ invoiceId: invoice.id, amount: null }] }],
            }),
          { timeout: 30_000, maxWait: 30_000 },
        ),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(
      Array(9).fill("already_decided"),
    );
    expect(await db.payment.count({ where: { creditorId: creditor.id } })).toBe(1);
    const paid = await db.invoice.findUniqueOrThrow({ where: { id: invoice.id } });
    expect([paid.status, paid.amountPaid]).toEqual(["PAID", 150_00]);
  });

  it("two staff deciding the same transfer differently at once (other invoices / split across debtors): one decision is booked, the other is told", async () => {
    const db = database.get().prisma;
    const { creditor, policy } = await makeCreditor(db);
    const claire = await db.user.create({ data: { creditorId: creditor.id, email: `c-${creditor.slug}@staff.test`, name: "Claire" } });
    const paul = await db.user.create({ data: { creditorId: creditor.id, email: `p-${creditor.slug}@staff.test`, name: "Paul" } });
    const martin = await makeDebtor(db, creditor.id, { name: "Boulangerie Martin" });
    const dupont = await makeDebtor(db, creditor.id, { name: "Garage Dupont" });
    const due = startOfDayUTC(addDays(NOW, -20));
    const invoice = (debtorId: string, amount: number) =>
      makeInvoice(db, { creditorId: creditor.id, debtorId, policy }, { dueDate: due, amount, now: addDays(due, -30) });
    const [m1, m2, d1] = [await invoice(martin.id, 100_00), await invoice(martin.id, 100_00), await invoice(dupont.id, 100_00)];
    const file = camt053([{ ref: "R2", amount: 200_00, payer: "INCONNU", text: "VIREMENT", date: isoDay(addDays(NOW, -1)) }]);
    await db.$transaction((tx) =>
      importStatement(tx, {
        creditorId: creditor.id,
        userId: null,
        contentType: "application/xml",
        bytes: new TextEncoder().encode(file),
        fileName: "r.xml",
        mappingId: null,
        now: NOW,
      }),
    );
    const entry = await db.bankTransaction.findFirstOrThrow({ where: { creditorId: creditor.id } });
    const decide = (userId: string, parts: BankMatchPart[]) =>
      db.$transaction((tx) => confirmBankMatch(tx, { creditorId: creditor.id, transactionId: entry.id, userId, now: NOW, parts }), {
        timeout: 30_000,
        maxWait: 30_000,
      });
    const results = await Promise.allSettled([
      decide(claire.id, [
        {
          debtorId: martin.id,
          invoices: [
            { invoiceId: m1.id, amount: 100_00 },
            { invoiceId: m2.id, amount: 100_00 },
          ],
        },
      ]),
      decide(paul.id, [
        { debtorId: martin.id, invoices: [{ invoiceId: m1.id, amount: 100_00 }] },
        { debtorId: dupont.id, invoices: [{ invoiceId: d1.id, amount: 100_00 }] },
      ]),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason.code)).toEqual([
      "already_decided",
    ]);
    const won = results[0]!.status === "fulfilled" ? "claire" : "paul";
    const paid = await db.invoice.findMany({ where: { creditorId: creditor.id, status: "PAID" }, select: { id: true } });
    expect(paid.map((i) => i.id).sort()).toEqual((won === "claire" ? [m1.id, m2.id] : [m1.id, d1.id]).sort());
    expect(await db.payment.count({ where: { creditorId: creditor.id } })).toBe(won === "claire" ? 1 : 2);
    const decided = await db.bankTransaction.findUniqueOrThrow({ where: { id: entry.id } });
    expect([decided.status, decided.decidedById]).toEqual(["APPLIED", won === "claire" ? claire.id : paul.id]);
  });
});
