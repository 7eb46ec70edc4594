import { addDays, fixedClock, startOfDayUTC } from "~/domain/clock";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { useTestDatabase } from "../../testing/db";
import { completeTask, inboxCounts, inboxItems, logCall, markLetterSent, TaskError } from "./inbox.server";

const database = useTestDatabase();
const NOW = new Date("2026-04-02T10:00:00Z");
const clock = fixedClock(NOW);

async function withTask(kind: "CALL" | "LETTER" | "HANDOFF" | "FIND_CONTACT" | "DECLARE_CLAIM", dueAt = NOW) {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db);
  const debtor = await makeDebtor(db, creditor.id);
  const invoice = await makeInvoice(
    db,
    { creditorId: creditor.id, debtorId: debtor.id, policy },
    { dueDate: addDays(NOW, -16), amount: 800_00, now: addDays(NOW, -16) },
  );
  const task = await db.task.create({
    data: { creditorId: creditor.id, debtorId: debtor.id, invoiceId: invoice.id, kind, title: `${kind} task`, dueAt },
  });
  const user = await db.user.create({
    data: { creditorId: creditor.id, email: `u-${task.id}@example.test`, name: "Agent", role: "AGENT" },
  });
  return { db, creditor, debtor, invoice, task, staff: { userId: user.id } };
}

