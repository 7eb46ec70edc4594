import { addDays, fixedClock, startOfDayUTC, todayIn } from "~/domain/clock";
import { recordManualPayment } from "~/services/payments/manual.server";
import { openPortalSession } from "~/utils/portal-session.server";
import { makeCreditor, makeDebtor, makeInvoice } from "../testing/factories";
import { useTestDatabase } from "../testing/db";
import { loader as homeLoader } from "./portal._index";
import { loader as payLoader } from "./portal.pay";
import { loader as invoiceLoader } from "./portal.invoices.$invoiceId._index";

/** The early-payment discount on the portal: the home and the pay page, through a real portal session (decision 028). */
const database = useTestDatabase();
const NOW = new Date();
const TODAY = todayIn("Europe/Paris", NOW);

async function setup() {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db, {
    earlyDiscountRateBps: 200,
    earlyDiscountDays: 8,
    iban: "FR7630006000011234567890189",
  });
  const debtor = await makeDebtor(db, creditor.id, { kind: "BUSINESS" });
  // Issued 4 days ago (due in 26): the offer is open. Another issued 40 days ago, overdue: never offered.
  const fresh = await makeInvoice(
    db,
    { creditorId: creditor.id, debtorId: debtor.id, policy },
    { dueDate: startOfDayUTC(addDays(TODAY, 26)), amount: 1_234_56, now: addDays(NOW, -4), number: "F-2026-0601" },
  );
  const late = await makeInvoice(
    db,
    { creditorId: creditor.id, debtorId: debtor.id, policy },
    { dueDate: startOfDayUTC(addDays(TODAY, -10)), amount: 500_00, now: addDays(NOW, -40), number: "F-2026-0602" },
  );
  const session = await openPortalSession(
    { creditorId: creditor.id, debtorId: debtor.id, accessLinkId: "test" },
    new Request("http://localhost/p/x"),
  );
  return { db, creditor, debtor, fresh, late, headers: { Cookie: session.split(";")[0]!, "Accept-Language": "fr" } };
}

describe("early-payment discount on the portal", () => {
  it("the home shows the offer for the invoice still in its window, none for the overdue one", async () => {
    const { headers } = await setup();
    const home = await (await homeLoader({ request: new Request("http://localhost/portal", { headers }), params: {}, context: {} })).json();
    expect(home.discount!.title).toBe("Escompte pour paiement anticipé");
    expect(home.discount!.lines).toHaveLength(1);
    expect(home.discount!.lines[0]).toMatch(
      /^Facture F-2026-0601 : 1\s209,87\s€ au lieu de 1\s234,56\s€ — Payez au plus tard le .+ : escompte de 2 %, soit 1\s209,87\s€ à régler\.$/,
    );
    expect(home.discount!.lines.join()).not.toContain("F-2026-0602");
  });

  it("the pay page charges the discounted amount for the fresh invoice and the full balance for the overdue one", async () => {
    const { fresh, late, headers } = await setup();
    const page = await (
      await payLoader({ request: new Request("http://localhost/portal/pay", { headers }), params: {}, context: {} })
    ).json();
    const byId = new Map(page.invoices.map((i: { id: string }) => [i.id, i]));
    expect(byId.get(fresh.id)).toMatchObject({ balance: 1_234_56, toPay: 1_209_87 });
    expect(byId.get(late.id)).toMatchObject({ balance: 500_00, toPay: 500_00 });
    expect(page.transferTotal).toBe(1_209_87 + 500_00);
    expect(page.discount!.lines).toHaveLength(1);
  });

  it("an invoice's own page shows its offer while open, and none on the overdue invoice", async () => {
    const { fresh, late, headers } = await setup();
    const page = async (id: string) =>
      (
        await invoiceLoader({
          request: new Request(`http://localhost/portal/invoices/${id}`, { headers }),
          params: { invoiceId: id },
          context: {},
        })
      ).json();
    const open = await page(fresh.id);
    expect(open.discount!.lines).toHaveLength(1);
    expect(open.discount!.lines[0]).toContain("F-2026-0601");
    expect(open.discount!.lines[0]).toMatch(/1\s209,87\s€/);
    expect((await page(late.id)).discount).toBeNull();
  });

  it("once paid in time, the invoice page shows the discount granted and a nil balance; the offer is gone", async () => {
    const { db, creditor, debtor, fresh, headers } = await setup();
    await recordManualPayment(
      db,
      { creditorId: creditor.id, userId: "staff-1" },
      { debtorId: debtor.id, amount: 1_209_87, invoiceIds: [fresh.id], receivedAt: NOW, reference: "VIR F-2026-0601" },
      fixedClock(NOW),
    );
    const page = await (
      await invoiceLoader({
        request: new Request(`http://localhost/portal/invoices/${fresh.id}`, { headers }),
        params: { invoiceId: fresh.id },
        context: {},
      })
    ).json();
    expect(page.invoice).toMatchObject({ balance: 0, paid: 1_209_87, credited: 24_69 });
    expect(page.discountApplied!.label).toBe("Escompte pour paiement anticipé");
    expect(page.discountApplied!.text).toMatch(/^Escompte pour paiement anticipé \(2 %\) accordé le .+ : 24,69\s€$/);
    expect(page.discount).toBeNull();
  });

  it("no offer at all when the creditor offers none", async () => {
    const db = database.get().prisma;
    const { creditor, policy } = await makeCreditor(db);
    const debtor = await makeDebtor(db, creditor.id);
    await makeInvoice(
      db,
      { creditorId: creditor.id, debtorId: debtor.id, policy },
      { dueDate: addDays(TODAY, 26), amount: 100_00, now: NOW },
    );
    const session = await openPortalSession(
      { creditorId: creditor.id, debtorId: debtor.id, accessLinkId: "t" },
      new Request("http://localhost/p/x"),
    );
    const home = await (
      await homeLoader({
        request: new Request("http://localhost/portal", { headers: { Cookie: session.split(";")[0]! } }),
        params: {},
        context: {},
      })
    ).json();
    expect(home.discount).toBeNull();
  });
});
