import { rescheduleDunning, type DunningLevelSpec, type DunningState } from "~/domain/dunning";
import { invoiceBalance } from "~/domain/money";
import type { Db } from "~/utils/db.server";
import { creditorTimeZone } from "../creditor-clock.server";
import { recordCommunication } from "../messaging/communications.server";
import { DunningStateConflict, lockDunningStates, type Actor } from "./invoice-events.server";

/** What moved the calendar: kept in the trace row. */
export type RescheduleReason = "due_date" | "amount" | "credit" | "policy" | "import";

export type RescheduleInput = {
  creditorId: string;
  now: Date;
  actor: Actor;
  reason: RescheduleReason;
  /** Moves the invoices onto this policy (the level is carried by day, see carryLevel). */
  policyId?: string;
  /** The policy's levels before an edit of that policy: the level reached is carried onto the new levels by day. */
  previousLevels?: readonly DunningLevelSpec[];
};

export type Rescheduled = { invoiceId: string; changed: boolean; level: number; nextActionAt: Date | null };

const levelSelect = { position: true, offsetDays: true, channel: true, templateKey: true, tone: true } as const;

/**
 * The one function through which a change of an invoice's due date, amount,
 * credit or policy reaches its schedule (ARCHITECTURE §4). Locks the dunning
 * state, recomputes the next action from the invoice as it now is (the pure
 * `rescheduleDunning`), saves it only if the row is still what it read, and
 * writes a `dunning.rescheduled` trace row when something changed. Call it
 * after the change, inside the same transaction.
 */
export async function rescheduleInvoice(db: Db, input: RescheduleInput & { invoiceId: string }): Promise<Rescheduled | null> {
  const [one] = await rescheduleInvoices(db, { ...input, invoiceIds: [input.invoiceId] });
  return one ?? null;
}

/** `rescheduleInvoice` for several invoices of one creditor: locked in id order, read and written in a few statements. */
export async function rescheduleInvoices(db: Db, input: RescheduleInput & { invoiceIds: readonly string[] }): Promise<Rescheduled[]> {
  const ids = await lockDunningStates(db, input.creditorId, input.invoiceIds);
  if (ids.length === 0) return [];
  const rows = await db.dunningState.findMany({
    where: { creditorId: input.creditorId, invoiceId: { in: ids } },
    include: { invoice: { select: { debtorId: true, status: true, dueDate: true, amount: true, amountPaid: true, amountCredited: true } } },
    orderBy: { invoiceId: "asc" },
  });
  const policyIds = [...new Set([...rows.map((r) => r.policyId), ...(input.policyId ? [input.policyId] : [])])];
  const policies = await db.dunningPolicy.findMany({
    where: { creditorId: input.creditorId, id: { in: policyIds } },
    select: { id: true, levels: { select: levelSelect, orderBy: { position: "asc" } } },
  });
  const levelsOf = new Map<string, DunningLevelSpec[]>(policies.map((p) => [p.id, p.levels]));
  if (input.policyId && !levelsOf.has(input.policyId)) throw new Error(`Policy ${input.policyId} not found`);

  const timeZone = await creditorTimeZone(db, input.creditorId);
  const results: Rescheduled[] = [];
  const changes: { row: (typeof rows)[number]; next: DunningState; policyId: string }[] = [];
  for (const row of rows) {
    const policyId = input.policyId ?? row.policyId;
    const before: DunningState = {
      status: row.invoice.status,
      level: row.level,
      nextActionAt: row.nextActionAt,
      pauseReason: row.pauseReason,
      pausedUntil: row.pausedUntil,
      stoppedAt: row.stoppedAt,
      lastActionAt: row.lastActionAt,
    };
    // Nothing left to collect: the payment or credit event that got it there settles it, not the calendar.
    const next =
      invoiceBalance(row.invoice) <= 0
        ? before
        : rescheduleDunning(before, row.invoice.dueDate, levelsOf.get(policyId) ?? [], input.now, {
            timeZone,
            ...(policyId !== row.policyId
              ? { fromLevels: levelsOf.get(row.policyId) ?? [] }
              : input.previousLevels
                ? { fromLevels: input.previousLevels }
                : {}),
          });
    const changed = next.level !== row.level || next.nextActionAt?.getTime() !== row.nextActionAt?.getTime() || policyId !== row.policyId;
    results.push({ invoiceId: row.invoiceId, changed, level: next.level, nextActionAt: next.nextActionAt });
    if (changed) changes.push({ row, next, policyId });
  }
  if (changes.length === 0) return results;

  const ts = (d: Date | null) => (d ? d.toISOString().replace("Z", "") : null);
  const saved = await db.$executeRawUnsafe(
    `UPDATE "DunningState" ds
     SET level = x.level, "nextActionAt" = x.next::timestamp, "policyId" = x."policyId", "updatedAt" = $2::timestamp
     FROM json_to_recordset($3::json) AS x("invoiceId" text, level int, next text, "policyId" text, "wasLevel" int, "wasNext" text, "wasPolicyId" text)
     WHERE ds."creditorId" = $1 AND ds."invoiceId" = x."invoiceId"
       AND ds.level = x."wasLevel" AND ds."nextActionAt" IS NOT DISTINCT FROM x."wasNext"::timestamp AND ds."policyId" = x."wasPolicyId"`,
    input.creditorId,
    ts(input.now),
    JSON.stringify(
      changes.map(({ row, next, policyId }) => ({
        invoiceId: row.invoiceId,
        level: next.level,
        next: ts(next.nextActionAt),
        policyId,
        wasLevel: row.level,
        wasNext: ts(row.nextActionAt),
        wasPolicyId: row.policyId,
      })),
    ),
  );
  if (saved !== changes.length) throw new DunningStateConflict(changes.map((c) => c.row.invoiceId).join(", "));

  for (const { row, next, policyId } of changes) {
    await recordCommunication(db, {
      creditorId: input.creditorId,
      debtorId: row.invoice.debtorId,
      invoiceId: row.invoiceId,
      direction: "OUT",
      channel: "SYSTEM",
      kind: "dunning.rescheduled",
      actorType: input.actor.type,
      actorId: input.actor.id ?? null,
      data: {
        reason: input.reason,
        dueDate: row.invoice.dueDate.toISOString().slice(0, 10),
        from: { level: row.level, nextActionAt: row.nextActionAt?.toISOString() ?? null, policyId: row.policyId },
        to: { level: next.level, nextActionAt: next.nextActionAt?.toISOString() ?? null, policyId },
      },
      occurredAt: input.now,
    });
  }
  return results;
}
