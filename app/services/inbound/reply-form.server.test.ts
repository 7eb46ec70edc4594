import { addDays } from "~/domain/clock";
import { useTestDatabase } from "../../testing/db";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { handleReplyForm } from "./reply-form.server";

const database = useTestDatabase();
const NOW = new Date("2026-12-02T10:00:00Z");

async function pendingPromise() {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db);
  const debtor = await makeDebtor(db, creditor.id);
  const invoice = await makeInvoice(
    db,
    { creditorId: creditor.id, debtorId: debtor.id, policy },
    { dueDate: addDays(NOW, -5), now: addDays(NOW, -5) },
  );
  const user = await db.user.create({
    data: { creditorId: creditor.id, email: `u-${debtor.id}@example.test`, name: "Agent", role: "AGENT" },
  });
  const inbound = await db.inboundEmail.create({
    data: {
      creditorId: creditor.id,
      source: "DEV",
      messageId: `<m-${debtor.id}>`,
      status: "PROCESSED",
      storagePath: "x",
      size: 1,
      sha256: "0",
      debtorId: debtor.id,
      intent: "promise",
      understanding: { trigger: ["nous réglerons"], promisedFor: null, invoiceNumbers: [] },
      suggestionStatus: "PENDING",
    },
  });
  return { db, creditor, invoice, inbound, staff: { userId: user.id, creditorId: creditor.id } };
}

const formOf = (fields: Record<string, string | string[]>) => {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) form.append(name, v);
  return form;
};

describe("the inbox's reply forms", () => {
  it("say which field is wrong, in words: no date for a promise, a malformed date, an already handled reply, another creditor's reply", async () => {
    const { db, inbound, invoice, staff } = await pendingPromise();
    const accept = (extra: Record<string, string | string[]>) =>
      handleReplyForm(db, formOf({ intent: "reply-accept", inboundEmailId: inbound.id, ...extra }), staff, NOW);
    expect(await accept({})).toEqual({ ok: false, field: "date", error: "replies.error.date.required" });
    expect(await accept({ edited: "1", replyIntent: "promise", date: "2026-13-45" })).toEqual({
      ok: false,
      field: "date",
      error: "replies.error.date",
    });
    expect(await accept({ edited: "1", replyIntent: "promise", date: "2026-12-01", invoiceId: invoice.id })).toEqual({
      ok: false,
      field: "date",
      error: "replies.error.notFuture",
    });
    expect(await accept({ edited: "1", replyIntent: "promise", date: "2026-12-20", invoiceId: invoice.id })).toEqual({
      ok: true,
      done: "replyPromise",
    });
    expect(await db.promiseToPay.count({ where: { invoiceId: invoice.id, status: "PENDING" } })).toBe(1);
    expect(await accept({})).toEqual({ ok: false, field: "intent", error: "replies.error.already_handled" });
    const other = await pendingPromise();
    const foreign = await handleReplyForm(db, formOf({ intent: "reply-dismiss", inboundEmailId: other.inbound.id }), staff, NOW);
    expect(foreign).toMatchObject({ ok: false, notFound: true });
  });

  it("dismiss closes the reply; assigning needs a customer", async () => {
    const { db, inbound, staff } = await pendingPromise();
    expect(await handleReplyForm(db, formOf({ intent: "reply-assign", inboundEmailId: inbound.id, debtorId: "" }), staff, NOW)).toEqual({
      ok: false,
      field: "debtorId",
      error: "replies.error.debtor_not_found",
    });
    expect(await handleReplyForm(db, formOf({ intent: "reply-dismiss", inboundEmailId: inbound.id }), staff, NOW)).toEqual({
      ok: true,
      done: "replyDismissed",
    });
    expect((await db.inboundEmail.findUniqueOrThrow({ where: { id: inbound.id } })).suggestionStatus).toBe("DISMISSED");
  });
});
