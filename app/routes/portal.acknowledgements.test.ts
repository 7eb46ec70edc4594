import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { addDays, startOfDayUTC } from "~/domain/clock";
import { buildSchedule } from "~/domain/installments/plan";
import { paymentReference } from "~/domain/payments/receipt";
import { makePromise } from "~/services/dunning/promises.server";
import { proposePlan } from "~/services/plans/plans.server";
import { openPortalSession } from "~/utils/portal-session.server";
import { startMockServer } from "../providers/mocks/index";
import { makeCreditor, makeDebtor, makeInvoice } from "../testing/factories";
import { useTestDatabase } from "../testing/db";
import { loader as invoicePage } from "./portal.invoices.$invoiceId._index";
import { loader as promisePage } from "./portal.invoices.$invoiceId.promise";
import { loader as paymentPage } from "./portal.payments.$paymentId";
import { loader as planSent } from "./portal.plan_.sent";

/** What the portal's confirmation pages say: how a plan starts, a promise that holds, a payment under our reference. */
const database = useTestDatabase();
const NOW = new Date();
const TODAY = startOfDayUTC(NOW);
const clock = { now: () => NOW };
let stop: () => void;

beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-portal-acks-"));
  stop = startMockServer({ stripe: false, gocardless: false, resend: true });
});
afterAll(() => stop());

async function debtor() {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db, { planMaxInstallments: 6 });
  const d = await makeDebtor(db, creditor.id);
  const invoice = await makeInvoice(
    db,
    { creditorId: creditor.id, debtorId: d.id, policy },
    { dueDate: addDays(TODAY, -10), now: addDays(TODAY, -40), amount: 900_00 },
  );
  const identity = { creditorId: creditor.id, debtorId: d.id, sessionId: "s" };
  const cookie = (
    await openPortalSession({ creditorId: creditor.id, debtorId: d.id, accessLinkId: "test" }, new Request("http://localhost/p/x"))
  ).split(";")[0]!;
  return { db, creditor, invoice, identity, cookie };
}

const get = (url: string, cookie: string) => new Request(`http://localhost${url}`, { headers: { Cookie: cookie } });

describe("plan accepted page", () => {
  it("says how the first installment is paid: a pay button and the mandate offer, or collected automatically once a mandate runs", async () => {
    const { db, invoice, identity, cookie } = await debtor();
    const firstDate = addDays(TODAY, 7);
    const { planId, status } = await proposePlan(
      db,
      identity,
      { invoiceIds: [invoice.id], schedule: buildSchedule({ total: 900_00, count: 3, firstDate }) },
      clock,
    );
    expect(status).toBe("ACTIVE");
    const read = async (c: string) =>
      (await (await planSent({ request: get(`/portal/plan/sent?plan=${planId}`, c), params: {}, context: {} })).json()).plan;
    expect(await read(cookie)).toMatchObject({
      status: "ACTIVE",
      first: { dueDate: firstDate.toISOString().slice(0, 10), amount: 300_00 },
      autoDebit: false,
      canPay: true,
      canSetUpMandate: true,
    });
    await db.installmentPlan.update({ where: { id: planId }, data: { gocardlessScheduleId: `IS-${planId}` } });
    expect(await read(cookie)).toMatchObject({ autoDebit: true, canPay: false, canSetUpMandate: false });
    // Another debtor's plan says nothing.
    const other = await debtor();
    expect(await read(other.cookie)).toBeNull();
  });
});

describe("promise to pay", () => {
  it("the invoice page repeats the promised date and amount, and the promise form is not offered again while it holds", async () => {
    const { db, invoice, identity, cookie } = await debtor();
    const date = addDays(TODAY, 5);
    await db.$transaction((tx) => makePromise(tx, identity, { invoiceId: invoice.id, date, amount: 400_00 }, NOW));
    const page = await (
      await invoicePage({ request: get(`/portal/invoices/${invoice.id}`, cookie), params: { invoiceId: invoice.id }, context: {} })
    ).json();
    expect(page.promise).toEqual({ date: date.toISOString().slice(0, 10), amount: 400_00, currency: "EUR" });
    const again = await promisePage({
      request: get(`/portal/invoices/${invoice.id}/promise`, cookie),
      params: { invoiceId: invoice.id },
      context: {},
    }).catch((thrown: unknown) => thrown as Response);
    expect(again.status).toBe(302);
    expect(again.headers.get("Location")).toBe(`/portal/invoices/${invoice.id}`);
  });
});

describe("payment confirmation page", () => {
  it("shows our reference and the method in words, never the provider's id", async () => {
    const { db, creditor, invoice, identity, cookie } = await debtor();
    const payment = await db.payment.create({
      data: {
        creditorId: creditor.id,
        debtorId: identity.debtorId,
        provider: "STRIPE",
        method: "sepa_debit",
        idempotencyKey: `test:${invoice.id}`,
        providerRef: `cs_${invoice.id}`,
        providerPaymentRef: `pi_${invoice.id}`,
        status: "SUCCEEDED",
        succeededAt: NOW,
        amount: 900_00,
      },
    });
    const response = await paymentPage({
      request: get(`/portal/payments/${payment.id}`, cookie),
      params: { paymentId: payment.id },
      context: {},
    });
    const text = await response.text();
    const data = JSON.parse(text);
    expect(data.reference).toBe(paymentReference(payment.id));
    expect(data.method).toBe("sepa_debit");
    expect(text).not.toContain(`pi_${invoice.id}`);
  });
});
