import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fixedClock } from "~/domain/clock";
import { acceptInvitation, findOpenInvitation } from "~/services/accounts/team.server";
import { authenticateApiKey } from "~/services/api/keys.server";
import { openPglite } from "~/utils/db.server";
import { verifyLogin } from "~/utils/staff-session.server";
import { useTestDatabase } from "../app/testing/db";
import { main as apiKeyCreate } from "./api-key-create";
import { main as creditorCreate } from "./creditor-create";

const database = useTestDatabase();
const db = () => database.get().prisma;

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { log: (l: string) => void out.push(l), error: (l: string) => void err.push(l) }, out, err };
}

describe("npm run creditor:create", () => {
  it("creates the creditor and prints a one-time invitation link with which the owner chooses a password", async () => {
    const { io, out, err } = capture();
    const code = await creditorCreate(
      ["--legal-name", "Forge Martin SAS", "--siren", "732 829 320", "--owner-email", "Paul@Forge.test", "--locale", "en"],
      db(),
      io,
    );
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const creditor = await db().creditor.findUniqueOrThrow({ where: { slug: "forge-martin-sas" }, include: { policies: true } });
    expect(creditor).toMatchObject({
      legalName: "Forge Martin SAS",
      siren: "732829320",
      contactEmail: "paul@forge.test",
      defaultLocale: "en",
    });
    expect(creditor.policies).toHaveLength(1);

    const link = out.find((l) => l.includes("/invitations/"))!;
    expect(link).toMatch(/^http:\/\/localhost:3000\/invitations\/[A-Za-z0-9_-]{43}$/);
    const token = link.split("/").pop()!;
    const stored = await db().staffInvitation.findFirstOrThrow({ where: { creditorId: creditor.id } });
    expect(stored.tokenHash).not.toContain(token);
    expect(await findOpenInvitation(db(), token, new Date())).toMatchObject({ email: "paul@forge.test", role: "OWNER" });

    const owner = await acceptInvitation(db(), token, { name: "Paul Martin", password: "une phrase assez longue" }, fixedClock(new Date()));
    expect(owner.creditorId).toBe(creditor.id);
    expect((await verifyLogin("paul@forge.test", "une phrase assez longue"))?.role).toBe("OWNER");
    // Single use.
    expect(await findOpenInvitation(db(), token, new Date())).toBeNull();
  });

  it("refuses a duplicate: same SIREN, or an owner address that already has an account", async () => {
    const first = capture();
    expect(
      await creditorCreate(["--legal-name", "Dupont SA", "--siren", "552100554", "--owner-email", "a@dupont.test"], db(), first.io),
    ).toBe(0);

    const again = capture();
    expect(
      await creditorCreate(["--legal-name", "Dupont SA bis", "--siren", "552100554", "--owner-email", "b@dupont.test"], db(), again.io),
    ).toBe(1);
    expect(again.err.join("\n")).toMatch(/creditor with SIREN 552100554 already exists \(slug "dupont-sa"\)/);

    const { email: taken } = await db().user.create({
      data: { creditorId: (await db().creditor.findFirstOrThrow()).id, email: "taken@dupont.test", name: "Taken" },
    });
    const sameOwner = capture();
    expect(await creditorCreate(["--legal-name", "Autre SARL", "--siren", "443061841", "--owner-email", taken], db(), sameOwner.io)).toBe(
      1,
    );
    expect(sameOwner.err.join("\n")).toContain(`${taken} already has a relance account`);
    expect(await db().creditor.count({ where: { siren: "443061841" } })).toBe(0);
  });

  it("lists every bad argument, with a non-zero exit: invalid SIREN, unknown flag, missing value, missing flag", async () => {
    const bad = capture();
    expect(await creditorCreate(["--legal-name", "X SAS", "--siren", "732829321", "--owner-email", "x@x.test"], db(), bad.io)).toBe(2);
    expect(bad.err[0]).toBe('error: --siren "732829321" is not a valid SIREN (9 digits whose Luhn checksum is correct)');

    const many = capture();
    expect(await creditorCreate(["--legal-name", "--colour", "blue", "--siren"], db(), many.io)).toBe(2);
    const text = many.err.join("\n");
    expect(text).toContain("error: unknown flag --colour");
    expect(text).not.toContain("blue");
    expect(text).toContain("error: --legal-name needs a value");
    expect(text).toContain("error: --siren needs a value");
    expect(text).toContain("error: --owner-email is required");
    expect(text).toContain("usage: npm run creditor:create -- --legal-name … --siren … --owner-email …");
    expect(await db().creditor.count({ where: { legalName: "X SAS" } })).toBe(0);
  });
});

describe("npm run api-key:create", () => {
  it("prints a working key once, for the creditor named by its slug; refuses an unknown slug and a duplicate name", async () => {
    const setup = capture();
    expect(
      await creditorCreate(["--legal-name", "Clés & Co", "--siren", "356000000", "--owner-email", "owner@cles.test"], db(), setup.io),
    ).toBe(0);
    const creditor = await db().creditor.findUniqueOrThrow({ where: { slug: "cles-co" } });

    const { io, out } = capture();
    expect(await apiKeyCreate(["--creditor", "cles-co", "--name", "ERP sync"], db(), io)).toBe(0);
    const key = out.find((l) => l.startsWith("rl_"))!;
    expect(await authenticateApiKey(db(), `Bearer ${key}`, new Date())).toMatchObject({ creditorId: creditor.id });
    const row = await db().apiKey.findFirstOrThrow({ where: { creditorId: creditor.id } });
    expect(row.hash).not.toContain(key.split("_")[2]);

    const unknown = capture();
    expect(await apiKeyCreate(["--creditor", "nobody", "--name", "x"], db(), unknown.io)).toBe(1);
    expect(unknown.err[0]).toBe('error: no creditor with the slug "nobody".');

    const dup = capture();
    expect(await apiKeyCreate(["--creditor", "cles-co", "--name", "ERP sync"], db(), dup.io)).toBe(1);
    expect(dup.err[0]).toMatch(/an active API key named "ERP sync" already exists for cles-co/);

    const missing = capture();
    expect(await apiKeyCreate(["--creditor", "cles-co", "--nmae", "x"], db(), missing.io)).toBe(2);
    expect(missing.err).toEqual(expect.arrayContaining(["error: unknown flag --nmae", "error: --name is required"]));
    expect(await db().apiKey.count({ where: { creditorId: creditor.id } })).toBe(1);
  });
});

describe("the scripts as processes", () => {
  const tsx = path.resolve("node_modules/.bin/tsx");
  const env = (dir: string): NodeJS.ProcessEnv => ({
    ...process.env,
    DATABASE_URL: `file:${path.join(dir, "pglite")}`,
    DATA_DIR: dir,
    NODE_ENV: "development",
  });

  it("an invalid SIREN exits with code 2 and says so", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "relance-cli-"));
    const run = spawnSync(
      tsx,
      ["scripts/creditor-create.ts", "--legal-name", "X SAS", "--siren", "123456789", "--owner-email", "x@x.test"],
      { env: env(dir), encoding: "utf8" },
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--siren "123456789" is not a valid SIREN');
    expect(run.stdout).toBe("");
  });

  it("on the embedded database, refuses while another process holds the folder", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "relance-cli-"));
    const held = await openPglite(path.join(dir, "pglite"));
    try {
      const run = spawnSync(tsx, ["scripts/api-key-create.ts", "--creditor", "x", "--name", "y"], { env: env(dir), encoding: "utf8" });
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/is in use by process \d+/);
    } finally {
      await held.close();
    }
  });
});
