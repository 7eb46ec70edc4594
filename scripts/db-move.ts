/**
 * `npm run db:move -- --to postgresql://user:pass@host:5432/relance`
 * Copies the embedded database (the PGlite folder of DATABASE_URL, ./data/pglite
 * by default) into an EMPTY PostgreSQL database: the target is migrated with
 * the project's migrations, every table is copied in foreign-key order in one
 * transaction, then each table's row count and checksum (md5 of its rows'
 * text, sorted) are compared on both sides. Prints a table and a RESULT line;
 * exit 0 only when every table matches. Refuses a non-empty target, and (the
 * single-process rule) an embedded database a running server holds.
 */
import pg from "pg";
import { isEntryPoint, parseFlags, usage, type Io } from "~/services/onboarding/operator.server";
import { isPostgresUrl, openPglite, pgliteDir, DEFAULT_PGLITE_URL } from "~/utils/db.server";
import { applyMigrations, type SqlRunner } from "~/utils/migrate.server";

const FLAGS = { to: { required: true, help: "the empty PostgreSQL database to copy into (postgresql://…)" } };
/** Rows per INSERT; a table whose rows point at each other (a counter-proposal → its plan) goes in one statement. */
const BATCH = 2000;
const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export type TableCheck = { table: string; sourceRows: number; targetRows: number; sourceMd5: string; targetMd5: string; ok: boolean };

type Client = { query<T>(sql: string, params?: unknown[]): Promise<T[]> };

/** md5 of the table's rows as text, sorted byte-wise: equal on both sides iff the same rows are there. */
export async function checksum(db: Client, table: string) {
  const [row] = await db.query<{ n: number; sum: string }>(
    `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text COLLATE "C"), '')) AS sum FROM ${quote(table)} t`,
  );
  return row!;
}

