import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { formatAmount } from "~/components/money";
import { BODACC_RECORDS_URL, RECHERCHE_ENTREPRISES_URL } from "~/providers/company-registry.server";
import { bodaccRecord, companyRegistryHandlers, type CompanyFixture } from "~/providers/mocks/company-registry";
import type { Db } from "~/utils/db.server";
import { useTestDatabase } from "../../testing/db";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { readDocument } from "../documents/documents.server";
import { applyInvoiceEvent, DunningEventError } from "../dunning/invoice-events.server";
import { runDunningTick } from "../dunning/tick.server";
import { checkDebtorSolvency, resumeAfterClosure, SolvencyResumeError } from "./check.server";
import { claimAtOpening } from "./declaration.server";
import { solvencySummary } from "./summary.server";
import { runSolvencyWatch } from "./watch.server";

const database = useTestDatabase();
const server = setupServer();
beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-solvency-"));
  server.listen({ onUnhandledRequest: "error" });
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const fold = (s: string) => s.replace(/\s+/g, " ");
const eur = (minor: number) => fold(formatAmount(minor, "EUR", "fr"));

async function pdfText(bytes: Uint8Array): Promise<string> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ("str" in item ? item.str + (item.hasEOL ? "\n" : "") : "")).join(""));
  }
  await pdf.destroy();
  return fold(pages.join("\n"));
}

const SIREN = "901234567";
const COURT = "Greffe du Tribunal de Commerce de Lyon";
const opening = bodaccRecord({
  id: "A202600451234",
  siren: SIREN,
  name: "ATELIER BRUNEAU",
  publishedOn: "2026-03-10",
  court: COURT,
  judgment: {
    famille: "Jugement d'ouverture",
    nature: "Jugement d'ouverture d'une procédure de redressement judiciaire",
    date: "2026-03-02",
    complementJugement:
      "Jugement prononçant l'ouverture d'une procédure de redressement judiciaire, désignant mandataire judiciaire SELARL MJ Synergie 3 rue du Palais 69002 Lyon, administrateur Maître Anne Duval.",
  },
});
const closure = bodaccRecord({
  id: "A202602209876",
  siren: SIREN,
  name: "ATELIER BRUNEAU",
  publishedOn: "2026-11-05",
  court: COURT,
  judgment: {
    famille: "Jugement de clôture",
    nature: "Jugement de clôture de la procédure de redressement judiciaire",
    date: "2026-10-28",
  },
});
const company = (over: Partial<CompanyFixture> = {}): CompanyFixture => ({
  siren: SIREN,
  name: "ATELIER BRUNEAU",
  state: "A",
  createdOn: "2016-09-12",
  natureJuridique: "5710",
  announcements: [],
  ...over,
});
const answer = (fixture: CompanyFixture) => server.use(...companyRegistryHandlers([fixture]));

async function businessDebtor(db: Db, creditorId: string, legalId = SIREN) {
  const debtor = await makeDebtor(db, creditorId, { kind: "BUSINESS", name: "Atelier Bruneau" });
  return db.debtor.update({ where: { id: debtor.id }, data: { legalId } });
}

/** A creditor whose debtor owes 1 200 € due 15 Jan 2026, 300 € due 20 Mar 2026 (issued 18 Feb) and 450 € issued after the opening. */
async function setup(db: Db) {
  const { creditor, policy } = await makeCreditor(db);
  const debtor = await businessDebtor(db, creditor.id);
  const ctx = { creditorId: creditor.id, debtorId: debtor.id, policy };
  const a = await makeInvoice(db, ctx, { number: "F-A", dueDate: day("2026-01-15"), amount: 1_200_00, now: day("2025-12-16") });
  const b = await makeInvoice(db, ctx, { number: "F-B", dueDate: day("2026-03-20"), amount: 300_00, now: day("2026-02-18") });
  const c = await makeInvoice(db, ctx, { number: "F-C", dueDate: day("2026-04-30"), amount: 450_00, now: day("2026-03-11") });
  return { creditor, policy, debtor, invoices: [a, b, c] };
}

