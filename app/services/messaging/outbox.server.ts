import { renderEmail, type TemplateKey } from "../../../emails/index";
import { addDays, daysBetween, todayIn, type Clock } from "~/domain/clock";
import { toneFor, type Tone } from "~/domain/dunning";
import { isUsableEmail, sendEmail } from "~/providers/email.server";
import type { Db } from "~/utils/db.server";
import { logger } from "~/utils/logger.server";
import { issuePortalLink } from "../portal/links.server";
import { nextDunningStep } from "../portal/home.server";
import { recordCommunication } from "./communications.server";
import { attachDunningDocument, findTaskFormalNotice, linkFormalNoticeToEmail, readDocument } from "../documents/documents.server";
import { sendQueuedNotice } from "./notices.server";
import { sendQueuedReply } from "../inbound/replies-send.server";
import { debtorClaim } from "../legal/claim.server";
import { emailCreditor } from "./email-creditor.server";
import { wordingForSend } from "./wording.server";
import { levelLabel } from "~/i18n/labels";
import { communicationIdFor, outgoingThreadHeaders } from "../inbound/reply-address.server";
import { startMediationForLevel } from "../mediation/mediation.server";
import { sendSmsReminder } from "./sms.server";
import { emailDiscountOffers } from "../payments/discount.server";

/**
 * The sender: takes due outbox rows (whole groups at a time), and emits them:
 * EMAIL → one email per group via the provider, LETTER → a staff task plus the
 * formal notice by email, CALL_TASK / HANDOFF → staff tasks. Every emission
 * writes the written trace. Never sends a row twice: rows are claimed with
 * SKIP LOCKED, and the provider call carries the group key as idempotency key,
 * so a worker killed between "sent" and "marked" cannot double a reminder, nor
 * its trace (recordCommunication upserts on the provider's message id).
 */
const CLAIM_SQL = `
WITH params AS (SELECT ($1::timestamptz AT TIME ZONE 'UTC') AS now),
groups AS (
  SELECT DISTINCT g."groupKey" FROM (
    SELECT o."groupKey" FROM "OutboxMessage" o, params
    WHERE ((o.status = 'PENDING' AND o."availableAt" <= params.now)
       OR (o.status = 'SENDING' AND o."lockedUntil" < params.now))
      -- Dunning rows (a level) wait while the creditor's dunning is switched off; receipts and notices always go.
      AND (o."levelPosition" IS NULL OR EXISTS (SELECT 1 FROM "Creditor" c WHERE c.id = o."creditorId" AND c."dunningEnabled"))
    ORDER BY o."availableAt"
    LIMIT $2
  ) g
),
claimable AS (
  SELECT o.id FROM "OutboxMessage" o, params
  WHERE o."groupKey" IN (SELECT "groupKey" FROM groups)
    AND ((o.status = 'PENDING' AND o."availableAt" <= params.now)
      OR (o.status = 'SENDING' AND o."lockedUntil" < params.now))
  FOR UPDATE OF o SKIP LOCKED
)
UPDATE "OutboxMessage" o
SET status = 'SENDING', "lockedUntil" = params.now + interval '5 minutes', attempts = o.attempts + 1
FROM claimable, params
WHERE o.id = claimable.id
RETURNING o.id, o."creditorId", o."debtorId", o."invoiceId", o."groupKey", o."idempotencyKey",
          o.channel, o."templateKey", o.tone, o.attempts, o.payload
`;

type Claimed = {
  id: string;
  creditorId: string;
  debtorId: string;
  invoiceId: string | null;
  groupKey: string;
  idempotencyKey: string;
  channel: "EMAIL" | "SMS" | "CALL_TASK" | "LETTER" | "HANDOFF" | "MEDIATION";
  templateKey: string;
  tone: Tone;
  attempts: number;
  payload: unknown;
};

export const MAX_ATTEMPTS = 6;
/** Backoff after attempt n (1-based): 1 min, 5 min, 30 min, 2 h, 12 h. */
export function retryDelayMinutes(attempt: number) {
  return [1, 5, 30, 120, 720][Math.min(attempt, 5) - 1] ?? 720;
}

export type SendReport = { groups: number; emails: number; tasks: number; retried: number; failed: number };

