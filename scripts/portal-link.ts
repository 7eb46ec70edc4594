/**
 * `npm run portal-link -- <debtor email or external ref> [--days 30]`
 * Prints a fresh magic link for a debtor (demo and support use). On the
 * embedded database it refuses while the server holds it: stop the server, or
 * use "send the portal link" in the back-office.
 */
import { parseArgs } from "node:util";
import { systemClock } from "~/domain/clock";
import { issuePortalLink } from "~/services/portal/links.server";
import { openDatabase, setDatabase } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";

const { values, positionals } = parseArgs({ allowPositionals: true, options: { days: { type: "string" } } });
const who = positionals[0]?.trim();
if (!who) {
  console.error("usage: npm run portal-link -- <debtor email or external ref> [--days 30]");
  process.exit(2);
}
const days = values.days ? Number(values.days) : undefined;
if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 365)) {
  console.error("--days must be a whole number between 1 and 365");
  process.exit(2);
}

let database;
try {
  database = await openDatabase(getEnv().DATABASE_URL, { migrate: false });
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
setDatabase(database);
try {
  const debtors = await database.prisma.debtor.findMany({
    where: { OR: [{ email: { equals: who, mode: "insensitive" } }, { externalRef: who }] },
    select: { id: true, creditorId: true, name: true, externalRef: true, creditor: { select: { legalName: true } } },
    take: 10,
  });
  if (debtors.length === 0) {
    console.error(`No debtor with the email or reference "${who}".`);
    process.exitCode = 1;
  }
  for (const debtor of debtors) {
    const link = await issuePortalLink(database.prisma, debtor, { clock: systemClock, expiresInDays: days });
    console.log(
      `${debtor.name} (${debtor.externalRef}, creditor ${debtor.creditor.legalName}) — valid until ${link.expiresAt.toISOString().slice(0, 10)}`,
    );
    console.log(link.url);
  }
} finally {
  await database.close();
}
