import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { addDays, fixedClock } from "~/domain/clock";
import { startStaffSession } from "~/utils/staff-session.server";
import { startMockServer } from "../../providers/mocks/index";
import { useTestDatabase } from "../../testing/db";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { loader as staffDocumentLoader } from "../../routes/app.documents.$attachmentId";
import { readDocument } from "../documents/documents.server";
import { runDunningTick } from "../dunning/tick.server";
import { recordCommunication } from "../messaging/communications.server";
import { sendPendingOutbox } from "../messaging/outbox.server";
import { debtorMediations, endMediation, MediationError, startMediation } from "./mediation.server";

const database = useTestDatabase();
const DUE = new Date("2026-03-31T00:00:00Z");
const NOW = new Date("2026-05-15T09:00:00Z");
const STAFF = { type: "STAFF" as const, id: null };
let stopMocks: () => void;

beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-mediation-"));
  stopMocks = startMockServer({ stripe: false, gocardless: false, resend: true });
});
afterAll(() => stopMocks());

async function pdfText(bytes: Uint8Array): Promise<string> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ("str" in item ? item.str + (item.hasEOL ? "\n" : "") : "")).join(""));
  }
  await pdf.destroy();
  return pages.join("\n").replace(/\s+/g, " ");
}

const MEDIATOR = {
  consumerMediatorName: "CM2C",
  consumerMediatorUrl: "https://www.cm2c.net",
  consumerMediatorAddr: "14 rue Saint-Jean, 75017 Paris",
};

async function setup(opts: { kind?: "BUSINESS" | "CONSUMER"; mediator?: boolean } = {}) {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db, opts.mediator ? MEDIATOR : {});
  const debtor = await makeDebtor(db, creditor.id, { kind: opts.kind ?? "BUSINESS", name: "Menuiserie Lefort SARL" });
  const ctx = { creditorId: creditor.id, debtorId: debtor.id, policy };
  const a = await makeInvoice(db, ctx, { dueDate: DUE, now: addDays(DUE, -30), amount: 1234_56, number: `F-A-${debtor.id.slice(-5)}` });
  const b = await makeInvoice(db, ctx, { dueDate: DUE, now: addDays(DUE, -30), amount: 500_00, number: `F-B-${debtor.id.slice(-5)}` });
  return { db, creditor, debtor, policy, invoices: [a, b] };
}