export async function sendPendingOutbox(db: Db, opts: { clock: Clock; limit?: number }): Promise<SendReport> {
  const now = opts.clock.now();
  const claimed = await db.$queryRawUnsafe<Claimed[]>(CLAIM_SQL, now.toISOString(), opts.limit ?? 200);
  const groups = new Map<string, Claimed[]>();
  for (const row of claimed) groups.set(row.groupKey, [...(groups.get(row.groupKey) ?? []), row]);

  const report: SendReport = { groups: groups.size, emails: 0, tasks: 0, retried: 0, failed: 0 };
  for (const rows of groups.values()) {
    try {
      const outcome = await emitGroup(db, rows, opts.clock);
      report.emails += outcome.emails;
      report.tasks += outcome.tasks;
      if (outcome.holdUntil) {
        // An SMS outside the creditor's sending hours: waits for the next opening; the wait is not an attempt.
        await finish(db, rows, { status: "PENDING", availableAt: outcome.holdUntil, attempts: { decrement: 1 } });
      } else if (outcome.retry) {
        const attempts = Math.max(...rows.map((r) => r.attempts));
        if (attempts >= MAX_ATTEMPTS || !outcome.retry.retryable) {
          report.failed++;
          await finish(db, rows, { status: "FAILED", lastError: outcome.retry.message });
        } else {
          report.retried++;
          await finish(db, rows, {
            status: "PENDING",
            lastError: outcome.retry.message,
            availableAt: new Date(now.getTime() + retryDelayMinutes(attempts) * 60_000),
          });
        }
      } else {
        await finish(db, rows, { status: "SENT", sentAt: now });
      }
    } catch (error) {
      logger.error({ err: error, group: rows[0]?.groupKey }, "outbox group failed");
      report.retried++;
      await finish(db, rows, {
        status: "PENDING",
        lastError: (error as Error).message,
        availableAt: new Date(now.getTime() + retryDelayMinutes(rows[0]?.attempts ?? 1) * 60_000),
      });
    }
  }
  return report;
}

async function finish(
  db: Db,
  rows: Claimed[],
  data: {
    status: "SENT" | "PENDING" | "FAILED";
    lastError?: string;
    availableAt?: Date;
    sentAt?: Date;
    attempts?: { decrement: number };
  },
) {
  await db.outboxMessage.updateMany({
    where: { id: { in: rows.map((r) => r.id) }, creditorId: rows[0]!.creditorId },
    data: { ...data, lockedUntil: null },
  });
}

type Outcome = { emails: number; tasks: number; retry?: { retryable: boolean; message: string }; holdUntil?: Date };

