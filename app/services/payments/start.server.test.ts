import { addDays, fixedClock, startOfDayUTC } from "~/domain/clock";
import { buildSchedule } from "~/domain/installments/plan";
import { signGoCardlessBody } from "~/providers/gocardless.server";
import { signStripePayload } from "~/providers/stripe.server";
import { action as gocardlessWebhook } from "~/routes/webhooks.gocardless";
import { action as stripeWebhook } from "~/routes/webhooks.stripe";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { gocardlessCollectInstalment, gocardlessSandboxAct, gocardlessStore } from "../../providers/mocks/gocardless";
import { startMockServer } from "../../providers/mocks/index";
import { stripeEvent, stripeSandboxAct, stripeSessions } from "../../providers/mocks/stripe";
import { readEmails } from "../../providers/mocks/utils";
import { useTestDatabase } from "../../testing/db";
import pg from "pg";
import { isPostgresUrl, openPostgres } from "~/utils/db.server";
import { sendPendingOutbox } from "../messaging/outbox.server";
import { PaymentError } from "./errors.server";
import { startPayment, startPlanDirectDebit } from "./start.server";
import { proposePlan } from "../plans/plans.server";
import { processWebhookEvents } from "../webhooks/inbox.server";

const database = useTestDatabase();
const postgres = process.env.DATABASE_URL?.startsWith("postgres") ?? false;
// Webhook events are stored at the real time: the tests' clock starts now.
const NOW = new Date();
const DUE = startOfDayUTC(addDays(NOW, -20));
const clock = fixedClock(NOW);
let stopMocks: () => void;

beforeAll(() => {
  stopMocks = startMockServer({ stripe: true, gocardless: true, resend: true });
});
afterAll(() => stopMocks());
afterEach(() => {
  delete process.env.MOCK_STRIPE_FAIL;
});

async function debtorWithInvoices(amounts: number[], kind: "BUSINESS" | "CONSUMER" = "BUSINESS") {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db, { iban: "FR7630006000011234567890189" });
  const debtor = await makeDebtor(db, creditor.id, { kind });
  const invoices = [];
  for (const [n, amount] of amounts.entries()) {
    invoices.push(
      await makeInvoice(
        db,
        { creditorId: creditor.id, debtorId: debtor.id, policy },
        { dueDate: addDays(DUE, n), amount, now: addDays(DUE, -30) },
      ),
    );
  }
  const identity = { creditorId: creditor.id, debtorId: debtor.id, sessionId: "test" };
  return { db, creditor, debtor, invoices, identity };
}

const attempt = () => crypto.randomUUID();

async function deliverStripe(event: object, at = new Date()) {
  const body = JSON.stringify(event);
  return stripeWebhook({
    request: new Request("http://localhost/webhooks/stripe", {
      method: "POST",
      body,
      headers: { "stripe-signature": signStripePayload(body, at), "content-type": "application/json" },
    }),
    params: {},
    context: {},
  });
}

async function deliverGoCardless(events: object[]) {
  const body = JSON.stringify({ events, meta: { webhook_id: `WB${Date.now()}` } });
  return gocardlessWebhook({
    request: new Request("http://localhost/webhooks/gocardless", {
      method: "POST",
      body,
      headers: { "webhook-signature": signGoCardlessBody(body), "content-type": "application/json" },
    }),
    params: {},
    context: {},
  });
}

const sessionIdOf = (url: string) => url.split("/").at(-1)!;

