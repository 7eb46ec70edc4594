import { addDays, startOfDayUTC } from "~/domain/clock";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { useTestDatabase } from "../../testing/db";
import { applyInvoiceEvent } from "../dunning/invoice-events.server";
import { debtorFile } from "./debtors.server";
import { BulkActionError, bulkInvoiceAction, listInvoices, parseInvoiceFilters } from "./invoices.server";

const database = useTestDatabase();
const NOW = new Date("2026-04-02T10:00:00Z");
const TODAY = startOfDayUTC(NOW);

async function setup() {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db);
  const a = await makeDebtor(db, creditor.id, { name: "Alpha SARL" });
  const b = await makeDebtor(db, creditor.id, { name: "Beta SAS" });
  const notDue = await makeInvoice(
    db,
    { creditorId: creditor.id, debtorId: a.id, policy },
    { dueDate: addDays(TODAY, 10), now: NOW, number: `A-${a.id}` },
  );
  const late20 = await makeInvoice(db, { creditorId: creditor.id, debtorId: a.id, policy }, { dueDate: addDays(TODAY, -20), now: NOW });
  const late100 = await makeInvoice(db, { creditorId: creditor.id, debtorId: b.id, policy }, { dueDate: addDays(TODAY, -100), now: NOW });
  return { db, creditor, a, b, notDue, late20, late100 };
}

describe("staff invoice list", () => {
  it("filters by overdue bucket, debtor, status, level and text, from GET params", async () => {
    const { db, creditor, a, notDue, late20, late100 } = await setup();
    const ids = async (query: string) =>
      (await listInvoices(db, creditor.id, parseInvoiceFilters(new URLSearchParams(query)), NOW)).rows.map((r) => r.id);
    expect(await ids("bucket=notDue")).toEqual([notDue.id]);
    expect(await ids("bucket=d1_30")).toEqual([late20.id]);
    expect(await ids("bucket=d90plus")).toEqual([late100.id]);
    expect(await ids(`debtorId=${a.id}`)).toEqual([late20.id, notDue.id]);
    expect(await ids("q=beta")).toEqual([late100.id]);
    expect(await ids("status=PAID")).toEqual([]);
    const level = (await db.dunningState.findUniqueOrThrow({ where: { invoiceId: late20.id } })).level;
    expect(await ids(`level=${level}&debtorId=${a.id}`)).toEqual([late20.id]);
    expect(parseInvoiceFilters(new URLSearchParams("status=nope&bucket=x&page=-3"))).toMatchObject({ status: null, bucket: null, page: 1 });
  });

  it("bulk pause / resume / write-off go through the dunning door with a reason in the trace", async () => {
    const { db, creditor, late20, late100 } = await setup();
    const staff = { userId: "staff-1" };
    await expect(
      bulkInvoiceAction(db, creditor.id, { invoiceIds: [late20.id], action: "pause", note: "" }, staff, NOW),
    ).rejects.toMatchObject({ code: "note_required" });
    await bulkInvoiceAction(
      db,
      creditor.id,
      { invoiceIds: [late20.id, late100.id], action: "pause", note: "Client en redressement" },
      staff,
      NOW,
    );
    const states = await db.dunningState.findMany({ where: { invoiceId: { in: [late20.id, late100.id] } } });
    expect(states.map((s) => s.pauseReason)).toEqual(["MANUAL", "MANUAL"]);
    await bulkInvoiceAction(db, creditor.id, { invoiceIds: [late20.id], action: "resume", note: "Accord trouvé" }, staff, NOW);
    expect((await db.dunningState.findUniqueOrThrow({ where: { invoiceId: late20.id } })).pauseReason).toBeNull();
    const result = await bulkInvoiceAction(
      db,
      creditor.id,
      { invoiceIds: [late100.id], action: "write-off", note: "Irrécouvrable" },
      staff,
      NOW,
    );
    expect(result.done).toEqual([late100.number]);
    expect((await db.invoice.findUniqueOrThrow({ where: { id: late100.id } })).status).toBe("WRITTEN_OFF");
    // Settled: a pause is refused, reported, not fatal.
    const again = await bulkInvoiceAction(db, creditor.id, { invoiceIds: [late100.id], action: "pause", note: "x" }, staff, NOW);
    expect(again.skipped).toEqual([{ number: late100.number, code: "settled" }]);
    const trace = await db.communication.findMany({ where: { creditorId: creditor.id, actorType: "STAFF", actorId: "staff-1" } });
    expect(trace.map((c) => c.bodyText)).toEqual(expect.arrayContaining(["Client en redressement", "Accord trouvé", "Irrécouvrable"]));
  });

  it("one invoice of another creditor in the batch: not found, nothing changed", async () => {
    const mine = await setup();
    const theirs = await setup();
    const error = await bulkInvoiceAction(
      mine.db,
      mine.creditor.id,
      { invoiceIds: [mine.late20.id, theirs.late20.id], action: "write-off", note: "x" },
      { userId: "u" },
      NOW,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BulkActionError);
    expect((error as BulkActionError).code).toBe("not_found");
    expect((await mine.db.invoice.findUniqueOrThrow({ where: { id: mine.late20.id } })).status).toBe("OPEN");
    expect((await mine.db.invoice.findUniqueOrThrow({ where: { id: theirs.late20.id } })).status).toBe("OPEN");
    expect((await listInvoices(mine.db, mine.creditor.id, { debtorId: theirs.a.id }, NOW)).total).toBe(0);
  });

  it("a paid invoice reads as paid, not as its last dunning step; a counter-offer reads as sent (list and debtor page)", async () => {
    const { db, creditor, a, late20, notDue } = await setup();
    await db.dunningState.update({ where: { invoiceId: late20.id }, data: { level: 2 } });
    await db.$transaction((tx) =>
      applyInvoiceEvent(tx, {
        creditorId: creditor.id,
        invoiceId: late20.id,
        event: { type: "PAYMENT_SUCCEEDED", balanceAfter: 0, amountPaidAfter: 100_00 },
        actor: { type: "SYSTEM" },
        now: NOW,
      }),
    );
    await db.installmentPlan.create({
      data: {
        creditorId: creditor.id,
        debtorId: a.id,
        status: "PROPOSED",
        proposedBy: "CREDITOR",
        totalAmount: 100_00,
        invoices: { create: [{ creditorId: creditor.id, invoiceId: notDue.id, amount: 100_00 }] },
      },
    });
    const stages = async () =>
      Object.fromEntries((await listInvoices(db, creditor.id, { debtorId: a.id }, NOW)).rows.map((r) => [r.id, r.stage]));
    expect(await stages()).toEqual({ [late20.id]: { kind: "settled", status: "PAID" }, [notDue.id]: { kind: "counterOffer" } });
    const file = await debtorFile(db, creditor.id, a.id, NOW);
    expect(Object.fromEntries(file!.invoices.map((i) => [i.id, i.stage]))).toEqual({
      [late20.id]: { kind: "settled", status: "PAID" },
      [notDue.id]: { kind: "counterOffer" },
    });
  });
});
