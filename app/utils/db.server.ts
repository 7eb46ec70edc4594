import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "~/generated/prisma/client";
import { logger } from "./logger.server";
import { applyMigrations, type SqlRunner } from "./migrate.server";
import { singleton } from "./singleton.server";

export { Prisma } from "~/generated/prisma/client";
export type { PrismaClient };
/** A client or an interactive transaction: services accept either. */
export type Db = PrismaClient | Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

/**
 * Runs `work` in the caller's transaction, or in a new one when given the root
 * client: the checks and writes of a door hold together and a failure undoes
 * the lot. A transaction client has no $connect (its $transaction would ask for
 * a savepoint, which PGlite's adapter lacks), which is how the two are told apart.
 */
export function inTransaction<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  const root = typeof (db as Partial<PrismaClient>).$connect === "function";
  return root ? (db as PrismaClient).$transaction((tx) => work(tx), { timeout: 30_000 }) : work(db);
}

export type Database = {
  kind: "postgres" | "pglite";
  prisma: PrismaClient;
  /** Raw SQL for set-based work (the dunning tick) and migrations. */
  sql: SqlRunner;
  close(): Promise<void>;
};

export const DEFAULT_PGLITE_URL = "file:./data/pglite";

export function isPostgresUrl(url: string | undefined): url is string {
  return !!url && /^postgres(ql)?:\/\//.test(url);
}

export function pgliteDir(url: string) {
  return path.resolve(process.cwd(), url.replace(/^file:/, ""));
}

/** PGlite is single-process: a lock file keeps a second process (CLI, second server) out. */
function acquireLock(dir: string) {
  fs.mkdirSync(dir, { recursive: true });
  const lock = path.join(dir, "..", `${path.basename(dir)}.lock`);
  try {
    const pid = Number(fs.readFileSync(lock, "utf8"));
    if (pid && pid !== process.pid && processAlive(pid)) {
      throw new Error(
        `The embedded database ${dir} is in use by process ${pid} (a running relance server?). ` + `Stop it first, or use the running app.`,
      );
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  fs.writeFileSync(lock, String(process.pid));
  return () => {
    try {
      if (fs.readFileSync(lock, "utf8") === String(process.pid)) fs.unlinkSync(lock);
    } catch {
      /* already gone */
    }
  };
}

function processAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export async function openPglite(dataDir: string | null, opts: { migrate?: boolean } = {}): Promise<Database> {
  const release = dataDir ? acquireLock(dataDir) : () => {};
  const pglite = dataDir ? new PGlite(dataDir) : new PGlite();
  await pglite.waitReady;
  const sql: SqlRunner = {
    exec: async (text) => {
      await pglite.exec(text);
    },
    query: async <T>(text: string, params?: unknown[]) => (await pglite.query<T>(text, params as never)).rows,
  };
  if (opts.migrate !== false) await applyMigrations(sql);
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    kind: "pglite",
    prisma,
    sql,
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
      release();
    },
  };
}

export async function openPostgres(url: string, opts: { migrate?: boolean; max?: number } = {}): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10 });
  // An idle connection dropped by the server (a restart, a failover) is reported here and
  // removed from the pool; without a listener the 'error' event would kill the process.
  // The next query opens a fresh connection.
  pool.on("error", (error) => logger.warn({ err: error }, "PostgreSQL connection lost; the pool reconnects on the next query"));
  const sql: SqlRunner = {
    exec: async (text) => {
      await pool.query(text);
    },
    query: async <T>(text: string, params?: unknown[]) => (await pool.query(text, params)).rows as T[],
  };
  if (opts.migrate) {
    const client = await pool.connect();
    try {
      // Same lock id as Prisma's migrate, so concurrent starters wait for each other.
      await client.query("SELECT pg_advisory_lock(72707369)");
      await applyMigrations({
        exec: async (t) => void (await client.query(t)),
        query: async <T>(t: string, p?: unknown[]) => (await client.query(t, p)).rows as T[],
      });
    } finally {
      await client.query("SELECT pg_advisory_unlock(72707369)").catch(() => {});
      client.release();
    }
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    kind: "postgres",
    prisma,
    sql,
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/** Opens the database named by DATABASE_URL (PostgreSQL) or the embedded PGlite folder. */
export async function openDatabase(url: string | undefined, opts: { migrate?: boolean } = {}): Promise<Database> {
  if (isPostgresUrl(url)) return openPostgres(url, opts);
  return openPglite(pgliteDir(url ?? DEFAULT_PGLITE_URL), { migrate: opts.migrate ?? true });
}

type Holder = { database: Database | null };
const holder = singleton<Holder>("database", () => ({ database: null }));

/** Installs the process-wide database (done once at boot, or by tests). */
export function setDatabase(database: Database | null) {
  holder.database = database;
}

export function getDatabase(): Database {
  if (!holder.database) throw new Error("Database not initialised: call setDatabase() at boot");
  return holder.database;
}

/** The process-wide Prisma client. */
export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, prop) {
    const client = getDatabase().prisma as unknown as Record<PropertyKey, unknown>;
    const value = client[prop];
    return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(client) : value;
  },
});
