import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { processTransactions } from "~/services/bank/imports.server";
import { applyInvoiceEvent } from "~/services/dunning/invoice-events.server";
import { makeCreditor, makeDebtor, makeInvoice } from "~/testing/factories";
import { useTestDatabase } from "~/testing/db";
import { checkEndpointUrl, RETRY_DELAYS_MS } from "~/domain/webhooks/outbound";
import { createEndpoint, emitOutboundEvent, replayDelivery, sendDueWebhooks, setEndpointEnabled } from "./outbound.server";

const sent: { to: string; subject: string; text: string }[] = [];
vi.mock("~/providers/email.server", async (orig) => ({
  ...(await orig<typeof import("~/providers/email.server")>()),
  sendEmail: vi.fn(async (email: { to: string; subject: string; text: string }) => {
    sent.push(email);
    return { ok: true, providerMessageId: `em_${sent.length}` };
  }),
}));

const database = useTestDatabase();

type Received = { id: string; type: string; data: Record<string, unknown>; verified: boolean };
/** A receiver like a customer's: verifies each request with standardwebhooks' Webhook.verify before accepting it. */
async function receiver(secret: () => string, answer: () => number = () => 200) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      try {
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
        const event = new Webhook(secret()).verify(body, headers) as { type: string; data: Record<string, unknown> };
        received.push({ id: headers["webhook-id"]!, type: event.type, data: event.data, verified: true });
        const status = answer();
        res.writeHead(status, { "content-type": "text/plain" }).end(status === 200 ? "ok thanks" : "boom: database down");
      } catch (error) {
        received.push({ id: String(req.headers["webhook-id"]), type: "?", data: {}, verified: false });
        res.writeHead(400).end(`bad signature: ${(error as Error).message}`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return { url, received, close: () => new Promise((r) => server.close(r)) };
}

async function paidInvoiceSetup() {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db);
  const debtor = await makeDebtor(db, creditor.id);
  const now = new Date("2026-03-10T10:00:00Z");
  const invoice = await makeInvoice(
    db,
    { creditorId: creditor.id, debtorId: debtor.id, policy },
    { dueDate: new Date("2026-03-01T00:00:00Z"), amount: 500_00, now },
  );
  return { db, creditor, debtor, invoice, now };
}

