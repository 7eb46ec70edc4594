import { wallClockIn } from "~/domain/clock";
import type { Db } from "~/utils/db.server";

/**
 * The dunning tick (ARCHITECTURE §4, issue 3): ONE set-based statement per batch.
 *
 * For up to `batchSize` invoices whose next action has come (not stopped, not
 * paused — or paused until a date that has passed), in a single statement and
 * so a single transaction:
 *   1. read the due dunning states of one partition of the due set (no row
 *      lock: see "Tick without row locks" in decision 003);
 *   2. advance each to the latest level whose date has come (a level missed
 *      during a pause is not replayed late) and schedule the one after (never
 *      sooner than tomorrow: at most one step a day). The UPDATE itself carries
 *      the conditions read in 1, so under READ COMMITTED a row another
 *      transaction changed meanwhile (a pause, a payment, another tick) is
 *      re-checked on its newest version and left alone when they no longer hold;
 *   3. write one OutboxMessage per invoice the UPDATE really advanced (from its
 *      RETURNING rows, never from the read), key `invoice:{id}:level:{n}`
 *      (unique: a second tick can never add another), grouped by debtor +
 *      template + day so the sender emails them together;
 *   4. clear due states whose invoice is settled or whose policy has no next level.
 * Two ticks keep apart by partition: the due set is split by a hash of the
 * invoice id, and a batch works in a partition only while it holds that
 * partition's transaction-level advisory lock (which writes no tuple); a tick
 * finding a partition held moves on to the next instead of waiting.
 * Creditors whose owner has not switched dunning on are skipped (their states wait, due).
 * Work is bounded per batch; a crash loses at most an uncommitted batch.
 *
 * Days are the creditor's (decision 012): the tick runs once per time zone,
 * $5 the zone and $6 its local clock reading written as UTC, against which
 * the stored day labels (`nextActionAt`, `pausedUntil`, due date + offset)
 * are compared; $1, the real instant, is what gets written. $7 keys the
 * partition locks (zone and scope), $8 is the partition.
 */
/**
 * Partitions of the due set: how many ticks can work at once without waiting
 * for each other. Each costs a walk of the due rows not yet done, so two.
 */
const PARTITIONS = 2;

const TICK_SQL = `
WITH claim AS (
  SELECT pg_try_advisory_xact_lock($7::int, $8::int) AS held
),
due AS (
  -- $6 is inlined (not joined from a CTE) so the planner walks the nextActionAt index.
  SELECT ds."invoiceId", ds."creditorId", ds."policyId", ds.level
  FROM "DunningState" ds
  WHERE (SELECT held FROM claim)
    AND ds."nextActionAt" <= $6::timestamp
    AND ds."stoppedAt" IS NULL
    AND (ds."pauseReason" IS NULL OR ds."pausedUntil" <= $6::timestamp)
    -- Partition $8 of two, written "<> the other one" so that the planner
    -- estimates it like the rest of the due set (an "=" on an expression it
    -- has no statistics for counts as 0.5 % of the rows, and a plan built for
    -- a handful of rows runs the 10 000 in quadratic time).
    AND (hashtext(ds."invoiceId") & 1) <> 1 - $8::int
    AND ($3::text IS NULL OR ds."creditorId" = $3::text)
    AND EXISTS (SELECT 1 FROM "Creditor" cz WHERE cz.id = ds."creditorId" AND cz."timeZone" = $5::text)
    -- A creditor is chased for only once its owner switched dunning on (go-live checklist); the simulation asks for all.
    AND ($4::boolean OR EXISTS (SELECT 1 FROM "Creditor" c WHERE c.id = ds."creditorId" AND c."dunningEnabled"))
  ORDER BY ds."nextActionAt"
  LIMIT $2
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
    -- What was read still holds: re-checked on the newest row version if a
    -- pause, a payment or another tick committed a change since the read.
    -- (The nextActionAt condition also lets the planner reach these rows
    -- through its index instead of hashing the whole table.)
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
SELECT (SELECT held FROM claim) AS held,
       (SELECT count(*) FROM due)::int AS scanned,
       (SELECT count(*) FROM advanced)::int AS advanced,
       (SELECT count(*) FROM settled)::int AS settled,
       (SELECT count(*) FROM queued)::int AS queued
`;

/** Invoices per tick transaction: bounds the work a crash can lose and how long rows stay locked. */
export const DEFAULT_TICK_BATCH = 10_000;

/**
 * The advisory lock's first key: the zone, and the creditor for a scoped tick
 * (the simulation's rolled-back transaction holds its locks to the end, and
 * must not keep the worker off a whole zone meanwhile). 32-bit FNV-1a.
 */
function partitionLockKey(zone: string, creditorId: string | undefined) {
  let h = 0x811c9dc5;
  for (const ch of `dunning-tick:${zone}:${creditorId ?? "*"}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  return h | 0;
}

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
  // Each (zone, partition) in turn; a partition held by another tick is its work, not ours.
  const queue = zones.flatMap((z) => Array.from({ length: PARTITIONS }, (_, partition) => ({ zone: z.timeZone, partition })));
  let part = queue.shift();
  for (let i = 0; part !== undefined && i < (opts.maxBatches ?? Number.MAX_SAFE_INTEGER); i++) {
    const [row] = await db.$queryRawUnsafe<{ held: boolean; scanned: number; advanced: number; settled: number; queued: number }[]>(
      TICK_SQL,
      sqlTime(opts.now),
      batchSize,
      opts.creditorId ?? null,
      opts.includeSwitchedOff ?? false,
      part.zone,
      sqlTime(wallClockIn(part.zone, opts.now)),
      partitionLockKey(part.zone, opts.creditorId),
      part.partition,
    );
    const batch = {
      scanned: Number(row?.scanned ?? 0),
      advanced: Number(row?.advanced ?? 0),
      settled: Number(row?.settled ?? 0),
      queued: Number(row?.queued ?? 0),
    };
    if (row?.held) total.batches++;
    total.scanned += batch.scanned;
    total.advanced += batch.advanced;
    total.settled += batch.settled;
    total.queued += batch.queued;
    if (!row?.held || batch.scanned < batchSize) part = queue.shift();
  }
  return total;
}
