import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * Applies pending `prisma/migrations/*\/migration.sql` files in-process, recording
 * them in `_prisma_migrations` exactly as `prisma migrate deploy` does (same table,
 * same sha256 checksum), so `prisma migrate status` agrees afterwards.
 * Used at start-up in embedded mode (PGlite cannot be opened by a second process)
 * and to build test databases. Production on PostgreSQL runs `prisma migrate deploy`.
 */
export type SqlRunner = {
  /** Runs a multi-statement script as one simple query. */
  exec(sql: string): Promise<void>;
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
};

export const MIGRATIONS_DIR = path.resolve(process.cwd(), "prisma/migrations");

export function listMigrations(dir = MIGRATIONS_DIR) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: crypto.createHash("sha256").update(sql).digest("hex") };
    });
}

export async function applyMigrations(runner: SqlRunner, dir = MIGRATIONS_DIR): Promise<string[]> {
  await runner.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum" VARCHAR(64) NOT NULL,
    "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL,
    "logs" TEXT,
    "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
  )`);
  const rows = await runner.query<{ migration_name: string; finished_at: Date | null; rolled_back_at: Date | null }>(
    `SELECT migration_name, finished_at, rolled_back_at FROM "_prisma_migrations"`,
  );
  const failed = rows.find((r) => !r.finished_at && !r.rolled_back_at);
  if (failed) {
    throw new Error(`Migration ${failed.migration_name} failed earlier; resolve it with "npx prisma migrate resolve" before starting.`);
  }
  const applied = new Set(rows.filter((r) => r.finished_at).map((r) => r.migration_name));
  const done: string[] = [];
  for (const m of listMigrations(dir)) {
    if (applied.has(m.name)) continue;
    const id = crypto.randomUUID();
    await runner.exec("BEGIN");
    try {
      await runner.query(`INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())`, [
        id,
        m.checksum,
        m.name,
      ]);
      await runner.exec(m.sql);
      await runner.query(`UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`, [id]);
      await runner.exec("COMMIT");
    } catch (error) {
      await runner.exec("ROLLBACK");
      throw new Error(`Migration ${m.name} failed: ${(error as Error).message}`);
    }
    done.push(m.name);
  }
  return done;
}
