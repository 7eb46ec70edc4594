import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { addDays, startOfDayUTC } from "~/domain/clock";
import { makeT, type MessageKey } from "~/i18n";
import { startStaffSession } from "~/utils/staff-session.server";
import { makeCreditor, makeDebtor, makeInvoice } from "../testing/factories";
import { startMockServer } from "../providers/mocks/index";
import { useTestDatabase } from "../testing/db";
import { action, loader } from "./app.debtors.$debtorId";
import { loader as listLoader } from "./app.debtors._index";

/** The debtor page's credit policy form and warning, through real staff session cookies (decision 025). */
const database = useTestDatabase();
const TODAY = startOfDayUTC(new Date());
let stop: () => void;
beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-credit-"));
  stop = startMockServer({ stripe: false, gocardless: false, resend: true });
});
afterAll(() => stop());

async function tenant() {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db);
  const debtor = await makeDebtor(db, creditor.id);
  await makeInvoice(
    db,
    { creditorId: creditor.id, debtorId: debtor.id, policy },
    { dueDate: addDays(TODAY, -5), amount: 1_200_00, now: addDays(TODAY, -35) },
  );
  const cookie = async (role: "AGENT" | "VIEWER") => {
    const user = await db.user.create({
      data: { creditorId: creditor.id, email: `${role}-${creditor.id}@example.test`, name: role, role },
    });
    return (await startStaffSession(user, new Request("http://localhost/login"))).split(";")[0]!;
  };
  return { db, creditor, debtor, agent: await cookie("AGENT"), viewer: await cookie("VIEWER") };
}

const url = (debtorId: string) => `http://localhost/app/debtors/${debtorId}`;
function post(debtorId: string, cookie: string, form: Record<string, string>) {
  const request = new Request(url(debtorId), {
    method: "POST",
    body: new URLSearchParams(form),
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
  });
  return { request, params: { debtorId }, context: {} };
}
type Refused = { intent: string; credit: { values: Record<string, string>; fieldErrors: Record<string, string> } };
const settle = (p: Promise<Response>) =>
  p.then(
    (r) => r,
    (e: unknown) => e as Response,
  );

describe("debtor page: credit limit and payment terms", () => {
  it("terms over 60 days come back with the user's input and the L441-10 message, in French and English; nothing saved", async () => {
    const { db, debtor, agent } = await tenant();
    const response = await action(
      post(debtor.id, agent, { intent: "credit", creditLimit: "1 000,00", paymentTermsDays: "75", paymentTermsBasis: "NET" }),
    );
    expect(response.status).toBe(400);
    const data = (await response.json()) as Refused;
    expect(data).toEqual({
      intent: "credit",
      credit: {
        values: { creditLimit: "1 000,00", paymentTermsDays: "75", paymentTermsBasis: "NET" },
        fieldErrors: { paymentTermsDays: "credit.errors.termsTooLong.NET" },
      },
    });
    expect(makeT("fr")(data.credit.fieldErrors.paymentTermsDays as MessageKey)).toBe(
      "Entre professionnels, le délai de paiement ne peut dépasser 60 jours à compter de la date de la facture (C. com. L441-10 I).",
    );
    expect(makeT("en")(data.credit.fieldErrors.paymentTermsDays as MessageKey)).toBe(
      "Between businesses, payment terms may not exceed 60 days from the invoice date (French Commercial Code L441-10 I).",
    );
    expect(await db.debtor.findUniqueOrThrow({ where: { id: debtor.id } })).toMatchObject({ creditLimit: null, paymentTermsDays: null });

    const badAmount = (await (
      await action(post(debtor.id, agent, { intent: "credit", creditLimit: "mille", paymentTermsDays: "30" }))
    ).json()) as Refused;
    expect(badAmount.credit.fieldErrors).toEqual({ creditLimit: "credit.errors.limit" });
    expect(badAmount.credit.values.creditLimit).toBe("mille");
  });

  it("a valid limit below the exposure saves, redirects with a confirmation, and the page then warns", async () => {
    const { db, debtor, agent } = await tenant();
    const saved = await action(
      post(debtor.id, agent, { intent: "credit", creditLimit: "1 000,00", paymentTermsDays: "45", paymentTermsBasis: "END_OF_MONTH" }),
    );
    expect(saved.status).toBe(302);
    expect(saved.headers.get("Location")).toBe(`/app/debtors/${debtor.id}?done=credit`);
    expect(await db.debtor.findUniqueOrThrow({ where: { id: debtor.id } })).toMatchObject({
      creditLimit: 1_000_00,
      paymentTermsDays: 45,
      paymentTermsBasis: "END_OF_MONTH",
    });
    const page = await (
      await loader({ request: new Request(url(debtor.id), { headers: { Cookie: agent } }), params: { debtorId: debtor.id }, context: {} })
    ).json();
    expect(page.credit.standing).toMatchObject({ limit: 1_000_00, exposure: 1_200_00, overBy: 200_00, over: true });
    expect(page.credit.terms).toEqual({ days: 45, basis: "END_OF_MONTH" });
    // The debtors list flags it too.
    const list = await (
      await listLoader({ request: new Request("http://localhost/app/debtors", { headers: { Cookie: agent } }), params: {}, context: {} })
    ).json();
    expect(list.overLimit).toEqual([debtor.id]);
    expect(makeT("en")("credit.warning", { exposure: "€1,200.00", limit: "€1,000.00", over: "€200.00" })).toBe(
      "Exposure above the credit limit: €1,200.00 owed against a limit of €1,000.00, €200.00 over.",
    );
  });

  it("a viewer cannot change it, and another creditor's staff get a 404", async () => {
    const { db, debtor, viewer } = await tenant();
    const refused = await settle(action(post(debtor.id, viewer, { intent: "credit", creditLimit: "10" })));
    expect(refused.status).toBe(403);
    const stranger = await tenant();
    const notFound = await settle(action(post(debtor.id, stranger.agent, { intent: "credit", creditLimit: "10" })));
    expect(notFound.status).toBe(404);
    expect((await db.debtor.findUniqueOrThrow({ where: { id: debtor.id } })).creditLimit).toBeNull();
  });
});
