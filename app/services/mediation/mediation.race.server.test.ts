import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { addDays } from "~/domain/clock";
import { isPostgresUrl, openPostgres, type Database, type Db } from "~/utils/db.server";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { useTestDatabase } from "../../testing/db";
import { MediationError, startMediation } from "./mediation.server";

/**
 * The mediation door under real concurrency: starts released together on a
 * PostgreSQL pool wide enough for all of them (PGlite serialises everything).
 */
const database = useTestDatabase();
const DUE = new Date("2026-03-31T00:00:00Z");
const NOW = addDays(DUE, 30);
let wide: Database;
beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-mediation-race-"));
});
afterAll(async () => {
  await wide?.close();
});

async function widePool(db: Db) {
  if (wide) return wide;
  const [row] = await db.$queryRawUnsafe<{ name: string }[]>("SELECT current_database() AS name");
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${row!.name}`;
  wide = await openPostgres(url.toString(), { max: 8 });
  return wide;
}

/** Each job in its own transaction; all start their work at the same moment. */
async function together(db: Db, jobs: ((tx: Db) => Promise<unknown>)[]) {
  const pool = await widePool(db);
  let arrived = 0;
  let release!: () => void;
  const allIn = new Promise<void>((resolve) => (release = resolve));
  return Promise.allSettled(
    jobs.map((job) =>
      pool.prisma.$transaction(
        async (tx) => {
          await tx.$queryRawUnsafe("SELECT 1");
          if (++arrived === jobs.length) release();
          await allIn;
          return job(tx);
        },
        { maxWait: 30_000, timeout: 30_000 },
      ),
    ),
  );
}

describe.skipIf(!isPostgresUrl(process.env.DATABASE_URL))("mediation under concurrency (PostgreSQL)", () => {
  it("two staff clicking « Hand to mediation » at once make one mediation, one task, one dossier; the other is told one is open", async () => {
    const db = database.get().prisma;
    const { creditor, policy } = await makeCreditor(db);
    const debtor = await makeDebtor(db, creditor.id);
    await makeInvoice(db, { creditorId: creditor.id, debtorId: debtor.id, policy }, { dueDate: DUE, now: addDays(DUE, -20) });
    const start = (tx: Db) =>
      startMediation(tx, { creditorId: creditor.id, debtorId: debtor.id, actor: { type: "STAFF", id: null }, now: NOW });

    const results = await together(db, [start, start, start]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(2);
    for (const l of lost) {
      expect(l.reason).toBeInstanceOf(MediationError);
      expect((l.reason as MediationError).code).toBe("already_open");
    }
    expect(await db.mediation.count({ where: { creditorId: creditor.id, debtorId: debtor.id } })).toBe(1);
    expect(await db.task.count({ where: { creditorId: creditor.id, kind: "MEDIATION" } })).toBe(1);
    expect(await db.attachment.count({ where: { creditorId: creditor.id, kind: "MEDIATION_DOSSIER" } })).toBe(1);
    expect(await db.communication.count({ where: { creditorId: creditor.id, kind: "dunning.mediation_started" } })).toBe(1);
  });

  it("the database itself refuses a second open mediation for a debtor (unique openDebtorId), and allows one once the first is closed", async () => {
    const db = database.get().prisma;
    const { creditor } = await makeCreditor(db);
    const debtor = await makeDebtor(db, creditor.id);
    const row = (status: "OPEN" | "AGREEMENT") => ({
      creditorId: creditor.id,
      debtorId: debtor.id,
      kind: "BUSINESS_MEDIATOR" as const,
      status,
      openDebtorId: status === "OPEN" ? debtor.id : null,
      invoiceIds: [],
      mediatorName: "Médiateur des entreprises",
      openedAt: NOW,
      openedByType: "STAFF" as const,
    });
    await db.mediation.create({ data: row("OPEN") });
    await expect(db.mediation.create({ data: row("OPEN") })).rejects.toMatchObject({ code: "P2002" });
    await db.mediation.create({ data: row("AGREEMENT") });
    await db.mediation.create({ data: row("AGREEMENT") });
    expect(await db.mediation.count({ where: { creditorId: creditor.id } })).toBe(3);
  });
});
