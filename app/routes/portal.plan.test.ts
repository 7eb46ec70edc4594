import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { addDays, isoDay, startOfDayUTC } from "~/domain/clock";
import { makeT } from "~/i18n";
import { openPortalSession } from "~/utils/portal-session.server";
import { startMockServer } from "../providers/mocks/index";
import { makeCreditor, makeDebtor, makeInvoice } from "../testing/factories";
import { useTestDatabase } from "../testing/db";
import { action } from "./portal.plan";

/** The portal plan form's action, through a real portal session cookie. */
const database = useTestDatabase();
const TODAY = startOfDayUTC(new Date());
let stop: () => void;
beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-portal-plan-"));
  stop = startMockServer({ stripe: false, gocardless: false, resend: true });
});
afterAll(() => stop());

async function debtorWithInvoice() {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db);
  const debtor = await makeDebtor(db, creditor.id);
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

async function propose(cookie: string, fields: Record<string, string>) {
  const body = new URLSearchParams({ intent: "propose", ...fields });
  const request = new Request("http://localhost/portal/plan", {
    method: "POST",
    body,
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
  });
  return action({ request, params: {}, context: {} });
}

describe("portal plan form: outer limits", () => {
  it("a first installment ten years away is refused next to the date, values kept, nothing stored", async () => {
    const { db, creditor, invoice, cookie } = await debtorWithInvoice();
    const firstDate = isoDay(addDays(TODAY, 3650));
    const response = await propose(cookie, { invoiceIds: invoice.id, count: "3", firstDate, downPayment: "10" });
    expect(response.status).toBe(400);
    const data = await response.json();
    expect(data.errors).toEqual({ firstDate: "plan.errors.first_date_too_far" });
    expect(data.values).toEqual({ invoiceIds: [invoice.id], count: "3", firstDate, downPayment: "10" });
    expect(await db.installmentPlan.count({ where: { creditorId: creditor.id } })).toBe(0);
    expect(await db.communication.count({ where: { creditorId: creditor.id, kind: { startsWith: "plan." } } })).toBe(0);
    expect((await db.dunningState.findUniqueOrThrow({ where: { invoiceId: invoice.id } })).pauseReason).toBeNull();
    // The key shown is a sentence in both languages, with the limit filled in.
    expect(makeT("fr")("plan.errors.first_date_too_far", { days: 45 })).toBe("La première mensualité doit tomber dans les 45 jours.");
    expect(makeT("en")("plan.errors.first_date_too_far", { days: 45 })).toBe("The first installment must fall within 45 days.");
  });

  it("a plan longer than twice the creditor's length is refused next to the count; within it, it goes to review", async () => {
    const { db, creditor, invoice, cookie } = await debtorWithInvoice();
    await db.creditor.update({ where: { id: creditor.id }, data: { planMaxMonths: 3 } });
    const firstDate = isoDay(addDays(TODAY, 30));
    const tooLong = await propose(cookie, { invoiceIds: invoice.id, count: "8", firstDate });
    expect(tooLong.status).toBe(400);
    expect((await tooLong.json()).errors).toEqual({ count: "plan.errors.duration_too_long" });
    expect(await db.installmentPlan.count({ where: { creditorId: creditor.id } })).toBe(0);

    const review = await propose(cookie, { invoiceIds: invoice.id, count: "5", firstDate });
    expect(review.status).toBe(302);
    const proposed = await db.installmentPlan.findFirstOrThrow({ where: { creditorId: creditor.id } });
    expect(proposed.status).toBe("PROPOSED");
    expect(review.headers.get("Location")).toBe(`/portal/plan/sent?plan=${proposed.id}`);
  });
});
