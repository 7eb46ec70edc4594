import { z } from "zod";
import { emailThreads, replySubject } from "~/domain/inbound/threads";
import type { ReplyIntent, RequestedDocument } from "~/domain/inbound/intent";
import { invoiceBalance } from "~/domain/money";
import { translate, type Locale } from "~/i18n";
import { isUsableEmail } from "~/providers/email.server";
import type { Db, PrismaClient } from "~/utils/db.server";
import { DisputeError, openDispute } from "../disputes/open.server";
import { makePromise, PromiseError } from "../dunning/promises.server";
import { recordCommunication } from "../messaging/communications.server";
import { endAwaitingAnswer } from "./awaiting.server";
import { learnSenderAddress } from "./routing.server";

/**
 * The staff side of debtors' replies: the suggestions waiting in the inbox (Réponses), accepting one
 * through the door it names (promise, dispute, documents sent), dismissing it, assigning an unknown
 * sender, and answering from the debtor's thread. Accepting or dismissing claims the reply from PENDING
 * with a conditional update, so two people clicking at once act once; every path ends the
 * AWAITING_ANSWER pause.
 */

export const REPLY_INTENTS = ["promise", "dispute", "request", "already_paid", "other"] as const satisfies readonly ReplyIntent[];
export const REQUESTED_DOCUMENTS = ["copy", "iban", "statement"] as const satisfies readonly RequestedDocument[];

/** A promise staff accept from a debtor's own words may run this far even when the portal allows less (decision 016). */
export const WRITTEN_PROMISE_MAX_DAYS = 92;

/** What processInboundEmail stored in InboundEmail.understanding (read leniently: older rows may lack fields). */
const Understanding = z
  .object({
    trigger: z.array(z.string()).catch([]),
    promisedFor: z.string().nullish().catch(null),
    invoiceNumbers: z.array(z.string()).catch([]),
    requested: z.enum(REQUESTED_DOCUMENTS).nullish().catch(null),
  })
  .catch({ trigger: [], promisedFor: null, invoiceNumbers: [], requested: null });

export function readUnderstanding(value: unknown) {
  const u = Understanding.parse(value ?? {});
  const promisedFor = u.promisedFor && !Number.isNaN(Date.parse(u.promisedFor)) ? u.promisedFor.slice(0, 10) : null;
  return { trigger: u.trigger, promisedFor, invoiceNumbers: u.invoiceNumbers, requested: u.requested ?? null };
}

const asIntent = (value: string | null): ReplyIntent =>
  (REPLY_INTENTS as readonly string[]).includes(value ?? "") ? (value as ReplyIntent) : "other";
const OPEN = ["OPEN", "PARTIALLY_PAID"] as const;
const EXCERPT = 600;

/** How many replies and unknown senders the inbox lists. */
export const REPLIES_SHOWN = 50;

/** The replies waiting for a decision, and the emails nobody could route, for one creditor. */
export async function replyInbox(db: Db, creditorId: string) {
  const [pending, unknown, pendingCount, unknownCount] = await Promise.all([
    db.inboundEmail.findMany({
      where: { creditorId, suggestionStatus: "PENDING", debtorId: { not: null } },
      orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
      take: REPLIES_SHOWN,
      select: {
        id: true,
        receivedAt: true,
        fromAddress: true,
        fromName: true,
        subject: true,
        visibleText: true,
        intent: true,
        understanding: true,
        debtorId: true,
      },
    }),
    db.inboundEmail.findMany({
      where: { creditorId, status: "UNROUTED", debtorId: null },
      orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
      take: REPLIES_SHOWN,
      select: { id: true, receivedAt: true, fromAddress: true, fromName: true, subject: true, visibleText: true },
    }),
    db.inboundEmail.count({ where: { creditorId, suggestionStatus: "PENDING", debtorId: { not: null } } }),
    db.inboundEmail.count({ where: { creditorId, status: "UNROUTED", debtorId: null } }),
  ]);
  const debtorIds = [...new Set(pending.map((p) => p.debtorId!))];
  const [debtors, invoices, debtorChoices] = await Promise.all([
    db.debtor.findMany({ where: { creditorId, id: { in: debtorIds } }, select: { id: true, name: true } }),
    db.invoice.findMany({
      where: { creditorId, debtorId: { in: debtorIds }, status: { in: [...OPEN] } },
      orderBy: [{ dueDate: "asc" }, { id: "asc" }],
      select: { id: true, debtorId: true, number: true, amount: true, amountPaid: true, amountCredited: true, currency: true },
    }),
    unknown.length > 0
      ? db.debtor.findMany({
          where: { creditorId },
          orderBy: [{ name: "asc" }, { id: "asc" }],
          take: 1000,
          select: { id: true, name: true },
        })
      : Promise.resolve([] as { id: string; name: string }[]),
  ]);
  const replies = pending.flatMap((p) => {
    const debtor = debtors.find((d) => d.id === p.debtorId);
    if (!debtor) return [];
    const understanding = readUnderstanding(p.understanding);
    const open = invoices
      .filter((i) => i.debtorId === p.debtorId)
      .map((i) => ({ id: i.id, number: i.number, balance: invoiceBalance(i), currency: i.currency }));
    const named = open.filter((i) => understanding.invoiceNumbers.some((n) => n.toLowerCase() === i.number.toLowerCase()));
    return [
      {
        id: p.id,
        receivedAt: p.receivedAt,
        from: p.fromName ? `${p.fromName} <${p.fromAddress ?? ""}>` : (p.fromAddress ?? ""),
        subject: p.subject,
        excerpt: excerpt(p.visibleText),
        intent: asIntent(p.intent),
        understanding,
        debtor,
        invoices: open,
        /** The invoices the suggestion acts on unless staff choose others: those named, else all open ones. */
        suggestedInvoiceIds: (named.length > 0 ? named : open).map((i) => i.id),
      },
    ];
  });
  return {
    replies,
    replyCount: pendingCount,
    unknownSenders: unknown.map((u) => ({ ...u, excerpt: excerpt(u.visibleText) })),
    unknownCount,
    debtorChoices,
  };
}

