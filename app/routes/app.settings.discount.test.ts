import { addDays } from "~/domain/clock";
import { startStaffSession } from "~/utils/staff-session.server";
import { makeCreditor, makeDebtor, makeInvoice } from "../testing/factories";
import { useTestDatabase } from "../testing/db";
import { action, loader } from "./app.settings";

/** The creditor's early-payment discount setting (decision 028), through the settings page. */
const database = useTestDatabase();

async function ownerCookie(creditorId: string) {
  const user = await database
    .get()
    .prisma.user.create({ data: { creditorId, email: `owner-${crypto.randomUUID()}@example.test`, name: "Owner", role: "OWNER" } });
  return (await startStaffSession(user, new Request("http://localhost/login"))).split(";")[0]!;
}

const post = async (cookie: string, fields: [string, string][]) => {
  const response = await action({
    request: new Request("http://localhost/app/settings", {
      method: "POST",
      body: new URLSearchParams(fields),
      headers: { Cookie: cookie },
    }),
    params: {},
    context: {},
  });
  return {
    status: response.status,
    body: (await response.json()) as unknown as {
      discount: { saved: boolean; fieldErrors: Record<string, string>; values: Record<string, string> };
    },
  };
};

describe("settings: early-payment discount", () => {
  it("off by default; 1,5 % within 10 days is saved and applies to invoices created afterwards only", async () => {
    const db = database.get().prisma;
    const { creditor, policy } = await makeCreditor(db);
    const cookie = await ownerCookie(creditor.id);
    const debtor = await makeDebtor(db, creditor.id);
    const now = new Date();
    const before = await makeInvoice(db, { creditorId: creditor.id, debtorId: debtor.id, policy }, { dueDate: addDays(now, 25), now });

    const page = (await (
      await loader({ request: new Request("http://localhost/app/settings", { headers: { Cookie: cookie } }), params: {}, context: {} })
    ).json()) as { discount: { rate: string; days: string } };
    expect(page.discount).toEqual({ rate: "", days: "8" });

    const saved = await post(cookie, [
      ["intent", "discount"],
      ["discountRate", "1,5"],
      ["discountDays", "10"],
    ]);
    expect(saved.status).toBe(200);
    expect(await db.creditor.findUniqueOrThrow({ where: { id: creditor.id } })).toMatchObject({
      earlyDiscountRateBps: 150,
      earlyDiscountDays: 10,
    });
    const after = await makeInvoice(db, { creditorId: creditor.id, debtorId: debtor.id, policy }, { dueDate: addDays(now, 25), now });
    expect(after.discountRateBps).toBe(150);
    expect((await db.invoice.findUniqueOrThrow({ where: { id: before.id } })).discountRateBps).toBeNull();
  });

  it("a wrong rate is refused next to its field and the typed values come back", async () => {
    const db = database.get().prisma;
    const { creditor } = await makeCreditor(db, { earlyDiscountRateBps: 200 });
    const cookie = await ownerCookie(creditor.id);
    const refused = await post(cookie, [
      ["intent", "discount"],
      ["discountRate", "75"],
      ["discountDays", "8"],
    ]);
    expect(refused.status).toBe(400);
    expect(refused.body.discount).toEqual({
      saved: false,
      fieldErrors: { rate: "discount.settings.errors.rate" },
      values: { rate: "75", days: "8" },
    });
    expect((await db.creditor.findUniqueOrThrow({ where: { id: creditor.id } })).earlyDiscountRateBps).toBe(200);
  });
});
