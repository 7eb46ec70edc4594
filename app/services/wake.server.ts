import { singleton } from "~/utils/singleton.server";

/** Jobs a web request can ask to run now rather than at the next scheduled pass. */
export type WakeableJob = "outbox_send" | "webhook_process" | "import_process" | "inbound_process" | "webhook_send";

type WakeUp = (job: WakeableJob) => Promise<void>;

const port = singleton("wake-port", () => ({ wakeUp: null as WakeUp | null }));

/**
 * The port through which services wake the worker without knowing it: the
 * jobs layer registers its implementation at start-up (`installWakeUps` in
 * jobs/queue.server.ts), so arrows keep pointing down (services never import
 * jobs). Unregistered (a script, a unit test), a wake-up does nothing and the
 * scheduled pass picks the work up.
 */
export function registerWakeUp(wakeUp: WakeUp | null) {
  port.wakeUp = wakeUp;
}

export function wakeJob(job: WakeableJob): Promise<void> {
  return port.wakeUp ? port.wakeUp(job) : Promise.resolve();
}
