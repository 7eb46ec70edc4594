import { wallClockIn } from "~/domain/clock";
import type { Db } from "~/utils/db.server";

/**
 * The dunning tick (ARCHITECTURE §4, issue 3): ONE set-based statement per batch.
 *
 * For up to `batchSize` invoices whose next action has come (not stopped, not
 * paused — or paused until a date that has passed), in a single statement and
 * so a single transaction:
 *   1. lock the due dunning states (FOR UPDATE SKIP LOCKED: a concurrent tick
 *      takes other rows, and re-checks the WHERE on rows it waited for);
 *   2. advance each to the latest level whose date has come (a level missed
 *      during a pause is not replayed late) and schedule the one after (never
 *      sooner than tomorrow: at most one step a day);
 *   3. write one OutboxMessage per invoice and level, key
 *      `invoice:{id}:level:{n}` (unique: a second tick can never add another),
 *      grouped by debtor + template + day so the sender emails them together;
 *   4. clear due states whose invoice is settled or whose policy has no next level.
 * Creditors whose owner has not switched dunning on are skipped (their states wait, due).
 * Work is bounded per batch; a crash loses at most an uncommitted batch.
 *
 * Days are the creditor's (decision 012): the tick runs once per time zone,
 * $5 the zone and $6 its local clock reading written as UTC, against which
 * the stored day labels (`nextActionAt`, `pausedUntil`, due date + offset)
 * are compared; $1, the real instant, is what gets written.
 */
const TICK_SQL = `
WITH due AS (
  -- $1 is inlined (not joined from a CTE) so the planner walks the nextActionAt index.
  SELECT ds."invoiceId"
  FROM "DunningState" ds
  WHERE ds."nextActionAt" <= $6::timestamp
    AND ds."stoppedAt" IS NULL
    AND (ds."pauseReason" IS NULL OR ds."pausedUntil" <= $6::timestamp)
    AND ($3::text IS NULL OR ds."creditorId" = $3::text)
    AND EXISTS (SELECT 1 FROM "Creditor" cz WHERE cz.id = ds."creditorId" AND cz."timeZone" = $5::text)
    -- A creditor is chased for only once its owner switched dunning on (go-live checklist); the simulation asks for all.
    AND ($4::boolean OR EXISTS (SELECT 1 FROM "Creditor" c WHERE c.id = ds."creditorId" AND c."dunningEnabled"))
  ORDER BY ds."nextActionAt"
  LIMIT $2
  FOR UPDATE OF ds SKIP LOCKED
),
step AS (
  SELECT ds."invoiceId", ds."creditorId", i."debtorId", i."dueDate",
         cur.position, cur.channel, cur."templateKey", cur.tone,
         nxt."offsetDays" AS next_offset
  FROM due
  JOIN "DunningState" ds ON ds."invoiceId" = due."invoiceId"
  JOIN "Invoice" i ON i.id = ds."invoiceId" AND i."creditorId" = ds."creditorId"
  -- The latest level whose date has come (older ones are not replayed after a
  -- pause), or simply the next one when an event made it due early.
  CROSS JOIN LATERAL (
    SELECT GREATEST(ds.level + 1, max(l.position)) AS position
    FROM "DunningLevel" l
    WHERE l."policyId" = ds."policyId" AND l.position > ds.level
      AND (i."dueDate" + l."offsetDays") <= $6::date
  ) target
  JOIN "DunningLevel" cur ON cur."policyId" = ds."policyId" AND cur.position = target.position
  LEFT JOIN "DunningLevel" nxt ON nxt."policyId" = ds."policyId" AND nxt.position = target.position + 1
  WHERE i.status IN ('OPEN', 'PARTIALLY_PAID')
),
advanced AS (
  UPDATE "DunningState" ds
  SET level = step.position,
      "lastActionAt" = $1::timestamp,
      "pauseReason" = NULL,
      "pausedUntil" = NULL,
      "nextActionAt" = CASE
        WHEN step.next_offset IS NULL THEN NULL
        ELSE GREATEST((step."dueDate" + step.next_offset)::timestamp, date_trunc('day', $6::timestamp) + interval '1 day')
      END,
      "updatedAt" = $1::timestamp
  FROM step
  WHERE ds."invoiceId" = step."invoiceId"
    -- Always true for these rows; lets the planner reach them through the
    -- nextActionAt index instead of hashing the whole table.
    AND ds."nextActionAt" <= $6::timestamp
  RETURNING ds."invoiceId"
),
settled AS (
  UPDATE "DunningState" ds
  SET "nextActionAt" = NULL, "updatedAt" = $1::timestamp
  FROM due
  WHERE ds."invoiceId" = due."invoiceId"
    AND ds."nextActionAt" <= $6::timestamp
    AND NOT EXISTS (SELECT 1 FROM step WHERE step."invoiceId" = due."invoiceId")
  RETURNING ds."invoiceId"
),
queued AS (
  INSERT INTO "OutboxMessage"
    (id, "creditorId", "debtorId", "invoiceId", "idempotencyKey", "groupKey", channel,
     "levelPosition", "templateKey", tone, status, attempts, "availableAt", "createdAt")
  SELECT gen_random_uuid()::text, step."creditorId", step."debtorId", step."invoiceId",
         'invoice:' || step."invoiceId" || ':level:' || step.position,
         'debtor:' || step."debtorId" || ':' || step.channel || ':' || step."templateKey" || ':' || to_char($6::timestamp, 'YYYY-MM-DD'),
         step.channel, step.position, step."templateKey", step.tone, 'PENDING', 0, $1::timestamp, $1::timestamp
  FROM step
  ON CONFLICT ("idempotencyKey") DO NOTHING
  RETURNING 1
)
SELECT (SELECT count(*) FROM due)::int AS scanned,
       (SELECT count(*) FROM advanced)::int AS advanced,
       (SELECT count(*) FROM settled)::int AS settled,
       (SELECT count(*) FROM queued)::int AS queued
`;

