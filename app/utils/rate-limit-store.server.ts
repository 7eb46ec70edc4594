import type { ClientRateLimitInfo, Options, Store } from "express-rate-limit";
import type { SqlRunner } from "./migrate.server";

// The window's end is read back as milliseconds left: no time-zone reading of a timestamp column.
type Row = { hits: number; msLeft: number };
const LEFT = `(extract(epoch FROM "resetAt" - now()) * 1000)::float8 AS "msLeft"`;
const info = (row: Row): ClientRateLimitInfo => ({ totalHits: row.hits, resetTime: new Date(Date.now() + Math.max(0, row.msLeft)) });

/**
 * express-rate-limit counters in the RateLimitCounter table, so every web
 * process on one PostgreSQL database counts the same client together (fixed
 * window, like the memory store). One upsert per hit; the database clock
 * decides when a window ends. docs/decisions/010-rate-limits.md says why not
 * a store package.
 */
export class SqlRateLimitStore implements Store {
  localKeys = false;
  private windowMs = 60_000;
  private lastSweep = 0;

  constructor(
    private readonly sql: SqlRunner,
    /** Names the limiter: two limiters on one table never share a count. */
    readonly prefix: string,
  ) {}

  init(options: Options) {
    this.windowMs = options.windowMs;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const [row] = await this.sql.query<Row>(`SELECT hits, ${LEFT} FROM "RateLimitCounter" WHERE key = $1 AND "resetAt" > now()`, [
      this.key(key),
    ]);
    return row ? info(row) : undefined;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    this.sweep();
    const [row] = await this.sql.query<Row>(
      `INSERT INTO "RateLimitCounter" (key, hits, "resetAt") VALUES ($1, 1, now() + make_interval(secs => $2::double precision / 1000))
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN "RateLimitCounter"."resetAt" <= now() THEN 1 ELSE "RateLimitCounter".hits + 1 END,
         "resetAt" = CASE WHEN "RateLimitCounter"."resetAt" <= now() THEN excluded."resetAt" ELSE "RateLimitCounter"."resetAt" END
       RETURNING hits, ${LEFT}`,
      [this.key(key), this.windowMs],
    );
    return info(row!);
  }

  async decrement(key: string) {
    await this.sql.query(`UPDATE "RateLimitCounter" SET hits = greatest(hits - 1, 0) WHERE key = $1 AND "resetAt" > now()`, [
      this.key(key),
    ]);
  }

  async resetKey(key: string) {
    await this.sql.query(`DELETE FROM "RateLimitCounter" WHERE key = $1`, [this.key(key)]);
  }

  async resetAll() {
    await this.sql.query(`DELETE FROM "RateLimitCounter" WHERE starts_with(key, $1)`, [`${this.prefix}:`]);
  }

  private key(key: string) {
    return `${this.prefix}:${key}`;
  }

  /** Ended windows are deleted at most once per window, by whichever process passes first. */
  private sweep() {
    const now = Date.now();
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    this.sql.query(`DELETE FROM "RateLimitCounter" WHERE "resetAt" < now()`).catch(() => {});
  }
}
