import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { addDays, fixedClock } from "~/domain/clock";
import { recordManualPayment } from "~/services/payments/manual.server";
import { historyMethod } from "~/services/portal/history.server";
import { openPortalSession } from "~/utils/portal-session.server";
import { makeCreditor, makeDebtor, makeInvoice } from "../testing/factories";
import { startMockServer } from "../providers/mocks/index";
import { useTestDatabase } from "../testing/db";
import { loader } from "./portal.history";

/** The debtor's history page, through real portal session cookies. */
const database = useTestDatabase();
const NOW = new Date();
const clock = fixedClock(NOW);
let stop: () => void;
beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-history-"));
  stop = startMockServer({ stripe: false, gocardless: false, resend: true });
});
afterAll(() => stop());

type History = {
  limited: boolean;
  payments: { id: string; method: string; status: string; amount: number; invoices: { number: string }[] }[];
  invoices: {
    id: string;
    number: string;
    status: string;
    credited: number;
    paidAt: string | null;
    payments: { method: string; amount: number; status: string }[];
  }[];
};

async function historyOf(creditorId: string, debtorId: string): Promise<History> {
  const cookie = (await openPortalSession({ creditorId, debtorId, accessLinkId: "test" }, new Request("http://localhost/p/x"))).split(
    ";",
  )[0]!;
  const response = await loader({
    request: new Request("http://localhost/portal/history", { headers: { Cookie: cookie } }),
    params: {},
    context: {},
  });
  expect(response.headers.get("Cache-Control")).toBe("private, no-store");
  return response.json();
}

describe("portal history", () => {
  it("lists the debtor's own payments and settled or cancelled invoices, never another debtor's", async () => {
    const db = database.get().prisma;
    const { creditor, policy } = await makeCreditor(db);
    const debtor = await makeDebtor(db, creditor.id);
    const neighbour = await makeDebtor(db, creditor.id);
    const elsewhere = await makeCreditor(db);
    const stranger = await makeDebtor(db, elsewhere.creditor.id);
    const ctx = (debtorId: string, c = { creditorId: creditor.id, policy }) => ({ ...c, debtorId });
    const due = addDays(NOW, -30);
    const paid = await makeInvoice(db, ctx(debtor.id), { dueDate: due, amount: 300_00, now: addDays(due, -30), number: "F-OWN-PAID" });
    const open = await makeInvoice(db, ctx(debtor.id), {
      dueDate: addDays(due, 5),
      amount: 200_00,
      now: addDays(due, -30),
      number: "F-OWN-OPEN",
    });
    const credited = await makeInvoice(db, ctx(debtor.id), {
      dueDate: addDays(due, 6),
      amount: 80_00,
      now: addDays(due, -30),
      number: "F-OWN-CREDITED",
    });
    await db.invoice.update({ where: { id: credited.id }, data: { amountCredited: 80_00, status: "CANCELLED" } });
    const theirs = await makeInvoice(db, ctx(neighbour.id), {
      dueDate: due,
      amount: 111_00,
      now: addDays(due, -30),
      number: "F-NEIGHBOUR",
    });
    const foreign = await makeInvoice(db, ctx(stranger.id, { creditorId: elsewhere.creditor.id, policy: elsewhere.policy }), {
      dueDate: due,
      amount: 222_00,
      now: addDays(due, -30),
      number: "F-FOREIGN",
    });

    const transfer = await recordManualPayment(
      db,
      { creditorId: creditor.id, userId: "staff" },
      { debtorId: debtor.id, amount: 350_00, invoiceIds: [paid.id], receivedAt: addDays(NOW, -1), reference: "VIR 1" },
      clock,
    );
    await recordManualPayment(
      db,
      { creditorId: creditor.id, userId: "staff" },
      { debtorId: neighbour.id, amount: 111_00, invoiceIds: [theirs.id], receivedAt: NOW, reference: "VIR N" },
      clock,
    );
    await recordManualPayment(
      db,
      { creditorId: elsewhere.creditor.id, userId: "staff" },
      { debtorId: stranger.id, amount: 222_00, invoiceIds: [foreign.id], receivedAt: NOW, reference: "VIR F" },
      clock,
    );
    // A failed SEPA debit is history; an abandoned card checkout is not.
    await db.payment.create({
      data: {
        creditorId: creditor.id,
        debtorId: debtor.id,
        provider: "STRIPE",
        method: "sepa_debit",
        status: "FAILED",
        amount: 150_00,
        idempotencyKey: "failed-1",
        allocations: { create: { creditorId: creditor.id, invoiceId: open.id, amount: 150_00 } },
      },
    });
    await db.payment.create({
      data: {
        creditorId: creditor.id,
        debtorId: debtor.id,
        provider: "STRIPE",
        method: "card",
        status: "REQUIRES_ACTION",
        amount: 200_00,
        idempotencyKey: "abandoned-1",
      },
    });

    const history = await historyOf(creditor.id, debtor.id);
    const text = JSON.stringify(history);
    expect(text).not.toContain("F-NEIGHBOUR");
    expect(text).not.toContain("F-FOREIGN");
    expect(history.payments.map((p) => [p.method, p.status, p.amount])).toEqual([
      ["sepa_debit", "FAILED", 150_00],
      ["transfer", "SUCCEEDED", 350_00],
    ]);
    // The transfer paid the chosen invoice, then the open one with the rest.
    expect(history.payments[1]!.invoices.map((i) => i.number)).toEqual(["F-OWN-OPEN", "F-OWN-PAID"]);
    expect(history.payments[1]!.id).toBe(transfer.id);

    expect(history.invoices.map((i) => [i.number, i.status, i.credited])).toEqual([
      ["F-OWN-CREDITED", "CANCELLED", 80_00],
      ["F-OWN-PAID", "PAID", 0],
    ]);
    const settled = history.invoices.find((i) => i.number === "F-OWN-PAID")!;
    expect(settled.paidAt).not.toBeNull();
    expect(settled.payments).toEqual([expect.objectContaining({ method: "transfer", amount: 300_00, status: "SUCCEEDED" })]);
    expect(history.invoices.find((i) => i.number === "F-OWN-CREDITED")!.payments).toEqual([]);

    // The neighbour sees its own, and only its own.
    const theirsHistory = await historyOf(creditor.id, neighbour.id);
    expect(theirsHistory.invoices.map((i) => i.number)).toEqual(["F-NEIGHBOUR"]);
    expect(theirsHistory.payments).toHaveLength(1);
    expect(JSON.stringify(theirsHistory)).not.toContain("F-OWN");
  });

  it("without a portal session it sends to the expired-link page", async () => {
    const outcome = await loader({ request: new Request("http://localhost/portal/history"), params: {}, context: {} }).catch(
      (e: unknown) => e,
    );
    expect(outcome).toBeInstanceOf(Response);
    expect((outcome as Response).headers.get("Location")).toBe("/portal/expired");
  });

  it("names the way each payment was made", () => {
    expect(historyMethod({ provider: "TRANSFER", method: "transfer" })).toBe("transfer");
    expect(historyMethod({ provider: "STRIPE", method: "card" })).toBe("card");
    expect(historyMethod({ provider: "STRIPE", method: "sepa_debit" })).toBe("sepa_debit");
    expect(historyMethod({ provider: "GOCARDLESS", method: "gocardless" })).toBe("bank");
    expect(historyMethod({ provider: "GOCARDLESS", method: "direct_debit" })).toBe("direct_debit");
    expect(historyMethod({ provider: "MANUAL", method: "api" })).toBe("other");
  });
});
