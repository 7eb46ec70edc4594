import { addDays } from "~/domain/clock";
import { openPortalSession } from "~/utils/portal-session.server";
import { makeCreditor, makeDebtor, makeInvoice } from "../testing/factories";
import { useTestDatabase } from "../testing/db";
import { loader as homeLoader } from "./portal._index";
import { loader as layoutLoader } from "./portal";

/** The portal home and its layout, through a real portal session cookie. */
const database = useTestDatabase();

async function cookieFor(creditorId: string, debtorId: string) {
  return (await openPortalSession({ creditorId, debtorId, accessLinkId: "test" }, new Request("http://localhost/p/x"))).split(";")[0]!;
}

describe("portal home loader", () => {
  it("gives the claimed total with its breakdown, and the layout the creditor's legal identity and phone", async () => {
    const db = database.get().prisma;
    const { creditor, policy } = await makeCreditor(db);
    await db.creditor.update({
      where: { id: creditor.id },
      data: { siren: "732829320", rcsCity: "Lyon", vatNumber: "FR12732829320", contactPhone: "04 78 00 00 00" },
    });
    const debtor = await makeDebtor(db, creditor.id, { kind: "BUSINESS" });
    const now = new Date();
    await makeInvoice(
      db,
      { creditorId: creditor.id, debtorId: debtor.id, policy },
      { dueDate: addDays(now, -30), amount: 1000_00, now: addDays(now, -60) },
    );
    const headers = { Cookie: await cookieFor(creditor.id, debtor.id) };

    const home = await (await homeLoader({ request: new Request("http://localhost/portal", { headers }), params: {}, context: {} })).json();
    expect(home.claim.principal).toBe(1000_00);
    expect(home.claim.indemnity).toBe(40_00);
    expect(home.claim.interest).toBeGreaterThan(0);
    expect(home.claim.total).toBe(home.claim.principal + home.claim.interest + home.claim.indemnity);
    expect(home.totals.claimed).toBe(home.claim.total);

    const layout = await (
      await layoutLoader({ request: new Request("http://localhost/portal", { headers }), params: {}, context: {} })
    ).json();
    expect(layout.creditor).toMatchObject({
      siren: "732829320",
      rcsCity: "Lyon",
      vatNumber: "FR12732829320",
      contactPhone: "04 78 00 00 00",
    });
  });
});
