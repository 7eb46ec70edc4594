import { addDays, middayIn, todayIn, type Clock } from "~/domain/clock";
import type { Db } from "~/utils/db.server";
import { creditorTimeZone } from "../creditor-clock.server";
import { recordCommunication } from "../messaging/communications.server";
import { makePromise } from "../dunning/promises.server";
import { bankInbox, bankInboxCount } from "../bank/inbox.server";
import { replyInbox, replyInboxCount } from "../inbound/replies.server";

/**
 * Tasks are "due today" until the end of the creditor's day (decision 012): a
 * due date written as a day (UTC midnight) until tomorrow's label, one written
 * as an instant until the moment the local day ends — whichever is later.
 */
async function endOfToday(db: Db, creditorId: string, now: Date) {
  const timeZone = await creditorTimeZone(db, creditorId);
  const tomorrow = addDays(todayIn(timeZone, now), 1);
  const localMidnight = new Date(middayIn(timeZone, tomorrow).getTime() - 12 * 3_600_000);
  return new Date(Math.max(tomorrow.getTime(), localMidnight.getTime()));
}

/** What needs a credit manager's attention, for one creditor (the navigation badges). */
export async function inboxCounts(db: Db, creditorId: string, now: Date = new Date()) {
  const dueBy = await endOfToday(db, creditorId, now);
  const [proposals, disputes, tasks, failedWebhooks, claims] = await Promise.all([
    db.installmentPlan.count({ where: { creditorId, status: "PROPOSED", proposedBy: "DEBTOR" } }),
    db.dispute.count({ where: { creditorId, status: "OPEN" } }),
    db.task.groupBy({ by: ["kind"], where: { creditorId, status: "OPEN", dueAt: { lt: dueBy } }, _count: { _all: true } }),
    db.webhookEvent.count({ where: { creditorId, status: "FAILED" } }),
    // A claim to declare counts from the day the watch saw the proceedings, not from its deadline.
    db.task.count({ where: { creditorId, kind: "DECLARE_CLAIM", status: "OPEN" } }),
  ]);
  const bank = await bankInboxCount(db, creditorId);
  const replies = await replyInboxCount(db, creditorId);
  const byKind = (kind: string) => tasks.find((t) => t.kind === kind)?._count._all ?? 0;
  const calls = byKind("CALL");
  const letters = byKind("LETTER");
  const handoffs = byKind("HANDOFF");
  const findContacts = byKind("FIND_CONTACT");
  const reviews = byKind("REVIEW");
  return {
    proposals,
    disputes,
    calls,
    letters,
    handoffs,
    findContacts,
    reviews,
    claims,
    failedWebhooks,
    bank,
    replies,
    total: proposals + disputes + calls + letters + handoffs + findContacts + reviews + claims + failedWebhooks + bank + replies,
  };
}

const taskSelect = {
  id: true,
  kind: true,
  title: true,
  details: true,
  dueAt: true,
  debtor: { select: { id: true, name: true, phone: true, email: true } },
  invoice: { select: { id: true, number: true, amount: true, amountPaid: true, amountCredited: true, currency: true, status: true } },
  attachments: { select: { id: true, fileName: true }, orderBy: { createdAt: "desc" as const } },
} as const;

/** How many waiting bank transactions the inbox lists before linking to the bank page. */
export const BANK_SHOWN = 5;

