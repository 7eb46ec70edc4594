import { setJobWaker, wakeJob, type WakeableJob } from "./queue.server";

describe("wakeJob", () => {
  afterEach(() => setJobWaker(null));

  it("coalesces a burst: one wake-up on its way, then exactly one more for everything asked meanwhile", async () => {
    const calls: WakeableJob[] = [];
    const pending: (() => void)[] = [];
    setJobWaker((job) => {
      calls.push(job);
      return new Promise<void>((resolve) => pending.push(resolve));
    });
    const first = wakeJob("webhook_process");
    const burst = Array.from({ length: 100 }, () => wakeJob("webhook_process"));
    expect(calls).toEqual(["webhook_process"]);
    pending.shift()!();
    // The burst arrived while the first wake-up was on its way: one more, started after them.
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    pending.shift()!();
    await Promise.all([first, ...burst]);
    expect(calls).toHaveLength(2);
    // Once settled, a new request wakes again.
    const later = wakeJob("webhook_process");
    expect(calls).toHaveLength(3);
    pending.shift()!();
    await later;
  });

  it("keeps jobs apart and never rejects, even when the queue is unreachable", async () => {
    const calls: WakeableJob[] = [];
    setJobWaker((job) => {
      calls.push(job);
      if (job === "import_process") throw new Error("queue down");
    });
    await expect(Promise.all([wakeJob("webhook_process"), wakeJob("import_process"), wakeJob("outbox_send")])).resolves.toBeDefined();
    expect(calls.sort()).toEqual(["import_process", "outbox_send", "webhook_process"]);
  });
});
