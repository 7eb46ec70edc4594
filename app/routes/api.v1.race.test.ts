import type { ActionFunctionArgs } from "@remix-run/node";
import { handleApi } from "~/services/api/handler.server";
import { createApiKey } from "~/services/api/keys.server";
import { postPayment } from "~/services/api/payments.server";
import { PaymentBody } from "~/services/api/schemas.server";
import { isPostgresUrl, openPostgres, setDatabase, type Database } from "~/utils/db.server";
import { makeCreditor } from "../testing/factories";
import { useTestDatabase } from "../testing/db";
import * as debtorRoute from "./api.v1.debtors.$externalRef";
import * as invoiceRoute from "./api.v1.invoices.$number";
import * as cancelRoute from "./api.v1.invoices.$number_.cancel";
import * as paymentsRoute from "./api.v1.invoices.$number_.payments";

const database = useTestDatabase();
type Handler = (args: ActionFunctionArgs) => Response | Promise<Response>;

const request = (
  handler: Handler,
  method: string,
  path: string,
  params: Record<string, string>,
  key: string,
  body: unknown,
  idem?: string,
) =>
  handler({
    request: new Request(`http://localhost/api/v1${path}`, {
      method,
      headers: { "content-type": "application/json", authorization: `Bearer ${key}`, ...(idem ? { "idempotency-key": idem } : {}) },
      body: JSON.stringify(body),
    }),
    params,
    context: {},
  });

const pay = (key: string, idem: string, amount: number) =>
  request(paymentsRoute.action, "POST", "/invoices/F-1/payments", { number: "F-1" }, key, { amount }, idem);

/** Twelve requests at once need twelve connections: the file's database, through a wider pool. */
async function widePool(): Promise<Database> {
  const [row] = await database.get().prisma.$queryRawUnsafe<{ name: string }[]>("SELECT current_database() AS name");
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${row!.name}`;
  return openPostgres(url.toString(), { max: 14 });
}

async function invoiceOf120() {
  const db = database.get().prisma;
  const { creditor } = await makeCreditor(db);
  const { key } = await createApiKey(db, creditor.id, "ERP");
  expect((await request(debtorRoute.action, "PUT", "/debtors/C1", { externalRef: "C1" }, key, { name: "Boulangerie Martin" })).status).toBe(
    201,
  );
  const invoice = { debtorExternalRef: "C1", issueDate: "2026-03-01", dueDate: "2026-03-31", amount: 120_00, currency: "EUR" };
  expect((await request(invoiceRoute.action, "PUT", "/invoices/F-1", { number: "F-1" }, key, invoice)).status).toBe(201);
  return { db, creditor, key };
}

describe.skipIf(!isPostgresUrl(process.env.DATABASE_URL))("API idempotency under concurrency (PostgreSQL)", () => {
  let wide: Database;
  beforeAll(async () => {
    wide = await widePool();
  });
  afterAll(async () => {
    await wide.close();
  });
  /** Sends every request at once through the wide pool, then puts the file's database back. */
  async function together(send: () => (Response | Promise<Response>)[]) {
    setDatabase(wide);
    try {
      return await Promise.all(
        send().map(async (r) => {
          const res = await r;
          return { status: res.status, replayed: res.headers.get("Idempotent-Replayed"), body: await res.json() };
        }),
      );
    } finally {
      setDatabase(database.get());
    }
  }

  it("12 identical payment POSTs with one key book one payment and one allocation; every answer is the first one", async () => {
    const { db, creditor, key } = await invoiceOf120();
    const answers = await together(() => Array.from({ length: 12 }, () => pay(key, "pay-once", 30_00)));
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(201));
    expect(answers.filter((a) => a.replayed === null)).toHaveLength(1);
    const paymentIds = new Set(answers.map((a) => a.body.payment.id));
    expect(paymentIds.size).toBe(1);
    const payments = await db.payment.findMany({ where: { creditorId: creditor.id }, include: { allocations: true } });
    expect(payments).toHaveLength(1);
    expect(payments[0]!.allocations.map((a) => a.amount)).toEqual([30_00]);
    const invoice = await db.invoice.findFirstOrThrow({ where: { creditorId: creditor.id, number: "F-1" } });
    expect(invoice).toMatchObject({ amountPaid: 30_00, status: "PARTIALLY_PAID" });
    expect(await db.idempotencyRecord.count({ where: { creditorId: creditor.id } })).toBe(1);
  });

  it("the key is claimed before any work: of 12 concurrent calls with one key, only one runs the handler", async () => {
    const { key } = await invoiceOf120();
    let runs = 0;
    const spec = {
      schema: PaymentBody,
      run: (ctx: Parameters<typeof postPayment>[0], body: Parameters<typeof postPayment>[2]) => (runs++, postPayment(ctx, "F-1", body)),
    };
    const post = () =>
      handleApi(
        new Request("http://localhost/api/v1/invoices/F-1/payments", {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "idempotency-key": "claimed" },
          body: JSON.stringify({ amount: 10_00 }),
        }),
        spec,
        { db: wide.prisma },
      );
    const answers = await together(() => Array.from({ length: 12 }, post));
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(201));
    expect(runs).toBe(1);
  });

  it("12 payment POSTs with one key and different bodies: one 201, the rest 422 idempotency_key_reused, one payment", async () => {
    const { db, creditor, key } = await invoiceOf120();
    const answers = await together(() => Array.from({ length: 12 }, (_, i) => pay(key, "pay-mixed", (i + 1) * 1_00)));
    const created = answers.filter((a) => a.status === 201);
    expect(created).toHaveLength(1);
    const others = answers.filter((a) => a.status !== 201);
    // A request with the winner's very body (none here: every amount differs) would be replayed instead.
    expect(others.map((a) => [a.status, a.body.error.code])).toEqual(Array(11).fill([422, "idempotency_key_reused"]));
    const payments = await db.payment.findMany({ where: { creditorId: creditor.id }, include: { allocations: true } });
    expect(payments.map((p) => [p.amount, p.allocations.map((a) => a.amount)])).toEqual([
      [created[0]!.body.payment.amount, [created[0]!.body.payment.amount]],
    ]);
    expect((await db.invoice.findFirstOrThrow({ where: { creditorId: creditor.id, number: "F-1" } })).amountPaid).toBe(
      created[0]!.body.payment.amount,
    );
  });

  it("12 payment POSTs with 12 keys for the whole balance: one books it, the others are refused 409 and nothing is paid twice", async () => {
    const { db, creditor, key } = await invoiceOf120();
    const answers = await together(() => Array.from({ length: 12 }, (_, i) => pay(key, `full-${i}`, 120_00)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status !== 201).map((a) => a.body.error.code)).toEqual(Array(11).fill("invoice_settled"));
    expect(await db.payment.count({ where: { creditorId: creditor.id } })).toBe(1);
    expect(await db.invoice.findFirstOrThrow({ where: { creditorId: creditor.id, number: "F-1" } })).toMatchObject({
      amountPaid: 120_00,
      status: "PAID",
    });
  });

  it("12 cancel POSTs with one key cancel once and trace once", async () => {
    const { db, creditor, key } = await invoiceOf120();
    const answers = await together(() =>
      Array.from({ length: 12 }, () =>
        request(cancelRoute.action, "POST", "/invoices/F-1/cancel", { number: "F-1" }, key, { reason: "Avoir émis" }, "cancel-once"),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(200));
    expect(answers.filter((a) => a.replayed === null)).toHaveLength(1);
    expect(await db.communication.count({ where: { creditorId: creditor.id, kind: "dunning.invoice_cancelled" } })).toBe(1);
  });
});
