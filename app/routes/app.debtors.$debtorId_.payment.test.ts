import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { addDays, isoDay } from "~/domain/clock";
import { startStaffSession } from "~/utils/staff-session.server";
import { makeCreditor, makeDebtor, makeInvoice } from "../testing/factories";
import { startMockServer } from "../providers/mocks/index";
import { useTestDatabase } from "../testing/db";
import { loader as debtorLoader } from "./app.debtors.$debtorId";
import { action, loader } from "./app.debtors.$debtorId_.payment";

/** The staff's "record a bank transfer" page, through real staff session cookies. */
const database = useTestDatabase();
const NOW = new Date();
let stop: () => void;
beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-transfer-"));
  stop = startMockServer({ stripe: false, gocardless: false, resend: true });
});
afterAll(() => stop());

/** A creditor with one debtor owing two invoices (1 000,00 € due first, then 500,00 €), and a session per role. */
async function tenant() {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db);
  const debtor = await makeDebtor(db, creditor.id);
  const ctx = { creditorId: creditor.id, debtorId: debtor.id, policy };
  const older = await makeInvoice(db, ctx, { dueDate: addDays(NOW, -40), amount: 1_000_00, now: addDays(NOW, -70) });
  const newer = await makeInvoice(db, ctx, { dueDate: addDays(NOW, -10), amount: 500_00, now: addDays(NOW, -40) });
  const cookie = async (role: "OWNER" | "AGENT" | "VIEWER") => {
    const user = await db.user.create({
      data: { creditorId: creditor.id, email: `${role}-${creditor.id}@example.test`, name: role, role },
    });
    return (await startStaffSession(user, new Request("http://localhost/login"))).split(";")[0]!;
  };
  return { db, creditor, debtor, older, newer, owner: await cookie("OWNER"), agent: await cookie("AGENT"), viewer: await cookie("VIEWER") };
}

const url = (debtorId: string) => `http://localhost/app/debtors/${debtorId}/payment`;
const get = (debtorId: string, cookie: string) => ({
  request: new Request(url(debtorId), { headers: { Cookie: cookie } }),
  params: { debtorId },
  context: {},
});
function post(debtorId: string, cookie: string, form: Record<string, string | string[]>) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const item of [v].flat()) body.append(k, item);
  const request = new Request(url(debtorId), {
    method: "POST",
    body,
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
  });
  return { request, params: { debtorId }, context: {} };
}
/** A route's answer, thrown or returned. */
const settle = (p: Promise<Response>) =>
  p.then(
    (r) => r,
    (e: unknown) => e as Response,
  );
const today = () => isoDay(new Date());
const transfer = (over: Record<string, string | string[]> = {}) => ({
  amount: "1 234,56",
  receivedOn: today(),
  reference: "VIR SEPA ACME FACT",
  ...over,
});

type Reply = { status: string; initialValue: Record<string, unknown>; error: Record<string, string[] | null> };