describe("handing a case to mediation", () => {
  it("pauses dunning on the invoices handed over (the tick sends nothing), opens a task and stores the dossier with parties, invoices, amounts and the trace", async () => {
    const { db, creditor, debtor, invoices } = await setup();
    await recordCommunication(db, {
      creditorId: creditor.id,
      debtorId: debtor.id,
      direction: "OUT",
      channel: "EMAIL",
      kind: "dunning.email",
      subject: "Relance : facture impayée",
      deliveryStatus: "DELIVERED",
      actorType: "SYSTEM",
      occurredAt: addDays(DUE, 1),
    });
    await db.dispute.create({
      data: {
        creditorId: creditor.id,
        debtorId: debtor.id,
        invoiceId: invoices[0]!.id,
        reason: "DEFECTIVE",
        message: "Les portes livrées ne ferment pas",
      },
    });

    const started = await startMediation(db, {
      creditorId: creditor.id,
      debtorId: debtor.id,
      invoiceIds: invoices.map((i) => i.id),
      note: "Désaccord sur la qualité des portes",
      actor: STAFF,
      now: NOW,
    });
    expect(started.created).toBe(true);

    const states = await db.dunningState.findMany({ where: { creditorId: creditor.id } });
    expect(states.map((s) => s.pauseReason)).toEqual(["MEDIATION", "MEDIATION"]);
    const mediation = await db.mediation.findUniqueOrThrow({ where: { id: started.mediationId } });
    expect(mediation).toMatchObject({
      kind: "BUSINESS_MEDIATOR",
      status: "OPEN",
      mediatorName: "Médiateur des entreprises",
      openDebtorId: debtor.id,
      dossierAttachmentId: started.dossierId,
      taskId: started.taskId,
    });
    expect((await db.task.findUniqueOrThrow({ where: { id: started.taskId } })).kind).toBe("MEDIATION");
    const kinds = (await db.communication.findMany({ where: { creditorId: creditor.id, debtorId: debtor.id } })).map((c) => c.kind);
    expect(kinds.filter((k) => k === "dunning.mediation_started")).toHaveLength(2);
    expect(kinds).toContain("mediation.started");

    // Due dates long past: without the pause the tick would queue a reminder for each invoice.
    const tick = await runDunningTick(db, { now: addDays(NOW, 1), creditorId: creditor.id });
    expect(tick.queued).toBe(0);
    expect(await db.outboxMessage.count({ where: { creditorId: creditor.id } })).toBe(0);

    const dossier = await db.attachment.findUniqueOrThrow({ where: { id: started.dossierId! } });
    expect(dossier.kind).toBe("MEDIATION_DOSSIER");
    const text = await pdfText(await readDocument(dossier));
    expect(text).toContain("Dossier de saisine du médiateur");
    expect(text).toContain("Médiateur des entreprises");
    expect(text).toContain("https://www.economie.gouv.fr/mediateur-des-entreprises");
    expect(text).toContain(creditor.legalName);
    expect(text).toContain("Menuiserie Lefort SARL");
    for (const i of invoices) expect(text).toContain(i.number);
    expect(text).toContain("1 234,56 €");
    expect(text).toContain("1 734,56 €"); // total still due
    expect(text).toContain("Désaccord sur la qualité des portes");
    expect(text).toContain("Relance : facture impayée"); // the trace
    expect(text).toContain("Relances et e-mails envoyés : 1"); // the attempts made
    expect(text).toContain("Les portes livrées ne ferment pas"); // the dispute and its reason
    expect(text).toContain("Produit ou service défectueux");
  });

  it("ending it resumes dunning with the outcome in the trace; a second start or end is refused by state", async () => {
    const { db, creditor, debtor, invoices } = await setup();
    const started = await startMediation(db, { creditorId: creditor.id, debtorId: debtor.id, actor: STAFF, now: NOW });
    await expect(startMediation(db, { creditorId: creditor.id, debtorId: debtor.id, actor: STAFF, now: NOW })).rejects.toMatchObject({
      code: "already_open",
    });

    await endMediation(db, {
      creditorId: creditor.id,
      mediationId: started.mediationId,
      outcome: "NO_AGREEMENT",
      note: "Le débiteur ne s'est pas présenté",
      actor: STAFF,
      now: addDays(NOW, 20),
    });
    const states = await db.dunningState.findMany({ where: { creditorId: creditor.id } });
    expect(states.map((s) => s.pauseReason)).toEqual([null, null]);
    const mediation = await db.mediation.findUniqueOrThrow({ where: { id: started.mediationId } });
    expect(mediation).toMatchObject({ status: "NO_AGREEMENT", openDebtorId: null, outcomeNote: "Le débiteur ne s'est pas présenté" });
    expect((await db.task.findUniqueOrThrow({ where: { id: started.taskId } })).status).toBe("DONE");
    const ended = await db.communication.findFirstOrThrow({ where: { creditorId: creditor.id, kind: "mediation.ended" } });
    expect(ended.subject).toBe("Pas d'accord — Médiateur des entreprises");
    expect(ended.bodyText).toBe("Le débiteur ne s'est pas présenté");

    // Dunning runs again: the next day's tick queues the reminders the pause held back.
    const tick = await runDunningTick(db, { now: addDays(NOW, 21), creditorId: creditor.id });
    expect(tick.queued).toBe(invoices.length);

    await expect(
      endMediation(db, {
        creditorId: creditor.id,
        mediationId: started.mediationId,
        outcome: "AGREEMENT",
        note: "x",
        actor: STAFF,
        now: NOW,
      }),
    ).rejects.toMatchObject({ code: "not_open" });
    // Closed: a new mediation may start.
    const again = await startMediation(db, { creditorId: creditor.id, debtorId: debtor.id, actor: STAFF, now: addDays(NOW, 22) });
    expect(again.created).toBe(true);
  });

  it("an invoice still disputed after the mediation stays paused for its dispute", async () => {
    const { db, creditor, debtor, invoices } = await setup();
    await db.dispute.create({
      data: { creditorId: creditor.id, debtorId: debtor.id, invoiceId: invoices[0]!.id, reason: "AMOUNT_WRONG", message: "Montant" },
    });
    const started = await startMediation(db, { creditorId: creditor.id, debtorId: debtor.id, actor: STAFF, now: NOW });
    await endMediation(db, {
      creditorId: creditor.id,
      mediationId: started.mediationId,
      outcome: "WITHDRAWN",
      note: "Retirée",
      actor: STAFF,
      now: NOW,
    });
    const paused = await db.dunningState.findUniqueOrThrow({ where: { invoiceId: invoices[0]!.id } });
    const free = await db.dunningState.findUniqueOrThrow({ where: { invoiceId: invoices[1]!.id } });
    expect(paused.pauseReason).toBe("DISPUTE");
    expect(free.pauseReason).toBeNull();
  });

  it("a consumer goes to the creditor's consumer mediator, named in the dossier; without one the start is refused", async () => {
    const without = await setup({ kind: "CONSUMER" });
    await expect(
      startMediation(without.db, { creditorId: without.creditor.id, debtorId: without.debtor.id, actor: STAFF, now: NOW }),
    ).rejects.toMatchObject({ code: "no_mediator" });
    expect(await without.db.mediation.count({ where: { creditorId: without.creditor.id } })).toBe(0);

    const { db, creditor, debtor } = await setup({ kind: "CONSUMER", mediator: true });
    const started = await startMediation(db, { creditorId: creditor.id, debtorId: debtor.id, actor: STAFF, now: NOW });
    const mediation = await db.mediation.findUniqueOrThrow({ where: { id: started.mediationId } });
    expect(mediation).toMatchObject({ kind: "CONSUMER_MEDIATOR", mediatorName: "CM2C", mediatorUrl: "https://www.cm2c.net" });
    const text = await pdfText(await readDocument(await db.attachment.findUniqueOrThrow({ where: { id: started.dossierId! } })));
    expect(text).toContain("Médiateur saisi : CM2C");
    expect(text).toContain("https://www.cm2c.net");
    expect(text).toContain("Médiation de la consommation proposée au consommateur");
  });

  it("is scoped: another creditor can neither start nor end nor see this debtor's mediation, nor download its dossier", async () => {
    const { db, creditor, debtor, invoices } = await setup();
    const { creditor: other } = await makeCreditor(db);
    await expect(startMediation(db, { creditorId: other.id, debtorId: debtor.id, actor: STAFF, now: NOW })).rejects.toBeInstanceOf(
      MediationError,
    );
    // Another creditor's invoice ids are not handed over either.
    await expect(
      startMediation(db, { creditorId: creditor.id, debtorId: debtor.id, invoiceIds: ["not-mine"], actor: STAFF, now: NOW }),
    ).rejects.toMatchObject({ code: "no_invoices" });

    const started = await startMediation(db, {
      creditorId: creditor.id,
      debtorId: debtor.id,
      invoiceIds: [invoices[0]!.id],
      actor: STAFF,
      now: NOW,
    });
    await expect(
      endMediation(db, { creditorId: other.id, mediationId: started.mediationId, outcome: "AGREEMENT", note: "x", actor: STAFF, now: NOW }),
    ).rejects.toMatchObject({ code: "not_found" });
    expect(await debtorMediations(db, other.id, debtor.id)).toBeNull();
    const mine = await debtorMediations(db, creditor.id, debtor.id);
    expect(mine?.open?.invoices).toEqual([invoices[0]!.number]);
    // Only the invoice handed over is paused.
    expect((await db.dunningState.findUniqueOrThrow({ where: { invoiceId: invoices[1]!.id } })).pauseReason).toBeNull();

    const request = async (creditorId: string) => {
      const user = await db.user.create({
        data: { creditorId, email: `staff-${crypto.randomUUID()}@example.test`, name: "Agent", role: "AGENT" },
      });
      const cookie = (await startStaffSession(user, new Request("http://localhost/login"))).split(";")[0]!;
      return new Request(`http://localhost/app/documents/${started.dossierId}`, { headers: { Cookie: cookie } });
    };
    const params = { attachmentId: started.dossierId! };
    const ok = await staffDocumentLoader({ request: await request(creditor.id), params, context: {} });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("Content-Disposition")).toContain("saisine-mediateur-");
    const denied = await staffDocumentLoader({ request: await request(other.id), params, context: {} }).catch((e: unknown) => e);
    expect((denied as Response).status).toBe(404);
  });
});

