import { addDays, isoDay, startOfDayUTC } from "~/domain/clock";
import { undoBankMatch } from "~/services/bank/apply.server";
import { importStatement } from "~/services/bank/imports.server";
import { camt053 } from "~/services/bank/test-support";
import { startStaffSession } from "~/utils/staff-session.server";
import { makeCreditor, makeDebtor, makeInvoice } from "../testing/factories";
import { useTestDatabase } from "../testing/db";
import { action, loader } from "./app.bank_.$transactionId";

/** /app/bank/:transactionId — pick other invoices (amounts kept exactly) and split across debtors, as plain form posts. */
const database = useTestDatabase();
const NOW = new Date();
const YESTERDAY = isoDay(addDays(NOW, -1));
const DUE = startOfDayUTC(addDays(NOW, -20));

async function tenant(amount: number) {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db);
  const user = await db.user.create({
    data: { creditorId: creditor.id, email: `agent-${creditor.id}@example.test`, name: "Claire", role: "AGENT" },
  });
  const cookie = (await startStaffSession(user, new Request("http://localhost/login"))).split(";")[0]!;
  const martin = await makeDebtor(db, creditor.id, { name: "Boulangerie Martin" });
  const dupont = await makeDebtor(db, creditor.id, { name: "Garage Dupont" });
  const invoice = (debtorId: string, number: string, value: number, days = 0) =>
    makeInvoice(
      db,
      { creditorId: creditor.id, debtorId, policy },
      { dueDate: addDays(DUE, days), amount: value, now: addDays(DUE, -30), number },
    );
  const m1 = await invoice(martin.id, `M1-${creditor.id}`, 300_00);
  const m2 = await invoice(martin.id, `M2-${creditor.id}`, 200_00, 5);
  const d1 = await invoice(dupont.id, `D1-${creditor.id}`, 150_00);
  await db.$transaction((tx) =>
    importStatement(tx, {
      creditorId: creditor.id,
      userId: user.id,
      contentType: "application/xml",
      bytes: new TextEncoder().encode(
        camt053([{ ref: `T-${creditor.id}`, amount, payer: "INCONNU", text: "VIREMENT", date: YESTERDAY }], { statementDate: YESTERDAY }),
      ),
      fileName: "releve.xml",
      mappingId: null,
      now: NOW,
    }),
  );
  const entry = await db.bankTransaction.findFirstOrThrow({ where: { creditorId: creditor.id } });
  return { db, creditor, user, cookie, martin, dupont, m1, m2, d1, entry };
}

const url = (id: string, query = "") => `http://localhost/app/bank/${id}${query}`;
const args = (request: Request, id: string) => ({ request, params: { transactionId: id }, context: {} });
const post = (cookie: string, id: string, form: Record<string, string>) =>
  new Request(url(id), {
    method: "POST",
    body: new URLSearchParams(form),
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
  });