describe("outbound webhooks", () => {
  it("an invoice paid through the state door reaches the creditor's endpoint, signed (the receiver verifies it), after commit only, never another creditor's", async () => {
    const { db, creditor, debtor, invoice, now } = await paidInvoiceSetup();
    let secret = "";
    const rx = await receiver(() => secret);
    const endpoint = await createEndpoint(db, creditor.id, { url: rx.url, events: ["invoice.paid", "payment.succeeded"] });
    secret = endpoint.secret;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/);
    // Another creditor's endpoint subscribed to everything sees nothing of this.
    const other = await makeCreditor(db);
    let otherSecret = "";
    const otherRx = await receiver(() => otherSecret);
    otherSecret = (await createEndpoint(db, other.creditor.id, { url: otherRx.url, events: ["invoice.paid"] })).secret;

    // A change that rolls back queues nothing.
    await expect(
      db.$transaction(async (tx) => {
        await applyInvoiceEvent(tx, {
          creditorId: creditor.id,
          invoiceId: invoice.id,
          event: { type: "PAYMENT_SUCCEEDED", balanceAfter: 0, amountPaidAfter: 500_00 },
          actor: { type: "SYSTEM" },
          now,
        });
        expect(await tx.webhookDelivery.count({ where: { creditorId: creditor.id } })).toBe(1);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await db.webhookDelivery.count()).toBe(0);

    await db.$transaction(async (tx) => {
      await tx.invoice.update({ where: { id: invoice.id }, data: { amountPaid: 500_00 } });
      await applyInvoiceEvent(tx, {
        creditorId: creditor.id,
        invoiceId: invoice.id,
        event: { type: "PAYMENT_SUCCEEDED", balanceAfter: 0, amountPaidAfter: 500_00 },
        actor: { type: "SYSTEM" },
        now,
      });
    });
    const report = await sendDueWebhooks(db, { now });
    expect(report).toEqual({ claimed: 1, succeeded: 1, failed: 0 });
    expect(rx.received).toHaveLength(1);
    expect(rx.received[0]).toMatchObject({ type: "invoice.paid", verified: true });
    expect(rx.received[0]!.id).toMatch(/^msg_/);
    expect(rx.received[0]!.data).toMatchObject({
      debtorExternalRef: debtor.externalRef,
      invoiceNumber: invoice.number,
      invoice: { status: "PAID", balance: 0 },
    });
    expect(otherRx.received).toHaveLength(0);
    const delivery = await db.webhookDelivery.findFirstOrThrow({ where: { endpointId: endpoint.id } });
    expect(delivery).toMatchObject({ status: "SUCCEEDED", responseStatus: 200, responseBody: "ok thanks", attempts: 1 });
    // Sent once: a second pass claims nothing.
    expect((await sendDueWebhooks(db, { now: new Date(now.getTime() + 3_600_000) })).claimed).toBe(0);

    // Replay: the same webhook-id again, verified again.
    expect(await replayDelivery(db, other.creditor.id, delivery.id, now)).toBe(false);
    expect(await replayDelivery(db, creditor.id, delivery.id, now)).toBe(true);
    await sendDueWebhooks(db, { now });
    expect(rx.received.map((r) => [r.id, r.verified])).toEqual([
      [delivery.eventId, true],
      [delivery.eventId, true],
    ]);
    await rx.close();
    await otherRx.close();
  });

  it("a failing endpoint (500) is retried 30 s, 2 min, 10 min, 1 h, 6 h later, then gives up, is disabled and its owner is emailed", async () => {
    const { db, creditor } = await paidInvoiceSetup();
    await db.user.create({
      data: { creditorId: creditor.id, email: "owner@webhooks.test", name: "Olga Owner", role: "OWNER", passwordHash: "x", locale: "en" },
    });
    let secret = "";
    const rx = await receiver(
      () => secret,
      () => 500,
    );
    const endpoint = await createEndpoint(db, creditor.id, { url: rx.url, events: ["lifecycle.encaissee"] });
    secret = endpoint.secret;
    const t0 = new Date("2026-03-10T10:00:00Z");
    await db.$transaction((tx) =>
      emitOutboundEvent(tx, {
        creditorId: creditor.id,
        type: "lifecycle.encaissee",
        data: { invoiceNumber: "F-1", amount: 100_00 },
        occurredAt: t0,
      }),
    );
    // Not subscribed: nothing queued.
    expect(await emitOutboundEvent(db, { creditorId: creditor.id, type: "payment.failed", data: {} })).toBe(0);

    let at = t0;
    const attemptsAt: number[] = [];
    for (let attempt = 1; attempt <= 6; attempt++) {
      // Just before the next attempt is due: nothing to send.
      if (attempt > 1) expect((await sendDueWebhooks(db, { now: new Date(at.getTime() - 1000) })).claimed).toBe(0);
      const r = await sendDueWebhooks(db, { now: at });
      expect(r, `attempt ${attempt}`).toEqual({ claimed: 1, succeeded: 0, failed: 1 });
      attemptsAt.push(at.getTime() - t0.getTime());
      const d = await db.webhookDelivery.findFirstOrThrow({ where: { endpointId: endpoint.id } });
      expect(d).toMatchObject({ attempts: attempt, responseStatus: 500, responseBody: "boom: database down", lastError: "HTTP 500" });
      if (attempt < 6) {
        expect(d.status).toBe("FAILED");
        expect(d.nextAttemptAt.getTime() - at.getTime()).toBe(RETRY_DELAYS_MS[attempt - 1]);
        at = d.nextAttemptAt;
      } else expect(d.status).toBe("GAVE_UP");
    }
    expect(attemptsAt).toEqual([0, 30_000, 150_000, 750_000, 4_350_000, 25_950_000]);
    expect(rx.received.every((r) => r.verified)).toBe(true);
    const disabled = await db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(disabled).toMatchObject({ enabled: false, failureCount: 6 });
    expect(disabled.disabledAt).not.toBeNull();
    expect(sent.filter((e) => e.to === "owner@webhooks.test").map((e) => e.subject)).toEqual([
      "Webhook disabled: your endpoint stopped answering",
    ]);
    // Disabled: a new event is not queued for it.
    expect(await emitOutboundEvent(db, { creditorId: creditor.id, type: "lifecycle.encaissee", data: {} })).toBe(0);
    // Enabled again: the failure count starts over.
    expect(await setEndpointEnabled(db, creditor.id, endpoint.id, true, at)).toBe(true);
    expect(await db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).toMatchObject({ enabled: true, failureCount: 0 });
    await rx.close();
  });

  it("a bank credit nobody's invoice matches is announced as bank_transaction.unmatched", async () => {
    const { db, creditor, now } = await paidInvoiceSetup();
    await createEndpoint(db, creditor.id, { url: "https://erp.example.com/hooks", events: ["bank_transaction.unmatched"] });
    const entry = await db.bankTransaction.create({
      data: {
        creditorId: creditor.id,
        accountId: "FR7630006000011234567890189",
        key: "k-1",
        bookingDate: now,
        amount: 123_45,
        currency: "EUR",
        counterpartyName: "Inconnu SARL",
        remittance: "VIR DIVERS",
      },
    });
    await db.$transaction((tx) => processTransactions(tx, creditor.id, [entry.id], { now, importId: null }));
    const deliveries = await db.webhookDelivery.findMany({ where: { creditorId: creditor.id } });
    expect(deliveries.map((d) => d.eventType)).toEqual(["bank_transaction.unmatched"]);
    expect((deliveries[0]!.payload as { data: unknown }).data).toMatchObject({
      id: entry.id,
      amount: 123_45,
      counterpartyName: "Inconnu SARL",
    });
  });

  it("accepts https endpoints, and plain http only to this machine outside production", () => {
    expect(checkEndpointUrl("https://erp.example.com/hooks", { production: true })).toBeNull();
    expect(checkEndpointUrl("http://erp.example.com/hooks", { production: false })).toBe("https_required");
    expect(checkEndpointUrl("http://localhost:4000/hooks", { production: false })).toBeNull();
    expect(checkEndpointUrl("http://localhost:4000/hooks", { production: true })).toBe("https_required");
    expect(checkEndpointUrl("ftp://example.com", { production: false })).toBe("invalid");
    expect(checkEndpointUrl("not a url", { production: false })).toBe("invalid");
    expect(checkEndpointUrl("https://user:pw@example.com", { production: false })).toBe("invalid");
  });
});
