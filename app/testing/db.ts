import crypto from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { isPostgresUrl, openPglite, openPostgres, setDatabase, type Database } from "~/utils/db.server";
import { applyMigrations } from "~/utils/migrate.server";

/**
 * One fresh database per test file: in-memory PGlite by default, or a new
 * PostgreSQL database (copied from a migrated template) when DATABASE_URL is
 * a postgres URL. Tests inside a file isolate themselves by creating their own
 * creditor (tenant) through the factories.
 */
export async function createTestDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (!isPostgresUrl(url)) return openPglite(null);
  const template = await ensureTemplate(url);
  const name = `relance_test_${crypto.randomBytes(6).toString("hex")}`;
  await adminQuery(url, `CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  const database = await openPostgres(withDatabase(url, name), { max: 5 });
  return {
    ...database,
    close: async () => {
      await database.close();
      await dropDatabase(url, name);
    },
  };
}

function withDatabase(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function adminQuery(url: string, sql: string) {
  const client = new pg.Client({ connectionString: withDatabase(url, "postgres") });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Drops a scratch database. WITH (FORCE) can be refused while an autovacuum
 * worker (not our role) is on it, and a plain DROP while a connection is still
 * closing: both pass a moment later. A database left behind is not a test
 * failure, so after the retries it is only reported.
 */
export async function dropDatabase(url: string, name: string) {
  let last: unknown = null;
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      await adminQuery(url, `DROP DATABASE IF EXISTS "${name}"${attempt % 2 === 0 ? " WITH (FORCE)" : ""}`);
      return;
    } catch (error) {
      last = error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  console.warn(`test database ${name} left behind: ${(last as Error).message}`);
}

/** Renames a freshly built database; false when the name is taken (another worker built it first). */
async function renameDatabase(url: string, from: string, to: string) {
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      await adminQuery(url, `ALTER DATABASE "${from}" RENAME TO "${to}"`);
      return true;
    } catch (error) {
      const taken = await adminQuery(url, `SELECT 1 FROM pg_database WHERE datname = '${to}'`);
      if (taken.rowCount) return false;
      // Still in use for a moment (an autovacuum worker on the new database): try again.
      if (attempt === 19) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  return false;
}

/** A migrated template database named after the migrations' checksum, built once. */
async function ensureTemplate(url: string) {
  const { listMigrations } = await import("~/utils/migrate.server");
  const hash = crypto
    .createHash("sha256")
    .update(
      listMigrations()
        .map((m) => m.checksum)
        .join(),
    )
    .digest("hex")
    .slice(0, 12);
  const name = `relance_tpl_${hash}`;
  const exists = await adminQuery(url, `SELECT 1 FROM pg_database WHERE datname = '${name}'`);
  if (exists.rowCount) return name;
  const building = `${name}_${process.pid}`;
  await adminQuery(url, `CREATE DATABASE "${building}"`);
  const client = new pg.Client({ connectionString: withDatabase(url, building) });
  await client.connect();
  await applyMigrations({
    exec: async (t) => void (await client.query(t)),
    query: async <T>(t: string, p?: unknown[]) => (await client.query(t, p)).rows as T[],
  });
  await client.end();
  // Another worker may have won the race: then use its template.
  if (!(await renameDatabase(url, building, name))) await dropDatabase(url, building);
  return name;
}

/** Installs a fresh database for the current test file. */
export function useTestDatabase(): { get: () => Database } {
  let database: Database | null = null;
  beforeAll(async () => {
    database = await createTestDatabase();
    setDatabase(database);
  });
  afterAll(async () => {
    setDatabase(null);
    await database?.close();
  });
  return {
    get: () => {
      if (!database) throw new Error("test database not ready");
      return database;
    },
  };
}
