import { pathToFileURL } from "node:url";
import type { Clock } from "~/domain/clock";
import { INVITATION_DAYS } from "~/services/accounts/schemas";
import { createApiKey } from "~/services/api/keys.server";
import type { PrismaClient } from "~/generated/prisma/client";
import { openDatabase, type Database } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { createCreditorWithOwner, newToken, sha256 } from "./creditors.server";
import { CompanySchema, emailField, type Locale } from "./schemas";

/**
 * The operator's commands (`npm run creditor:create`, `npm run api-key:create`)
 * as functions over a database, so tests call them without spawning.
 * Each returns its exit code: 0 done, 1 refused (exists / unknown), 2 bad arguments.
 */

export type Io = { log: (line: string) => void; error: (line: string) => void };
const consoleIo: Io = { log: (l) => console.log(l), error: (l) => console.error(l) };

type Spec = Record<string, { required?: boolean; help: string }>;

/** Flags as `--name value` or `--name=value`; every problem (unknown flag, missing value, missing flag) listed at once. */
export function parseFlags<S extends Spec>(argv: string[], spec: S): { values: Record<keyof S, string | undefined>; problems: string[] } {
  const given = new Map<string, string | null>();
  const problems: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("--")) {
      problems.push(`unexpected argument "${arg}"`);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    const next = argv[i + 1];
    // A flag followed by another flag (or nothing) has no value: "--siren --owner-email x" is a mistake, not a SIREN.
    const value = eq > 0 ? arg.slice(eq + 1) : next !== undefined && !next.startsWith("--") ? (i++, next) : null;
    if (!(name in spec)) problems.push(`unknown flag --${name}`);
    else given.set(name, value);
  }
  const values = {} as Record<keyof S, string | undefined>;
  for (const [name, { required }] of Object.entries(spec)) {
    const v = given.get(name);
    if (given.has(name) && (v === null || v!.trim() === "")) problems.push(`--${name} needs a value`);
    else if (!given.has(name) && required) problems.push(`--${name} is required`);
    values[name as keyof S] = v?.trim() || undefined;
  }
  return { values, problems };
}

export function usage(command: string, spec: Spec) {
  const flags = Object.entries(spec).map(([name, { required, help }]) => `  --${name.padEnd(14)} ${help}${required ? "" : " (optional)"}`);
  return [
    `usage: npm run ${command} -- ${Object.entries(spec)
      .filter(([, s]) => s.required)
      .map(([n]) => `--${n} …`)
      .join(" ")}`,
    ...flags,
  ].join("\n");
}

// ---- creditor:create ----

export const CREDITOR_FLAGS = {
  "legal-name": { required: true, help: "the company's legal name (raison sociale)" },
  siren: { required: true, help: "9-digit SIREN (Luhn check digit)" },
  "owner-email": { required: true, help: "the owner's email: a link to choose a password is printed" },
  "contact-email": { help: "contact email shown to debtors (default: the owner's)" },
  locale: { help: "fr or en: default language of the creditor and the owner (default: fr)" },
} satisfies Spec;

/** Checks the arguments without touching the database (the script fails fast on them). */
export function checkCreditorArgs(argv: string[]) {
  const { values, problems } = parseFlags(argv, CREDITOR_FLAGS);
  if (problems.length) return { problems };
  const company = CompanySchema.safeParse({
    legalName: values["legal-name"],
    siren: values.siren,
    contactEmail: values["contact-email"] ?? values["owner-email"],
    defaultLocale: values.locale ?? "fr",
  });
  const owner = emailField.safeParse(values["owner-email"]);
  const found: string[] = [];
  if (!company.success) {
    for (const issue of company.error.issues) {
      const field = String(issue.path[0]);
      if (field === "siren") found.push(`--siren "${values.siren}" is not a valid SIREN (9 digits whose Luhn checksum is correct)`);
      else if (field === "legalName") found.push("--legal-name must be 2 to 200 characters");
      else if (field === "contactEmail") found.push(`--contact-email "${values["contact-email"]}" is not an email address`);
      else if (field === "defaultLocale") found.push(`--locale must be fr or en, not "${values.locale}"`);
    }
  }
  if (!owner.success) found.push(`--owner-email "${values["owner-email"]}" is not an email address`);
  if (found.length || !company.success || !owner.success) return { problems: found };
  return { problems: [], company: company.data, ownerEmail: owner.data };
}

/** The script's first step: 2 (after listing the problems and the usage) when the arguments are wrong, else null. */
export function precheckCreditorArgs(argv: string[], io: Io = consoleIo): number | null {
  const { problems } = checkCreditorArgs(argv);
  if (!problems.length) return null;
  for (const p of problems) io.error(`error: ${p}`);
  io.error(usage("creditor:create", CREDITOR_FLAGS));
  return 2;
}

