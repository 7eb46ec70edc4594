import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { addDays } from "~/domain/clock";
import { openDispute } from "~/services/disputes/open.server";
import { startStaffSession } from "~/utils/staff-session.server";
import { makeCreditor, makeDebtor, makeInvoice } from "../testing/factories";
import { useTestDatabase } from "../testing/db";
import { loader as inboxLoader } from "./app._index";
import { loader as attachmentLoader } from "./app.attachments.$attachmentId";
import { loader as debtorLoader } from "./app.debtors.$debtorId";

/** Dispute files and plan schedules reach the staff who decide, and only the staff of that creditor. */
const database = useTestDatabase();
const NOW = new Date();
const pdf = new TextEncoder().encode("%PDF-1.4\n% bon de livraison signé\n");
beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-attachments-"));
});

async function tenant() {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db);
  const debtor = await makeDebtor(db, creditor.id, { name: "Café des Arts" });
  const invoice = await makeInvoice(
    db,
    { creditorId: creditor.id, debtorId: debtor.id, policy },
    { dueDate: addDays(NOW, -10), amount: 300_00, now: addDays(NOW, -40) },
  );
  const dispute = await openDispute(
    db,
    { sessionId: "test", creditorId: creditor.id, debtorId: debtor.id },
    {
      invoiceId: invoice.id,
      reason: "DEFECTIVE",
      message: "Chaises livrées cassées.",
      files: [{ name: "bon de livraison.pdf", bytes: pdf }],
    },
    NOW,
  );
  const attachment = await db.attachment.findFirstOrThrow({ where: { disputeId: dispute.id } });
  const plan = await db.installmentPlan.create({
    data: {
      creditorId: creditor.id,
      debtorId: debtor.id,
      status: "PROPOSED",
      proposedBy: "DEBTOR",
      totalAmount: 300_00,
      downPayment: 50_00,
      invoices: { create: [{ creditorId: creditor.id, invoiceId: invoice.id, amount: 300_00 }] },
      installments: {
        create: [
          { creditorId: creditor.id, position: 0, dueDate: addDays(NOW, 30), amount: 125_00 },
          { creditorId: creditor.id, position: 1, dueDate: addDays(NOW, 60), amount: 125_00 },
        ],
      },
    },
  });
  const user = await db.user.create({
    data: { creditorId: creditor.id, email: `viewer-${creditor.id}@example.test`, name: "Lise", role: "VIEWER" },
  });
  const cookie = (await startStaffSession(user, new Request("http://localhost/login"))).split(";")[0]!;
  return { debtor, dispute, attachment, plan, cookie };
}

const get = (url: string, cookie: string) => new Request(`http://localhost${url}`, { headers: { Cookie: cookie } });
const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} });

describe("dispute attachments and plan schedules in the back-office", () => {
  it("staff of the creditor download a dispute file; another creditor's staff get 404", async () => {
    const mine = await tenant();
    const theirs = await tenant();
    const response = await attachmentLoader(
      args(get(`/app/attachments/${mine.attachment.id}`, mine.cookie), { attachmentId: mine.attachment.id }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="bon_de_livraison.pdf"/);
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(pdf);
    const foreign = await attachmentLoader(
      args(get(`/app/attachments/${theirs.attachment.id}`, mine.cookie), { attachmentId: theirs.attachment.id }),
    ).catch((e: unknown) => e);
    expect((foreign as Response).status).toBe(404);
  });

  it("the inbox card and the debtor page list the dispute's files; the proposal card carries its schedule", async () => {
    const mine = await tenant();
    const inbox = await (await inboxLoader(args(get("/app", mine.cookie)))).json();
    const card = inbox.disputes.find((d: { id: string }) => d.id === mine.dispute.id);
    expect(card!.attachments).toEqual([{ id: mine.attachment.id, fileName: "bon_de_livraison.pdf", size: pdf.byteLength }]);
    const proposal = inbox.proposals.find((p: { id: string }) => p.id === mine.plan.id);
    expect(proposal!.downPayment).toBe(50_00);
    expect(proposal!.installments.map((i: { amount: number; position: number }) => [i.position, i.amount])).toEqual([
      [0, 125_00],
      [1, 125_00],
    ]);
    const file = await (await debtorLoader(args(get(`/app/debtors/${mine.debtor.id}`, mine.cookie), { debtorId: mine.debtor.id }))).json();
    expect(file.disputes[0]!.attachments).toEqual([{ id: mine.attachment.id, fileName: "bon_de_livraison.pdf", size: pdf.byteLength }]);
  });
});
