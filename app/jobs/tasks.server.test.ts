import { systemClock } from "~/domain/clock";
import { storeWebhookEvent } from "~/services/webhooks/inbox.server";
import { useTestDatabase } from "../testing/db";
import { WEBHOOK_BATCH, webhookProcessTask } from "./tasks.server";

const database = useTestDatabase();

describe("webhook worker task", () => {
  it("one call drains a backlog larger than a batch (250 RECEIVED events → none left)", async () => {
    const db = database.get().prisma;
    for (let n = 0; n < 250; n++) {
      // A failure notice about a payment we do not know: looked up, then ignored.
      const payload = {
        id: `evt_backlog_${n}`,
        object: "event",
        type: "payment_intent.payment_failed",
        data: { object: { id: `pi_unknown_${n}`, object: "payment_intent", metadata: {} } },
      };
      await storeWebhookEvent(db, { provider: "STRIPE", eventId: payload.id, type: payload.type, payload });
    }
    expect(await db.webhookEvent.count({ where: { status: "RECEIVED" } })).toBe(250);
    const result = await webhookProcessTask(db, systemClock);
    expect(result.claimed).toBe(250);
    expect(result.passes).toBe(Math.ceil(250 / WEBHOOK_BATCH));
    expect(await db.webhookEvent.count({ where: { status: "RECEIVED" } })).toBe(0);
    expect(await db.webhookEvent.count({ where: { processedAt: { not: null } } })).toBe(250);
  });
});
