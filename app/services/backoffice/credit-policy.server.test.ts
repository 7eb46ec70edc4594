import { addDays, startOfDayUTC } from "~/domain/clock";
import { makeT } from "~/i18n";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { useTestDatabase } from "../../testing/db";
import {
  creditPolicySchema,
  creditPolicyView,
  debtorCreditStanding,
  debtorsOverLimit,
  saveCreditPolicyForm,
  updateCreditPolicy,
} from "./credit-policy.server";

/** Credit limit, exposure and terms, read from real rows (decision 025). */
const database = useTestDatabase();
const TODAY = startOfDayUTC(new Date());

async function tenant() {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db);
  const debtor = await makeDebtor(db, creditor.id);
  const ctx = { creditorId: creditor.id, debtorId: debtor.id, policy };
  const staff = await db.user.create({
    data: { creditorId: creditor.id, email: `o-${creditor.id}@example.test`, name: "Owner", role: "OWNER" },
  });
  return { db, creditor, debtor, ctx, staff };
}

describe("exposure against the credit limit", () => {
  it("adds the open balances in the creditor's currency; paid, cancelled, other currencies and other creditors' rows do not count", async () => {
    const { db, creditor, debtor, ctx } = await tenant();
    await db.debtor.update({ where: { id: debtor.id }, data: { creditLimit: 1_000_00 } });
    const a = await makeInvoice(db, ctx, { dueDate: addDays(TODAY, -10), amount: 700_00, now: addDays(TODAY, -40) });
    const b = await makeInvoice(db, ctx, { dueDate: addDays(TODAY, 20), amount: 500_00, now: TODAY });
    // 500 − 100 paid − 50 credited = 350 still owed on b.
    await db.invoice.update({ where: { id: b.id }, data: { amountPaid: 100_00, amountCredited: 50_00, status: "PARTIALLY_PAID" } });
    const paid = await makeInvoice(db, ctx, { dueDate: addDays(TODAY, -30), amount: 9_000_00, now: addDays(TODAY, -60) });
    await db.invoice.update({ where: { id: paid.id }, data: { amountPaid: 9_000_00, status: "PAID" } });
    const cancelled = await makeInvoice(db, ctx, { dueDate: addDays(TODAY, -30), amount: 9_000_00, now: addDays(TODAY, -60) });
    await db.invoice.update({ where: { id: cancelled.id }, data: { status: "CANCELLED" } });
    const usd = await makeInvoice(db, ctx, { dueDate: addDays(TODAY, -5), amount: 2_000_00, now: addDays(TODAY, -35) });
    await db.invoice.update({ where: { id: usd.id }, data: { currency: "USD" } });
    // A row of another creditor pointing at this debtor (as a bad import would): never this creditor's exposure.
    const other = await makeCreditor(db);
    await db.invoice.create({
      data: {
        creditorId: other.creditor.id,
        debtorId: debtor.id,
        number: "ALIEN-1",
        issueDate: addDays(TODAY, -30),
        dueDate: TODAY,
        amount: 50_000_00,
        currency: "EUR",
      },
    });

    const standing = await debtorCreditStanding(db, creditor.id, debtor.id);
    // 700 + 350 = 1 050 > 1 000: over by 50,00 €.
    expect(standing).toEqual({
      limit: 1_000_00,
      currency: "EUR",
      exposure: 1_050_00,
      overBy: 50_00,
      over: true,
      otherCurrencies: [{ currency: "USD", amount: 2_000_00 }],
    });
    expect([...(await debtorsOverLimit(db, creditor.id, [debtor.id]))]).toEqual([debtor.id]);
    // The other creditor cannot read this debtor's standing, nor flag it.
    expect(await debtorCreditStanding(db, other.creditor.id, debtor.id)).toBeNull();
    expect((await debtorsOverLimit(db, other.creditor.id, [debtor.id])).size).toBe(0);

    // Paying the older invoice brings the debtor back within its limit.
    await db.invoice.update({ where: { id: a.id }, data: { amountPaid: 700_00, status: "PAID" } });
    expect(await debtorCreditStanding(db, creditor.id, debtor.id)).toMatchObject({ exposure: 350_00, over: false, overBy: 0 });
    expect((await debtorsOverLimit(db, creditor.id, [debtor.id])).size).toBe(0);
  });

  it("a debtor without a limit is never over it", async () => {
    const { db, creditor, debtor, ctx } = await tenant();
    await makeInvoice(db, ctx, { dueDate: addDays(TODAY, -10), amount: 90_000_00, now: addDays(TODAY, -40) });
    expect(await debtorCreditStanding(db, creditor.id, debtor.id)).toMatchObject({ limit: null, over: false });
    expect((await debtorsOverLimit(db, creditor.id, [debtor.id])).size).toBe(0);
    expect((await creditPolicyView(db, creditor.id, debtor.id)).standing.exposure).toBe(90_000_00);
  });
});