/** The badge: replies to decide on and senders to assign. */
export async function replyInboxCount(db: Db, creditorId: string) {
  const [pending, unknown] = await Promise.all([
    db.inboundEmail.count({ where: { creditorId, suggestionStatus: "PENDING", debtorId: { not: null } } }),
    db.inboundEmail.count({ where: { creditorId, status: "UNROUTED", debtorId: null } }),
  ]);
  return pending + unknown;
}

function excerpt(text: string | null) {
  const clean = (text ?? "").trim();
  return clean.length > EXCERPT ? `${clean.slice(0, EXCERPT).trimEnd()}…` : clean;
}

export class ReplyError extends Error {
  constructor(
    public readonly field: "inboundEmailId" | "intent" | "date" | "invoiceIds" | "requested" | "debtorId" | "text",
    public readonly code: string,
  ) {
    super(code);
    this.name = "ReplyError";
  }
}

type Staff = { userId: string };

/** Staff's changes before accepting: another intent, another date, other invoices, another document. */
export type ReplyEdit = { intent?: ReplyIntent; date?: Date | null; invoiceIds?: string[]; requested?: RequestedDocument };

export type AcceptOutcome = { intent: ReplyIntent; promiseIds: string[]; disputeIds: string[]; documentsQueued: boolean };

/**
 * Accepts a reply's suggestion (as suggested, or as edited): a promise to pay per invoice for the date
 * found, a dispute per invoice named, the documents asked for queued to the debtor in the outbox, or —
 * for "already paid" and anything else — the reply marked handled (bank reconciliation settles the
 * payment itself). The claim and what it does commit together in one transaction; then the
 * AWAITING_ANSWER pause ends. Wake the outbox when `documentsQueued`.
 */
export async function acceptReply(
  db: PrismaClient,
  input: { creditorId: string; inboundEmailId: string; edit?: ReplyEdit; staff: Staff; now: Date },
): Promise<AcceptOutcome> {
  const { outcome, debtorId } = await db.$transaction((tx) => decide(tx, input), { timeout: 30_000 });
  await endAwaitingAnswer(db, { creditorId: input.creditorId, debtorId, actor: { type: "STAFF", id: input.staff.userId }, now: input.now });
  return outcome;
}