describe("the MEDIATION level of a policy", () => {
  async function mediationLevel(db: ReturnType<typeof database.get>["prisma"], policyId: string) {
    // The hand-off level (60 days) becomes a referral to mediation.
    await db.dunningLevel.updateMany({
      where: { policyId, position: 7 },
      data: { channel: "MEDIATION", templateKey: "mediation_referral" },
    });
  }

  it("starts the mediation through the outbox (actor SYSTEM), once even when the sender runs twice", async () => {
    const { db, creditor, debtor, policy } = await setup();
    await mediationLevel(db, policy.id);
    const now = addDays(DUE, 60);
    await db.dunningState.updateMany({ where: { creditorId: creditor.id }, data: { level: 6, nextActionAt: now } });
    await runDunningTick(db, { now, creditorId: creditor.id });
    const report = await sendPendingOutbox(db, { clock: fixedClock(now) });
    expect(report).toMatchObject({ emails: 0, tasks: 1 });
    await sendPendingOutbox(db, { clock: fixedClock(addDays(now, 1)) });

    const mediations = await db.mediation.findMany({ where: { creditorId: creditor.id } });
    expect(mediations).toHaveLength(1);
    expect(mediations[0]).toMatchObject({ debtorId: debtor.id, openedByType: "SYSTEM", kind: "BUSINESS_MEDIATOR", status: "OPEN" });
    expect(mediations[0]!.invoiceIds).toHaveLength(2);
    expect(mediations[0]!.dossierAttachmentId).not.toBeNull();
    const states = await db.dunningState.findMany({ where: { creditorId: creditor.id } });
    expect(states.every((s) => s.pauseReason === "MEDIATION")).toBe(true);
    expect(await db.outboxMessage.count({ where: { creditorId: creditor.id, status: "SENT" } })).toBe(2);
  });

  it("a consumer whose creditor names no consumer mediator: no mediation, a REVIEW task says the profile lacks one", async () => {
    const { db, creditor, debtor, policy } = await setup({ kind: "CONSUMER" });
    await mediationLevel(db, policy.id);
    const now = addDays(DUE, 60);
    await db.dunningState.updateMany({ where: { creditorId: creditor.id }, data: { level: 6, nextActionAt: now } });
    await runDunningTick(db, { now, creditorId: creditor.id });
    await sendPendingOutbox(db, { clock: fixedClock(now) });

    expect(await db.mediation.count({ where: { creditorId: creditor.id } })).toBe(0);
    const tasks = await db.task.findMany({ where: { creditorId: creditor.id, debtorId: debtor.id } });
    expect(tasks.map((t) => t.kind)).toEqual(["REVIEW"]);
    expect(tasks[0]!.title).toContain("Médiateur de la consommation manquant");
    expect(tasks[0]!.details).toContain("L612-1");
    const states = await db.dunningState.findMany({ where: { creditorId: creditor.id } });
    expect(states.some((s) => s.pauseReason === "MEDIATION")).toBe(false);
  });
});