const counts = async (db: Db, creditorId: string) => ({
  proceedings: await db.insolvencyProceeding.count({ where: { creditorId } }),
  tasks: await db.task.count({ where: { creditorId } }),
  trace: await db.communication.count({ where: { creditorId } }),
  documents: await db.attachment.count({ where: { creditorId } }),
  outbox: await db.outboxMessage.count({ where: { creditorId } }),
});

describe("insolvency watch: a debtor entering redressement judiciaire", () => {
  it("stops dunning on every open invoice through the door, traces it, and asks staff to declare the claim before publication + 2 months with a pre-filled déclaration", async () => {
    const db = database.get().prisma;
    const { creditor, debtor, invoices } = await setup(db);
    const now = day("2026-03-12");
    answer(company({ announcements: [opening] }));

    const result = await checkDebtorSolvency(db, { creditorId: creditor.id, debtorId: debtor.id, now });
    expect(result).toMatchObject({ ok: true, status: "ACTIVE", opened: [{ pausedInvoices: 3 }] });

    const states = await db.dunningState.findMany({ where: { creditorId: creditor.id } });
    expect(states.map((s) => s.pauseReason)).toEqual(["INSOLVENCY", "INSOLVENCY", "INSOLVENCY"]);
    const doorTrace = await db.communication.findMany({ where: { creditorId: creditor.id, kind: "dunning.insolvency_opened" } });
    expect(doorTrace.map((c) => c.invoiceId).sort()).toEqual(invoices.map((i) => i.id).sort());
    expect(doorTrace[0]!.bodyText).toContain("Jugement d'ouverture d'une procédure de redressement judiciaire du 02/03/2026");

    const proceeding = await db.insolvencyProceeding.findFirstOrThrow({ where: { creditorId: creditor.id } });
    expect(proceeding).toMatchObject({
      kind: "REDRESSEMENT",
      openedOn: day("2026-03-02"),
      publishedOn: day("2026-03-10"),
      claimDeadline: day("2026-05-10"),
      court: COURT,
      mandataire: "SELARL MJ Synergie 3 rue du Palais 69002 Lyon",
    });
    const task = await db.task.findFirstOrThrow({
      where: { creditorId: creditor.id, kind: "DECLARE_CLAIM" },
      include: { attachments: true },
    });
    expect(task).toMatchObject({ status: "OPEN", debtorId: debtor.id, dueAt: day("2026-05-10") });
    expect(task.attachments.map((a) => a.kind)).toEqual(["CLAIM_DECLARATION"]);
    expect(proceeding.declarationId).toBe(task.attachments[0]!.id);
    expect(await db.communication.count({ where: { creditorId: creditor.id, kind: "solvency.proceeding_opened" } })).toBe(1);

    // By hand, as of the opening day (2 March 2026), L441-10 rate of 2026-H1 = ECB 2.15 % + 10 points = 12.15 %:
    // F-A 1 200,00 € due 15 Jan: late from 16 Jan to 2 Mar = 16 + 28 + 2 = 46 days;
    //     1 200,00 × 12.15 % × 46 / 365 = 18,3748… → 18,37 €, and the €40 indemnity.
    // F-B 300,00 € due 20 Mar: not yet due on the opening day — principal only.
    // F-C issued 11 Mar, after the opening: not a claim to declare (L622-17).
    // Total 1 200,00 + 300,00 + 18,37 + 40,00 = 1 558,37 €. Interest stops on 2 March (L622-28).
    const { claim } = await claimAtOpening(db, {
      creditorId: creditor.id,
      debtorId: debtor.id,
      openedOn: day("2026-03-02"),
      now,
      timeZone: "Europe/Paris",
    });
    expect(claim.lines.map((l) => l.number)).toEqual(["F-A", "F-B"]);
    expect(claim.lines[0]!.charges!.interest.periods).toMatchObject([{ days: 46, rateBps: 1215, amount: 18_37 }]);
    expect(claim).toMatchObject({ principal: 1_500_00, interest: 18_37, indemnity: 40_00, indemnityCount: 1, total: 1_558_37 });
    // Asked a month later, the same declaration: nothing accrues after the opening.
    const later = await claimAtOpening(db, {
      creditorId: creditor.id,
      debtorId: debtor.id,
      openedOn: day("2026-03-02"),
      now: day("2026-04-20"),
      timeZone: "Europe/Paris",
    });
    expect(later.claim.total).toBe(1_558_37);

    const text = await pdfText(await readDocument(task.attachments[0]!));
    expect(text).toContain("Déclaration de créance");
    expect(text).toContain("chirographaire");
    expect(text).toContain("Redressement judiciaire d'Atelier Bruneau");
    expect(text).toContain("SELARL MJ Synergie");
    expect(text).toContain(`Jugement d'ouverture du 2 mars 2026, ${COURT}, publié au BODACC le 10 mars 2026`);
    expect(text).toContain("au plus tard le 10 mai 2026");
    expect(text).toContain(`${fold("Total de la créance chirographaire déclarée")} ${eur(1_558_37)}`);
    expect(text).toContain(eur(18_37));
    expect(text).toContain("F-A");
    expect(text).not.toContain("F-C");

    // The next tick sends nothing to this debtor.
    await runDunningTick(db, { now: day("2026-03-20"), creditorId: creditor.id });
    expect(await db.outboxMessage.count({ where: { creditorId: creditor.id } })).toBe(0);
    // And staff cannot lift the law's pause by hand.
    await expect(
      db.$transaction((tx) =>
        applyInvoiceEvent(tx, {
          creditorId: creditor.id,
          invoiceId: invoices[0]!.id,
          event: { type: "MANUAL_RESUME", note: "on relance" },
          actor: { type: "STAFF" },
          now,
        }),
      ),
    ).rejects.toBeInstanceOf(DunningEventError);

    const summary = await solvencySummary(db, creditor.id, debtor.id, "EUR");
    expect(summary.solvency).toMatchObject({ status: "ACTIVE", legalFormCode: "5710", createdOn: day("2016-09-12"), checkedAt: now });
    expect(summary.proceedings).toMatchObject([{ kind: "REDRESSEMENT", claimDeadline: day("2026-05-10"), closedOn: null }]);
    expect(summary.history).toMatchObject({ paid: 0, avgDaysLate: null, openCount: 3, openBalance: 1_950_00 });
  });

  it("a second check with the same answers creates nothing: no proceeding, task, trace row, document or pause", async () => {
    const db = database.get().prisma;
    const { creditor, debtor } = await setup(db);
    answer(company({ announcements: [opening] }));
    await checkDebtorSolvency(db, { creditorId: creditor.id, debtorId: debtor.id, now: day("2026-03-12") });
    const before = await counts(db, creditor.id);
    const again = await checkDebtorSolvency(db, { creditorId: creditor.id, debtorId: debtor.id, now: day("2026-03-13") });
    expect(again).toMatchObject({ ok: true, opened: [], closed: 0, converted: 0, ceasedFlagged: false });
    expect(await counts(db, creditor.id)).toEqual(before);
    expect(before).toMatchObject({ proceedings: 1, tasks: 1, documents: 1 });
  });

  it("another creditor's debtor with the same SIREN is checked on its own: nothing of the first creditor's check reaches it", async () => {
    const db = database.get().prisma;
    const first = await setup(db);
    const second = await setup(db);
    answer(company({ announcements: [opening] }));
    await checkDebtorSolvency(db, { creditorId: first.creditor.id, debtorId: first.debtor.id, now: day("2026-03-12") });
    expect(await counts(db, second.creditor.id)).toMatchObject({ proceedings: 0, tasks: 0 });
    expect((await db.dunningState.findMany({ where: { creditorId: second.creditor.id } })).map((s) => s.pauseReason)).toEqual([
      null,
      null,
      null,
    ]);
    // A debtor id of the other creditor is not found for this one.
    await expect(
      checkDebtorSolvency(db, { creditorId: first.creditor.id, debtorId: second.debtor.id, now: day("2026-03-12") }),
    ).rejects.toThrow();

    await checkDebtorSolvency(db, { creditorId: second.creditor.id, debtorId: second.debtor.id, now: day("2026-03-14") });
    const theirs = await db.insolvencyProceeding.findMany({ where: { creditorId: second.creditor.id } });
    expect(theirs).toHaveLength(1);
    expect(theirs[0]!.debtorId).toBe(second.debtor.id);
    expect(await db.task.count({ where: { creditorId: second.creditor.id, kind: "DECLARE_CLAIM" } })).toBe(1);
    expect(await db.insolvencyProceeding.count({ where: { creditorId: first.creditor.id } })).toBe(1);
  });

  it("a ceased company is flagged and traced once; its dunning goes on", async () => {
    const db = database.get().prisma;
    const { creditor, debtor } = await setup(db);
    answer(company({ state: "C", ceasedOn: "2026-02-28" }));
    const result = await checkDebtorSolvency(db, { creditorId: creditor.id, debtorId: debtor.id, now: day("2026-03-12") });
    expect(result).toMatchObject({ ok: true, status: "CEASED", ceasedFlagged: true, opened: [] });
    expect(await db.debtorSolvency.findUniqueOrThrow({ where: { debtorId: debtor.id } })).toMatchObject({
      status: "CEASED",
      ceasedOn: day("2026-02-28"),
      ceasedSeenAt: day("2026-03-12"),
    });
    expect((await db.dunningState.findMany({ where: { creditorId: creditor.id } })).map((s) => s.pauseReason)).toEqual([null, null, null]);
    await checkDebtorSolvency(db, { creditorId: creditor.id, debtorId: debtor.id, now: day("2026-03-13") });
    expect(await db.communication.count({ where: { creditorId: creditor.id, kind: "solvency.company_ceased" } })).toBe(1);
    expect((await db.debtorSolvency.findUniqueOrThrow({ where: { debtorId: debtor.id } })).ceasedSeenAt).toEqual(day("2026-03-12"));
  });

  it("a registry that fails leaves the state untouched and is reported", async () => {
    const db = database.get().prisma;
    const { creditor, debtor } = await setup(db);
    answer(company());
    await checkDebtorSolvency(db, { creditorId: creditor.id, debtorId: debtor.id, now: day("2026-03-01") });
    const before = await counts(db, creditor.id);
    server.use(
      http.get(BODACC_RECORDS_URL, () => new HttpResponse("maintenance", { status: 503 })),
      ...companyRegistryHandlers([company({ state: "C", announcements: [opening] })]),
    );
    const failed = await checkDebtorSolvency(db, { creditorId: creditor.id, debtorId: debtor.id, now: day("2026-03-12") });
    expect(failed).toEqual({ ok: false, reason: "http", message: "HTTP 503" });
    expect(await counts(db, creditor.id)).toEqual(before);
    expect(await db.debtorSolvency.findUniqueOrThrow({ where: { debtorId: debtor.id } })).toMatchObject({
      status: "ACTIVE",
      checkedAt: day("2026-03-01"),
      failedAt: day("2026-03-12"),
      failure: "http: HTTP 503",
    });
    server.use(http.get(RECHERCHE_ENTREPRISES_URL, () => HttpResponse.error()));
    expect(await checkDebtorSolvency(db, { creditorId: creditor.id, debtorId: debtor.id, now: day("2026-03-13") })).toMatchObject({
      ok: false,
      reason: "network",
    });
    expect((await db.dunningState.findMany({ where: { creditorId: creditor.id } })).map((s) => s.pauseReason)).toEqual([null, null, null]);
  });

  it("a closure is recorded and traced, dunning stays stopped until staff resume it; resuming is refused while a proceeding is open", async () => {
    const db = database.get().prisma;
    const { creditor, debtor } = await setup(db);
    answer(company({ announcements: [opening] }));
    await checkDebtorSolvency(db, { creditorId: creditor.id, debtorId: debtor.id, now: day("2026-03-12") });
    const staff = { type: "STAFF" as const, id: null };
    await expect(
      resumeAfterClosure(db, { creditorId: creditor.id, debtorId: debtor.id, now: day("2026-04-01"), actor: staff }),
    ).rejects.toEqual(new SolvencyResumeError("still_open"));

    answer(company({ announcements: [opening, closure] }));
    const result = await checkDebtorSolvency(db, { creditorId: creditor.id, debtorId: debtor.id, now: day("2026-11-06") });
    expect(result).toMatchObject({ ok: true, closed: 1, opened: [] });
    expect(await db.insolvencyProceeding.findFirstOrThrow({ where: { creditorId: creditor.id } })).toMatchObject({
      closedOn: day("2026-10-28"),
      closurePublishedOn: day("2026-11-05"),
      closureAnnouncementId: "A202602209876",
    });
    expect((await db.dunningState.findMany({ where: { creditorId: creditor.id } })).map((s) => s.pauseReason)).toEqual([
      "INSOLVENCY",
      "INSOLVENCY",
      "INSOLVENCY",
    ]);
    expect(await checkDebtorSolvency(db, { creditorId: creditor.id, debtorId: debtor.id, now: day("2026-11-07") })).toMatchObject({
      closed: 0,
    });
    expect(await db.communication.count({ where: { creditorId: creditor.id, kind: "solvency.proceeding_closed" } })).toBe(1);

    expect(await resumeAfterClosure(db, { creditorId: creditor.id, debtorId: debtor.id, now: day("2026-11-10"), actor: staff })).toBe(3);
    expect((await db.dunningState.findMany({ where: { creditorId: creditor.id } })).map((s) => s.pauseReason)).toEqual([null, null, null]);
    expect(await db.communication.count({ where: { creditorId: creditor.id, kind: "dunning.insolvency_closed" } })).toBe(3);
  });

  it("the daily watch checks business debtors with a SIREN and open invoices only", async () => {
    const db = database.get().prisma;
    const { creditor, policy, debtor } = await setup(db);
    const consumer = await makeDebtor(db, creditor.id, { kind: "CONSUMER" });
    await db.debtor.update({ where: { id: consumer.id }, data: { legalId: "902345678" } });
    await makeInvoice(
      db,
      { creditorId: creditor.id, debtorId: consumer.id, policy },
      { dueDate: day("2026-01-15"), now: day("2025-12-16") },
    );
    const noSiren = await businessDebtor(db, creditor.id, "GB123456789");
    await makeInvoice(
      db,
      { creditorId: creditor.id, debtorId: noSiren.id, policy },
      { dueDate: day("2026-01-15"), now: day("2025-12-16") },
    );
    await businessDebtor(db, creditor.id, "902345678"); // nothing open
    let asked = 0;
    server.use(
      http.get(RECHERCHE_ENTREPRISES_URL, () => {
        asked++;
        return HttpResponse.json({ results: [], total_results: 0 });
      }),
      http.get(BODACC_RECORDS_URL, () => HttpResponse.json({ total_count: 0, results: [] })),
    );
    const report = await runSolvencyWatch(db, { now: day("2026-03-12"), creditorId: creditor.id });
    expect(report).toMatchObject({ debtors: 2, checked: 1, failed: 0, skipped: 1 });
    expect(asked).toBe(1);
    expect(await db.debtorSolvency.findUniqueOrThrow({ where: { debtorId: debtor.id } })).toMatchObject({ status: "NOT_FOUND" });
    // Checked an hour ago: the next run of the day leaves it.
    expect(await runSolvencyWatch(db, { now: new Date("2026-03-12T01:00:00Z"), creditorId: creditor.id })).toMatchObject({
      checked: 0,
      skipped: 2,
    });
  });
});