async function emitGroup(db: Db, rows: Claimed[], clock: Clock): Promise<Outcome> {
  const first = rows[0]!;
  if (first.templateKey.startsWith("notice:")) {
    // A receipt or failure notice queued by a payment's transaction: a group of one.
    const outcome = await sendQueuedNotice(db, first, clock);
    if (outcome.status === "failed") return { emails: 0, tasks: 0, retry: { retryable: outcome.retryable, message: outcome.message } };
    return { emails: outcome.status === "sent" ? 1 : 0, tasks: 0 };
  }
  if (first.templateKey.startsWith("reply:")) {
    // An email staff wrote or asked for from a debtor's reply (thread answer, documents): a group of one.
    const outcome = await sendQueuedReply(db, first, clock);
    if (outcome.status === "failed") return { emails: 0, tasks: 0, retry: { retryable: outcome.retryable, message: outcome.message } };
    return { emails: 1, tasks: 0 };
  }
  const { creditorId, debtorId } = first;
  const debtor = await db.debtor.findFirstOrThrow({ where: { id: debtorId, creditorId } });
  const invoiceIds = rows.map((r) => r.invoiceId).filter((id): id is string => !!id);
  const invoices = await db.invoice.findMany({
    where: { id: { in: invoiceIds }, creditorId, debtorId, status: { in: ["OPEN", "PARTIALLY_PAID"] } },
    orderBy: { dueDate: "asc" },
  });
  // Paid or cancelled between the tick and now: nothing to say any more.
  if (invoices.length === 0) return { emails: 0, tasks: 0 };

  // Mediation (decision 027): the case is handed over, dunning paused, the dossier prepared; nothing is emailed.
  if (first.channel === "MEDIATION") {
    const { tasks } = await startMediationForLevel(db, {
      creditorId,
      debtorId,
      invoiceIds: invoices.map((i) => i.id),
      groupKey: first.groupKey,
      now: clock.now(),
    });
    return { emails: 0, tasks };
  }

  // SMS (decision 026): its own sender, which holds the group outside the creditor's sending hours.
  if (first.channel === "SMS") return sendSmsReminder(db, rows, debtor, invoices, clock);

  const now = clock.now();
  let tasks = 0;
  if (first.channel !== "EMAIL") {
    tasks = await createTasks(db, rows, debtor, invoices, now);
    if (first.channel !== "LETTER") return { emails: 0, tasks };
  }

  if (!isUsableEmail(debtor.email)) {
    await createTask(db, {
      creditorId,
      debtorId,
      invoiceId: invoices[0]!.id,
      kind: "FIND_CONTACT",
      dueAt: now,
      sourceKey: `${first.groupKey}:find-contact`,
      title: `Adresse e-mail manquante ou invalide — ${debtor.name}`,
      details: `La relance « ${levelLabel("fr", first.templateKey)} » n'a pas pu partir : aucune adresse e-mail utilisable. Factures : ${invoices.map((i) => i.number).join(", ")}.`,
    });
    return { emails: 0, tasks: tasks + 1 };
  }

  const creditor = await db.creditor.findUniqueOrThrow({ where: { id: creditorId } });
  const link = await issuePortalLink(db, debtor, { clock, select: invoices.map((i) => i.id) });
  // Days late and the notice's deadline count on the creditor's calendar (decision 012).
  const today = todayIn(creditor.timeZone, now);
  const templateKey = (first.channel === "LETTER" ? "formal_notice" : first.templateKey) as TemplateKey;
  const tone = toneFor(debtor.riskSegmentManual ?? debtor.riskSegment, first.tone);
  // The claim the portal and the letter show for this day (interest, the €40): one amount everywhere.
  const { claim } = await debtorClaim(db, { creditorId, debtorId, now, invoiceIds: invoices.map((i) => i.id) });
  const emailInvoices = claim.lines.map((i) => ({
    number: i.number,
    issueDate: i.issueDate,
    dueDate: i.dueDate,
    amountDue: i.balance,
    currency: i.currency,
    daysLate: Math.max(0, daysBetween(i.dueDate, today)),
  }));
  const charged = claim.interest + claim.indemnity > 0;
  // The formal notice goes out as the letter itself (PDF), not only as a link to it.
  const notice =
    first.channel === "LETTER"
      ? await formalNoticeOfRows(
          db,
          creditorId,
          rows.map((r) => r.idempotencyKey),
        )
      : null;
  const rendered = await renderEmail(templateKey, {
    locale: debtor.locale,
    tone,
    creditor: emailCreditor(creditor),
    debtor: { name: debtor.name, kind: debtor.kind },
    portalUrl: link.url,
    invoices: emailInvoices,
    totalDue: claim.principal,
    currency: claim.currency,
    lateCharges: charged
      ? {
          interest: claim.interest,
          indemnity: debtor.kind === "BUSINESS" ? claim.indemnity : null,
          estimated: claim.estimated,
          total: claim.total,
        }
      : null,
    nextStep: await nextDunningStep(
      db,
      creditorId,
      invoices.map((i) => i.id),
      now,
    ),
    deadline: templateKey === "formal_notice" ? addDays(today, 8) : undefined,
    discounts: templateKey === "courtesy_reminder" ? emailDiscountOffers(invoices, today) : null,
    letterAttached: !!notice,
    // The creditor's own subject and intro for this template and tone, in the debtor's language (none: the default text).
    wording: await wordingForSend(db, { creditorId, templateKey, tone, levelTone: first.tone, locale: debtor.locale }),
  } as never);

  // The trace row's id is fixed by the group key: a retried send carries the same Message-ID and reply address.
  const communicationId = communicationIdFor(first.groupKey);
  const thread = outgoingThreadHeaders(creditor, communicationId);
  const result = await sendEmail({
    to: debtor.email,
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    idempotencyKey: first.groupKey,
    fromName: creditor.senderName ?? creditor.brandName ?? creditor.legalName,
    tags: { kind: "dunning", template: templateKey },
    attachments: notice ? [notice] : undefined,
    messageId: thread.messageId,
    replyTo: thread.replyTo,
  });
  if (!result.ok) return { emails: 0, tasks, retry: { retryable: result.retryable, message: result.message } };

  // Trace before the SENT mark: a crash between them resends with the same group key, the
  // provider answers with the same message id, and the trace (an upsert on it) is not doubled.
  const sent = await recordCommunication(db, {
    id: communicationId,
    creditorId,
    debtorId,
    invoiceId: invoices.length === 1 ? invoices[0]!.id : null,
    direction: "OUT",
    channel: "EMAIL",
    kind: "dunning.email",
    messageId: thread.messageId,
    templateKey,
    subject: rendered.subject,
    bodyText: rendered.text,
    bodyHtml: rendered.html,
    recipient: debtor.email,
    providerMessageId: result.providerMessageId,
    deliveryStatus: "SENT",
    actorType: "SYSTEM",
    data: { invoiceIds: invoices.map((i) => i.id), tone, groupKey: first.groupKey },
    occurredAt: now,
  });
  if (first.channel === "LETTER")
    await linkFormalNoticeToEmail(
      db,
      creditorId,
      rows.map((r) => r.idempotencyKey),
      sent.id,
    );
  return { emails: 1, tasks };
}

