import { pathToFileURL } from "node:url";
import { run, type Runner, type RunnerOptions } from "graphile-worker";
import { systemClock, type Clock } from "~/domain/clock";
import { getDatabase, isPostgresUrl, openDatabase, setDatabase, type Database } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";
import { installWakeUps, setJobWaker } from "./queue.server";
import {
  bankSyncTask,
  dunningTickTask,
  ecbRateTask,
  importProcessTask,
  inboundProcessTask,
  mailboxPollTask,
  outboxSendTask,
  prescriptionWatchTask,
  solvencyWatchTask,
  webhookProcessTask,
  webhookSendTask,
} from "./tasks.server";

export type Worker = { stop(): Promise<void> };

/** Webhook events applied side by side on PostgreSQL (I/O-bound: each waits on its queries). */
export const WEBHOOK_LANES = 4;

/**
 * PostgreSQL: graphile-worker (a real queue on SKIP LOCKED) runs the tick every
 * minute and the sender right after; several workers can run side by side.
 * Embedded PGlite (one process): the same task functions on in-process timers.
 */
export async function startWorker(database: Database, opts: { clock?: Clock } = {}): Promise<Worker> {
  const clock = opts.clock ?? systemClock;
  installWakeUps();
  const url = getEnv().DATABASE_URL;
  if (database.kind === "postgres" && isPostgresUrl(url)) return startGraphileWorker(database, url, clock);
  return startTimers(database, clock);
}

/** Delay before restarting a runner that stopped on its own: 1 s, 2 s, 4 s… up to 30 s. */
export function restartDelayMs(attempt: number) {
  return Math.min(30_000, 1_000 * 2 ** Math.min(attempt, 5));
}

async function startGraphileWorker(database: Database, url: string, clock: Clock): Promise<Worker> {
  const options: RunnerOptions = {
    connectionString: url,
    concurrency: 2,
    noHandleSignals: true,
    pollInterval: 2_000,
    logger: undefined,
    crontab: [
      "* * * * * dunning_tick ?max=1",
      "* * * * * outbox_send ?max=1",
      "* * * * * webhook_process ?max=1",
      "* * * * * webhook_send ?max=1",
      "* * * * * import_process ?max=1",
      "* * * * * inbound_process ?max=1",
      "* * * * * mailbox_poll ?max=1",
      "0 5 * * * prescription_watch ?max=1",
      "30 5 * * * ecb_rate ?max=1",
      "0 6 * * * bank_sync ?max=1",
      "30 6 * * * solvency_watch ?max=1",
    ].join("\n"),
    taskList: {
      dunning_tick: async (_payload, helpers) => {
        const result = await dunningTickTask(database.prisma, clock);
        if (result.queued > 0) await helpers.addJob("outbox_send", {}, { jobKey: "outbox_send" });
      },
      outbox_send: async () => {
        await outboxSendTask(database.prisma, clock);
      },
      webhook_process: async () => {
        await webhookProcessTask(database.prisma, clock, { concurrency: WEBHOOK_LANES });
      },
      // Queued by emitOutboundEvent after its transaction (jobKey "webhook_send"); the crontab line runs the retries.
      webhook_send: async () => {
        await webhookSendTask(database.prisma, clock);
      },
      // Queued by the upload route (jobKey "import_process"); the crontab line catches up on any missed.
      import_process: async () => {
        await importProcessTask(database.prisma, clock);
      },
      // Queued by receiveInboundEmail (jobKey "inbound_process"); the crontab line retries what failed.
      inbound_process: async () => {
        await inboundProcessTask(database.prisma, clock);
      },
      mailbox_poll: async (_payload, helpers) => {
        const report = await mailboxPollTask(database.prisma, clock);
        if (report.received > 0) await helpers.addJob("inbound_process", {}, { jobKey: "inbound_process" });
      },
      prescription_watch: async () => {
        await prescriptionWatchTask(database.prisma, clock);
      },
      ecb_rate: async () => {
        await ecbRateTask(database.prisma, clock);
      },
      bank_sync: async () => {
        await bankSyncTask(database.prisma, clock);
      },
      solvency_watch: async () => {
        await solvencyWatchTask(database.prisma, clock);
      },
    },
  };
  let runner: Runner | null = null;
  let stopping = false;
  let everStarted = false;
  let retry: NodeJS.Timeout | null = null;
  // A runner that ends on its own (the database went away and its queries or its
  // LISTEN connection gave up) is started again with backoff; the process stays up.
  const launch = async (attempt: number): Promise<void> => {
    let started: Runner | null = null;
    try {
      started = await run(options);
      // Catch up at start-up instead of waiting for the next minute boundary.
      await started.addJob("dunning_tick", {}, { jobKey: "dunning_tick" });
    } catch (error) {
      if (started) await started.stop().catch(() => {});
      if (attempt === 0 && !everStarted) throw error; // the first start reports a bad configuration at once
      return relaunch(attempt, error);
    }
    runner = started;
    everStarted = true;
    if (attempt > 0) logger.info({ attempt }, "worker reconnected (graphile-worker)");
    started.promise.then(
      () => relaunch(0, null),
      (error: unknown) => relaunch(0, error),
    );
  };
  const relaunch = (attempt: number, error: unknown) => {
    if (stopping) return;
    runner = null;
    const delay = restartDelayMs(attempt);
    logger.error({ err: error, attempt, delay }, "worker runner stopped; restarting");
    retry = setTimeout(() => void launch(attempt + 1), delay);
  };
  await launch(0);
  // Web requests in this process (a stored webhook, an uploaded file) wake the queue at once.
  setJobWaker(async (job) => {
    await runner?.addJob(job, {}, { jobKey: job });
  });
  logger.info("worker started (graphile-worker)");
  return {
    stop: async () => {
      stopping = true;
      if (retry) clearTimeout(retry);
      setJobWaker(null);
      await runner?.stop();
    },
  };
}

