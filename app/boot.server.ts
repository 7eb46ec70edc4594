import { seedDemo } from "../prisma/seed";
import { DEMO_OWNER } from "../prisma/demo-data";
import { systemClock } from "~/domain/clock";
import { issueSetupToken } from "~/services/onboarding/setup.server";
import { issuePortalLink } from "~/services/portal/links.server";
import { openDatabase, setDatabase } from "~/utils/db.server";
import { EnvError, getEnv, type Env } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";

/**
 * Everything a process needs before serving: validated configuration, the
 * database (migrated), provider mocks when keys are absent, demo data outside
 * production, and the in-process worker. Refuses to start half-configured.
 */
export async function boot() {
  let env: Env;
  try {
    env = getEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(`relance cannot start.\n${error.message}`);
      process.exit(1);
    }
    throw error;
  }

  const database = await openDatabase(env.DATABASE_URL, { migrate: env.MIGRATE_ON_START });
  setDatabase(database);
  logger.info({ database: database.kind }, "database ready");

  const stopMocks = await startMocks(env);

  let demoLink: string | null = null;
  if (env.SEED_DEMO ?? env.NODE_ENV !== "production") {
    const { creditorId, created } = await seedDemo(database.prisma, systemClock);
    if (created) logger.info("demo data loaded");
    const debtor = await database.prisma.debtor.findFirst({
      where: { creditorId, externalRef: "C-1006" },
      select: { id: true, creditorId: true },
    });
    if (debtor) demoLink = (await issuePortalLink(database.prisma, debtor, { clock: systemClock })).url;
  }
  // First run without demo data: nobody can sign in yet, so the log carries a one-time setup link (a new one at each start).
  const setupToken = await issueSetupToken(database.prisma, systemClock);
  const setupLink = setupToken ? `${env.APP_URL}/setup?token=${setupToken}` : null;

  const { startWorker } = await import("~/jobs/worker.server");
  (await import("~/jobs/queue.server")).installWakeUps();
  const worker = env.WORKER === "inline" ? await startWorker(database, { clock: systemClock }) : null;

  const banner = (port: number) =>
    [
      "",
      `  relance is running on ${env.APP_URL.replace(/:\d+$/, `:${port}`)}  (database: ${database.kind})`,
      demoLink ? `  Demo debtor portal link: ${demoLink}` : null,
      demoLink ? `  Back-office login:       ${DEMO_OWNER.email} / ${DEMO_OWNER.password}` : null,
      setupLink ? `  No creditor yet. Open this one-time link to set up the installation:\n  Setup: ${setupLink}` : null,
      stopMocks
        ? `  Providers mocked:        ${Object.entries(env.mocks)
            .filter(([, on]) => on)
            .map(([n]) => n)
            .join(", ")} (mailbox at /dev/mailbox)`
        : null,
      "",
    ]
      .filter((line) => line !== null)
      .join("\n");

  return {
    env,
    database,
    banner,
    shutdown: async () => {
      await worker?.stop();
      await (await import("~/jobs/queue.server")).releaseJobQueue();
      stopMocks?.();
      await database.close();
    },
  };
}

async function startMocks(env: Env): Promise<(() => void) | null> {
  if (!env.mocks.stripe && !env.mocks.gocardless && !env.mocks.resend && !env.mocks.sms) return null;
  const { startMockServer } = await import("./providers/mocks/index");
  return startMockServer(env.mocks);
}