export async function inboxItems(db: Db, creditorId: string, now: Date) {
  const dueBy = await endOfToday(db, creditorId, now);
  const openTasks = (kind: "CALL" | "LETTER" | "HANDOFF" | "FIND_CONTACT" | "REVIEW") =>
    db.task.findMany({
      where: { creditorId, kind, status: "OPEN", dueAt: { lt: dueBy } },
      orderBy: [{ dueAt: "asc" }, { id: "asc" }],
      take: 100,
      select: taskSelect,
    });
  // The inbox shows the oldest few bank credits waiting for a person; the rest are on /app/bank.
  const bankWaiting = Promise.all([bankInbox(db, creditorId, BANK_SHOWN), bankInboxCount(db, creditorId)]);
  const [proposals, disputes, calls, letters, handoffs, findContacts, failedWebhooks, claims] = await Promise.all([
    db.installmentPlan.findMany({
      where: { creditorId, status: "PROPOSED", proposedBy: "DEBTOR" },
      orderBy: { createdAt: "asc" },
      take: 50,
      select: {
        id: true,
        totalAmount: true,
        currency: true,
        downPayment: true,
        createdAt: true,
        debtor: { select: { id: true, name: true } },
        _count: { select: { installments: true } },
        // The schedule staff decide on: dates and amounts, shown before Accept.
        installments: { orderBy: { position: "asc" }, select: { position: true, dueDate: true, amount: true } },
      },
    }),
    db.dispute.findMany({
      where: { creditorId, status: "OPEN" },
      orderBy: { createdAt: "asc" },
      take: 50,
      select: {
        id: true,
        reason: true,
        message: true,
        createdAt: true,
        debtor: { select: { id: true, name: true } },
        invoice: { select: { id: true, number: true, amount: true, amountPaid: true, amountCredited: true, currency: true } },
        messages: { orderBy: { createdAt: "asc" }, select: { id: true, author: true, authorName: true, body: true, createdAt: true } },
        attachments: { where: { creditorId }, orderBy: { createdAt: "asc" }, select: { id: true, fileName: true, size: true } },
      },
    }),
    openTasks("CALL"),
    openTasks("LETTER"),
    openTasks("HANDOFF"),
    openTasks("FIND_CONTACT"),
    db.webhookEvent.findMany({
      where: { creditorId, status: "FAILED" },
      orderBy: { receivedAt: "desc" },
      take: 50,
      select: { id: true, provider: true, type: true, eventId: true, attempts: true, lastError: true, receivedAt: true },
    }),
    // Claims to declare to the mandataire (collective proceedings): listed at once, the nearest deadline first.
    db.task.findMany({
      where: { creditorId, kind: "DECLARE_CLAIM", status: "OPEN" },
      orderBy: [{ dueAt: "asc" }, { id: "asc" }],
      take: 100,
      select: taskSelect,
    }),
  ]);
  const [bank, bankCount] = await bankWaiting;
  // Debtors' email replies waiting for a decision, and senders nobody could route.
  const replies = await replyInbox(db, creditorId);
  return { proposals, disputes, calls, letters, handoffs, findContacts, claims, failedWebhooks, bank, bankCount, replies };
}

export class TaskError extends Error {
  constructor(
    public readonly field: "taskId" | "outcome" | "promiseDate" | "promiseAmount" | "reference" | "note",
    public readonly code: string,
  ) {
    super(code);
    this.name = "TaskError";
  }
}

type Staff = { userId: string };

async function openTask(db: Db, creditorId: string, taskId: string, kinds: readonly string[]) {
  const task = await db.task.findFirst({
    where: { id: taskId, creditorId },
    include: { debtor: { select: { phone: true } }, invoice: { select: { number: true } } },
  });
  if (!task || !kinds.includes(task.kind)) throw new TaskError("taskId", "not_found");
  if (task.status !== "OPEN") throw new TaskError("taskId", "not_open");
  return task;
}

/** Closes the task once (two staff members clicking at once: the second is told it is done). */
async function closeTask(db: Db, creditorId: string, taskId: string, outcome: string, staff: Staff, now: Date) {
  const claimed = await db.task.updateMany({
    where: { id: taskId, creditorId, status: "OPEN" },
    data: { status: "DONE", outcome, completedAt: now, assigneeId: staff.userId },
  });
  if (claimed.count === 0) throw new TaskError("taskId", "not_open");
}

export type CallOutcome =
  | { outcome: "REACHED"; note?: string; promise?: { date: Date; amount: number } | null }
  | { outcome: "NO_ANSWER" | "WRONG_NUMBER"; note?: string };

/**
 * The outcome of a call task. Reached with a promise: a PromiseToPay is
 * recorded (dunning pauses until its date + grace). Every outcome closes the
 * task and goes into the trace as a CALL by this staff member.
 */
