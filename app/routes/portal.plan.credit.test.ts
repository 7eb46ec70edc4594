import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { addDays, isoDay, startOfDayUTC } from "~/domain/clock";
import { makeT } from "~/i18n";
import { openPortalSession } from "~/utils/portal-session.server";
import { startMockServer } from "../providers/mocks/index";
import { makeCreditor, makeDebtor, makeInvoice } from "../testing/factories";
import { useTestDatabase } from "../testing/db";
import { action, loader } from "./portal.plan";

/** The credit policy's plan rule on the portal (decision 025): over its limit, a debtor puts 30 % down or waits for review. */
const database = useTestDatabase();
const TODAY = startOfDayUTC(new Date());
let stop: () => void;
beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-plan-credit-"));
  stop = startMockServer({ stripe: false, gocardless: false, resend: true });
});
afterAll(() => stop());

/** A debtor owing 900,00 € on one invoice, with the given limit; the creditor asks 30 % down over the limit. */
async function debtorOwing900(creditLimit: number | null, planOverLimitDownPc: number | null = 30) {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db, { planOverLimitDownPc });
  const debtor = await makeDebtor(db, creditor.id);
  await db.debtor.update({ where: { id: debtor.id }, data: { creditLimit } });
  const invoice = await makeInvoice(
    db,
    { creditorId: creditor.id, debtorId: debtor.id, policy },
    { dueDate: addDays(TODAY, -10), now: addDays(TODAY, -40), amount: 900_00 },
  );
  const cookie = (
    await openPortalSession({ creditorId: creditor.id, debtorId: debtor.id, accessLinkId: "test" }, new Request("http://localhost/p/x"))
  ).split(";")[0]!;
  return { db, creditor, invoice, cookie };
}

const headers = (cookie: string) => ({ Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" });
async function page(cookie: string) {
  const response = await loader({
    request: new Request("http://localhost/portal/plan", { headers: { Cookie: cookie } }),
    params: {},
    context: {},
  });
  return (await response.json()) as { overLimitPc: number | null };
}
function propose(cookie: string, invoiceId: string, downPayment: string) {
  const body = new URLSearchParams({
    intent: "propose",
    invoiceIds: invoiceId,
    count: "3",
    firstDate: isoDay(addDays(TODAY, 10)),
    downPayment,
  });
  return action({
    request: new Request("http://localhost/portal/plan", { method: "POST", body, headers: headers(cookie) }),
    params: {},
    context: {},
  });
}

describe("portal plan: the over-limit down payment", () => {
  it("over its limit, the page says so; no down payment goes to review, 30 % down is accepted at once", async () => {
    const { db, creditor, invoice, cookie } = await debtorOwing900(500_00);
    expect((await page(cookie)).overLimitPc).toBe(30);
    // 30 % of 900,00 € = 270,00 €, as the page shows it.
    expect(makeT("fr")("plan.overLimit", { pc: 30, amount: "270,00 €" })).toContain("au moins 30 %, soit 270,00 €");
    expect(makeT("en")("plan.overLimit", { pc: 30, amount: "€270.00" })).toContain("at least 30 % down, that is €270.00");

    expect((await propose(cookie, invoice.id, "")).status).toBe(302);
    const review = await db.installmentPlan.findFirstOrThrow({ where: { creditorId: creditor.id } });
    expect(review.status).toBe("PROPOSED");
    expect(review.decisionNote).toBe("needs review: over_limit_down_payment_too_small");

    // The staff reject it; the debtor comes back with 269,99 € down (still review), then 270,00 € (accepted).
    await db.installmentPlan.update({ where: { id: review.id }, data: { status: "REJECTED" } });
    await db.dunningState.update({ where: { invoiceId: invoice.id }, data: { pauseReason: null } });
    expect((await propose(cookie, invoice.id, "269,99")).status).toBe(302);
    const short = await db.installmentPlan.findFirstOrThrow({ where: { creditorId: creditor.id, downPayment: 269_99 } });
    expect(short.status).toBe("PROPOSED");
    await db.installmentPlan.update({ where: { id: short.id }, data: { status: "REJECTED" } });
    await db.dunningState.update({ where: { invoiceId: invoice.id }, data: { pauseReason: null } });
    expect((await propose(cookie, invoice.id, "270,00")).status).toBe(302);
    const accepted = await db.installmentPlan.findFirstOrThrow({ where: { creditorId: creditor.id, downPayment: 270_00 } });
    expect(accepted.status).toBe("ACTIVE");
  });

  it("within its limit, without a limit, or without the creditor's rule: no message and no down payment needed", async () => {
    for (const [limit, rule] of [
      [900_00, 30],
      [null, 30],
      [500_00, null],
    ] as const) {
      const { db, creditor, invoice, cookie } = await debtorOwing900(limit, rule);
      expect((await page(cookie)).overLimitPc).toBeNull();
      expect((await propose(cookie, invoice.id, "")).status).toBe(302);
      expect((await db.installmentPlan.findFirstOrThrow({ where: { creditorId: creditor.id } })).status).toBe("ACTIVE");
    }
  });
});
