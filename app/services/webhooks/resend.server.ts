import type { ResendEvent } from "~/providers/email.server";
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
  const status = STATUS_BY_TYPE[event.type];
  if (!status) return "ignored";
  const communication = await db.communication.findUnique({ where: { providerMessageId: event.data.email_id } });
  if (!communication) return "ignored";
  if ((RANK[status] ?? 0) <= (RANK[communication.deliveryStatus] ?? 0)) return "processed";
  await db.communication.update({ where: { id: communication.id }, data: { deliveryStatus: status } });
  if (status === "BOUNCED") {
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
        details: `L'e-mail « ${communication.subject ?? ""} » envoyé à ${communication.recipient ?? "?"} a été rejeté${event.data.bounce?.message ? ` : ${event.data.bounce.message}` : ""}.`,
      },
    });
  }
  return "processed";
}
