import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { BODACC_RECORDS_URL } from "~/providers/company-registry.server";
import { bodaccRecord, companyRegistryHandlers } from "~/providers/mocks/company-registry";
import { startStaffSession } from "~/utils/staff-session.server";
import { makeCreditor, makeDebtor, makeInvoice } from "../testing/factories";
import { useTestDatabase } from "../testing/db";
import { action, loader } from "./app.debtors.$debtorId";

/** The debtor page's "check now" button (solvency watch, decision 024), through real staff session cookies. */
const database = useTestDatabase();
const server = setupServer();
beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-solvency-route-"));
  server.listen({ onUnhandledRequest: "error" });
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const SIREN = "901234567";
const fixture = {
  siren: SIREN,
  name: "ATELIER BRUNEAU",
  state: "A" as const,
  createdOn: "2016-09-12",
  natureJuridique: "5710",
  announcements: [
    bodaccRecord({
      id: "A202600451234",
      siren: SIREN,
      name: "ATELIER BRUNEAU",
      publishedOn: "2026-03-10",
      court: "Greffe du Tribunal de Commerce de Lyon",
      judgment: { famille: "Jugement d'ouverture", nature: "Jugement d'ouverture de liquidation judiciaire", date: "2026-03-02" },
    }),
  ],
};

async function tenant() {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db);
  const debtor = await db.debtor.update({
    where: { id: (await makeDebtor(db, creditor.id, { kind: "BUSINESS" })).id },
    data: { legalId: SIREN },
  });
  await makeInvoice(
    db,
    { creditorId: creditor.id, debtorId: debtor.id, policy },
    { dueDate: new Date("2026-01-15"), now: new Date("2025-12-16") },
  );
  const cookie = async (role: "AGENT" | "VIEWER") => {
    const user = await db.user.create({
      data: { creditorId: creditor.id, email: `${role}-${creditor.id}@example.test`, name: role, role },
    });
    return (await startStaffSession(user, new Request("http://localhost/login"))).split(";")[0]!;
  };
  return { db, creditor, debtor, agent: await cookie("AGENT"), viewer: await cookie("VIEWER") };
}

function post(debtorId: string, cookie: string, intent: string) {
  const request = new Request(`http://localhost/app/debtors/${debtorId}`, {
    method: "POST",
    body: new URLSearchParams({ intent }),
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
  });
  return { request, params: { debtorId }, context: {} };
}
const settle = (p: Promise<Response>) =>
  p.then(
    (r) => r,
    (e: unknown) => e as Response,
  );

describe("debtor page: check now", () => {
  it("an agent's check stops dunning, redirects with the done message, and the page then shows the proceeding and its deadline", async () => {
    server.use(...companyRegistryHandlers([fixture]));
    const { db, creditor, debtor, agent } = await tenant();
    const res = await settle(action(post(debtor.id, agent, "solvency-check")));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/app/debtors/${debtor.id}?done=solvency_checked`);
    expect((await db.dunningState.findFirstOrThrow({ where: { creditorId: creditor.id } })).pauseReason).toBe("INSOLVENCY");
    const trace = await db.communication.findFirstOrThrow({ where: { creditorId: creditor.id, kind: "solvency.proceeding_opened" } });
    expect(trace.actorType).toBe("STAFF");

    const page = await loader({
      request: new Request(`http://localhost/app/debtors/${debtor.id}`, { headers: { Cookie: agent } }),
      params: { debtorId: debtor.id },
      context: {},
    });
    const data = await page.json();
    expect(data.solvency!.solvency!.status).toBe("ACTIVE");
    expect(data.solvency!.proceedings).toMatchObject([{ kind: "LIQUIDATION", claimDeadline: "2026-05-10T00:00:00.000Z", closedOn: null }]);
    expect(data.solvency!.history.openCount).toBe(1);
  });

  it("a registry failure answers 400 with words and changes nothing; a viewer is refused; another creditor's debtor is not found", async () => {
    server.use(
      http.get(BODACC_RECORDS_URL, () => new HttpResponse("down", { status: 503 })),
      ...companyRegistryHandlers([fixture]),
    );
    const { db, creditor, debtor, agent, viewer } = await tenant();
    const res = await settle(action(post(debtor.id, agent, "solvency-check")));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ intent: "solvency-check", error: "solvency.errors.failed" });
    expect(await db.insolvencyProceeding.count({ where: { creditorId: creditor.id } })).toBe(0);
    expect((await settle(action(post(debtor.id, viewer, "solvency-check")))).status).toBe(403);
    const other = await tenant();
    expect((await settle(action(post(other.debtor.id, agent, "solvency-check")))).status).toBe(404);
  });
});
