import type { ResendEvent } from "~/providers/email.server";
import { fetchReceivedEmail } from "~/providers/resend-inbound.server";
import { receiveInboundEmail } from "../inbound/receive.server";
import type { Communication } from "~/generated/prisma/client";
import type { Db } from "~/utils/db.server";
import type { WebhookOutcome } from "./shared.server";

type Delivery = "SENT" | "DELIVERED" | "BOUNCED" | "COMPLAINED" | "FAILED";

const STATUS_BY_TYPE: Record<string, Delivery> = {
  "email.sent": "SENT",
  "email.delivered": "DELIVERED",
  "email.bounced": "BOUNCED",
  "email.complained": "COMPLAINED",
  "email.failed": "FAILED",
};

/** Forward only: a late "delivered" never hides a bounce. */
const RANK: Record<string, number> = { QUEUED: 0, SENT: 1, DELIVERED: 2, FAILED: 3, BOUNCED: 3, COMPLAINED: 4 };

/**
 * Resend delivery events update the trace row of the email; a hard bounce
 * gives staff a task to find another contact.
 */
export async function handleResendEvent(db: Db, payload: unknown, now: Date): Promise<WebhookOutcome> {
  const event = payload as ResendEvent;
  if (event.type === "email.received") return receiveFromResend(db, event.data.email_id, now);
  const status = STATUS_BY_TYPE[event.type];
  if (!status) return "ignored";
  const communication = await db.communication.findUnique({ where: { providerMessageId: event.data.email_id } });
  if (!communication) return "ignored";
  await recordDeliveryStatus(db, communication, status, event.data.bounce?.message ?? null, now);
  return "processed";
}

/**
 * Resend Inbound: the webhook only names the email; its raw message (and attachments) come from the
 * receiving API, then it enters the one inbound pipeline. A failed fetch throws: the webhook inbox retries.
 */
async function receiveFromResend(db: Db, emailId: string, now: Date): Promise<WebhookOutcome> {
  const fetched = await fetchReceivedEmail(emailId);
  if (!fetched.ok) throw new Error(`Resend received email ${emailId} could not be fetched: ${fetched.message}`);
  await receiveInboundEmail(db, { source: "RESEND", raw: fetched.raw, clock: { now: () => now } });
  return "processed";
}

/**
 * Moves an email's trace row forward to a delivery status; a bounce gives staff a task to find another
 * contact. Shared by Resend's delivery events and the bounce notices (DSN) that arrive by inbound email.
 */
export async function recordDeliveryStatus(
  db: Db,
  communication: Pick<Communication, "id" | "creditorId" | "debtorId" | "invoiceId" | "subject" | "recipient" | "deliveryStatus">,
  status: Delivery,
  reason: string | null,
  now: Date,
) {
  if ((RANK[status] ?? 0) <= (RANK[communication.deliveryStatus] ?? 0)) return;
  await db.communication.update({ where: { id: communication.id }, data: { deliveryStatus: status } });
  if (status !== "BOUNCED") return;
  const debtor = await db.debtor.findFirstOrThrow({ where: { id: communication.debtorId, creditorId: communication.creditorId } });
  await db.task.upsert({
    where: { sourceKey: `bounce:${communication.id}` },
    update: {},
    create: {
      creditorId: communication.creditorId,
      debtorId: communication.debtorId,
      invoiceId: communication.invoiceId,
      kind: "FIND_CONTACT",
      dueAt: now,
      sourceKey: `bounce:${communication.id}`,
      title: `E-mail non distribué — trouver un autre contact pour ${debtor.name}`,
      details: `L'e-mail « ${communication.subject ?? ""} » envoyé à ${communication.recipient ?? "?"} a été rejeté${reason ? ` : ${reason}` : ""}.`,
    },
  });
}
