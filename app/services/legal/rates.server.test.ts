import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { fixedClock } from "~/domain/clock";
import { legalRateFor, rateOrLatestKnown } from "~/domain/legal/rates";
import { ecbRateTask } from "~/jobs/tasks.server";
import { ECB_MRO_URL } from "~/providers/ecb.server";
import { ecbHandlers } from "~/providers/mocks/ecb";
import { makeCreditor } from "~/testing/factories";
import { useTestDatabase } from "~/testing/db";
import { ECB_API_SOURCE, loadRateBook, missingRates, recordSemesterRates } from "./rates.server";

const database = useTestDatabase();
const server = setupServer(...ecbHandlers);
beforeAll(() => server.listen({ onUnhandledRequest: "bypass" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

// Today is 1 December 2026: semester 2026-H2, absent from the code tables.
const NOW = new Date("2026-12-01T09:00:00Z");
const clock = fixedClock(NOW);

async function creditorWithUser() {
  const db = database.get().prisma;
  const { creditor } = await makeCreditor(db);
  const user = await db.user.create({
    data: { creditorId: creditor.id, email: `agent-${crypto.randomUUID()}@example.test`, name: "Agent", role: "AGENT" },
  });
  return { db, creditor, user };
}

describe("daily ECB job", () => {
  beforeEach(async () => {
    await database.get().prisma.legalRateRecord.deleteMany({ where: { creditorId: null } });
  });

  it("records the MRO rate in force on 1 July once (shared, ECB source); the second run changes nothing", async () => {
    const { db, creditor } = await creditorWithUser();
    const asked: string[] = [];
    server.events.on("request:start", ({ request }) => void asked.push(new URL(request.url).searchParams.get("endPeriod") ?? ""));
    expect(await ecbRateTask(db, clock)).toEqual({ semester: "2026-H2", outcome: "recorded", bps: 215 });
    server.events.removeAllListeners();
    expect(asked).toEqual(["2026-07-01"]);
    const rows = await db.legalRateRecord.findMany({ where: { rateTable: "ECB_MRO", semester: "2026-H2" } });
    expect(rows).toEqual([
      expect.objectContaining({ creditorId: null, bps: 215, origin: "ECB_API", source: `${ECB_API_SOURCE} (2025-06-11)` }),
    ]);
    // The letters of every creditor stop estimating the ECB rate.
    expect(rateOrLatestKnown("ECB_MRO", NOW, await loadRateBook(db, creditor.id))).toMatchObject({
      bps: 215,
      estimated: false,
      verified: true,
    });

    expect(await ecbRateTask(db, clock)).toEqual({ semester: "2026-H2", outcome: "already_known" });
    expect(await db.legalRateRecord.count({ where: { rateTable: "ECB_MRO", semester: "2026-H2" } })).toBe(1);
  });

  it("two workers at once still store one row", async () => {
    const db = database.get().prisma;
    await Promise.all([ecbRateTask(db, clock), ecbRateTask(db, clock), ecbRateTask(db, clock)]);
    expect(await db.legalRateRecord.count({ where: { creditorId: null, rateTable: "ECB_MRO", semester: "2026-H2" } })).toBe(1);
  });

  it("never overwrites a staff value: the creditor's own rate keeps winning for that creditor", async () => {
    const { db, creditor, user } = await creditorWithUser();
    await recordSemesterRates(db, {
      creditorId: creditor.id,
      userId: user.id,
      now: NOW,
      semester: "2026-H2",
      values: { ECB_MRO: 200 },
      source: "ECB press release, 5 June 2026",
    });
    expect(await ecbRateTask(db, clock)).toMatchObject({ outcome: "recorded" });
    expect(await db.legalRateRecord.findFirstOrThrow({ where: { creditorId: creditor.id, rateTable: "ECB_MRO" } })).toMatchObject({
      bps: 200,
      origin: "STAFF",
    });
    expect(rateOrLatestKnown("ECB_MRO", NOW, await loadRateBook(db, creditor.id))).toMatchObject({ bps: 200, estimated: false });
  });

  it("offline or a bad answer: nothing is stored, nothing thrown; a semester in the code table is not fetched", async () => {
    const db = database.get().prisma;
    server.use(http.get(ECB_MRO_URL, () => HttpResponse.error()));
    expect(await ecbRateTask(db, clock)).toEqual({ semester: "2026-H2", outcome: "unavailable" });
    server.use(http.get(ECB_MRO_URL, () => HttpResponse.json({ unexpected: true })));
    expect(await ecbRateTask(db, clock)).toEqual({ semester: "2026-H2", outcome: "unavailable" });
    expect(await db.legalRateRecord.count({ where: { creditorId: null } })).toBe(0);
    let called = false;
    const result = await ecbRateTask(
      db,
      fixedClock(new Date("2026-03-01T00:00:00Z")),
      async () => ((called = true), { ok: true, bps: 1, observedOn: "2026-01-01" }),
    );
    expect(result).toEqual({ semester: "2026-H1", outcome: "already_known" });
    expect(called).toBe(false);
  });
});

describe("staff-recorded rates", () => {
  it("records the semester's values for this creditor only, with one audit row holding before and after; an unchanged resubmission writes nothing", async () => {
    const { db, creditor, user } = await creditorWithUser();
    const other = await makeCreditor(db);
    expect(await missingRates(db, creditor.id, NOW)).toEqual({ semester: "2026-H2", tables: ["ECB_MRO", "FR_LEGAL_PROFESSIONAL"] });
    const source = "Arrêté du 20 juin 2026 relatif à la fixation du taux de l'intérêt légal (JORF)";
    expect(
      await recordSemesterRates(db, {
        creditorId: creditor.id,
        userId: user.id,
        now: NOW,
        semester: "2026-H2",
        values: { FR_LEGAL_PROFESSIONAL: 250, FR_LEGAL_CONSUMER: 640 },
        source,
      }),
    ).toEqual({ changed: 2 });
    expect(legalRateFor(NOW, await loadRateBook(db, creditor.id))).toMatchObject({ bps: 250, estimated: false });
    expect(legalRateFor(NOW, await loadRateBook(db, other.creditor.id))).toMatchObject({ bps: 262, estimated: true });
    expect(await missingRates(db, creditor.id, NOW)).toEqual({ semester: "2026-H2", tables: ["ECB_MRO"] });

    expect(
      await recordSemesterRates(db, {
        creditorId: creditor.id,
        userId: user.id,
        now: NOW,
        semester: "2026-H2",
        values: { FR_LEGAL_PROFESSIONAL: 250 },
        source,
      }),
    ).toEqual({ changed: 0 });
    await recordSemesterRates(db, {
      creditorId: creditor.id,
      userId: user.id,
      now: NOW,
      semester: "2026-H2",
      values: { FR_LEGAL_PROFESSIONAL: 255 },
      source,
    });
    const audit = await db.auditEvent.findMany({
      where: { creditorId: creditor.id, action: "legal.rates_recorded" },
      orderBy: { createdAt: "asc" },
    });
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ actorUserId: user.id, targetType: "LegalRateRecord", meta: { name: "2026-H2", count: 2, source } });
    expect(audit[1]!.meta).toMatchObject({ changes: [{ table: "FR_LEGAL_PROFESSIONAL", from: 250, to: 255 }] });
  });
});