describe("setting the limit and terms", () => {
  it("saves, writes the debtor's trace and the staff audit trail once, and nothing when unchanged", async () => {
    const { db, creditor, debtor, staff } = await tenant();
    const values = { creditLimit: 5_000_00, paymentTermsDays: 45, paymentTermsBasis: "END_OF_MONTH" as const };
    const now = new Date();
    expect((await updateCreditPolicy(db, creditor.id, debtor.id, values, { userId: staff.id }, now)).changed).toEqual([
      "creditLimit",
      "paymentTermsDays",
      "paymentTermsBasis",
    ]);
    expect(await db.debtor.findUniqueOrThrow({ where: { id: debtor.id } })).toMatchObject({
      creditLimit: 5_000_00,
      paymentTermsDays: 45,
      paymentTermsBasis: "END_OF_MONTH",
    });
    const trace = await db.communication.findMany({ where: { creditorId: creditor.id, kind: "debtor.credit_policy" } });
    expect(trace).toHaveLength(1);
    expect(trace[0]!.data).toEqual({
      changed: {
        creditLimit: { from: null, to: 5_000_00 },
        paymentTermsDays: { from: null, to: 45 },
        paymentTermsBasis: { from: "NET", to: "END_OF_MONTH" },
      },
    });
    const audit = await db.auditEvent.findMany({ where: { creditorId: creditor.id, action: "debtor.credit_policy_changed" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorUserId: staff.id, targetType: "Debtor", targetId: debtor.id });
    expect(makeT("fr")("accounts.audit.debtor.credit_policy_changed", { name: debtor.name })).toContain(debtor.name);

    await updateCreditPolicy(db, creditor.id, debtor.id, values, { userId: staff.id }, now);
    expect(await db.communication.count({ where: { creditorId: creditor.id, kind: "debtor.credit_policy" } })).toBe(1);
    expect(await db.auditEvent.count({ where: { creditorId: creditor.id, action: "debtor.credit_policy_changed" } })).toBe(1);
  });

  it("refuses another creditor's debtor", async () => {
    const { db, debtor, staff } = await tenant();
    const other = await makeCreditor(db);
    await expect(
      updateCreditPolicy(db, other.creditor.id, debtor.id, { creditLimit: 1, paymentTermsBasis: "NET" }, { userId: staff.id }, new Date()),
    ).rejects.toThrow("debtor not found");
    expect((await db.debtor.findUniqueOrThrow({ where: { id: debtor.id } })).creditLimit).toBeNull();
  });

  it("form: terms beyond L441-10 are refused for a business with the values kept; a consumer may have longer terms", async () => {
    const { db, creditor, debtor, staff } = await tenant();
    const form = new FormData();
    form.set("creditLimit", "12 500,50");
    form.set("paymentTermsDays", "90");
    form.set("paymentTermsBasis", "NET");
    const refused = await saveCreditPolicyForm(db, creditor.id, debtor.id, form, { userId: staff.id }, new Date());
    expect(refused).toEqual({
      saved: false,
      refusal: {
        values: { creditLimit: "12 500,50", paymentTermsDays: "90", paymentTermsBasis: "NET" },
        fieldErrors: { paymentTermsDays: "credit.errors.termsTooLong.NET" },
      },
    });
    expect((await db.debtor.findUniqueOrThrow({ where: { id: debtor.id } })).creditLimit).toBeNull();

    const consumer = await makeDebtor(db, creditor.id, { kind: "CONSUMER" });
    expect(await saveCreditPolicyForm(db, creditor.id, consumer.id, form, { userId: staff.id }, new Date())).toEqual({ saved: true });
    expect(await db.debtor.findUniqueOrThrow({ where: { id: consumer.id } })).toMatchObject({
      creditLimit: 12_500_50,
      paymentTermsDays: 90,
    });

    // Empty fields clear the limit and the terms.
    const clear = new FormData();
    clear.set("creditLimit", "");
    clear.set("paymentTermsDays", "");
    expect(await saveCreditPolicyForm(db, creditor.id, consumer.id, clear, { userId: staff.id }, new Date())).toEqual({ saved: true });
    expect(await db.debtor.findUniqueOrThrow({ where: { id: consumer.id } })).toMatchObject({ creditLimit: null, paymentTermsDays: null });
  });

  it("schema: 45 days end of month is the business maximum; amounts must be positive money", () => {
    const schema = creditPolicySchema({ currency: "EUR", business: true });
    expect(schema.safeParse({ paymentTermsDays: "45", paymentTermsBasis: "END_OF_MONTH" }).success).toBe(true);
    const over = schema.safeParse({ paymentTermsDays: "46", paymentTermsBasis: "END_OF_MONTH" });
    expect(over.error?.issues.map((i) => i.message)).toEqual(["credit.errors.termsTooLong.END_OF_MONTH"]);
    expect(schema.safeParse({ creditLimit: "-5", paymentTermsBasis: "NET" }).error?.issues[0]?.message).toBe("credit.errors.limit");
    expect(schema.safeParse({ creditLimit: "99999999", paymentTermsBasis: "NET" }).error?.issues[0]?.message).toBe("credit.errors.limit");
    expect(schema.safeParse({ paymentTermsDays: "30.5", paymentTermsBasis: "NET" }).error?.issues[0]?.message).toBe(
      "credit.errors.termsDays",
    );
  });
});
