/**
 * `npm run api-key:create -- --creditor <slug> --name "ERP sync"`
 * Prints a new API key for the creditor, once (only its hash is stored). On
 * the embedded database it refuses while the server holds it.
 */
import type { PrismaClient } from "~/utils/db.server";
import { apiKeyCreate, isEntryPoint, precheckApiKeyArgs, runCommand, type Io } from "~/services/onboarding/operator.server";

export const main = (argv: string[], db: PrismaClient, io?: Io) => apiKeyCreate(argv, db, io);

if (isEntryPoint(import.meta.url)) {
  const argv = process.argv.slice(2);
  await runCommand(
    (database) => main(argv, database.prisma),
    () => precheckApiKeyArgs(argv),
  );
}
