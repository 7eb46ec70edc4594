import { startStaffSession } from "~/utils/staff-session.server";
import { makeCreditor } from "../testing/factories";
import { useTestDatabase } from "../testing/db";
import { loader as layoutLoader } from "./app";
import { action, loader } from "./app.rates";

const database = useTestDatabase();

async function staffOf(creditorId: string, role: "OWNER" | "AGENT" | "VIEWER") {
  const user = await database
    .get()
    .prisma.user.create({ data: { creditorId, email: `${role}-${crypto.randomUUID()}@example.test`, name: role, role } });
  return { user, cookie: (await startStaffSession(user, new Request("http://localhost/login"))).split(";")[0]! };
}

const request = (cookie: string, path: string) => ({
  request: new Request(`http://localhost${path}`, { headers: { Cookie: cookie } }),
  params: {},
  context: {},
});
const page = async (cookie: string) => (await loader(request(cookie, "/app/rates"))).json();
const layout = async (cookie: string) => (await layoutLoader(request(cookie, "/app"))).json();
const post = (cookie: string, fields: Record<string, string>) =>
  action({
    request: new Request("http://localhost/app/rates", { method: "POST", body: new URLSearchParams(fields), headers: { Cookie: cookie } }),
    params: {},
    context: {},
  });

// The tests run on the real clock: the semester is today's, whichever it is.
const semesterNow = () => `${new Date().getUTCFullYear()}-H${new Date().getUTCMonth() < 6 ? 1 : 2}`;
const SOURCE = "Arrêté du 20 juin 2026 relatif à la fixation du taux de l'intérêt légal (JORF)";

describe("/app/rates", () => {
  it("an agent records a semester typed the French way; the audit names who; the page lists it next to the code tables", async () => {
    const db = database.get().prisma;
    const { creditor } = await makeCreditor(db);
    const { user, cookie } = await staffOf(creditor.id, "AGENT");
    const res = await post(cookie, {
      semester: "2026-H2",
      ECB_MRO: "2,15",
      FR_LEGAL_PROFESSIONAL: "2,5 %",
      FR_LEGAL_CONSUMER: "6.4",
      source: SOURCE,
    });
    expect(res.status).toBe(200);
    expect((await res.json()).changed).toBe(3);
    const rows = await db.legalRateRecord.findMany({ where: { creditorId: creditor.id }, orderBy: { rateTable: "asc" } });
    expect(rows.map((r) => [r.rateTable, r.semester, r.bps, r.origin, r.recordedById])).toEqual([
      ["ECB_MRO", "2026-H2", 215, "STAFF", user.id],
      ["FR_LEGAL_CONSUMER", "2026-H2", 640, "STAFF", user.id],
      ["FR_LEGAL_PROFESSIONAL", "2026-H2", 250, "STAFF", user.id],
    ]);
    expect(await db.auditEvent.findFirst({ where: { creditorId: creditor.id, action: "legal.rates_recorded" } })).toMatchObject({
      actorUserId: user.id,
    });
    const listed = await page(cookie);
    expect(listed.canEdit).toBe(true);
    expect(listed.stored).toHaveLength(3);
    expect(listed.stored[0]).toMatchObject({ semester: "2026-H2", source: SOURCE, origin: "STAFF" });
    expect(listed.code).toEqual(expect.arrayContaining([expect.objectContaining({ table: "ECB_MRO", semester: "2026-H1", bps: 215 })]));
  });

  it("bad input comes back with the user's values and a message per field; nothing is stored", async () => {
    const db = database.get().prisma;
    const { creditor } = await makeCreditor(db);
    const { cookie } = await staffOf(creditor.id, "OWNER");
    const res = await post(cookie, { semester: "2026-H3", ECB_MRO: "2,155", FR_LEGAL_PROFESSIONAL: "beaucoup", source: "x" });
    expect(res.status).toBe(400);
    const { lastResult } = await res.json();
    expect(lastResult.error).toMatchObject({
      semester: ["bo.rates.errors.semester"],
      ECB_MRO: ["bo.rates.errors.percent"],
      FR_LEGAL_PROFESSIONAL: ["bo.rates.errors.percent"],
      source: ["bo.rates.errors.source"],
    });
    expect(lastResult.initialValue).toMatchObject({
      semester: "2026-H3",
      ECB_MRO: "2,155",
      FR_LEGAL_PROFESSIONAL: "beaucoup",
      source: "x",
    });
    const empty = await (await post(cookie, { semester: "2026-H2", source: SOURCE })).json();
    expect(empty.lastResult.error).toMatchObject({ ECB_MRO: ["bo.rates.errors.oneValue"] });
    expect(await db.legalRateRecord.count({ where: { creditorId: creditor.id } })).toBe(0);
  });

  it("a viewer reads but cannot record", async () => {
    const { creditor } = await makeCreditor(database.get().prisma);
    const { cookie } = await staffOf(creditor.id, "VIEWER");
    expect((await page(cookie)).canEdit).toBe(false);
    await expect(post(cookie, { semester: "2026-H2", ECB_MRO: "2,15", source: SOURCE })).rejects.toMatchObject({ status: 403 });
  });

  it("the back-office warns while the current semester's rates are missing, and stops once they are recorded (for this creditor only)", async () => {
    const db = database.get().prisma;
    const { creditor } = await makeCreditor(db);
    const other = await makeCreditor(db);
    const { cookie } = await staffOf(creditor.id, "OWNER");
    const { cookie: otherCookie } = await staffOf(other.creditor.id, "OWNER");
    const semester = semesterNow();
    const before = await layout(cookie);
    // The code tables end with 2026-H1: from 1 July 2026 both values are missing until recorded.
    if (semester > "2026-H1") expect(before.missingRates).toEqual({ semester, tables: ["ECB_MRO", "FR_LEGAL_PROFESSIONAL"] });
    await post(cookie, { semester, ECB_MRO: "2,15", FR_LEGAL_PROFESSIONAL: "2,50", source: SOURCE });
    expect((await layout(cookie)).missingRates).toEqual({ semester, tables: [] });
    if (semester > "2026-H1") expect((await layout(otherCookie)).missingRates.tables).toHaveLength(2);
  });
});
