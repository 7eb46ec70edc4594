import type { Clock } from "~/domain/clock";
import { isUsableEmail, sendEmail } from "~/providers/email.server";
import type { Db } from "~/utils/db.server";
import { logger } from "~/utils/logger.server";
import { renderEmail, type NoticeProps } from "../../../emails/index";
import { consumerMediatorOf } from "~/domain/mediation/mediator";
import { logoUrl } from "../documents/logo.server";
import { buildPaymentReceipt, receiptFileName } from "../documents/receipts.server";
import { issuePortalLink } from "../portal/links.server";
import { recordCommunication } from "./communications.server";

type NoticeKey = NoticeProps["templateKey"];
type Extra<K extends NoticeKey> = Omit<
  Extract<NoticeProps, { templateKey: K }>,
  "templateKey" | "locale" | "creditor" | "debtor" | "portalUrl"
>;

/**
 * Sends a transactional email (receipt, plan confirmation, dispute answer…)
 * to the debtor in its language, with a fresh portal link, and traces it.
 * Sent once per `idempotencyKey`. A debtor without a usable address gets no
 * email (the portal shows the same information); it is logged, not fatal.
 */
export async function sendNotice<K extends NoticeKey>(db: Db, input: NoticeInput<K>) {
  const outcome = await deliverNotice(db, input);
  return outcome.status === "sent" ? outcome.communication : null;
}

type NoticeInput<K extends NoticeKey> = {
  creditorId: string;
  debtorId: string;
  invoiceId?: string | null;
  key: K;
  extra: Extra<K>;
  idempotencyKey: string;
  clock: Clock;
};

type NoticeOutcome =
  | { status: "sent"; communication: Awaited<ReturnType<typeof recordCommunication>> }
  | { status: "skipped" }
  | { status: "failed"; retryable: boolean; message: string };

/** Fields of a notice's props that are dates (they travel as ISO strings in a queued notice's JSON payload). */
const DATE_FIELDS = new Set(["paidAt", "dueDate", "deadline", "promisedFor", "date", "openedAt"]);

/** Dates back from JSON, at any depth (a plan's installments carry theirs). */
function reviveDates(value: unknown, name = ""): unknown {
  if (typeof value === "string") return DATE_FIELDS.has(name) ? new Date(value) : value;
  if (Array.isArray(value)) return value.map((item) => reviveDates(item));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, reviveDates(item, key)]));
  }
  return value;
}

/**
 * Queues a notice for the outbox sender instead of sending it now: for callers
 * inside a database transaction (a payment settling), so no HTTP call is made
 * while rows are locked and nothing is emailed for a transaction that rolls
 * back. The sender emits it after the commit (the caller wakes it).
 * Queued once per `idempotencyKey`.
 */
export async function queueNotice<K extends NoticeKey>(tx: Db, input: Omit<NoticeInput<K>, "clock"> & { now: Date }) {
  const key = `notice:${input.idempotencyKey}`;
  await tx.outboxMessage.createMany({
    data: [
      {
        creditorId: input.creditorId,
        debtorId: input.debtorId,
        invoiceId: input.invoiceId ?? null,
        idempotencyKey: key,
        groupKey: key,
        channel: "EMAIL",
        templateKey: `notice:${input.key}`,
        payload: JSON.parse(JSON.stringify({ key: input.key, extra: input.extra, idempotencyKey: input.idempotencyKey })),
        availableAt: input.now,
      },
    ],
    skipDuplicates: true,
  });
}

/** Sends a notice the outbox sender claimed (see queueNotice). */
export async function sendQueuedNotice(
  db: Db,
  row: { creditorId: string; debtorId: string; invoiceId: string | null; payload: unknown },
  clock: Clock,
): Promise<NoticeOutcome> {
  const payload = row.payload as { key: NoticeKey; extra: Record<string, unknown>; idempotencyKey: string };
  const extra = reviveDates(payload.extra);
  return deliverNotice(db, {
    creditorId: row.creditorId,
    debtorId: row.debtorId,
    invoiceId: row.invoiceId,
    key: payload.key,
    extra: extra as never,
    idempotencyKey: payload.idempotencyKey,
    clock,
  });
}

async function deliverNotice<K extends NoticeKey>(db: Db, input: NoticeInput<K>): Promise<NoticeOutcome> {
  const debtor = await db.debtor.findFirstOrThrow({
    where: { id: input.debtorId, creditorId: input.creditorId },
    include: { creditor: true },
  });
  if (!isUsableEmail(debtor.email)) {
    logger.info({ debtorId: debtor.id, key: input.key }, "notice not emailed: no usable address");
    return { status: "skipped" };
  }
  const link = await issuePortalLink(db, debtor, { clock: input.clock });
  const c = debtor.creditor;
  // A receipt carries its PDF: the debtor keeps it without opening the portal.
  const paymentId = input.key === "payment_receipt" ? (input.extra as { paymentId?: string | null }).paymentId : null;
  const receipt = paymentId
    ? await buildPaymentReceipt(db, { creditorId: input.creditorId, debtorId: input.debtorId }, paymentId, debtor.locale)
    : null;
  const rendered = await renderEmail(input.key, {
    ...input.extra,
    ...(receipt ? { receiptAttached: true } : {}),
    locale: debtor.locale,
    // The creditor's legal identity and a tappable phone in every email's footer.
    creditor: {
      legalName: c.legalName,
      brandName: c.brandName,
      brandColor: c.brandColor,
      siren: c.siren,
      rcsCity: c.rcsCity,
      vatNumber: c.vatNumber,
      address: [c.addressLine1, [c.postalCode, c.city].filter(Boolean).join(" ")].filter(Boolean).join(", ") || null,
      contactEmail: c.contactEmail,
      contactPhone: c.contactPhone,
      logoUrl: logoUrl(c),
      consumerMediator: consumerMediatorOf(c),
    },
    debtor: { name: debtor.name, kind: debtor.kind },
    portalUrl: link.url,
  } as never);
  const result = await sendEmail({
    to: debtor.email,
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    idempotencyKey: input.idempotencyKey,
    fromName: c.senderName ?? c.brandName ?? c.legalName,
    tags: { kind: input.key },
    attachments: receipt
      ? [{ filename: receiptFileName(receipt.reference), content: receipt.pdf, contentType: "application/pdf" }]
      : undefined,
  });
  if (!result.ok) {
    logger.warn({ debtorId: debtor.id, key: input.key, message: result.message }, "notice email failed");
    return { status: "failed", retryable: result.retryable, message: result.message };
  }
  const communication = await recordCommunication(db, {
    creditorId: input.creditorId,
    debtorId: input.debtorId,
    invoiceId: input.invoiceId ?? null,
    direction: "OUT",
    channel: "EMAIL",
    kind: `notice.${input.key}`,
    templateKey: input.key,
    subject: rendered.subject,
    bodyText: rendered.text,
    bodyHtml: rendered.html,
    recipient: debtor.email,
    providerMessageId: result.providerMessageId,
    deliveryStatus: "SENT",
    actorType: "SYSTEM",
    occurredAt: input.clock.now(),
  });
  return { status: "sent", communication };
}