/**
 * Creates the creditor and an owner invitation, and prints its one-time link
 * (`/invitations/<token>`, valid 7 days): the owner chooses their name and
 * password there, the way invited colleagues do.
 */
export async function creditorCreate(argv: string[], prisma: PrismaClient, clock: Clock, io: Io = consoleIo): Promise<number> {
  const checked = checkCreditorArgs(argv);
  if (!checked.company) return precheckCreditorArgs(argv, io) ?? 2;
  const { company, ownerEmail } = checked;
  const now = clock.now();
  const token = newToken();
  const result = await prisma.$transaction(async (tx) => {
    const sameSiren = await tx.creditor.findFirst({ where: { siren: company.siren }, select: { slug: true } });
    if (sameSiren) return { exists: `A creditor with SIREN ${company.siren} already exists (slug "${sameSiren.slug}").` };
    if (await tx.user.findUnique({ where: { email: ownerEmail }, select: { id: true } })) {
      return { exists: `${ownerEmail} already has a relance account: use another --owner-email.` };
    }
    const { creditor } = await createCreditorWithOwner(tx, company, now);
    const invitation = await tx.staffInvitation.create({
      data: {
        creditorId: creditor.id,
        email: ownerEmail,
        role: "OWNER",
        locale: company.defaultLocale as Locale,
        // The same single-use token as a colleague's invitation: only its SHA-256 is stored.
        tokenHash: sha256(token),
        expiresAt: new Date(now.getTime() + INVITATION_DAYS * 86_400_000),
        createdAt: now,
      },
    });
    return { creditor, invitation };
  });
  if ("exists" in result) {
    io.error(`error: ${result.exists}`);
    return 1;
  }
  io.log(`Creditor "${result.creditor.legalName}" created (slug: ${result.creditor.slug}).`);
  io.log(
    `Owner ${ownerEmail}: open this one-time link to choose a name and password (valid until ${result.invitation.expiresAt.toISOString().slice(0, 10)}):`,
  );
  io.log(`${getEnv().APP_URL}/invitations/${token}`);
  return 0;
}

// ---- api-key:create ----

export const API_KEY_FLAGS = {
  creditor: { required: true, help: "the creditor's slug" },
  name: { required: true, help: 'what the key is for, e.g. "ERP sync"' },
} satisfies Spec;

function checkApiKeyArgs(argv: string[]) {
  const { values, problems } = parseFlags(argv, API_KEY_FLAGS);
  if (values.name && values.name.length > 100) problems.push("--name must be 100 characters at most");
  return { values, problems };
}

/** 2 (after listing the problems and the usage) when the arguments are wrong, else null. */
export function precheckApiKeyArgs(argv: string[], io: Io = consoleIo): number | null {
  const { problems } = checkApiKeyArgs(argv);
  if (!problems.length) return null;
  for (const p of problems) io.error(`error: ${p}`);
  io.error(usage("api-key:create", API_KEY_FLAGS));
  return 2;
}

/** Prints a new API key once: only its hash is kept. */
export async function apiKeyCreate(argv: string[], prisma: PrismaClient, io: Io = consoleIo): Promise<number> {
  const early = precheckApiKeyArgs(argv, io);
  if (early !== null) return early;
  const { values } = checkApiKeyArgs(argv);
  const creditor = await prisma.creditor.findUnique({
    where: { slug: values.creditor! },
    select: { id: true, legalName: true, slug: true },
  });
  if (!creditor) {
    io.error(`error: no creditor with the slug "${values.creditor}".`);
    return 1;
  }
  const same = await prisma.apiKey.findFirst({
    where: { creditorId: creditor.id, name: values.name!, revokedAt: null },
    select: { prefix: true },
  });
  if (same) {
    io.error(
      `error: an active API key named "${values.name}" already exists for ${creditor.slug} (rl_${same.prefix}_…): choose another --name or revoke it in Settings.`,
    );
    return 1;
  }
  const key = await createApiKey(prisma, creditor.id, values.name!);
  io.log(`API key "${key.name}" for ${creditor.legalName} (${creditor.slug}). It is shown only this once:`);
  io.log(key.key);
  return 0;
}

// ---- running a command as a script ----

/** True when `import.meta.url` is the file node was started with. */
export const isEntryPoint = (url: string) => url === pathToFileURL(process.argv[1] ?? "").href;

/**
 * Opens the configured database (on PGlite this refuses while the server
 * holds the folder: the single-process lock), runs the command, closes,
 * exits with its code. `precheck` runs first, without a database.
 */
export async function runCommand(run: (database: Database) => Promise<number>, precheck?: () => number | null) {
  const early = precheck ? precheck() : null;
  if (early !== null) process.exit(early);
  let database: Database;
  try {
    database = await openDatabase(getEnv().DATABASE_URL, { migrate: false });
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    process.exit(1);
  }
  let code = 1;
  try {
    code = await run(database);
  } finally {
    await database.close();
  }
  process.exit(code);
}
