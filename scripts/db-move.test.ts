import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { seedDemo } from "../prisma/seed";
import { dropDatabase } from "../app/testing/db";
import { isPostgresUrl, openPglite, type Database } from "~/utils/db.server";
import { checksum, main, moveDatabase } from "./db-move";

const url = process.env.DATABASE_URL;
const withDatabase = (base: string, name: string) => Object.assign(new URL(base), { pathname: `/${name}` }).toString();

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: withDatabase(url!, "postgres") });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { log: (l: string) => void out.push(l), error: (l: string) => void err.push(l) }, out, err };
}

describe("npm run db:move: arguments", () => {
  it("lists what is wrong, exit 2", async () => {
    const { io, err } = capture();
    expect(await main(["--to", "mysql://x", "--force"], {}, io)).toBe(2);
    expect(err).toEqual(
      expect.arrayContaining(["error: unknown flag --force", 'error: --to must be a postgresql:// URL, not "mysql://x"']),
    );
    const fromPg = capture();
    expect(await main(["--to", "postgresql://a/b"], { DATABASE_URL: "postgresql://a/c" }, fromPg.io)).toBe(2);
    expect(fromPg.err[0]).toMatch(/DATABASE_URL already names PostgreSQL/);
  });
});

describe.skipIf(!isPostgresUrl(url))("npm run db:move: the demo data into a fresh PostgreSQL database", () => {
  let source: Database;
  const names: string[] = [];
  const fresh = async () => {
    const name = `relance_move_${crypto.randomBytes(5).toString("hex")}`;
    await admin(`CREATE DATABASE "${name}"`);
    names.push(name);
    return withDatabase(url!, name);
  };

  beforeAll(async () => {
    source = await openPglite(null);
    await seedDemo(source.prisma);
  });
  afterAll(async () => {
    await source.close();
    for (const name of names) await dropDatabase(url!, name);
  });

  it("copies every table: row counts and checksums equal, and the app's queries read the same", async () => {
    const target = await fresh();
    const { io, out } = capture();
    const { checks, rows } = await moveDatabase(source.sql, target, io);
    expect(checks.length).toBeGreaterThan(20);
    const mismatched = checks.filter((c) => !c.ok);
    expect(mismatched).toEqual([]);
    const byTable = Object.fromEntries(checks.map((c) => [c.table, c]));
    expect(byTable.Invoice!.sourceRows).toBe(await source.prisma.invoice.count());
    expect(byTable.Invoice!.sourceRows).toBeGreaterThan(0);
    expect(byTable.Communication!.targetRows).toBe(await source.prisma.communication.count());
    expect(rows).toBe(checks.reduce((n, c) => n + c.sourceRows, 0));
    expect(out[0]).toMatch(/^Target migrated \(\d+ migrations\)\.$/);

    // Independent check of the copy, through SQL on the target itself.
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    try {
      const { rows: users } = await client.query(`SELECT email, "passwordHash" FROM "User" ORDER BY email`);
      const expected = await source.prisma.user.findMany({ orderBy: { email: "asc" }, select: { email: true, passwordHash: true } });
      expect(users).toEqual(expected);
      const { rows: migrations } = await client.query(`SELECT count(*)::int AS n FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`);
      expect(migrations[0].n).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
  });

  it("a checksum notices a changed row", async () => {
    const target = await fresh();
    await moveDatabase(source.sql, target, capture().io);
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    const db = { query: async <T>(sql: string) => (await client.query(sql)).rows as T[] };
    try {
      expect(await checksum(db, "Debtor")).toEqual(await checksum(source.sql, "Debtor"));
      await client.query(`UPDATE "Debtor" SET name = name || '.' WHERE id = (SELECT min(id) FROM "Debtor")`);
      const changed = await checksum(db, "Debtor");
      const original = await checksum(source.sql, "Debtor");
      expect(changed.n).toBe(original.n);
      expect(changed.sum).not.toBe(original.sum);
    } finally {
      await client.end();
    }
  });

  it("the command over an embedded folder: prints the table and a RESULT line, exit 0", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "relance-move-"));
    const folder = await openPglite(path.join(dir, "pglite"));
    await seedDemo(folder.prisma);
    await folder.close();
    const target = await fresh();
    const { io, out, err } = capture();
    expect(await main(["--to", target], { DATABASE_URL: `file:${path.join(dir, "pglite")}` }, io)).toBe(0);
    expect(err).toEqual([]);
    expect(out.some((l) => /^Invoice\s+\d+\s+\d+\s+[0-9a-f]{32}\s+yes$/.test(l))).toBe(true);
    expect(out.find((l) => l.startsWith("RESULT"))).toMatch(/^RESULT db:move tables=\d+ rows=\d+ mismatches=0 seconds=[\d.]+ OK$/);
    // Run again into the same, now full, database: refused.
    const again = capture();
    expect(await main(["--to", target], { DATABASE_URL: `file:${path.join(dir, "pglite")}` }, again.io)).toBe(1);
    expect(again.err[0]).toMatch(/target database is not empty/);
  });

  it("refuses a target that is not empty, and leaves it untouched", async () => {
    const target = await fresh();
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    await client.query(`CREATE TABLE keep_me (id int)`);
    await client.end();
    const { io, err } = capture();
    await expect(moveDatabase(source.sql, target, io)).rejects.toThrow(/target database is not empty \(public\.keep_me\)/);
    expect(err).toEqual([]);
    const check = new pg.Client({ connectionString: target });
    await check.connect();
    const { rows } = await check.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`);
    await check.end();
    expect(rows[0].n).toBe(1);
  });
});
