import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { addDays } from "~/domain/clock";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { useTestDatabase } from "../../testing/db";
import { findDebtorAttachment, openDispute, readAttachment } from "./open.server";
import { makePromise } from "../dunning/promises.server";

const database = useTestDatabase();
const DUE = new Date("2026-03-31T00:00:00Z");
const NOW = addDays(DUE, 5);
const pdf = new TextEncoder().encode("%PDF-1.4\n% proof of delivery\n");

beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-disputes-"));
});

async function twoDebtors() {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db);
  const a = await makeDebtor(db, creditor.id);
  const b = await makeDebtor(db, creditor.id);
  const invA1 = await makeInvoice(db, { creditorId: creditor.id, debtorId: a.id, policy }, { dueDate: DUE, now: addDays(DUE, -20) });
  const invA2 = await makeInvoice(db, { creditorId: creditor.id, debtorId: a.id, policy }, { dueDate: DUE, now: addDays(DUE, -20) });
  const invB = await makeInvoice(db, { creditorId: creditor.id, debtorId: b.id, policy }, { dueDate: DUE, now: addDays(DUE, -20) });
  const idA = { creditorId: creditor.id, debtorId: a.id, sessionId: "s-a" };
  const idB = { creditorId: creditor.id, debtorId: b.id, sessionId: "s-b" };
  return { db, creditor, a, b, invA1, invA2, invB, idA, idB };
}

describe("disputes", () => {
  it("pauses dunning on the disputed invoice only, stores the attachment outside the web root, and traces it", async () => {
    const { db, creditor, invA1, invA2, idA } = await twoDebtors();
    const dispute = await openDispute(
      db,
      idA,
      {
        invoiceId: invA1.id,
        reason: "DEFECTIVE",
        message: "Deux chaises livrées cassées.",
        files: [{ name: "bon de livraison.pdf", bytes: pdf }],
      },
      NOW,
    );
    const states = await db.dunningState.findMany({ where: { creditorId: creditor.id, invoiceId: { in: [invA1.id, invA2.id] } } });
    expect(states.find((s) => s.invoiceId === invA1.id)?.pauseReason).toBe("DISPUTE");
    expect(states.find((s) => s.invoiceId === invA2.id)?.pauseReason).toBeNull();

    const [attachment] = await db.attachment.findMany({ where: { disputeId: dispute.id } });
    expect(attachment).toMatchObject({ contentType: "application/pdf", fileName: "bon_de_livraison.pdf", size: pdf.byteLength });
    expect(path.resolve(process.env.DATA_DIR!, "uploads", attachment!.storagePath).startsWith(path.resolve(process.env.DATA_DIR!))).toBe(
      true,
    );
    expect(Buffer.from(await readAttachment(attachment!)).toString()).toContain("proof of delivery");
    expect(await db.communication.count({ where: { creditorId: creditor.id, kind: "portal.dispute_opened" } })).toBe(1);
  });

  it("another debtor's invoice or attachment is not found", async () => {
    const { db, invA1, invB, idA, idB } = await twoDebtors();
    await expect(
      openDispute(db, idA, { invoiceId: invB.id, reason: "OTHER", message: "Pas à moi de payer ça.", files: [] }, NOW),
    ).rejects.toMatchObject({ code: "notFound" });
    const dispute = await openDispute(
      db,
      idA,
      { invoiceId: invA1.id, reason: "OTHER", message: "Facture en double, déjà reçue.", files: [{ name: "x.pdf", bytes: pdf }] },
      NOW,
    );
    const attachment = await db.attachment.findFirstOrThrow({ where: { disputeId: dispute.id } });
    expect(await findDebtorAttachment(db, idB, attachment.id)).toBeNull();
    expect(await findDebtorAttachment(db, idA, attachment.id)).not.toBeNull();
  });

  it("refuses a file whose content is not PDF/JPEG/PNG, whatever its name, and writes nothing", async () => {
    const { db, creditor, invA1, idA } = await twoDebtors();
    const html = new TextEncoder().encode("<html><script>alert(1)</script></html>");
    await expect(
      openDispute(
        db,
        idA,
        { invoiceId: invA1.id, reason: "OTHER", message: "Voir la pièce jointe.", files: [{ name: "facture.pdf", bytes: html }] },
        NOW,
      ),
    ).rejects.toMatchObject({ field: "attachments", code: "wrongType" });
    expect(await db.dispute.count({ where: { creditorId: creditor.id } })).toBe(0);
  });

  it("refuses a second open dispute on the same invoice", async () => {
    const { db, invA1, idA } = await twoDebtors();
    await openDispute(db, idA, { invoiceId: invA1.id, reason: "OTHER", message: "Premier message assez long.", files: [] }, NOW);
    await expect(
      openDispute(db, idA, { invoiceId: invA1.id, reason: "OTHER", message: "Deuxième message assez long.", files: [] }, NOW),
    ).rejects.toMatchObject({ code: "alreadyOpen" });
  });
});

describe("promises to pay (portal)", () => {
  it("pauses until the date + grace; refuses past dates, dates too far, zero and amounts above the balance", async () => {
    const { db, creditor, invA1, invB, idA } = await twoDebtors();
    const ok = await makePromise(db, idA, { invoiceId: invA1.id, date: addDays(NOW, 7), amount: 50_00 }, NOW);
    expect(ok.promise.status).toBe("PENDING");
    const state = await db.dunningState.findUniqueOrThrow({ where: { invoiceId: invA1.id } });
    expect(state).toMatchObject({ pauseReason: "PROMISE", pausedUntil: addDays(NOW, 7 + creditor.promiseGraceDays + 1) });

    await expect(makePromise(db, idA, { invoiceId: invA1.id, date: NOW, amount: 10_00 }, NOW)).rejects.toMatchObject({
      field: "date",
      code: "notFuture",
    });
    await expect(makePromise(db, idA, { invoiceId: invA1.id, date: addDays(NOW, 16), amount: 10_00 }, NOW)).rejects.toMatchObject({
      field: "date",
      code: "tooFar",
    });
    await expect(makePromise(db, idA, { invoiceId: invA1.id, date: addDays(NOW, 3), amount: 0 }, NOW)).rejects.toMatchObject({
      field: "amount",
      code: "notPositive",
    });
    await expect(makePromise(db, idA, { invoiceId: invA1.id, date: addDays(NOW, 3), amount: invA1.amount + 1 }, NOW)).rejects.toMatchObject(
      { field: "amount", code: "aboveBalance" },
    );
    await expect(makePromise(db, idA, { invoiceId: invB.id, date: addDays(NOW, 3), amount: 1 }, NOW)).rejects.toMatchObject({
      code: "notFound",
    });
  });
});
