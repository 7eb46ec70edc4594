import { applyDunningEvent, type DunningEvent, type DunningState } from "~/domain/dunning";
import type { Db } from "~/utils/db.server";
import { closeObsoleteTasks, closesTasks } from "../backoffice/tasks.server";
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

export class DunningStateConflict extends Error {
  constructor(invoiceId: string) {
    super(`The dunning state of invoice ${invoiceId} changed while it was being updated`);
    this.name = "DunningStateConflict";
  }
}

/**
 * Locks invoices' dunning states (SELECT … FOR UPDATE) until the caller's
 * transaction ends, in invoice-id order: two transactions moving overlapping
 * sets of invoices queue behind each other instead of deadlocking. Returns the
 * ids found, scoped to the creditor. Locking a row already held by the same
 * transaction is free, so a caller that moves several invoices locks them all
 * first, then goes through the door for each.
 */
export async function lockDunningStates(db: Db, creditorId: string, invoiceIds: readonly string[]): Promise<string[]> {
  if (invoiceIds.length === 0) return [];
  const ids = [...new Set(invoiceIds)].sort();
  const rows = await db.$queryRawUnsafe<{ invoiceId: string }[]>(
    `SELECT "invoiceId" FROM "DunningState"
     WHERE "creditorId" = $1 AND "invoiceId" IN (SELECT value FROM json_array_elements_text($2::json))
     ORDER BY "invoiceId"
     FOR UPDATE`,
    creditorId,
    JSON.stringify(ids),
  );
  return rows.map((r) => r.invoiceId);
}

/**
 * The one door through which the portal, payments and back-office change an
 * invoice's escalation (ARCHITECTURE §4): locks the state row, applies the
 * pure reducer to what it read, saves (only if the row is still what was
 * read) the state and the invoice status, and writes the trace row. Two
 * events on one invoice therefore compose — each sees the other's result —
 * instead of the last writer deciding. Scoped to the creditor; call it inside
 * the caller's transaction (outside one, the lock ends with its statement).
 */
export async function applyInvoiceEvent(
  db: Db,
  input: { creditorId: string; invoiceId: string; event: DunningEvent; actor: Actor; now: Date; note?: string | null },
) {
  await lockDunningStates(db, input.creditorId, [input.invoiceId]);
  const invoice = await db.invoice.findFirst({
    where: { id: input.invoiceId, creditorId: input.creditorId },
    include: {
      creditor: { select: { timeZone: true } },
      dunningState: {
        include: {
          policy: {
            select: {
              levels: {
                orderBy: { position: "asc" },
                select: { position: true, offsetDays: true, channel: true, templateKey: true, tone: true },
              },
            },
          },
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
  const result = applyDunningEvent(state, input.event, {
    dueDate: invoice.dueDate,
    levels: ds.policy.levels,
    now: input.now,
    timeZone: invoice.creditor.timeZone,
  });
  if (!result.ok) throw new DunningEventError(result.code, result.message);
  const next = result.state;

  const saved = await db.dunningState.updateMany({
    where: {
      invoiceId: invoice.id,
      creditorId: input.creditorId,
      level: ds.level,
      nextActionAt: ds.nextActionAt,
      pauseReason: ds.pauseReason,
      pausedUntil: ds.pausedUntil,
      stoppedAt: ds.stoppedAt,
    },
    data: {
      level: next.level,
      nextActionAt: next.nextActionAt,
      pauseReason: next.pauseReason,
      pausedUntil: next.pausedUntil,
      stoppedAt: next.stoppedAt,
    },
  });
  if (saved.count !== 1) throw new DunningStateConflict(invoice.id);
  if (next.status !== invoice.status) {
    const moved = await db.invoice.updateMany({
      where: { id: invoice.id, creditorId: input.creditorId, status: invoice.status },
      data: { status: next.status, paidAt: next.status === "PAID" ? input.now : next.status === "OPEN" ? null : invoice.paidAt },
    });
    if (moved.count !== 1) throw new DunningStateConflict(invoice.id);
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
  // Paid, disputed or on a plan: the invoice's pending call tasks are obsolete.
  if (closesTasks(input.event.type)) {
    await closeObsoleteTasks(db, { creditorId: input.creditorId, invoiceId: invoice.id, event: input.event.type, now: input.now });
  }
  return next;
}