describe("bank transaction decided by hand", () => {
  it("pick other invoices: the amounts asked are booked exactly; too much on one invoice is said next to it with the values kept", async () => {
    const a = await tenant(250_00);
    const plain = await (await loader(args(new Request(url(a.entry.id), { headers: { Cookie: a.cookie } }), a.entry.id))).json();
    expect(plain.transaction.amount).toBe(250_00);
    const page = await (
      await loader(args(new Request(url(a.entry.id, `?debtor=${a.martin.id}`), { headers: { Cookie: a.cookie } }), a.entry.id))
    ).json();
    expect(page.chosen!.invoices.map((i: { number: string; balance: number }) => [i.number, i.balance])).toEqual([
      [a.m1.number, 300_00],
      [a.m2.number, 200_00],
    ]);

    // 250 € asked on M2 alone (balance 200): refused next to M2's field, nothing booked, the typed values come back.
    const form = {
      intent: "pick",
      debtorId: a.martin.id,
      "lines[0].invoiceId": a.m1.id,
      "lines[0].amount": "",
      "lines[1].invoiceId": a.m2.id,
    };
    const tooMuch = (await action(args(post(a.cookie, a.entry.id, { ...form, "lines[1].amount": "250,00" }), a.entry.id))) as Response;
    expect(tooMuch.status).toBe(400);
    const reply = await tooMuch.json();
    expect(reply.errors["lines[1].amount"]).toEqual({ key: "bank.decide.error.amount_above_balance", amount: 200_00 });
    expect(reply.values["lines[1].amount"]).toBe("250,00");
    expect(await a.db.payment.count({ where: { creditorId: a.creditor.id } })).toBe(0);
    expect(["UNMATCHED", "SUGGESTED"]).toContain(a.entry.status);
    expect((await a.db.bankTransaction.findUniqueOrThrow({ where: { id: a.entry.id } })).status).toBe(a.entry.status);

    // More than the transfer in total: said on the total.
    const over = (await action(
      args(post(a.cookie, a.entry.id, { ...form, "lines[0].amount": "100", "lines[1].amount": "200" }), a.entry.id),
    )) as Response;
    expect((await over.json()).errors.total).toEqual({ key: "bank.decide.error.total_above_transaction", amount: 250_00 });

    // 50 € on the older M1 and 200 € on M2: exactly that, not the allocator's oldest-first split.
    const ok = (await action(
      args(post(a.cookie, a.entry.id, { ...form, "lines[0].amount": "50", "lines[1].amount": "200,00" }), a.entry.id),
    )) as Response;
    expect(ok.status).toBe(302);
    expect(ok.headers.get("Location")).toBe("/app/bank?applied=1");
    const [m1, m2] = await Promise.all([a.m1, a.m2].map((i) => a.db.invoice.findUniqueOrThrow({ where: { id: i.id } })));
    expect([m1!.amountPaid, m1!.status, m2!.amountPaid, m2!.status]).toEqual([50_00, "PARTIALLY_PAID", 200_00, "PAID"]);
    expect((await a.db.bankTransaction.findUniqueOrThrow({ where: { id: a.entry.id } })).status).toBe("APPLIED");
  });

  it("split across debtors: one payment per debtor, what is left stays a credit of the first; undo takes both back", async () => {
    const a = await tenant(400_00);
    const addRow = (await action(
      args(post(a.cookie, a.entry.id, { intent: "split-add-row", rows: "2", "parts[0].number": a.m1.number }), a.entry.id),
    )) as Response;
    expect(await addRow.json()).toMatchObject({ rows: 3, values: { "parts[0].number": a.m1.number } });

    const unknown = (await action(
      args(
        post(a.cookie, a.entry.id, {
          intent: "split",
          rows: "2",
          "parts[0].number": "NOPE-1",
          "parts[0].amount": "10",
          "parts[1].number": a.d1.number,
        }),
        a.entry.id,
      ),
    )) as Response;
    const bad = await unknown.json();
    expect(bad.errors).toEqual({
      "parts[0].number": { key: "bank.decide.error.number_unknown" },
      "parts[1].amount": { key: "bank.decide.error.amount_empty" },
    });
    expect(bad.values["parts[0].number"]).toBe("NOPE-1");

    const ok = (await action(
      args(
        post(a.cookie, a.entry.id, {
          intent: "split",
          rows: "2",
          "parts[0].number": a.m1.number.toLowerCase(),
          "parts[0].amount": "240",
          "parts[1].number": a.d1.number,
          "parts[1].amount": "150,00",
        }),
        a.entry.id,
      ),
    )) as Response;
    expect(ok.status).toBe(302);
    const payments = await a.db.payment.findMany({
      where: { creditorId: a.creditor.id },
      include: { allocations: true },
      orderBy: { createdAt: "asc" },
    });
    expect(payments.map((p) => [p.debtorId, p.amount, p.status, p.allocations.map((x) => [x.invoiceId, x.amount])])).toEqual([
      [a.martin.id, 250_00, "SUCCEEDED", [[a.m1.id, 240_00]]],
      [a.dupont.id, 150_00, "SUCCEEDED", [[a.d1.id, 150_00]]],
    ]);
    expect((await a.db.invoice.findUniqueOrThrow({ where: { id: a.d1.id } })).status).toBe("PAID");
    expect(
      await a.db.task.count({ where: { creditorId: a.creditor.id, sourceKey: `overpayment:${payments[0]!.id}`, status: "OPEN" } }),
    ).toBe(1);

    await a.db.$transaction(
      (tx) => undoBankMatch(tx, { creditorId: a.creditor.id, transactionId: a.entry.id, userId: a.user.id, now: NOW }),
      {
        timeout: 30_000,
      },
    );
    const after = await a.db.invoice.findMany({ where: { id: { in: [a.m1.id, a.d1.id] } }, orderBy: { number: "asc" } });
    expect(after.map((i) => [i.amountPaid, i.status])).toEqual([
      [0, "OPEN"],
      [0, "OPEN"],
    ]);
    expect((await a.db.payment.findMany({ where: { creditorId: a.creditor.id } })).map((p) => p.status)).toEqual(["REFUNDED", "REFUNDED"]);
  });
});