async function decide(
  db: Db,
  input: { creditorId: string; inboundEmailId: string; edit?: ReplyEdit; staff: Staff; now: Date },
): Promise<{ outcome: AcceptOutcome; debtorId: string }> {
  const { creditorId, staff, now } = input;
  const reply = await claimReply(db, creditorId, input.inboundEmailId, "ACCEPTED", staff, now);
  const debtorId = reply.debtorId!;
  const understanding = readUnderstanding(reply.understanding);
  const intent = input.edit?.intent ?? asIntent(reply.intent);
  const outcome: AcceptOutcome = { intent, promiseIds: [], disputeIds: [], documentsQueued: false };

  if (
    intent === "promise" ||
    intent === "dispute" ||
    (intent === "request" && (input.edit?.requested ?? understanding.requested) === "copy")
  ) {
    const invoices = await chosenInvoices(db, creditorId, debtorId, input.edit?.invoiceIds, understanding.invoiceNumbers);
    if (intent === "promise") {
      const date = input.edit?.date ?? (understanding.promisedFor ? new Date(`${understanding.promisedFor}T00:00:00Z`) : null);
      if (!date) throw new ReplyError("date", "required");
      for (const invoice of invoices) {
        try {
          const { promise } = await makePromise(
            db,
            { creditorId, debtorId },
            { invoiceId: invoice.id, date, amount: invoiceBalance(invoice) },
            now,
            { maxDays: WRITTEN_PROMISE_MAX_DAYS },
          );
          outcome.promiseIds.push(promise.id);
        } catch (error) {
          if (error instanceof PromiseError) throw new ReplyError(error.field === "date" ? "date" : "invoiceIds", error.code);
          throw error;
        }
      }
    } else if (intent === "dispute") {
      for (const invoice of invoices) {
        try {
          const dispute = await openDispute(
            db,
            { sessionId: "", creditorId, debtorId },
            { invoiceId: invoice.id, reason: "OTHER", message: reply.visibleText?.trim() || reply.subject || "—", files: [] },
            now,
            { channel: "EMAIL", staffId: staff.userId },
          );
          outcome.disputeIds.push(dispute.id);
        } catch (error) {
          // A dispute already open on that invoice: it stands; the others are opened.
          if (error instanceof DisputeError && error.code === "alreadyOpen") continue;
          if (error instanceof DisputeError) throw new ReplyError("invoiceIds", error.code);
          throw error;
        }
      }
      if (outcome.disputeIds.length === 0) throw new ReplyError("invoiceIds", "alreadyOpen");
    } else {
      await queueDocuments(db, { creditorId, debtorId, reply, requested: "copy", invoiceIds: invoices.map((i) => i.id), staff, now });
      outcome.documentsQueued = true;
    }
  } else if (intent === "request") {
    const requested = input.edit?.requested ?? understanding.requested;
    if (!requested) throw new ReplyError("requested", "required");
    await queueDocuments(db, { creditorId, debtorId, reply, requested, invoiceIds: [], staff, now });
    outcome.documentsQueued = true;
  }

  await recordCommunication(db, {
    creditorId,
    debtorId,
    direction: "OUT",
    channel: "SYSTEM",
    kind: "email.reply_accepted",
    subject: reply.subject,
    actorType: "STAFF",
    actorId: staff.userId,
    data: { inboundEmailId: reply.id, intent, suggested: reply.intent, promiseIds: outcome.promiseIds, disputeIds: outcome.disputeIds },
    occurredAt: now,
  });
  return { outcome, debtorId };
}

/** Nothing to do on this reply: it leaves the inbox, handled, and the debtor's chase resumes. */
export async function dismissReply(db: PrismaClient, input: { creditorId: string; inboundEmailId: string; staff: Staff; now: Date }) {
  const reply = await db.$transaction(async (tx) => {
    const claimed = await claimReply(tx, input.creditorId, input.inboundEmailId, "DISMISSED", input.staff, input.now);
    await recordCommunication(tx, {
      creditorId: input.creditorId,
      debtorId: claimed.debtorId!,
      direction: "OUT",
      channel: "SYSTEM",
      kind: "email.reply_dismissed",
      subject: claimed.subject,
      actorType: "STAFF",
      actorId: input.staff.userId,
      data: { inboundEmailId: claimed.id, suggested: claimed.intent },
      occurredAt: input.now,
    });
    return claimed;
  });
  await endAwaitingAnswer(db, {
    creditorId: input.creditorId,
    debtorId: reply.debtorId!,
    actor: { type: "STAFF", id: input.staff.userId },
    now: input.now,
  });
}

/** Takes the reply from PENDING once: of two people clicking at once, the second is told it is handled. */
async function claimReply(db: Db, creditorId: string, inboundEmailId: string, to: "ACCEPTED" | "DISMISSED", staff: Staff, now: Date) {
  const reply = await db.inboundEmail.findFirst({ where: { id: inboundEmailId, creditorId, debtorId: { not: null } } });
  if (!reply) throw new ReplyError("inboundEmailId", "not_found");
  const claimed = await db.inboundEmail.updateMany({
    where: { id: inboundEmailId, creditorId, suggestionStatus: "PENDING" },
    data: { suggestionStatus: to, handledAt: now, handledById: staff.userId },
  });
  if (claimed.count === 0) throw new ReplyError("inboundEmailId", "already_handled");
  return reply;
}