describe("paying from the portal", () => {
  it("card: a double-click makes one Checkout Session and one payment; the success event, delivered three times, pays the invoice once", async () => {
    const { db, creditor, debtor, invoices, identity } = await debtorWithInvoices([450_00]);
    const key = attempt();
    const [first, second] = await Promise.all([
      startPayment(db, identity, { invoiceIds: [invoices[0]!.id], amount: null, method: "card", attempt: key }, clock),
      startPayment(db, identity, { invoiceIds: [invoices[0]!.id], amount: null, method: "card", attempt: key }, clock),
    ]);
    expect(second).toEqual(first);
    expect(await db.payment.count({ where: { creditorId: creditor.id } })).toBe(1);
    expect([...stripeSessions().values()].filter((s) => s.metadata.payment_id === first.paymentId)).toHaveLength(1);

    const { events } = stripeSandboxAct(sessionIdOf(first.url), "pay");
    for (let i = 0; i < 3; i++) expect((await deliverStripe(events[0]!)).status).toBe(200);
    // Stored once, and owned by the payment's creditor (the failed-webhooks inbox is per tenant).
    expect(await db.webhookEvent.findMany({ where: { eventId: events[0]!.id }, select: { creditorId: true } })).toEqual([
      { creditorId: creditor.id },
    ]);
    await processWebhookEvents(db, new Date());

    const invoice = await db.invoice.findUniqueOrThrow({ where: { id: invoices[0]!.id }, include: { dunningState: true } });
    expect(invoice).toMatchObject({ status: "PAID", amountPaid: 450_00 });
    expect(invoice.dunningState?.stoppedAt).not.toBeNull();
    expect(await db.payment.findUniqueOrThrow({ where: { id: first.paymentId } })).toMatchObject({ status: "SUCCEEDED", amount: 450_00 });
    // The receipt is queued by the settling transaction and sent by the outbox sender after the commit (no HTTP inside the transaction).
    expect(readEmails({ to: debtor.email! }).filter((m) => /reçu|paiement/i.test(m.subject))).toHaveLength(0);
    expect(
      await db.outboxMessage.count({ where: { creditorId: creditor.id, templateKey: "notice:payment_receipt", status: "PENDING" } }),
    ).toBe(1);
    await sendPendingOutbox(db, { clock: fixedClock(new Date()) });
    await sendPendingOutbox(db, { clock: fixedClock(new Date()) });
    expect(await db.communication.count({ where: { creditorId: creditor.id, kind: "notice.payment_receipt" } })).toBe(1);
    const receipts = readEmails({ to: debtor.email! }).filter((m) => /reçu|paiement/i.test(m.subject));
    expect(receipts).toHaveLength(1);
    expect(receipts[0]!.text).toContain("450,00");
    expect(await db.communication.count({ where: { creditorId: creditor.id, kind: "payment.succeeded" } })).toBe(1);
  });

  it("SEPA for two invoices: processing pauses dunning, the async success pays both; out-of-order delivery ends the same", async () => {
    const { db, invoices, identity } = await debtorWithInvoices([300_00, 200_00]);
    const { paymentId, url } = await startPayment(
      db,
      identity,
      { invoiceIds: invoices.map((i) => i.id), amount: null, method: "sepa_debit", attempt: attempt() },
      clock,
    );
    const completed = stripeSandboxAct(sessionIdOf(url), "pay").events[0]!;
    await deliverStripe(completed);
    await processWebhookEvents(db, new Date());
    expect((await db.payment.findUniqueOrThrow({ where: { id: paymentId } })).status).toBe("PROCESSING");
    const states = await db.dunningState.findMany({ where: { invoiceId: { in: invoices.map((i) => i.id) } } });
    expect(states.map((s) => s.pauseReason)).toEqual(["PAYMENT_PROCESSING", "PAYMENT_PROCESSING"]);

    await deliverStripe(stripeSandboxAct(sessionIdOf(url), "settle").events[0]!);
    await processWebhookEvents(db, addDays(new Date(), 3));
    const paid = await db.invoice.findMany({ where: { id: { in: invoices.map((i) => i.id) } } });
    expect(paid.map((i) => i.status)).toEqual(["PAID", "PAID"]);

    // Another SEPA payment whose success arrives before its "processing".
    const other = await debtorWithInvoices([120_00]);
    const started = await startPayment(
      other.db,
      other.identity,
      { invoiceIds: [other.invoices[0]!.id], amount: null, method: "sepa_debit", attempt: attempt() },
      clock,
    );
    const sid = sessionIdOf(started.url);
    const early = stripeSandboxAct(sid, "pay").events[0]!;
    const success = stripeSandboxAct(sid, "settle").events[0]!;
    await deliverStripe(success);
    await processWebhookEvents(db, new Date());
    await deliverStripe(early);
    await processWebhookEvents(db, addDays(new Date(), 1));
    expect((await db.payment.findUniqueOrThrow({ where: { id: started.paymentId } })).status).toBe("SUCCEEDED");
    const invoice = await db.invoice.findUniqueOrThrow({ where: { id: other.invoices[0]!.id }, include: { dunningState: true } });
    expect(invoice.status).toBe("PAID");
    expect(invoice.dunningState?.pauseReason).toBeNull();
  });

  it("a failed SEPA debit lifts the pause, dunning resumes one level up, and the debtor is told", async () => {
    const { db, debtor, invoices, identity } = await debtorWithInvoices([300_00]);
    const before = await db.dunningState.findUniqueOrThrow({ where: { invoiceId: invoices[0]!.id } });
    const { paymentId, url } = await startPayment(
      db,
      identity,
      { invoiceIds: [invoices[0]!.id], amount: null, method: "sepa_debit", attempt: attempt() },
      clock,
    );
    await deliverStripe(stripeSandboxAct(sessionIdOf(url), "pay").events[0]!);
    await processWebhookEvents(db, new Date());
    await deliverStripe(stripeSandboxAct(sessionIdOf(url), "debit_fail").events[0]!);
    await processWebhookEvents(db, addDays(new Date(), 4));
    expect((await db.payment.findUniqueOrThrow({ where: { id: paymentId } })).status).toBe("FAILED");
    const state = await db.dunningState.findUniqueOrThrow({ where: { invoiceId: invoices[0]!.id } });
    expect(state.pauseReason).toBeNull();
    // One level up: the level that was next is due now, not at its calendar date.
    expect(state.level).toBe(before.level);
    expect(state.nextActionAt!.getTime()).toBeLessThanOrEqual(addDays(new Date(), 4).getTime());
    await sendPendingOutbox(db, { clock: fixedClock(addDays(new Date(), 4)) });
    expect(readEmails({ to: debtor.email! }).some((m) => /échec|n'a pas abouti|failed/i.test(m.subject))).toBe(true);
  });

  it("a charge-back reopens the balance and resumes dunning", async () => {
    const { db, invoices, identity } = await debtorWithInvoices([250_00]);
    const { paymentId, url } = await startPayment(
      db,
      identity,
      { invoiceIds: [invoices[0]!.id], amount: null, method: "card", attempt: attempt() },
      clock,
    );
    const session = stripeSessions().get(sessionIdOf(url))!;
    await deliverStripe(stripeSandboxAct(session.id, "pay").events[0]!);
    await processWebhookEvents(db, new Date());
    await deliverStripe(
      stripeEvent("charge.dispute.created", {
        id: "dp_1",
        object: "dispute",
        payment_intent: session.payment_intent,
        reason: "fraudulent",
        amount: 250_00,
      }),
    );
    await processWebhookEvents(db, addDays(new Date(), 10));
    expect((await db.payment.findUniqueOrThrow({ where: { id: paymentId } })).status).toBe("CHARGED_BACK");
    const invoice = await db.invoice.findUniqueOrThrow({ where: { id: invoices[0]!.id }, include: { dunningState: true } });
    expect(invoice).toMatchObject({ status: "OPEN", amountPaid: 0 });
    expect(invoice.dunningState?.stoppedAt).toBeNull();
  });

  it("pays part of one invoice when the creditor allows it; refuses tampered amounts and other people's invoices", async () => {
    const { db, invoices, identity } = await debtorWithInvoices([500_00]);
    const other = await debtorWithInvoices([80_00]);
    const pay = (input: Partial<Parameters<typeof startPayment>[2]>) =>
      startPayment(db, identity, { invoiceIds: [invoices[0]!.id], amount: null, method: "card", attempt: attempt(), ...input }, clock);
    await expect(pay({ amount: 500_01 })).rejects.toMatchObject({ code: "amount_too_high" });
    await expect(pay({ amount: -100 })).rejects.toMatchObject({ code: "amount_invalid" });
    await expect(pay({ amount: 5_00 })).rejects.toMatchObject({ code: "partial_too_small" });
    await expect(pay({ invoiceIds: [other.invoices[0]!.id] })).rejects.toMatchObject({ code: "invoice_unavailable" });
    await expect(pay({ invoiceIds: [invoices[0]!.id, other.invoices[0]!.id] })).rejects.toMatchObject({ code: "invoice_unavailable" });
    await expect(pay({ attempt: "not-a-nonce" })).rejects.toBeInstanceOf(PaymentError);
    expect(await db.payment.count({ where: { debtorId: identity.debtorId } })).toBe(0);

    const { url } = await pay({ amount: 200_00 });
    await deliverStripe(stripeSandboxAct(sessionIdOf(url), "pay").events[0]!);
    await processWebhookEvents(db, new Date());
    expect(await db.invoice.findUniqueOrThrow({ where: { id: invoices[0]!.id } })).toMatchObject({
      status: "PARTIALLY_PAID",
      amountPaid: 200_00,
    });
    await db.creditor.update({ where: { id: identity.creditorId }, data: { allowPartialPayments: false } });
    await expect(pay({ amount: 100_00 })).rejects.toMatchObject({ code: "partial_not_allowed" });
  });

  it("provider down: a clear error, nothing half-created", async () => {
    const { db, identity, invoices } = await debtorWithInvoices([90_00]);
    process.env.MOCK_STRIPE_FAIL = "500";
    await expect(
      startPayment(db, identity, { invoiceIds: [invoices[0]!.id], amount: null, method: "card", attempt: attempt() }, clock),
    ).rejects.toMatchObject({ code: "provider_unavailable" });
    expect(await db.payment.count({ where: { debtorId: identity.debtorId } })).toBe(0);
    expect(await db.paymentAllocation.count({ where: { invoiceId: invoices[0]!.id } })).toBe(0);
  });

  it("GoCardless instant bank pay: the hosted flow's events pay the invoice", async () => {
    const { db, creditor, invoices, identity } = await debtorWithInvoices([620_00]);
    const { paymentId, url } = await startPayment(
      db,
      identity,
      { invoiceIds: [invoices[0]!.id], amount: null, method: "gocardless", attempt: attempt() },
      clock,
    );
    const { events } = gocardlessSandboxAct(sessionIdOf(url), "pay");
    // The payment's own events first, the billing request's last: re-fetching the payment links them anyway.
    const response = await deliverGoCardless([...events].reverse());
    expect(response.status).toBe(200);
    // The billing request's event is owned by the payment's creditor from the moment it is stored.
    const billingEvent = (events as { id: string; resource_type: string }[]).find((e) => e.resource_type === "billing_requests")!;
    expect((await db.webhookEvent.findFirstOrThrow({ where: { eventId: billingEvent.id } })).creditorId).toBe(creditor.id);
    await processWebhookEvents(db, new Date());
    expect(await db.payment.findUniqueOrThrow({ where: { id: paymentId } })).toMatchObject({ status: "SUCCEEDED" });
    expect((await db.invoice.findUniqueOrThrow({ where: { id: invoices[0]!.id } })).status).toBe("PAID");
  });

  it("an installment plan collected by GoCardless: one installment paid, a failed one defaults the plan and resumes dunning", async () => {
    const { db, invoices, identity } = await debtorWithInvoices([600_00]);
    const { planId, status } = await proposePlan(
      db,
      identity,
      { invoiceIds: [invoices[0]!.id], schedule: buildSchedule({ total: 600_00, count: 3, firstDate: addDays(NOW, 10) }) },
      clock,
    );
    expect(status).toBe("ACTIVE");
    const { url } = await startPlanDirectDebit(db, identity, planId);
    await deliverGoCardless(gocardlessSandboxAct(sessionIdOf(url), "authorise").events);
    await processWebhookEvents(db, new Date());
    const plan = await db.installmentPlan.findUniqueOrThrow({ where: { id: planId } });
    expect(plan.gocardlessScheduleId).toMatch(/^IS/);
    const schedule = gocardlessStore().schedules.get(plan.gocardlessScheduleId!) as { links: { payments: string[] } };
    expect(schedule.links.payments).toHaveLength(3);

    // "submitted" and "confirmed" of one payment, applied by the worker's lanes (on PostgreSQL, 4 at
    // once): same subject, same lane, so the installment's payment is created once, not raced.
    await deliverGoCardless(gocardlessCollectInstalment(schedule.links.payments[0]!, "confirmed"));
    expect(await processWebhookEvents(db, addDays(new Date(), 10), 100, { concurrency: postgres ? 4 : 1 })).toEqual({
      claimed: 2,
      processed: 2,
    });
    const installments = await db.installment.findMany({ where: { planId }, orderBy: { position: "asc" } });
    expect(installments.map((i) => i.status)).toEqual(["PAID", "PENDING", "PENDING"]);
    expect((await db.invoice.findUniqueOrThrow({ where: { id: invoices[0]!.id } })).amountPaid).toBe(200_00);

    await deliverGoCardless(gocardlessCollectInstalment(schedule.links.payments[1]!, "failed"));
    expect(await processWebhookEvents(db, addDays(new Date(), 40), 100, { concurrency: postgres ? 4 : 1 })).toEqual({
      claimed: 2,
      processed: 2,
    });
    expect((await db.installmentPlan.findUniqueOrThrow({ where: { id: planId } })).status).toBe("DEFAULTED");
    const state = await db.dunningState.findUniqueOrThrow({ where: { invoiceId: invoices[0]!.id } });
    expect(state.pauseReason).toBeNull();
    expect((await db.invoice.findUniqueOrThrow({ where: { id: invoices[0]!.id } })).status).toBe("PARTIALLY_PAID");
  });
});

describe("applying webhooks side by side (PostgreSQL worker lanes)", () => {
  it.runIf(postgres)("two card payments of one debtor settled at once never pay an invoice twice", async () => {
    const { db, invoices, identity } = await debtorWithInvoices([300_00, 200_00]);
    // Both payments were started for the oldest invoice (two tabs); each settles over the balances it finds.
    const started = [];
    for (let i = 0; i < 2; i++)
      started.push(
        await startPayment(db, identity, { invoiceIds: [invoices[0]!.id], amount: null, method: "card", attempt: attempt() }, clock),
      );
    for (const { url } of started) await deliverStripe(stripeSandboxAct(sessionIdOf(url), "pay").events[0]!);
    const result = await processWebhookEvents(db, new Date(), 10, { concurrency: 4 });
    expect(result).toEqual({ claimed: 2, processed: 2 });
    const after = await db.invoice.findMany({ where: { id: { in: invoices.map((i) => i.id) } }, orderBy: { dueDate: "asc" } });
    // 600 € received for 500 € owed: both invoices paid exactly, the 100 € excess goes to a review task.
    expect(after.map((i) => [i.status, i.amountPaid])).toEqual([
      ["PAID", 300_00],
      ["PAID", 200_00],
    ]);
    const allocated = await db.paymentAllocation.aggregate({
      where: { paymentId: { in: started.map((p) => p.paymentId) } },
      _sum: { amount: true },
    });
    expect(allocated._sum.amount).toBe(500_00);
    expect(await db.task.count({ where: { debtorId: identity.debtorId, kind: "REVIEW" } })).toBe(1);
  });
});

describe.skipIf(!isPostgresUrl(process.env.DATABASE_URL))("one attempt posted many times at once (PostgreSQL)", () => {
  it("20 concurrent pay posts with one nonce make one payment, one Checkout Session and exactly one payment.started", async () => {
    const { invoices, identity } = await debtorWithInvoices([210_00]);
    // A pool of its own, wide enough for the 20 requests to really run side by side.
    const [row] = await database.get().sql.query<{ name: string }>("SELECT current_database() AS name");
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${row!.name}`;
    const wide = await openPostgres(url.toString(), { max: 20 });
    // Its 20 connections opened beforehand, so the posts start together rather than as the pool fills.
    await Promise.all(
      Array.from({ length: 20 }, () => wide.prisma.$transaction(async (tx) => tx.$queryRawUnsafe("SELECT pg_sleep(0.05)::text"))),
    );
    // The timeline is held shut while the posts run: the first to move the payment parks on it holding
    // the payment's row, so every other post reaches the same move before anything commits (the race, every time).
    const locker = new pg.Client({ connectionString: url.toString() });
    await locker.connect();
    try {
      await locker.query(`BEGIN; LOCK TABLE "Communication" IN EXCLUSIVE MODE`);
      const key = attempt();
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const posts = Array.from({ length: 20 }, async () => {
        await gate;
        return startPayment(wide.prisma, identity, { invoiceIds: [invoices[0]!.id], amount: null, method: "card", attempt: key }, clock);
      });
      release();
      const parked = async () =>
        (
          await locker.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          )
        ).rows[0]!.n;
      // All 20 parked on a lock (or 3 s, within the transactions' 5 s timeout): open the timeline.
      for (let waited = 0; (await parked()) < 20 && waited < 3_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
      await locker.query("COMMIT");
      const results = await Promise.all(posts);
      expect(new Set(results.map((r) => r.paymentId)).size).toBe(1);
      expect(new Set(results.map((r) => r.url)).size).toBe(1);
      const db = database.get().prisma;
      expect(await db.payment.count({ where: { debtorId: identity.debtorId } })).toBe(1);
      expect([...stripeSessions().values()].filter((s) => s.metadata.payment_id === results[0]!.paymentId)).toHaveLength(1);
      expect(await db.communication.count({ where: { debtorId: identity.debtorId, kind: "payment.started" } })).toBe(1);
    } finally {
      await locker.end();
      await wide.close();
    }
  });
});