export async function logCall(db: Db, creditorId: string, taskId: string, input: CallOutcome, staff: Staff, clock: Clock) {
  const now = clock.now();
  const task = await openTask(db, creditorId, taskId, ["CALL"]);
  let promiseId: string | null = null;
  if (input.outcome === "REACHED" && input.promise) {
    if (!task.invoiceId) throw new TaskError("promiseDate", "notFound");
    try {
      const { promise } = await makePromise(
        db,
        { creditorId, debtorId: task.debtorId },
        { invoiceId: task.invoiceId, date: input.promise.date, amount: input.promise.amount },
        now,
      );
      await db.promiseToPay.update({ where: { id: promise.id }, data: { source: "CREDITOR" } });
      promiseId = promise.id;
    } catch (error) {
      const e = error as { field?: string; code?: string; name?: string };
      if (e.name === "PromiseError") throw new TaskError(e.field === "amount" ? "promiseAmount" : "promiseDate", e.code ?? "invalid");
      throw error;
    }
  }
  await closeTask(db, creditorId, taskId, input.outcome, staff, now);
  await recordCommunication(db, {
    creditorId,
    debtorId: task.debtorId,
    invoiceId: task.invoiceId,
    direction: "OUT",
    channel: "CALL",
    kind: `call.${input.outcome.toLowerCase()}`,
    subject: task.title,
    bodyText: input.note?.trim() || null,
    recipient: task.debtor.phone,
    actorType: "STAFF",
    actorId: staff.userId,
    data: {
      taskId,
      outcome: input.outcome,
      promiseId,
      ...(input.outcome === "REACHED" && input.promise
        ? { promiseDate: input.promise.date.toISOString().slice(0, 10), promiseAmount: input.promise.amount }
        : {}),
    },
    occurredAt: now,
  });
  return { promiseId };
}

/** The registered letter (mise en demeure) has been posted: its number goes into the trace. */
export async function markLetterSent(db: Db, creditorId: string, taskId: string, input: { reference: string }, staff: Staff, clock: Clock) {
  const reference = input.reference.trim();
  if (!reference) throw new TaskError("reference", "required");
  const now = clock.now();
  const task = await openTask(db, creditorId, taskId, ["LETTER"]);
  await closeTask(db, creditorId, taskId, `SENT ${reference}`, staff, now);
  await recordCommunication(db, {
    creditorId,
    debtorId: task.debtorId,
    invoiceId: task.invoiceId,
    direction: "OUT",
    channel: "LETTER",
    kind: "letter.sent",
    subject: task.title,
    bodyText: reference,
    actorType: "STAFF",
    actorId: staff.userId,
    data: { taskId, registeredLetterNumber: reference },
    occurredAt: now,
  });
}

/** A hand-off, contact search, review or claim declaration done; what was done is traced. */
export async function completeTask(db: Db, creditorId: string, taskId: string, input: { note: string }, staff: Staff, clock: Clock) {
  const note = input.note.trim();
  if (!note) throw new TaskError("note", "required");
  const now = clock.now();
  const task = await openTask(db, creditorId, taskId, ["HANDOFF", "FIND_CONTACT", "REVIEW", "DECLARE_CLAIM"]);
  await closeTask(db, creditorId, taskId, note, staff, now);
  await recordCommunication(db, {
    creditorId,
    debtorId: task.debtorId,
    invoiceId: task.invoiceId,
    direction: "OUT",
    channel: "SYSTEM",
    kind: `task.${task.kind.toLowerCase()}_done`,
    subject: task.title,
    bodyText: note,
    actorType: "STAFF",
    actorId: staff.userId,
    data: { taskId },
    occurredAt: now,
  });
}

/** A file the debtor attached to one of this creditor's disputes, or null (the route answers 404). */
export async function findDisputeAttachment(db: Db, creditorId: string, attachmentId: string) {
  return db.attachment.findFirst({ where: { id: attachmentId, creditorId, disputeId: { not: null }, dispute: { creditorId } } });
}
