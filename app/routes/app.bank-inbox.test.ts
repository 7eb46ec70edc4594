import { bankReasonText } from "~/components/bank-reasons";
import { addDays, isoDay, startOfDayUTC } from "~/domain/clock";
import { makeT } from "~/i18n";
import { importStatement } from "~/services/bank/imports.server";
import { camt053 } from "~/services/bank/test-support";
import { startStaffSession } from "~/utils/staff-session.server";
import { makeCreditor, makeDebtor, makeInvoice } from "../testing/factories";
import { useTestDatabase } from "../testing/db";
import { action, loader } from "./app._index";
import { loader as layoutLoader } from "./app";

/** The inbox's "Bank transactions" section: what waits, why, and a Confirm that works as a plain form post. */
const database = useTestDatabase();
const NOW = new Date();
const YESTERDAY = isoDay(addDays(NOW, -1));
const DUE = startOfDayUTC(addDays(NOW, -20));

async function tenant() {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db);
  const user = await db.user.create({
    data: { creditorId: creditor.id, email: `agent-${creditor.id}@example.test`, name: "Claire", role: "AGENT" },
  });
  const viewer = await db.user.create({
    data: { creditorId: creditor.id, email: `viewer-${creditor.id}@example.test`, name: "Vic", role: "VIEWER" },
  });
  const cookie = async (u: typeof user) => (await startStaffSession(u, new Request("http://localhost/login"))).split(";")[0]!;
  const martin = await makeDebtor(db, creditor.id, { name: "Boulangerie Martin" });
  const dupont = await makeDebtor(db, creditor.id, { name: "Garage Dupont" });
  const invoice = (debtorId: string) =>
    makeInvoice(db, { creditorId: creditor.id, debtorId, policy }, { dueDate: DUE, amount: 150_00, now: addDays(DUE, -30) });
  const invoices = { martin: await invoice(martin.id), dupont: await invoice(dupont.id) };
  const upload = (xml: string) =>
    db.$transaction(
      (tx) =>
        importStatement(tx, {
          creditorId: creditor.id,
          userId: user.id,
          contentType: "application/xml",
          bytes: new TextEncoder().encode(xml),
          fileName: "releve.xml",
          mappingId: null,
          now: NOW,
        }),
      { timeout: 60_000 },
    );
  return { db, creditor, user, martin, dupont, invoices, upload, agent: await cookie(user), viewerCookie: await cookie(viewer) };
}

const get = (cookie: string) => new Request("http://localhost/app", { headers: { Cookie: cookie } });
const post = (cookie: string, form: Record<string, string>) =>
  new Request("http://localhost/app?index", {
    method: "POST",
    body: new URLSearchParams(form),
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
  });
const args = (request: Request) => ({ request, params: {}, context: {} });

describe("inbox: bank transactions", () => {
  it("lists a waiting credit with its top suggestion and reasons, counts it in the badge; Confirm (a plain POST) pays the invoice and empties the section", async () => {
    const a = await tenant();
    const other = await tenant();
    // Same amount as both debtors' invoices, the payer named neither: it waits for a person.
    await a.upload(
      camt053([{ ref: "W1", amount: 150_00, payer: "GARAGE DUPONT SARL", text: "VIREMENT FACTURE", date: YESTERDAY }], {
        statementDate: YESTERDAY,
      }),
    );
    await other.upload(
      camt053([{ ref: "W2", amount: 150_00, payer: "INCONNU", text: "PAIEMENT", date: YESTERDAY }], { statementDate: YESTERDAY }),
    );

    const data = await (await loader(args(get(a.agent)))).json();
    expect(data.bankCount).toBe(1);
    expect(data.bank).toHaveLength(1);
    const entry = data.bank[0]!;
    const top = entry.suggestions[0]!;
    expect(top.debtorName).toBe("Garage Dupont");
    expect(top.invoices.map((i: { id: string }) => i.id)).toEqual([a.invoices.dupont.id]);
    const t = makeT("fr");
    const words = top.reasons.map((r: Parameters<typeof bankReasonText>[1]) => bankReasonText(t, r, "fr", "EUR"));
    expect(words).toContain("montant égal à une facture");
    expect(words.some((w: string) => w.startsWith("nom du payeur proche ("))).toBe(true);
    expect(words.join(" ")).not.toMatch(/amount_exact_invoice|payer_name/);
    const layout = await (await layoutLoader(args(get(a.agent)))).json();
    expect(layout.counts.bank).toBe(1);

    // A viewer cannot confirm; another creditor's staff does not find the transaction.
    expect(
      await action(args(post(a.viewerCookie, { intent: "bank-confirm", transactionId: entry.id, suggestion: String(top.index) }))).then(
        () => 0,
        (e: Response) => e.status,
      ),
    ).toBe(403);
    expect(
      await action(args(post(other.agent, { intent: "bank-confirm", transactionId: entry.id, suggestion: String(top.index) }))).then(
        () => 0,
        (e: Response) => e.status,
      ),
    ).toBe(404);

    const res = (await action(
      args(post(a.agent, { intent: "bank-confirm", transactionId: entry.id, suggestion: String(top.index) })),
    )) as Response;
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/app?done=bankConfirmed");
    expect((await a.db.invoice.findUniqueOrThrow({ where: { id: a.invoices.dupont.id } })).status).toBe("PAID");
    expect((await a.db.invoice.findUniqueOrThrow({ where: { id: a.invoices.martin.id } })).status).toBe("OPEN");
    expect(await a.db.communication.count({ where: { creditorId: a.creditor.id, kind: "payment.bank_transfer_matched" } })).toBe(1);
    const after = await (await loader(args(get(a.agent)))).json();
    expect([after.bankCount, after.bank.length]).toEqual([0, 0]);

    // A second click (another tab) is told it is already handled, next to the item.
    const again = (await action(
      args(post(a.agent, { intent: "bank-confirm", transactionId: entry.id, suggestion: String(top.index) })),
    )) as Response;
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({
      intent: "bank-confirm",
      id: entry.id,
      field: "transactionId",
      error: "bank.inbox.error.already_decided",
    });
  });

  it("lists the oldest few and says how many wait in all", async () => {
    const a = await tenant();
    await a.upload(
      camt053(
        Array.from({ length: 7 }, (_, n) => ({
          ref: `M${n}`,
          amount: 1_00 + n,
          payer: "INCONNU",
          text: "VIR",
          date: isoDay(addDays(NOW, -10 + n)),
        })),
      ),
    );
    const data = await (await loader(args(get(a.agent)))).json();
    expect(data.bankCount).toBe(7);
    expect(data.bank).toHaveLength(5);
    expect(data.bank.map((e: { amount: number }) => e.amount)).toEqual([1_00, 1_01, 1_02, 1_03, 1_04]);
  });
});
