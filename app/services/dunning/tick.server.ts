import { wallClockIn } from "~/domain/clock";
import type { Db } from "~/utils/db.server";

/**
 * The dunning tick (ARCHITECTURE §4, issue 3): ONE set-based statement per batch.
 *
 * For up to `batchSize` invoices whose next action has come (not stopped, not
 * paused — or paused until a date that has passed), in a single statement and
 * so a single transaction:
 *   1. lock the due dunning states (FOR UPDATE SKIP LOCKED: a concurrent tick
 *      takes other rows instead of waiting for ours; decision 003 records why
 *      the lock-free alternatives measured were not kept);
 *   2. advance each to the latest level whose date has come (a level missed
 *      during a pause is not replayed late) and schedule the one after (never
 *      sooner than tomorrow: at most one step a day). The UPDATE also carries
 *      the conditions the row was chosen on, so it can never advance a row
 *      that no longer meets them;
 *   3. write one OutboxMessage per invoice the UPDATE really advanced (from its
 *      RETURNING rows), key `invoice:{id}:level:{n}` (unique: a second tick can
 *      never add another), grouped by debtor + template + day so the sender
 *      emails them together;
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
  -- $6 is inlined (not joined from a CTE) so the planner walks the nextActionAt index.
  SELECT ds."invoiceId", ds."creditorId", ds."policyId", ds.level
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
  -- Every due row, with the level to run; no level (invoice settled, policy
  -- exhausted) means "clear the schedule". Outer joins throughout, so the two
  -- UPDATEs below split one list instead of anti-joining CTEs, which the
  -- planner, blind to CTE sizes, would do row by row.
  SELECT due."invoiceId", due."creditorId", due."policyId", due.level, i."debtorId", i."dueDate",
         cur.position, cur.channel, cur."templateKey", cur.tone,
         nxt."offsetDays" AS next_offset
  FROM due
  LEFT JOIN "Invoice" i ON i.id = due."invoiceId" AND i."creditorId" = due."creditorId" AND i.status IN ('OPEN', 'PARTIALLY_PAID')
  -- The latest level whose date has come (older ones are not replayed after a
  -- pause), or simply the next one when an event made it due early.
  LEFT JOIN LATERAL (
    SELECT GREATEST(due.level + 1, max(l.position)) AS position
    FROM "DunningLevel" l
    WHERE l."policyId" = due."policyId" AND l.position > due.level
      AND (i."dueDate" + l."offsetDays") <= $6::date
  ) target ON i.id IS NOT NULL
  LEFT JOIN "DunningLevel" cur ON cur."policyId" = due."policyId" AND cur.position = target.position
  LEFT JOIN "DunningLevel" nxt ON nxt."policyId" = due."policyId" AND nxt.position = cur.position + 1
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
    AND step.position IS NOT NULL
    -- The conditions the row was chosen on (true for a row locked above; they
    -- keep the UPDATE right on its own). The nextActionAt one also lets the
    -- planner reach these rows through its index instead of hashing the whole table.
    AND ds.level = step.level
    AND ds."policyId" = step."policyId"
    AND ds."nextActionAt" <= $6::timestamp
    AND ds."stoppedAt" IS NULL
    AND (ds."pauseReason" IS NULL OR ds."pausedUntil" <= $6::timestamp)
  RETURNING step."invoiceId", step."creditorId", step."debtorId", step.position, step.channel, step."templateKey", step.tone
),
settled AS (
  UPDATE "DunningState" ds
  SET "nextActionAt" = NULL, "updatedAt" = $1::timestamp
  FROM step
  WHERE ds."invoiceId" = step."invoiceId"
    AND step.position IS NULL
    AND ds.level = step.level
    AND ds."policyId" = step."policyId"
    AND ds."nextActionAt" <= $6::timestamp
    AND ds."stoppedAt" IS NULL
    AND (ds."pauseReason" IS NULL OR ds."pausedUntil" <= $6::timestamp)
  RETURNING 1
),
queued AS (
  INSERT INTO "OutboxMessage"
    (id, "creditorId", "debtorId", "invoiceId", "idempotencyKey", "groupKey", channel,
     "levelPosition", "templateKey", tone, status, attempts, "availableAt", "createdAt")
  SELECT gen_random_uuid()::text, a."creditorId", a."debtorId", a."invoiceId",
         'invoice:' || a."invoiceId" || ':level:' || a.position,
         'debtor:' || a."debtorId" || ':' || a.channel || ':' || a."templateKey" || ':' || to_char($6::timestamp, 'YYYY-MM-DD'),
         a.channel, a.position, a."templateKey", a.tone, 'PENDING', 0, $1::timestamp, $1::timestamp
  FROM advanced a
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