/** Invoices per tick transaction: bounds the work a crash can lose and how long rows stay locked. */
export const DEFAULT_TICK_BATCH = 10_000;

export type TickResult = { batches: number; scanned: number; advanced: number; settled: number; queued: number };

export async function runDunningTick(
  db: Db,
  opts: {
    now: Date;
    batchSize?: number;
    creditorId?: string;
    maxBatches?: number;
    /** Also run creditors whose dunning is switched off: only for the simulation, which sends nothing. */
    includeSwitchedOff?: boolean;
  },
): Promise<TickResult> {
  const batchSize = opts.batchSize ?? DEFAULT_TICK_BATCH;
  const total: TickResult = { batches: 0, scanned: 0, advanced: 0, settled: 0, queued: 0 };
  // The columns are `timestamp without time zone` holding UTC: instants are passed as UTC wall-clock text.
  const sqlTime = (d: Date) => d.toISOString().replace("Z", "");
  const zones = await db.creditor.findMany({
    where: opts.creditorId ? { id: opts.creditorId } : {},
    distinct: ["timeZone"],
    select: { timeZone: true },
    orderBy: { timeZone: "asc" },
  });
  const queue = zones.map((z) => z.timeZone);
  let zone = queue.shift();
  for (let i = 0; zone !== undefined && i < (opts.maxBatches ?? Number.MAX_SAFE_INTEGER); i++) {
    const [row] = await db.$queryRawUnsafe<{ scanned: number; advanced: number; settled: number; queued: number }[]>(
      TICK_SQL,
      sqlTime(opts.now),
      batchSize,
      opts.creditorId ?? null,
      opts.includeSwitchedOff ?? false,
      zone,
      sqlTime(wallClockIn(zone, opts.now)),
    );
    const batch = {
      scanned: Number(row?.scanned ?? 0),
      advanced: Number(row?.advanced ?? 0),
      settled: Number(row?.settled ?? 0),
      queued: Number(row?.queued ?? 0),
    };
    total.batches++;
    total.scanned += batch.scanned;
    total.advanced += batch.advanced;
    total.settled += batch.settled;
    total.queued += batch.queued;
    if (batch.scanned < batchSize) zone = queue.shift();
  }
  return total;
}