/** The invoices staff chose (all must be this debtor's open ones), else those the reply names, else all open ones. */
async function chosenInvoices(db: Db, creditorId: string, debtorId: string, chosen: string[] | undefined, named: string[]) {
  const open = await db.invoice.findMany({
    where: { creditorId, debtorId, status: { in: [...OPEN] } },
    orderBy: [{ dueDate: "asc" }, { id: "asc" }],
  });
  let picked = open;
  if (chosen && chosen.length > 0) {
    picked = open.filter((i) => chosen.includes(i.id));
    if (picked.length !== new Set(chosen).size) throw new ReplyError("invoiceIds", "notFound");
  } else {
    const byName = open.filter((i) => named.some((n) => n.toLowerCase() === i.number.toLowerCase()));
    if (byName.length > 0) picked = byName;
  }
  if (picked.length === 0) throw new ReplyError("invoiceIds", "required");
  return picked;
}

/** An email the outbox sender sends for staff (see replies-send.server.ts): its payload. */
export type QueuedReply = {
  to: string;
  subject: string;
  text: string;
  inReplyTo: string | null;
  references: string[];
  /** PDFs built when sending: copies of these invoices, the statement of account. */
  invoiceCopies: string[];
  statement: boolean;
  actorId: string;
  kind: "email.staff_reply" | "email.documents_sent";
};

type ReplyRow = { id: string; fromAddress: string | null; subject: string | null; communicationId: string | null };

/** The documents the debtor asked for, in its language, answering its email. */
async function queueDocuments(
  db: Db,
  input: {
    creditorId: string;
    debtorId: string;
    reply: ReplyRow;
    requested: RequestedDocument;
    invoiceIds: string[];
    staff: Staff;
    now: Date;
  },
) {
  const debtor = await db.debtor.findFirstOrThrow({
    where: { id: input.debtorId, creditorId: input.creditorId },
    include: { creditor: { select: { legalName: true, brandName: true, iban: true, bic: true } } },
  });
  const locale: Locale = debtor.locale === "en" ? "en" : "fr";
  const t = (key: Parameters<typeof translate>[1], vars?: Record<string, string>) => translate(locale, key, vars);
  const invoices = await db.invoice.findMany({
    where: { id: { in: input.invoiceIds }, creditorId: input.creditorId, debtorId: input.debtorId },
    select: { id: true, number: true },
  });
  if (input.requested === "iban" && !debtor.creditor.iban) throw new ReplyError("requested", "noIban");
  const body =
    input.requested === "iban"
      ? t("replies.mail.iban", { iban: debtor.creditor.iban ?? "", bic: debtor.creditor.bic ?? "—" })
      : input.requested === "statement"
        ? t("replies.mail.statement")
        : t("replies.mail.copy", { invoices: invoices.map((i) => i.number).join(", ") });
  const text = [
    t("replies.mail.greeting", { name: debtor.name }),
    body,
    t("replies.mail.closing", { creditor: debtor.creditor.brandName?.trim() || debtor.creditor.legalName }),
  ].join("\n\n");
  const thread = input.reply.communicationId
    ? await threadOf(db, input.creditorId, input.debtorId, input.reply.communicationId)
    : { inReplyTo: null, references: [], subject: input.reply.subject };
  const to = isUsableEmail(input.reply.fromAddress) ? input.reply.fromAddress : debtor.email;
  if (!isUsableEmail(to)) throw new ReplyError("requested", "noEmail");
  await queueReply(db, {
    creditorId: input.creditorId,
    debtorId: input.debtorId,
    key: `reply:documents:${input.reply.id}`,
    payload: {
      to,
      subject: replySubject(thread.subject ?? input.reply.subject),
      text,
      inReplyTo: thread.inReplyTo,
      references: thread.references,
      invoiceCopies: input.requested === "copy" ? invoices.map((i) => i.id) : [],
      statement: input.requested === "statement",
      actorId: input.staff.userId,
      kind: "email.documents_sent",
    },
    now: input.now,
  });
}

async function queueReply(db: Db, input: { creditorId: string; debtorId: string; key: string; payload: QueuedReply; now: Date }) {
  await db.outboxMessage.createMany({
    data: [
      {
        creditorId: input.creditorId,
        debtorId: input.debtorId,
        idempotencyKey: input.key,
        groupKey: input.key,
        channel: "EMAIL",
        templateKey: "reply:staff",
        payload: JSON.parse(JSON.stringify(input.payload)),
        availableAt: input.now,
      },
    ],
    skipDuplicates: true,
  });
}

