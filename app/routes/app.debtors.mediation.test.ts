import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { addDays, startOfDayUTC } from "~/domain/clock";
import { startStaffSession } from "~/utils/staff-session.server";
import { makeCreditor, makeDebtor, makeInvoice } from "../testing/factories";
import { startMockServer } from "../providers/mocks/index";
import { useTestDatabase } from "../testing/db";
import { action, loader } from "./app.debtors.$debtorId";

/** The debtor page's "hand to mediation" and "record the outcome" forms, through real staff session cookies (decision 027). */
const database = useTestDatabase();
const TODAY = startOfDayUTC(new Date());
let stop: () => void;
beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-mediation-route-"));
  stop = startMockServer({ stripe: false, gocardless: false, resend: true });
});
afterAll(() => stop());

async function tenant() {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db);
  const debtor = await makeDebtor(db, creditor.id);
  const invoice = await makeInvoice(
    db,
    { creditorId: creditor.id, debtorId: debtor.id, policy },
    { dueDate: addDays(TODAY, -20), amount: 800_00, now: addDays(TODAY, -50) },
  );
  const user = await db.user.create({
    data: { creditorId: creditor.id, email: `agent-${creditor.id}@example.test`, name: "Agent", role: "AGENT" },
  });
  const cookie = (await startStaffSession(user, new Request("http://localhost/login"))).split(";")[0]!;
  return { db, creditor, debtor, invoice, cookie };
}

function post(debtorId: string, cookie: string, form: [string, string][]) {
  const request = new Request(`http://localhost/app/debtors/${debtorId}`, {
    method: "POST",
    body: new URLSearchParams(form),
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
  });
  return { request, params: { debtorId }, context: {} };
}
const settle = (p: Promise<Response>) =>
  p.then(
    (r) => r,
    (e: unknown) => e as Response,
  );

describe("debtor page: mediation", () => {
  it("without the confirmation the form comes back with the invoices and note typed; confirmed, the case is handed over and the dossier listed", async () => {
    const { db, debtor, invoice, cookie } = await tenant();
    const refused = await action(
      post(debtor.id, cookie, [
        ["intent", "mediation-start"],
        ["invoiceId", invoice.id],
        ["note", "Travaux contestés"],
      ]),
    );
    expect((refused as Response).status).toBe(400);
    expect(await (refused as Response).json()).toMatchObject({
      intent: "mediation-start",
      mediation: {
        form: "start",
        field: "confirm",
        error: "mediation.error.confirm",
        values: { invoiceIds: [invoice.id], note: "Travaux contestés" },
      },
    });
    expect(await db.mediation.count({ where: { debtorId: debtor.id } })).toBe(0);

    const done = await action(
      post(debtor.id, cookie, [
        ["intent", "mediation-start"],
        ["invoiceId", invoice.id],
        ["note", "Travaux contestés"],
        ["confirm", "on"],
      ]),
    );
    expect((done as Response).status).toBe(302);
    expect((done as Response).headers.get("Location")).toBe(`/app/debtors/${debtor.id}?done=mediation`);
    const page = await (
      await loader({
        request: new Request(`http://localhost/app/debtors/${debtor.id}`, { headers: { Cookie: cookie } }),
        params: { debtorId: debtor.id },
        context: {},
      })
    ).json();
    const open = page.mediation?.open;
    expect(open).toMatchObject({ mediatorName: "Médiateur des entreprises", invoices: [invoice.number] });
    expect(open?.dossierId).toBeTruthy();
    expect(page.invoices[0]?.pauseReason).toBe("MEDIATION");

    // Outcome without a note: refused with the choice kept; with one, dunning resumes.
    const mediationId = open!.id;
    const noNote = await action(
      post(debtor.id, cookie, [
        ["intent", "mediation-end"],
        ["mediationId", mediationId],
        ["outcome", "AGREEMENT"],
        ["note", ""],
      ]),
    );
    expect(await (noNote as Response).json()).toMatchObject({
      mediation: { form: "end", field: "note", values: { outcome: "AGREEMENT" } },
    });
    const ended = await action(
      post(debtor.id, cookie, [
        ["intent", "mediation-end"],
        ["mediationId", mediationId],
        ["outcome", "AGREEMENT"],
        ["note", "Échéancier convenu"],
      ]),
    );
    expect((ended as Response).headers.get("Location")).toBe(`/app/debtors/${debtor.id}?done=mediation-ended`);
    expect((await db.dunningState.findUniqueOrThrow({ where: { invoiceId: invoice.id } })).pauseReason).toBeNull();
  });

  it("another creditor's staff cannot hand this debtor over nor close its mediation (404)", async () => {
    const mine = await tenant();
    const theirs = await tenant();
    const start = await settle(
      action(
        post(mine.debtor.id, theirs.cookie, [
          ["intent", "mediation-start"],
          ["invoiceId", mine.invoice.id],
          ["confirm", "on"],
        ]),
      ),
    );
    expect(start.status).toBe(404);
    await action(
      post(mine.debtor.id, mine.cookie, [
        ["intent", "mediation-start"],
        ["invoiceId", mine.invoice.id],
        ["confirm", "on"],
      ]),
    );
    const mediation = await mine.db.mediation.findFirstOrThrow({ where: { debtorId: mine.debtor.id } });
    // Through their own debtor's page, naming our mediation: still 404.
    const end = await settle(
      action(
        post(theirs.debtor.id, theirs.cookie, [
          ["intent", "mediation-end"],
          ["mediationId", mediation.id],
          ["outcome", "WITHDRAWN"],
          ["note", "x"],
        ]),
      ),
    );
    expect(end.status).toBe(404);
    expect((await mine.db.mediation.findUniqueOrThrow({ where: { id: mediation.id } })).status).toBe("OPEN");
  });
});
