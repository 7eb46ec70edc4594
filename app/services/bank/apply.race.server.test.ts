import { addDays, isoDay, startOfDayUTC } from "~/domain/clock";
import { isPostgresUrl } from "~/utils/db.server";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { useTestDatabase } from "../../testing/db";
import { confirmBankMatch } from "./apply.server";
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
              debtorId: debtor.id,
              invoiceIds: [invoice.id],
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
});
