import { applyDunningEvent, type DunningEvent, type DunningState } from "~/domain/dunning";
import type { Db } from "~/utils/db.server";
import { recordCommunication } from "../messaging/communications.server";

export type Actor = { type: "SYSTEM" | "DEBTOR" | "STAFF" | "PROVIDER"; id?: string | null };

export class DunningEventError extends Error {
  constructor(
    public readonly code: "settled" | "note_required" | "invalid" | "not_found",
    message: string,
  ) {
    super(message);
    this.name = "DunningEventError";
  }
}

/**
 * The one door through which the portal, payments and back-office change an
 * invoice's escalation (ARCHITECTURE §4): loads the state, applies the pure
 * reducer, saves the state and the invoice status, and writes the trace row.
 * Scoped to the creditor; call it inside the caller's transaction.
 */
export async function applyInvoiceEvent(
  db: Db,
  input: { creditorId: string; invoiceId: string; event: DunningEvent; actor: Actor; now: Date; note?: string | null },
) {
  const invoice = await db.invoice.findFirst({
    where: { id: input.invoiceId, creditorId: input.creditorId },
    include: {
      dunningState: {
        include: {
          policy: { select: { levels: { orderBy: { position: "asc" }, select: { position: true, offsetDays: true, channel: true, templateKey: true, tone: true } } } },
        },
      },
    },
  });
  if (!invoice?.dunningState) throw new DunningEventError("not_found", "Invoice not found");
  const ds = invoice.dunningState;
  const state: DunningState = {
    status: invoice.status,
    level: ds.level,
    nextActionAt: ds.nextActionAt,
    pauseReason: ds.pauseReason,
    pausedUntil: ds.pausedUntil,
    stoppedAt: ds.stoppedAt,
    lastActionAt: ds.lastActionAt,
  };
  const result = applyDunningEvent(state, input.event, { dueDate: invoice.dueDate, levels: ds.policy.levels, now: input.now });
  if (!result.ok) throw new DunningEventError(result.code, result.message);
  const next = result.state;

  await db.dunningState.update({
    where: { invoiceId: invoice.id },
    data: {
      level: next.level,
      nextActionAt: next.nextActionAt,
      pauseReason: next.pauseReason,
      pausedUntil: next.pausedUntil,
      stoppedAt: next.stoppedAt,
    },
  });
  if (next.status !== invoice.status) {
    await db.invoice.update({
      where: { id: invoice.id },
      data: { status: next.status, paidAt: next.status === "PAID" ? input.now : next.status === "OPEN" ? null : invoice.paidAt },
    });
  }
  const { transition } = result;
  await recordCommunication(db, {
    creditorId: input.creditorId,
    debtorId: invoice.debtorId,
    invoiceId: invoice.id,
    direction: input.actor.type === "DEBTOR" ? "IN" : "OUT",
    channel: "SYSTEM",
    kind: `dunning.${input.event.type.toLowerCase()}`,
    bodyText: input.note ?? ("note" in input.event ? input.event.note : null),
    actorType: input.actor.type,
    actorId: input.actor.id ?? null,
    data: {
      from: transition.from,
      to: { ...transition.to, nextActionAt: transition.to.nextActionAt?.toISOString() ?? null },
    },
    occurredAt: input.now,
  });
  return next;
}
