import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { addDays, fixedClock } from "~/domain/clock";
import { startMockServer } from "../../providers/mocks/index";
import { readEmails } from "../../providers/mocks/utils";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { useTestDatabase } from "../../testing/db";
import { DisputeAnswerError, rejectDispute, replyToDispute, resolveDisputeWithCredit } from "./answers.server";
import { openDispute } from "./open.server";

const database = useTestDatabase();
const NOW = new Date("2026-04-02T10:00:00Z");
const clock = fixedClock(NOW);
let stop: () => void;
beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-disputes-"));
  stop = startMockServer({ stripe: false, gocardless: false, resend: true });
});
afterAll(() => stop());

async function disputed(opts: { amount?: number; paid?: number } = {}) {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db);
  const debtor = await makeDebtor(db, creditor.id);
  const invoice = await makeInvoice(
    db,
    { creditorId: creditor.id, debtorId: debtor.id, policy },
    { dueDate: addDays(NOW, -10), amount: opts.amount ?? 500_00, now: addDays(NOW, -10) },
  );
  if (opts.paid) await db.invoice.update({ where: { id: invoice.id }, data: { amountPaid: opts.paid, status: "PARTIALLY_PAID" } });
  const dispute = await openDispute(
    db,
    { sessionId: "test", creditorId: creditor.id, debtorId: debtor.id },
    { invoiceId: invoice.id, reason: "AMOUNT_WRONG", message: "Le montant est faux.", files: [] },
    NOW,
  );
  const user = await db.user.create({
    data: { creditorId: creditor.id, email: `agent-${creditor.id}@example.test`, name: "Agent", role: "AGENT" },
  });
  return { db, creditor, debtor, invoice, dispute, staff: { userId: user.id, name: user.name } };
}

describe("dispute answers", () => {
  it("rejecting resumes dunning, emails the debtor the explanation and traces the staff action", async () => {
    const { db, creditor, debtor, invoice, dispute, staff } = await disputed();
    expect((await db.dunningState.findUniqueOrThrow({ where: { invoiceId: invoice.id } })).pauseReason).toBe("DISPUTE");

    await db.$transaction((tx) => rejectDispute(tx, creditor.id, dispute.id, { note: "Le devis signé prévoit ce montant." }, staff, clock));

    const after = await db.dispute.findUniqueOrThrow({ where: { id: dispute.id } });
    expect(after.status).toBe("RESOLVED_REJECTED");
    expect(after.resolutionNote).toBe("Le devis signé prévoit ce montant.");
    expect((await db.dunningState.findUniqueOrThrow({ where: { invoiceId: invoice.id } })).pauseReason).toBeNull();
    const comms = await db.communication.findMany({ where: { creditorId: creditor.id, invoiceId: invoice.id } });
    const email = comms.find((c) => c.kind === "notice.dispute_answer");
    expect(email?.channel).toBe("EMAIL");
    expect(email?.bodyText).toContain("Le devis signé prévoit ce montant.");
    const mail = readEmails({ to: debtor.email! }).at(-1);
    expect(mail?.subject).toContain("réponse à votre contestation");
    expect(comms.find((c) => c.kind === "dispute.rejected")).toMatchObject({ actorType: "STAFF", actorId: staff.userId });
    // Answered once: a second answer is refused.
    await expect(rejectDispute(db, creditor.id, dispute.id, { note: "encore" }, staff, clock)).rejects.toMatchObject({ code: "not_open" });
  });

  it("a partial credit lowers the balance and dunning resumes on the rest", async () => {
    const { db, creditor, invoice, dispute, staff } = await disputed({ amount: 500_00 });
    const result = await db.$transaction((tx) =>
      resolveDisputeWithCredit(tx, creditor.id, dispute.id, { creditAmount: 100_00, note: "Remise accordée." }, staff, clock),
    );
    expect(result.balanceAfter).toBe(400_00);
    const inv = await db.invoice.findUniqueOrThrow({ where: { id: invoice.id }, include: { dunningState: true } });
    expect(inv.amountCredited).toBe(100_00);
    expect(inv.status).toBe("OPEN");
    expect(inv.dunningState?.pauseReason).toBeNull();
    expect((await db.dispute.findUniqueOrThrow({ where: { id: dispute.id } })).status).toBe("RESOLVED_CREDIT");
  });

  it("a credit of the whole balance cancels an unpaid invoice, and marks a part-paid one PAID", async () => {
    const unpaid = await disputed({ amount: 300_00 });
    await unpaid.db.$transaction((tx) =>
      resolveDisputeWithCredit(tx, unpaid.creditor.id, unpaid.dispute.id, { creditAmount: 300_00, note: "Annulée." }, unpaid.staff, clock),
    );
    const a = await unpaid.db.invoice.findUniqueOrThrow({ where: { id: unpaid.invoice.id }, include: { dunningState: true } });
    expect(a.status).toBe("CANCELLED");
    expect(a.dunningState?.stoppedAt).not.toBeNull();

    const part = await disputed({ amount: 300_00, paid: 100_00 });
    await part.db.$transaction((tx) =>
      resolveDisputeWithCredit(tx, part.creditor.id, part.dispute.id, { creditAmount: 200_00, note: "Solde offert." }, part.staff, clock),
    );
    expect((await part.db.invoice.findUniqueOrThrow({ where: { id: part.invoice.id } })).status).toBe("PAID");
  });

  it("refuses a credit above the balance and an empty answer", async () => {
    const { db, creditor, dispute, staff } = await disputed({ amount: 100_00 });
    await expect(
      resolveDisputeWithCredit(db, creditor.id, dispute.id, { creditAmount: 100_01, note: "x" }, staff, clock),
    ).rejects.toMatchObject({ code: "credit_above_balance" });
    await expect(rejectDispute(db, creditor.id, dispute.id, { note: "  " }, staff, clock)).rejects.toMatchObject({
      code: "message_required",
    });
  });

  it("a reply goes into the thread and the trace; the dispute stays open", async () => {
    const { db, creditor, dispute, staff } = await disputed();
    await replyToDispute(db, creditor.id, dispute.id, { message: "Pouvez-vous envoyer le devis ?" }, staff, clock);
    const messages = await db.disputeMessage.findMany({ where: { disputeId: dispute.id } });
    expect(messages.map((m) => m.author).sort()).toEqual(["CREDITOR", "DEBTOR"]);
    expect((await db.dispute.findUniqueOrThrow({ where: { id: dispute.id } })).status).toBe("OPEN");
    expect(await db.communication.count({ where: { creditorId: creditor.id, kind: "dispute.reply", actorType: "STAFF" } })).toBe(1);
  });

  it("another creditor's dispute is not found and stays untouched", async () => {
    const { db, dispute } = await disputed();
    const other = await disputed();
    for (const attempt of [
      () => rejectDispute(db, other.creditor.id, dispute.id, { note: "non" }, other.staff, clock),
      () => resolveDisputeWithCredit(db, other.creditor.id, dispute.id, { creditAmount: 1_00, note: "non" }, other.staff, clock),
      () => replyToDispute(db, other.creditor.id, dispute.id, { message: "non" }, other.staff, clock),
    ]) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DisputeAnswerError);
      expect((error as DisputeAnswerError).code).toBe("not_found");
    }
    expect((await db.dispute.findUniqueOrThrow({ where: { id: dispute.id } })).status).toBe("OPEN");
  });
});