/** The conversation a trace entry belongs to: the message a reply answers and the References it carries. */
async function threadOf(db: Db, creditorId: string, debtorId: string, communicationId: string) {
  const emails = await db.communication.findMany({
    where: { creditorId, debtorId, channel: "EMAIL" },
    orderBy: [{ occurredAt: "asc" }, { id: "asc" }],
    take: 500,
    select: { id: true, direction: true, messageId: true, inReplyTo: true, occurredAt: true, subject: true, data: true },
  });
  const threads = emailThreads(emails.map((e) => ({ ...e, references: referencesOf(e.data) })));
  const thread = threads.find((t) => t.messages.some((m) => m.id === communicationId));
  const own = emails.find((e) => e.id === communicationId);
  return {
    inReplyTo: thread?.replyTo?.messageId ?? own?.messageId ?? null,
    references: (thread?.messageIds ?? (own?.messageId ? [own.messageId] : [])).slice(-20),
    subject: thread?.subject ?? own?.subject ?? null,
    messageIds: thread?.messages.map((m) => m.id) ?? [communicationId],
  };
}

/** The References an inbound trace entry keeps in its data, when the pipeline stored them. */
export function referencesOf(data: unknown): string[] {
  const refs = (data as { references?: unknown } | null)?.references;
  return Array.isArray(refs) ? refs.filter((r): r is string => typeof r === "string") : [];
}

/**
 * Staff answer the debtor from its thread: queued in the outbox (sent through the email provider with
 * In-Reply-To and References set to the thread's message ids, traced as an outgoing email), and the
 * thread's replies count as handled (the AWAITING_ANSWER pause ends after commit). Wake the outbox then.
 */
export async function replyInThread(
  db: PrismaClient,
  input: { creditorId: string; debtorId: string; communicationId: string; text: string; staff: Staff; now: Date },
) {
  const sent = await db.$transaction((tx) => queueThreadReply(tx, input), { timeout: 30_000 });
  await endAwaitingAnswer(db, {
    creditorId: input.creditorId,
    debtorId: input.debtorId,
    actor: { type: "STAFF", id: input.staff.userId },
    now: input.now,
  });
  return sent;
}

async function queueThreadReply(
  db: Db,
  input: { creditorId: string; debtorId: string; communicationId: string; text: string; staff: Staff; now: Date },
) {
  const text = input.text.trim();
  if (!text) throw new ReplyError("text", "required");
  if (text.length > 10_000) throw new ReplyError("text", "tooLong");
  const debtor = await db.debtor.findFirst({ where: { id: input.debtorId, creditorId: input.creditorId } });
  const answered = await db.communication.findFirst({
    where: { id: input.communicationId, creditorId: input.creditorId, debtorId: input.debtorId, channel: "EMAIL" },
    select: { id: true },
  });
  if (!debtor || !answered) throw new ReplyError("inboundEmailId", "not_found");
  const thread = await threadOf(db, input.creditorId, input.debtorId, input.communicationId);
  const inbound = await db.inboundEmail.findMany({
    where: { creditorId: input.creditorId, debtorId: input.debtorId, communicationId: { in: thread.messageIds } },
    orderBy: { receivedAt: "desc" },
    select: { id: true, fromAddress: true, handledAt: true },
  });
  const to = inbound.map((i) => i.fromAddress).find(isUsableEmail) ?? debtor.email;
  if (!isUsableEmail(to)) throw new ReplyError("text", "noEmail");
  await queueReply(db, {
    creditorId: input.creditorId,
    debtorId: input.debtorId,
    key: `reply:thread:${input.communicationId}:${input.now.getTime()}`,
    payload: {
      to,
      subject: replySubject(thread.subject),
      text,
      inReplyTo: thread.inReplyTo,
      references: thread.references,
      invoiceCopies: [],
      statement: false,
      actorId: input.staff.userId,
      kind: "email.staff_reply",
    },
    now: input.now,
  });
  await db.inboundEmail.updateMany({
    where: { id: { in: inbound.filter((i) => !i.handledAt).map((i) => i.id) }, creditorId: input.creditorId, handledAt: null },
    data: { handledAt: input.now, handledById: input.staff.userId },
  });
  return { to };
}

/** Staff say who an unknown sender is, once: the address is learned and the next email routes itself. */
export async function assignUnknownSender(db: Db, input: { creditorId: string; inboundEmailId: string; debtorId: string; staff: Staff }) {
  const debtor = await db.debtor.findFirst({ where: { id: input.debtorId, creditorId: input.creditorId }, select: { id: true } });
  if (!debtor) throw new ReplyError("debtorId", "required");
  return learnSenderAddress(db, {
    creditorId: input.creditorId,
    inboundEmailId: input.inboundEmailId,
    debtorId: input.debtorId,
    actorId: input.staff.userId,
  });
}