describe("inbox", () => {
  it("lists and counts what is due today, by kind; tomorrow's tasks wait", async () => {
    const { db, creditor, debtor } = await withTask("CALL");
    await db.task.create({
      data: { creditorId: creditor.id, debtorId: debtor.id, kind: "LETTER", title: "lettre", dueAt: addDays(NOW, -1) },
    });
    await db.task.create({
      data: { creditorId: creditor.id, debtorId: debtor.id, kind: "CALL", title: "demain", dueAt: addDays(startOfDayUTC(NOW), 1) },
    });
    await db.webhookEvent.create({
      data: {
        creditorId: creditor.id,
        provider: "STRIPE",
        eventId: `evt_${creditor.id}`,
        type: "payment_intent.succeeded",
        payload: {},
        status: "FAILED",
        lastError: "boom",
      },
    });
    const counts = await inboxCounts(db, creditor.id, NOW);
    expect(counts).toMatchObject({ calls: 1, letters: 1, handoffs: 0, failedWebhooks: 1, total: 3 });
    const items = await inboxItems(db, creditor.id, NOW);
    expect(items.calls.map((t) => t.title)).toEqual(["CALL task"]);
    expect(items.failedWebhooks[0]?.lastError).toBe("boom");
  });

  it("a call that reached the debtor with a promise records the PromiseToPay, pauses dunning and closes the task", async () => {
    const { db, creditor, invoice, task, staff } = await withTask("CALL");
    const result = await db.$transaction((tx) =>
      logCall(
        tx,
        creditor.id,
        task.id,
        { outcome: "REACHED", note: "Paiera vendredi", promise: { date: addDays(NOW, 5), amount: 800_00 } },
        staff,
        clock,
      ),
    );
    const promise = await db.promiseToPay.findUniqueOrThrow({ where: { id: result.promiseId! } });
    expect(promise).toMatchObject({ invoiceId: invoice.id, amount: 800_00, status: "PENDING", source: "CREDITOR" });
    expect((await db.dunningState.findUniqueOrThrow({ where: { invoiceId: invoice.id } })).pauseReason).toBe("PROMISE");
    expect(await db.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({
      status: "DONE",
      outcome: "REACHED",
      assigneeId: staff.userId,
    });
    const trace = await db.communication.findFirstOrThrow({ where: { creditorId: creditor.id, kind: "call.reached" } });
    expect(trace).toMatchObject({ channel: "CALL", actorType: "STAFF", actorId: staff.userId, bodyText: "Paiera vendredi" });
  });

  it("no answer and wrong number close the task with their outcome; a bad promise keeps it open", async () => {
    const a = await withTask("CALL");
    await logCall(a.db, a.creditor.id, a.task.id, { outcome: "NO_ANSWER" }, a.staff, clock);
    expect((await a.db.task.findUniqueOrThrow({ where: { id: a.task.id } })).outcome).toBe("NO_ANSWER");
    await expect(logCall(a.db, a.creditor.id, a.task.id, { outcome: "NO_ANSWER" }, a.staff, clock)).rejects.toMatchObject({
      code: "not_open",
    });

    const b = await withTask("CALL");
    await logCall(b.db, b.creditor.id, b.task.id, { outcome: "WRONG_NUMBER" }, b.staff, clock);
    expect(await b.db.communication.count({ where: { creditorId: b.creditor.id, kind: "call.wrong_number", actorType: "STAFF" } })).toBe(1);

    const c = await withTask("CALL");
    await expect(
      c.db.$transaction((tx) =>
        logCall(tx, c.creditor.id, c.task.id, { outcome: "REACHED", promise: { date: addDays(NOW, 5), amount: 900_00 } }, c.staff, clock),
      ),
    ).rejects.toMatchObject({ field: "promiseAmount", code: "aboveBalance" });
    expect((await c.db.task.findUniqueOrThrow({ where: { id: c.task.id } })).status).toBe("OPEN");
  });

  it("a letter is marked sent with its registered number; a hand-off is closed with what was done", async () => {
    const letter = await withTask("LETTER");
    await expect(
      markLetterSent(letter.db, letter.creditor.id, letter.task.id, { reference: " " }, letter.staff, clock),
    ).rejects.toBeInstanceOf(TaskError);
    await markLetterSent(letter.db, letter.creditor.id, letter.task.id, { reference: "1A 234 567 8901 2" }, letter.staff, clock);
    const trace = await letter.db.communication.findFirstOrThrow({ where: { creditorId: letter.creditor.id, kind: "letter.sent" } });
    expect(trace).toMatchObject({ channel: "LETTER", actorType: "STAFF", bodyText: "1A 234 567 8901 2" });

    const handoff = await withTask("HANDOFF");
    await completeTask(handoff.db, handoff.creditor.id, handoff.task.id, { note: "Dossier transmis à Me Martin" }, handoff.staff, clock);
    expect((await handoff.db.task.findUniqueOrThrow({ where: { id: handoff.task.id } })).status).toBe("DONE");
  });

  it("a claim to declare shows from the day it opens, two months before its deadline, and closes with what was done", async () => {
    const deadline = addDays(NOW, 61);
    const { db, creditor, task, staff } = await withTask("DECLARE_CLAIM", deadline);
    const other = await withTask("DECLARE_CLAIM", deadline);
    const counts = await inboxCounts(db, creditor.id, NOW);
    expect(counts).toMatchObject({ claims: 1, calls: 0, total: 1 });
    const items = await inboxItems(db, creditor.id, NOW);
    expect(items.claims.map((t) => t.id)).toEqual([task.id]);
    expect(items.claims[0]?.dueAt).toEqual(deadline);
    await expect(completeTask(db, creditor.id, task.id, { note: "" }, staff, clock)).rejects.toBeInstanceOf(TaskError);
    await completeTask(db, creditor.id, task.id, { note: "Déclarée au mandataire par LRAR" }, staff, clock);
    expect((await inboxItems(db, creditor.id, NOW)).claims).toEqual([]);
    const trace = await db.communication.findFirst({ where: { creditorId: creditor.id, kind: "task.declare_claim_done" } });
    expect(trace?.bodyText).toBe("Déclarée au mandataire par LRAR");
    // Another creditor's claim is neither listed nor closable here.
    await expect(completeTask(db, creditor.id, other.task.id, { note: "x" }, staff, clock)).rejects.toBeInstanceOf(TaskError);
  });

  it("another creditor's task is not found and stays open", async () => {
    const mine = await withTask("CALL");
    const other = await withTask("LETTER");
    await expect(logCall(mine.db, other.creditor.id, mine.task.id, { outcome: "NO_ANSWER" }, other.staff, clock)).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(markLetterSent(mine.db, mine.creditor.id, other.task.id, { reference: "X" }, mine.staff, clock)).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(completeTask(mine.db, mine.creditor.id, other.task.id, { note: "X" }, mine.staff, clock)).rejects.toMatchObject({
      code: "not_found",
    });
    expect((await mine.db.task.findUniqueOrThrow({ where: { id: mine.task.id } })).status).toBe("OPEN");
    expect((await other.db.task.findUniqueOrThrow({ where: { id: other.task.id } })).status).toBe("OPEN");
    expect((await inboxItems(mine.db, mine.creditor.id, NOW)).letters).toEqual([]);
  });
});
