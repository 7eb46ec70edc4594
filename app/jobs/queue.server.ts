import { makeWorkerUtils, type WorkerUtils } from "graphile-worker";
import { isPostgresUrl } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";
import { registerWakeUp, type WakeableJob } from "~/services/wake.server";
import { singleton } from "~/utils/singleton.server";

export type { WakeableJob };

type Waker = (job: WakeableJob) => void | Promise<void>;

const state = singleton("job-waker", () => ({
  waker: null as Waker | null,
  utils: null as Promise<WorkerUtils> | null,
  quietUntil: 0,
  inflight: new Map<WakeableJob, { again: boolean; done: Promise<void> }>(),
}));

/** The worker running in this process registers how to wake it (in-process timers or its graphile runner). */
export function setJobWaker(waker: Waker | null) {
  state.waker = waker;
}

/**
 * Asks for a job to run as soon as possible: a stored webhook is applied in
 * milliseconds instead of at the next minute's cron. On PostgreSQL with the
 * workers in other processes (WORKER=off, `npm run worker`) it queues a
 * graphile-worker job, deduplicated by job key (NOTIFY wakes the worker). Best effort: the
 * scheduled pass still catches anything a failed wake-up missed.
 *
 * Coalesced: while a wake-up of this job is on its way (a round trip to the
 * queue), further requests only ask for one more after it, so a burst of 500
 * webhooks costs two `add_job` calls, not 500 upserts of the same job row.
 * Every caller is still covered: the last wake-up starts after its request.
 */
export function wakeJob(job: WakeableJob): Promise<void> {
  const current = state.inflight.get(job);
  if (current) {
    current.again = true;
    return current.done;
  }
  const entry = { again: false, done: Promise.resolve() };
  state.inflight.set(job, entry);
  entry.done = (async () => {
    try {
      do {
        entry.again = false;
        await wakeOnce(job);
      } while (entry.again);
    } finally {
      state.inflight.delete(job);
    }
  })();
  return entry.done;
}

async function wakeOnce(job: WakeableJob): Promise<void> {
  try {
    if (state.waker) return await state.waker(job);
    // No worker in this process: only a web process told that workers run elsewhere
    // (WORKER=off, `npm run worker`) queues the job for them on PostgreSQL.
    const env = getEnv();
    const url = env.DATABASE_URL;
    if (env.WORKER !== "off" || !isPostgresUrl(url) || Date.now() < state.quietUntil) return;
    state.utils ??= makeWorkerUtils({ connectionString: url });
    await (await state.utils).addJob(job, {}, { jobKey: job });
  } catch (error) {
    // No worker has created its queue yet, or the database is busy: say it once a minute, not per request.
    state.quietUntil = Date.now() + 60_000;
    logger.warn({ err: error, job }, "could not wake the worker; the scheduled pass will run it");
  }
}

/** Plugs `wakeJob` into the services' wake-up port (services/wake.server.ts). */
export function installWakeUps() {
  registerWakeUp(wakeJob);
}

export async function releaseJobQueue() {
  const utils = state.utils;
  state.utils = null;
  if (utils) await (await utils).release();
}
