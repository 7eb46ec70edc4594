/**
 * `npm run creditor:create -- --legal-name "Atelier Durand SARL" --siren 732829320 --owner-email claire@example.fr [--contact-email …] [--locale fr|en]`
 * Creates a creditor and prints the one-time link its owner opens to choose a
 * name and password. On the embedded database it refuses while the server holds it.
 */
import { systemClock } from "~/domain/clock";
import type { PrismaClient } from "~/utils/db.server";
import { creditorCreate, isEntryPoint, precheckCreditorArgs, runCommand, type Io } from "~/services/onboarding/operator.server";

export const main = (argv: string[], db: PrismaClient, io?: Io) => creditorCreate(argv, db, systemClock, io);

if (isEntryPoint(import.meta.url)) {
  const argv = process.argv.slice(2);
  await runCommand(
    (database) => main(argv, database.prisma),
    () => precheckCreditorArgs(argv),
  );
}
