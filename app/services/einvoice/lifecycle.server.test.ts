import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { addDays } from "~/domain/clock";
import { applyPaymentStatus } from "../payments/status.server";
import { createEndpoint } from "../webhooks/outbound.server";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { useTestDatabase } from "../../testing/db";
import { recordCashed, recordLifecycleStatus } from "./lifecycle.server";

const database = useTestDatabase();
const DUE = new Date("2026-10-15T00:00:00Z");
const NOW = addDays(DUE, 3);
const clock = { now: () => NOW };

beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-lifecycle-"));
});

async function withInvoice(amount = 1000_00) {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db, { siren: "732829320", vatNumber: "FR44732829320" });
  const debtor = await makeDebtor(db, creditor.id);
  const invoice = await makeInvoice(
    db,
    { creditorId: creditor.id, debtorId: debtor.id, policy },
    { dueDate: DUE, now: addDays(DUE, -30), amount },
  );
  return { db, creditor, debtor, invoice };
}

const report = (creditorId: string, invoiceNumber: string, code: number, reason?: string) =>
  recordLifecycleStatus(database.get().prisma, {
    creditorId,
    invoiceNumber,
    code,
    occurredAt: addDays(NOW, -1),
    reason,
    source: "backoffice",
    actor: { type: "STAFF", id: null },
    clock,
  });

describe("e-invoice life cycle", () => {
  it("210 Refusée opens a dispute with the platform's reason and pauses dunning on that invoice; it is recorded and traced", async () => {
    const { db, creditor, invoice } = await withInvoice();
    const result = await report(creditor.id, invoice.number, 210, "Prix non conforme au devis");
    expect(result.effect).toBe("open_dispute");
    const dispute = await db.dispute.findFirstOrThrow({ where: { invoiceId: invoice.id }, include: { messages: true } });
    expect(dispute).toMatchObject({ id: result.disputeId, status: "OPEN", message: "Prix non conforme au devis" });
    const state = await db.dunningState.findUniqueOrThrow({ where: { invoiceId: invoice.id } });
    expect(state.pauseReason).toBe("DISPUTE");
    const events = await db.invoiceLifecycleEvent.findMany({ where: { invoiceId: invoice.id } });
    expect(events).toMatchObject([
      { code: 210, label: "Refusée", direction: "IN", reason: "Prix non conforme au devis", source: "backoffice" },
    ]);
    expect(await db.communication.count({ where: { invoiceId: invoice.id, kind: "einvoice.lifecycle_in" } })).toBe(1);
    // 207 En litige afterwards keeps the one dispute.
    await report(creditor.id, invoice.number, 207, "Toujours en litige");
    expect(await db.dispute.count({ where: { invoiceId: invoice.id } })).toBe(1);
  });

  it("208 suspends, 211 pauses like a payment in flight, 213 stops reminders and opens a task, 205 is only recorded", async () => {
    const a = await withInvoice();
    await report(a.creditor.id, a.invoice.number, 208, "Bon de commande manquant");
    expect((await a.db.dunningState.findUniqueOrThrow({ where: { invoiceId: a.invoice.id } })).pauseReason).toBe("MANUAL");
    const b = await withInvoice();
    await report(b.creditor.id, b.invoice.number, 211);
    const paying = await b.db.dunningState.findUniqueOrThrow({ where: { invoiceId: b.invoice.id } });
    expect(paying.pauseReason).toBe("PAYMENT_PROCESSING");
    expect(paying.pausedUntil?.getTime()).toBe(addDays(NOW, 14).getTime());
    const c = await withInvoice();
    await report(c.creditor.id, c.invoice.number, 213, "SIREN du destinataire inconnu");
    expect((await c.db.dunningState.findUniqueOrThrow({ where: { invoiceId: c.invoice.id } })).pauseReason).toBe("MANUAL");
    expect(await c.db.task.findFirst({ where: { invoiceId: c.invoice.id } })).toMatchObject({
      kind: "REVIEW",
      status: "OPEN",
      details: "SIREN du destinataire inconnu",
    });
    const d = await withInvoice();
    const before = await d.db.dunningState.findUniqueOrThrow({ where: { invoiceId: d.invoice.id } });
    expect((await report(d.creditor.id, d.invoice.number, 205)).effect).toBe("record");
    expect(await d.db.dunningState.findUniqueOrThrow({ where: { invoiceId: d.invoice.id } })).toEqual(before);
  });

  it("a payment that settles the invoice emits 212 Encaissée once, even when the webhook is delivered twice; a partial one the paid amount", async () => {
    const { db, creditor, debtor, invoice } = await withInvoice(1000_00);
    const pay = async (amount: number, ref: string) => {
      const payment = await db.payment.create({
        data: {
          creditorId: creditor.id,
          debtorId: debtor.id,
          provider: "STRIPE",
          method: "card",
          amount,
          idempotencyKey: ref,
          status: "PROCESSING",
          allocations: { create: { creditorId: creditor.id, invoiceId: invoice.id, amount } },
        },
      });
      // Two deliveries of the same "succeeded" event.
      await Promise.all([
        db.$transaction((tx) => applyPaymentStatus(tx, payment.id, "SUCCEEDED", { now: NOW })),
        db.$transaction((tx) => applyPaymentStatus(tx, payment.id, "SUCCEEDED", { now: NOW })),
      ]);
      await db.$transaction((tx) => applyPaymentStatus(tx, payment.id, "SUCCEEDED", { now: NOW }));
      return payment;
    };
    const endpoint = await createEndpoint(db, creditor.id, {
      url: "https://pa-connector.example.test/hook",
      events: ["lifecycle.encaissee"],
    });
    const first = await pay(400_00, "p1");
    const second = await pay(600_00, "p2");
    const cashed = await db.invoiceLifecycleEvent.findMany({ where: { invoiceId: invoice.id, code: 212 }, orderBy: { createdAt: "asc" } });
    expect(cashed.map((e) => [e.direction, e.label, e.data])).toEqual([
      ["OUT", "Encaissée", { amount: 400_00, currency: "EUR", date: "2026-10-18", paymentId: first.id, partial: true }],
      ["OUT", "Encaissée", { amount: 600_00, currency: "EUR", date: "2026-10-18", paymentId: second.id, partial: false }],
    ]);
    expect((await db.invoice.findUniqueOrThrow({ where: { id: invoice.id } })).status).toBe("PAID");
    // Emitted to the creditor's PA connector as an outbound webhook, once per cashed payment.
    const deliveries = await db.webhookDelivery.findMany({ where: { endpointId: endpoint.id }, orderBy: { createdAt: "asc" } });
    expect(deliveries.map((d) => [d.eventType, (d.payload as { data: { amount: number; partial: boolean; code: number } }).data])).toEqual([
      ["lifecycle.encaissee", expect.objectContaining({ invoiceNumber: invoice.number, code: 212, amount: 400_00, partial: true })],
      ["lifecycle.encaissee", expect.objectContaining({ invoiceNumber: invoice.number, code: 212, amount: 600_00, partial: false })],
    ]);
    // The key holds on its own too.
    const again = await recordCashed(db, {
      creditorId: creditor.id,
      invoiceId: invoice.id,
      paymentId: second.id,
      amount: 600_00,
      currency: "EUR",
      settled: true,
      now: NOW,
    });
    expect(again).toBe(false);
    expect(await db.invoiceLifecycleEvent.count({ where: { invoiceId: invoice.id, code: 212 } })).toBe(2);
  });
});