/** The tables of the public schema, each after the tables it references. */
async function tablesInDependencyOrder(db: Client) {
  const tables = (
    await db.query<{ name: string }>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY 1`,
    )
  ).map((r) => r.name);
  const edges = await db.query<{ child: string; parent: string }>(
    `SELECT c.relname AS child, p.relname AS parent FROM pg_constraint k
       JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE k.contype = 'f' AND n.nspname = 'public'`,
  );
  const parents = new Map(tables.map((t) => [t, new Set<string>()]));
  const selfReferencing = new Set<string>();
  for (const { child, parent } of edges) {
    if (child === parent) selfReferencing.add(child);
    else parents.get(child)?.add(parent);
  }
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const ready = tables.filter((t) => !placed.has(t) && [...parents.get(t)!].every((p) => placed.has(p)));
    if (ready.length === 0) throw new Error(`foreign keys form a cycle between ${tables.filter((t) => !placed.has(t)).join(", ")}`);
    for (const t of ready) {
      ordered.push(t);
      placed.add(t);
    }
  }
  return { ordered, selfReferencing };
}

async function targetIsEmpty(client: pg.Client) {
  const { rows } = await client.query<{ name: string }>(
    `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1 LIMIT 5`,
  );
  return rows.map((r) => r.name);
}

/**
 * The move itself, from an open source (PGlite, already migrated) to the
 * target URL. Throws when the target is not empty; returns one check per table.
 */
export async function moveDatabase(source: SqlRunner, targetUrl: string, io: Io): Promise<{ checks: TableCheck[]; rows: number }> {
  const client = new pg.Client({ connectionString: targetUrl });
  await client.connect();
  const target: Client = { query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[] };
  try {
    const present = await targetIsEmpty(client);
    if (present.length)
      throw new Error(
        `the target database is not empty (${present.join(", ")}${present.length === 5 ? ", …" : ""}): db:move only copies into an empty database`,
      );
    // Timestamps with time zone read the same on both sides.
    await source.exec(`SET TimeZone = 'UTC'`);
    await client.query(`SET TimeZone = 'UTC'`);
    const applied = await applyMigrations({ exec: async (sql) => void (await client.query(sql)), query: target.query });
    io.log(`Target migrated (${applied.length} migrations).`);

    const { ordered, selfReferencing } = await tablesInDependencyOrder(target);
    let rows = 0;
    await client.query("BEGIN");
    try {
      for (const table of ordered) {
        const batch = selfReferencing.has(table) ? Number.MAX_SAFE_INTEGER : BATCH;
        for (let offset = 0; ; offset += batch) {
          const [chunk] = await source.query<{ rows: string | null; n: number }>(
            `SELECT json_agg(t)::text AS rows, count(*)::int AS n FROM (SELECT * FROM ${quote(table)} ORDER BY ctid LIMIT ${batch === Number.MAX_SAFE_INTEGER ? "ALL" : batch} OFFSET ${offset}) t`,
          );
          if (!chunk?.n) break;
          await client.query(`INSERT INTO ${quote(table)} SELECT * FROM json_populate_recordset(NULL::${quote(table)}, $1::json)`, [
            chunk.rows,
          ]);
          rows += chunk.n;
          if (chunk.n < batch) break;
        }
      }
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK");
      throw error;
    }

    const checks: TableCheck[] = [];
    for (const table of ordered) {
      const [a, b] = await Promise.all([checksum(source, table), checksum(target, table)]);
      checks.push({ table, sourceRows: a.n, targetRows: b.n, sourceMd5: a.sum, targetMd5: b.sum, ok: a.n === b.n && a.sum === b.sum });
    }
    return { checks, rows };
  } finally {
    await client.end();
  }
}

export function report(checks: TableCheck[], seconds: number, io: Io) {
  const width = Math.max(...checks.map((c) => c.table.length), 5);
  io.log(`${"table".padEnd(width)}  ${"source".padStart(8)}  ${"target".padStart(8)}  md5 (source)                      match`);
  for (const c of checks) {
    io.log(
      `${c.table.padEnd(width)}  ${String(c.sourceRows).padStart(8)}  ${String(c.targetRows).padStart(8)}  ${c.sourceMd5}  ${c.ok ? "yes" : `NO (target ${c.targetMd5})`}`,
    );
  }
  const bad = checks.filter((c) => !c.ok);
  const rows = checks.reduce((n, c) => n + c.targetRows, 0);
  io.log(
    `RESULT db:move tables=${checks.length} rows=${rows} mismatches=${bad.length} seconds=${seconds.toFixed(1)} ${bad.length ? "FAILED" : "OK"}`,
  );
  return bad.length === 0;
}

/** The command: 0 copied and verified, 1 refused or mismatched, 2 bad arguments. */
export async function main(
  argv: string[],
  env: { DATABASE_URL?: string },
  io: Io = { log: console.log, error: console.error },
): Promise<number> {
  const { values, problems } = parseFlags(argv, FLAGS);
  if (values.to && !isPostgresUrl(values.to)) problems.push(`--to must be a postgresql:// URL, not "${values.to}"`);
  if (isPostgresUrl(env.DATABASE_URL))
    problems.push("DATABASE_URL already names PostgreSQL: db:move copies the embedded database (a file: DATABASE_URL, or none)");
  if (problems.length) {
    for (const p of problems) io.error(`error: ${p}`);
    io.error(usage("db:move", FLAGS));
    return 2;
  }
  const started = Date.now();
  let source;
  try {
    // The same lock as the server's: refused while a running relance holds the folder. Pending migrations are applied, as a start would.
    source = await openPglite(pgliteDir(env.DATABASE_URL ?? DEFAULT_PGLITE_URL));
  } catch (error) {
    io.error(`error: ${(error as Error).message}`);
    return 1;
  }
  try {
    const { checks } = await moveDatabase(source.sql, values.to!, io);
    const ok = report(checks, (Date.now() - started) / 1000, io);
    if (ok)
      io.log(
        `Done. Point DATABASE_URL at the new database and restart; keep ${pgliteDir(env.DATABASE_URL ?? DEFAULT_PGLITE_URL)} as a backup.`,
      );
    return ok ? 0 : 1;
  } catch (error) {
    io.error(`error: ${(error as Error).message}`);
    return 1;
  } finally {
    await source.close();
  }
}

if (isEntryPoint(import.meta.url)) process.exit(await main(process.argv.slice(2), { DATABASE_URL: process.env.DATABASE_URL }));
