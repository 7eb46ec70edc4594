import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { dropDatabase } from "../../app/testing/db";

const run = promisify(execFile);
const prisma = path.resolve("node_modules/.bin/prisma");

async function cli(args: string[], databaseUrl: string) {
  try {
    const { stdout, stderr } = await run(prisma, args, { env: { ...process.env, DATABASE_URL: databaseUrl }, timeout: 60_000 });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, out: (e.stdout ?? "") + (e.stderr ?? "") };
  }
}

const isPostgres = process.env.DATABASE_URL?.startsWith("postgres");

async function target(): Promise<{ url: string; cleanup: () => Promise<void> }> {
  if (!isPostgres) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "relance-cli-"));
    return { url: `file:${dir}/db`, cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const base = new URL(process.env.DATABASE_URL!);
  const name = `relance_cli_${process.pid}`;
  const admin = new URL(base);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await client.query(`CREATE DATABASE "${name}"`);
  await client.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    cleanup: () => dropDatabase(base.toString(), name),
  };
}

describe(`Prisma CLI through the wasm schema-engine bridge (${isPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  it("migrate deploy, then status is up to date and diff from migrations to schema is empty", async () => {
    const db = await target();
    try {
      const deploy = await cli(["migrate", "deploy"], db.url);
      expect(deploy.out).toContain("All migrations have been successfully applied");
      expect(deploy.code).toBe(0);

      const status = await cli(["migrate", "status"], db.url);
      expect(status.out).toContain("Database schema is up to date");

      const diff = await cli(
        ["migrate", "diff", "--from-migrations", "prisma/migrations", "--to-schema", "prisma/schema.prisma", "--exit-code"],
        db.url,
      );
      expect(diff.out).toContain("No difference detected");
      expect(diff.code).toBe(0);
    } finally {
      await db.cleanup();
    }
  }, 90_000);

  it("the migrations the app applies itself are the ones the CLI sees as applied", async () => {
    const { openDatabase } = await import("~/utils/db.server");
    const db = await target();
    try {
      const database = await openDatabase(db.url, { migrate: true });
      await database.close();
      const status = await cli(["migrate", "status"], db.url);
      expect(status.out).toContain("Database schema is up to date");
    } finally {
      await db.cleanup();
    }
  }, 90_000);

  it("reports an unreachable server as a Prisma error, not a hang", async () => {
    const started = Date.now();
    const result = await cli(["migrate", "status"], "postgresql://nobody:nothing@127.0.0.1:1/none");
    expect(result.code).not.toBe(0);
    expect(result.out).toMatch(/P1001|Can't reach database server/);
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 40_000);
});