function startTimers(database: Database, clock: Clock): Worker {
  const { WORKER_TICK_MS: tickEvery, WORKER_SEND_MS: sendEvery, WORKER_IMPORT_MS: importEvery } = getEnv();
  let running: Promise<unknown> = Promise.resolve();
  const queued = new Set<string>();
  // One job at a time: PGlite has a single connection anyway. A job already
  // waiting its turn is not queued twice, so a slow pass never builds a backlog.
  const serial = (name: string, job: () => Promise<unknown>) => () => {
    if (queued.has(name)) return;
    queued.add(name);
    running = running
      .then(() => {
        queued.delete(name);
        return job();
      })
      .catch((error) => logger.error({ err: error, job: name }, "job failed"));
  };
  const tick = serial("dunning_tick", () => dunningTickTask(database.prisma, clock));
  const send = serial("outbox_send", async () => {
    await outboxSendTask(database.prisma, clock);
    await webhookProcessTask(database.prisma, clock);
    await webhookSendTask(database.prisma, clock);
    await inboundProcessTask(database.prisma, clock);
  });
  const mailboxes = serial("mailbox_poll", () => mailboxPollTask(database.prisma, clock));
  const imports = serial("import_process", () => importProcessTask(database.prisma, clock));
  const daily = serial("daily", async () => {
    await prescriptionWatchTask(database.prisma, clock);
    await ecbRateTask(database.prisma, clock);
    await bankSyncTask(database.prisma, clock);
    await solvencyWatchTask(database.prisma, clock);
  });
  const timers = [
    setInterval(tick, tickEvery),
    setInterval(send, sendEvery),
    setInterval(imports, importEvery),
    setInterval(mailboxes, 60_000),
    setInterval(daily, 86_400_000),
  ];
  tick();
  daily();
  send();
  setJobWaker((job) => (job === "import_process" ? imports() : send()));
  logger.info({ tickEvery, sendEvery }, "worker started (in-process timers)");
  return {
    stop: async () => {
      setJobWaker(null);
      timers.forEach(clearInterval);
      await running;
    },
  };
}

// `npm run worker`: a separate worker process (PostgreSQL only; PGlite is single-process).
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const env = getEnv();
  if (!isPostgresUrl(env.DATABASE_URL)) {
    console.error("npm run worker needs DATABASE_URL=postgresql://… (the embedded database runs its worker inside npm start).");
    process.exit(1);
  }
  setDatabase(await openDatabase(env.DATABASE_URL, { migrate: false }));
  if (Object.values(env.mocks).some(Boolean)) {
    const { startMockServer } = await import("../providers/mocks/index");
    startMockServer(env.mocks);
  }
  const worker = await startWorker(getDatabase());
  const stop = async () => {
    await worker.stop();
    await getDatabase().close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
