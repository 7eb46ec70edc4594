import type { ActionFunctionArgs } from "@remix-run/node";
import { createApiKey } from "~/services/api/keys.server";
import { makeCreditor } from "../testing/factories";
import { useTestDatabase } from "../testing/db";
import * as debtorRoute from "./api.v1.debtors.$externalRef";
import * as invoiceRoute from "./api.v1.invoices.$number";

/** The API's side of the credit policy (decision 025): a debtor's limit and terms, and due dates from the terms. */
const database = useTestDatabase();
type Handler = (args: ActionFunctionArgs) => Response | Promise<Response>;

function put(handler: Handler, path: string, params: Record<string, string>, key: string, body: unknown) {
  return handler({
    request: new Request(`http://localhost/api/v1${path}`, {
      method: "PUT",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify(body),
    }),
    params,
    context: {},
  });
}

async function tenant() {
  const db = database.get().prisma;
  const { creditor } = await makeCreditor(db);
  const { key } = await createApiKey(db, creditor.id, "ERP");
  return { db, creditor, key };
}
const debtor = (key: string, body: Record<string, unknown>) =>
  put(debtorRoute.action, "/debtors/C1", { externalRef: "C1" }, key, { name: "Boulangerie Martin", kind: "BUSINESS", ...body });
const invoice = (key: string, number: string, body: Record<string, unknown>) =>
  put(invoiceRoute.action, `/invoices/${number}`, { number }, key, {
    debtorExternalRef: "C1",
    issueDate: "2026-03-10",
    amount: 120_00,
    ...body,
  });

describe("API: credit limit and payment terms", () => {
  it("a debtor takes a limit and terms; terms over L441-10 are refused for a business", async () => {
    const { key } = await tenant();
    const created = await debtor(key, { creditLimit: 5_000_00, paymentTermsDays: 45, paymentTermsBasis: "END_OF_MONTH" });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ creditLimit: 5_000_00, paymentTermsDays: 45, paymentTermsBasis: "END_OF_MONTH" });
    const tooLong = await debtor(key, { paymentTermsDays: 61, paymentTermsBasis: "NET" });
    expect(tooLong.status).toBe(422);
    expect((await tooLong.json()).error.code).toBe("payment_terms_too_long");
    // Keeping 45 days but switching to NET is lawful.
    expect((await debtor(key, { paymentTermsBasis: "NET" })).status).toBe(200);
  });

  it("an invoice sent without a due date gets the debtor's terms; an update without one keeps its date; no terms → 422", async () => {
    const { db, creditor, key } = await tenant();
    await debtor(key, {});
    const refused = await invoice(key, "F-0", {});
    expect(refused.status).toBe(422);
    expect((await refused.json()).error.code).toBe("due_date_required");

    await debtor(key, { paymentTermsDays: 45, paymentTermsBasis: "END_OF_MONTH" });
    const created = await invoice(key, "F-1", {});
    expect(created.status).toBe(201);
    // 10 March + 45 days = 24 April → end of April.
    expect((await created.json()).dueDate).toBe("2026-04-30");

    // Terms change later: the invoice's due date does not.
    await debtor(key, { paymentTermsDays: 10, paymentTermsBasis: "NET" });
    expect((await invoice(key, "F-1", { amount: 130_00 })).status).toBe(200);
    const stored = await db.invoice.findFirstOrThrow({ where: { creditorId: creditor.id, number: "F-1" } });
    expect(stored.dueDate.toISOString().slice(0, 10)).toBe("2026-04-30");
    // An explicit due date still wins.
    expect((await (await invoice(key, "F-2", { dueDate: "2026-03-31" })).json()).dueDate).toBe("2026-03-31");
  });
});