/** The PDF generated for the LETTER task of these outbox rows, ready to attach (null when it could not be built). */
async function formalNoticeOfRows(db: Db, creditorId: string, taskSourceKeys: string[]) {
  const attachment = await findTaskFormalNotice(db, creditorId, taskSourceKeys);
  if (!attachment) return null;
  return { filename: attachment.fileName, content: await readDocument(attachment), contentType: "application/pdf" };
}

const TASK_KIND = { CALL_TASK: "CALL", LETTER: "LETTER", HANDOFF: "HANDOFF" } as const;
const TASK_TITLE = {
  CALL: "Appeler le client",
  LETTER: "Envoyer la mise en demeure (lettre recommandée)",
  HANDOFF: "Transmettre au contentieux (injonction de payer)",
} as const;

async function createTasks(
  db: Db,
  rows: Claimed[],
  debtor: { id: string; name: string },
  invoices: { id: string; number: string }[],
  now: Date,
) {
  let created = 0;
  let firstTaskId: string | null = null;
  for (const row of rows) {
    const invoice = invoices.find((i) => i.id === row.invoiceId);
    if (!invoice) continue;
    const kind = TASK_KIND[row.channel as keyof typeof TASK_KIND];
    const made = await createTask(db, {
      creditorId: row.creditorId,
      debtorId: debtor.id,
      invoiceId: invoice.id,
      kind,
      dueAt: now,
      sourceKey: row.idempotencyKey,
      title: `${TASK_TITLE[kind]} — ${debtor.name} (${invoice.number})`,
      // The staff read the step by its name (« Appel de relance »), never its template key.
      details: `Étape « ${levelLabel("fr", row.templateKey)} » du calendrier de relance.`,
    });
    if (made) created++;
    firstTaskId ??= made;
  }
  // One mise en demeure / injonction dossier per group (all its invoices), on the group's first new task.
  if (firstTaskId) {
    await attachDunningDocument(db, {
      channel: rows[0]!.channel,
      creditorId: rows[0]!.creditorId,
      debtorId: debtor.id,
      invoiceIds: invoices.map((i) => i.id),
      taskId: firstTaskId,
      now,
    });
  }
  return created;
}

/** Creates a staff task once per source key; writes it into the trace. Returns its id, or null if it existed. */
async function createTask(
  db: Db,
  task: {
    creditorId: string;
    debtorId: string;
    invoiceId: string;
    kind: "CALL" | "LETTER" | "HANDOFF" | "FIND_CONTACT";
    dueAt: Date;
    sourceKey: string;
    title: string;
    details: string;
  },
): Promise<string | null> {
  const existing = await db.task.findUnique({ where: { sourceKey: task.sourceKey }, select: { id: true } });
  if (existing) return null;
  const { id } = await db.task.create({ data: task });
  await recordCommunication(db, {
    creditorId: task.creditorId,
    debtorId: task.debtorId,
    invoiceId: task.invoiceId,
    direction: "OUT",
    channel: "SYSTEM",
    kind: `task.${task.kind.toLowerCase()}`,
    subject: task.title,
    bodyText: task.details,
    actorType: "SYSTEM",
    occurredAt: task.dueAt,
  });
  return id;
}