describe("recording a bank transfer", () => {
  it("VIEWER gets 403 on the page and the form; AGENT and OWNER may record", async () => {
    const a = await tenant();
    expect((await settle(loader(get(a.debtor.id, a.viewer)))).status).toBe(403);
    expect((await settle(action(post(a.debtor.id, a.viewer, transfer())))).status).toBe(403);
    expect(await a.db.payment.count({ where: { creditorId: a.creditor.id } })).toBe(0);

    expect((await settle(loader(get(a.debtor.id, a.agent)))).status).toBe(200);
    const done = await settle(action(post(a.debtor.id, a.agent, transfer({ amount: "100", reference: "VIR AGENT" }))));
    expect(done.status).toBe(302);
    // The VIEWER still reads the file, without the link to the form.
    const file = await (await debtorLoader({ ...get(a.debtor.id, a.viewer), params: { debtorId: a.debtor.id } })).json();
    expect(file.canAct).toBe(false);
  });

  it("another creditor's debtor is a 404 on the page and the form, and nothing is booked there", async () => {
    const a = await tenant();
    const b = await tenant();
    expect((await settle(loader(get(b.debtor.id, a.owner)))).status).toBe(404);
    expect((await settle(action(post(b.debtor.id, a.owner, transfer())))).status).toBe(404);
    // Nor can A's form settle B's invoice through its own debtor.
    const crossed = await settle(action(post(a.debtor.id, a.owner, transfer({ invoiceIds: [b.older.id] }))));
    expect(crossed.status).toBe(400);
    expect(await a.db.payment.count({ where: { creditorId: { in: [a.creditor.id, b.creditor.id] } } })).toBe(0);
    const untouched = await a.db.invoice.findMany({ where: { debtorId: b.debtor.id } });
    expect(untouched.map((i) => i.amountPaid)).toEqual([0, 0]);
  });

  it("'1 234,56' is 123 456 cents, split oldest first; the debtor's file says where it went", async () => {
    const a = await tenant();
    const response = await settle(action(post(a.debtor.id, a.owner, transfer({ note: "Relevé BNP du jour" }))));
    expect(response.status).toBe(302);
    const payment = await a.db.payment.findFirstOrThrow({ where: { creditorId: a.creditor.id }, include: { allocations: true } });
    expect(payment).toMatchObject({ amount: 123_456, currency: "EUR", provider: "TRANSFER", status: "SUCCEEDED" });
    expect(response.headers.get("Location")).toBe(`/app/debtors/${a.debtor.id}?transfer=${payment.id}`);
    const older = await a.db.invoice.findUniqueOrThrow({ where: { id: a.older.id } });
    const newer = await a.db.invoice.findUniqueOrThrow({ where: { id: a.newer.id } });
    expect([older.status, older.amountPaid]).toEqual(["PAID", 1_000_00]);
    expect([newer.status, newer.amountPaid]).toEqual(["PARTIALLY_PAID", 234_56]);

    const page = await (
      await debtorLoader({
        request: new Request(`http://localhost${response.headers.get("Location")}`, { headers: { Cookie: a.owner } }),
        params: { debtorId: a.debtor.id },
        context: {},
      })
    ).json();
    expect(page.recorded).toMatchObject({
      amount: 123_456,
      reference: "VIR SEPA ACME FACT",
      unallocated: 0,
      allocations: [
        { number: a.older.number, amount: 1_000_00, balanceAfter: 0 },
        { number: a.newer.number, amount: 234_56, balanceAfter: 265_44 },
      ],
    });
    const entry = page.timeline.find((c: { kind: string }) => c.kind === "payment.transfer_recorded");
    expect(entry).toMatchObject({ actorType: "STAFF", bodyText: "Relevé BNP du jour" });
    expect(page.payments[0]!.allocations).toEqual([
      { number: a.older.number, amount: 1_000_00 },
      { number: a.newer.number, amount: 234_56 },
    ]);
  });

  it("'1234.56' is the same amount; ticked invoices are settled first", async () => {
    const a = await tenant();
    expect((await settle(action(post(a.debtor.id, a.owner, transfer({ amount: "1234.56", invoiceIds: [a.newer.id] }))))).status).toBe(302);
    const rows = await a.db.invoice.findMany({ where: { id: { in: [a.older.id, a.newer.id] } } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(a.newer.id)).toMatchObject({ status: "PAID", amountPaid: 500_00 });
    expect(byId.get(a.older.id)).toMatchObject({ status: "PARTIALLY_PAID", amountPaid: 734_56 });
  });

  it("an overpayment is accepted, every invoice paid, and the excess left to a review task", async () => {
    const a = await tenant();
    const response = await settle(action(post(a.debtor.id, a.owner, transfer({ amount: "1 600", reference: "VIR TROP" }))));
    expect(response.status).toBe(302);
    const payment = await a.db.payment.findFirstOrThrow({ where: { creditorId: a.creditor.id } });
    expect(payment.amount).toBe(1_600_00);
    expect((await a.db.invoice.findMany({ where: { debtorId: a.debtor.id } })).map((i) => i.status)).toEqual(["PAID", "PAID"]);
    const task = await a.db.task.findFirstOrThrow({ where: { creditorId: a.creditor.id, sourceKey: `overpayment:${payment.id}` } });
    expect(task).toMatchObject({ kind: "REVIEW", debtorId: a.debtor.id });
    const page = await (
      await debtorLoader({
        request: new Request(`http://localhost${response.headers.get("Location")}`, { headers: { Cookie: a.owner } }),
        params: { debtorId: a.debtor.id },
        context: {},
      })
    ).json();
    expect(page.recorded?.unallocated).toBe(100_00);
  });

  it("bad input answers 400 with the message key next to the field and the user's values, and books nothing", async () => {
    const a = await tenant();
    const tomorrow = isoDay(addDays(new Date(), 2));
    const cases: [Record<string, string | string[]>, string, string][] = [
      [{ amount: "" }, "amount", "transfer.errors.amountRequired"],
      [{ amount: "0" }, "amount", "transfer.errors.amountPositive"],
      [{ amount: "-12" }, "amount", "transfer.errors.amountPositive"],
      [{ amount: "12,345" }, "amount", "transfer.errors.amountPrecision"],
      [{ amount: "1.234,56" }, "amount", "transfer.errors.amountFormat"],
      [{ receivedOn: tomorrow }, "receivedOn", "transfer.errors.received_in_future"],
      [{ receivedOn: "2026-02-30" }, "receivedOn", "transfer.errors.date"],
      [{ reference: "  " }, "reference", "transfer.errors.referenceRequired"],
    ];
    for (const [over, field, message] of cases) {
      const response = await settle(action(post(a.debtor.id, a.owner, transfer({ ...over, note: "à garder" }))));
      expect(response.status, JSON.stringify(over)).toBe(400);
      const reply = (await response.json()) as Reply;
      expect(reply.error[field], JSON.stringify(over)).toEqual([message]);
      // What the user typed comes back to fill the form again (an empty field stays empty).
      const typed = Object.fromEntries(Object.entries({ ...transfer(over), note: "à garder" }).filter(([, v]) => v !== ""));
      expect(reply.initialValue).toEqual(typed);
    }
    expect(await a.db.payment.count({ where: { creditorId: a.creditor.id } })).toBe(0);
  });

  it("the same bank line recorded twice is refused the second time", async () => {
    const a = await tenant();
    expect((await settle(action(post(a.debtor.id, a.owner, transfer({ amount: "200", reference: "VIR 0042" }))))).status).toBe(302);
    const again = await settle(action(post(a.debtor.id, a.agent, transfer({ amount: "200,00", reference: "vir  0042" }))));
    expect(again.status).toBe(400);
    expect(((await again.json()) as Reply).error.reference).toEqual(["transfer.errors.duplicate"]);
    expect(await a.db.payment.count({ where: { creditorId: a.creditor.id } })).toBe(1);
    // Another day, or another amount, is another transfer.
    expect(
      (
        await settle(
          action(
            post(a.debtor.id, a.owner, transfer({ amount: "200", reference: "VIR 0042", receivedOn: isoDay(addDays(new Date(), -1)) })),
          ),
        )
      ).status,
    ).toBe(302);
    expect(await a.db.payment.count({ where: { creditorId: a.creditor.id } })).toBe(2);
  });
});
