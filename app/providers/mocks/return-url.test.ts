import { addDays, fixedClock, startOfDayUTC } from "~/domain/clock";
import { startPayment } from "~/services/payments/start.server";
import { makeCreditor, makeDebtor, makeInvoice } from "~/testing/factories";
import { useTestDatabase } from "~/testing/db";
import { gocardlessSandboxAct } from "./gocardless";
import { startMockServer } from "./index";
import { stripeSandboxAct, stripeSessions } from "./stripe";

// `PORT=4301 npm start` without APP_URL: the public URL is http://localhost:4301, and every
// address the provider stand-ins send the debtor to (hosted page, success, cancel) is on it.
process.env.PORT = "4301";
delete process.env.APP_URL;
(globalThis as { __relanceSingletons?: Map<string, unknown> }).__relanceSingletons?.delete("env");

const database = useTestDatabase();
const NOW = new Date();
const clock = fixedClock(NOW);
let stopMocks: () => void;
beforeAll(() => {
  stopMocks = startMockServer({ stripe: true, gocardless: true, resend: true });
});
afterAll(() => stopMocks());

async function openInvoice() {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db, { iban: "FR7630006000011234567890189" });
  const debtor = await makeDebtor(db, creditor.id);
  const invoice = await makeInvoice(
    db,
    { creditorId: creditor.id, debtorId: debtor.id, policy },
    { dueDate: startOfDayUTC(addDays(NOW, -10)), amount: 48_000, now: addDays(NOW, -40) },
  );
  return { db, invoice, identity: { creditorId: creditor.id, debtorId: debtor.id, sessionId: "test" } };
}

describe("provider return URLs follow PORT when APP_URL is unset", () => {
  it("Stripe Checkout: hosted page, success and cancel URLs are on localhost:4301", async () => {
    const { db, invoice, identity } = await openInvoice();
    const { url, paymentId } = await startPayment(
      db,
      identity,
      { invoiceIds: [invoice.id], amount: null, method: "card", attempt: crypto.randomUUID() },
      clock,
    );
    expect(url).toMatch(/^http:\/\/localhost:4301\/dev\/sandbox\/stripe\/cs_test_/);
    const session = [...stripeSessions().values()].find((s) => s.client_reference_id === paymentId)!;
    expect(session.success_url).toBe(`http://localhost:4301/portal/payments/${paymentId}`);
    expect(session.cancel_url).toBe(`http://localhost:4301/portal/payments/${paymentId}?cancelled=1`);
    expect(stripeSandboxAct(session.id, "pay").redirect).toBe(`http://localhost:4301/portal/payments/${paymentId}`);
  });

  it("GoCardless instant bank pay: authorisation page and the way back are on localhost:4301", async () => {
    const { db, invoice, identity } = await openInvoice();
    const { url, paymentId } = await startPayment(
      db,
      identity,
      { invoiceIds: [invoice.id], amount: null, method: "gocardless", attempt: crypto.randomUUID() },
      clock,
    );
    expect(url).toMatch(/^http:\/\/localhost:4301\/dev\/sandbox\/gocardless\/BRQ/);
    const billingRequestId = url.split("/").pop()!;
    expect(gocardlessSandboxAct(billingRequestId, "cancel").redirect).toBe(
      `http://localhost:4301/portal/payments/${paymentId}?cancelled=1`,
    );
  });
});
