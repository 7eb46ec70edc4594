import { isoDay } from "~/domain/clock";
import { claimDeadline, classifyJudgment, mandataireFrom, sirenOf, type ProceedingKind } from "~/domain/solvency/bodacc";
import {
  fetchCollectiveAnnouncements,
  fetchCompany,
  type BodaccAnnouncement,
  type CompanyRecord,
  type RegistryFailure,
} from "~/providers/company-registry.server";
import { inTransaction, Prisma, type Db } from "~/utils/db.server";
import { logger } from "~/utils/logger.server";
import { applyInvoiceEvent, lockDunningStates, type Actor } from "../dunning/invoice-events.server";
import { recordCommunication } from "../messaging/communications.server";
import { generateClaimDeclaration } from "./declaration.server";

/**
 * One solvency check of one business debtor (decision 024): the company
 * registry's status and the BODACC's collective proceedings, read for this
 * creditor's debtor only (another creditor's debtor with the same SIREN has
 * its own rows and its own check). What it does, in one transaction:
 *
 * - records the registry's answer (status, creation, legal form, closing) on
 *   the debtor's `DebtorSolvency` row; a company newly seen ceased is flagged
 *   and traced — nothing else: a ceased company may still pay;
 * - for each opening judgment not seen before (unique per debtor and BODACC
 *   announcement): the proceeding, INSOLVENCY_OPENED through the invoice door
 *   on every open invoice of the debtor (the door writes each trace row), a
 *   DECLARE_CLAIM task due on the deadline (publication + 2 months), a trace
 *   entry; then, after commit, the pre-filled déclaration de créance on the task;
 * - a conversion changes the open proceeding's kind; a closure is recorded and
 *   traced, and dunning stays stopped until staff decide (`resumeAfterClosure`).
 *
 * The same answers twice change nothing. A registry that fails leaves the
 * state as it was (only the failure's time and reason are noted) and is
 * reported to the caller.
 */
export type Registry = {
  fetchCompany: typeof fetchCompany;
  fetchCollectiveAnnouncements: typeof fetchCollectiveAnnouncements;
};

const LIVE: Registry = { fetchCompany, fetchCollectiveAnnouncements };

export type SolvencyCheckResult =
  | {
      ok: true;
      status: CompanyRecord["status"];
      ceasedFlagged: boolean;
      opened: { proceedingId: string; taskId: string; pausedInvoices: number; declarationId: string | null }[];
      closed: number;
      converted: number;
    }
  | { ok: false; reason: "no_siren" | RegistryFailure["reason"]; message: string };

const OPEN = ["OPEN", "PARTIALLY_PAID"] as const;
const utcDay = (iso: string) => new Date(`${iso}T00:00:00Z`);
const frDate = (d: Date) => new Intl.DateTimeFormat("fr-FR", { dateStyle: "short", timeZone: "UTC" }).format(d);
const KIND_FR = { SAUVEGARDE: "sauvegarde", REDRESSEMENT: "redressement judiciaire", LIQUIDATION: "liquidation judiciaire" } as const;

export async function checkDebtorSolvency(
  db: Db,
  input: { creditorId: string; debtorId: string; now: Date; actor?: Actor; registry?: Registry },
): Promise<SolvencyCheckResult> {
  const registry = input.registry ?? LIVE;
  const debtor = await db.debtor.findFirstOrThrow({
    where: { id: input.debtorId, creditorId: input.creditorId },
    select: { id: true, kind: true, legalId: true, name: true },
  });
  const siren = debtor.kind === "BUSINESS" ? sirenOf(debtor.legalId) : null;
  if (!siren) return { ok: false, reason: "no_siren", message: "no SIREN on this business debtor" };

  const [company, bodacc] = await Promise.all([registry.fetchCompany(siren), registry.fetchCollectiveAnnouncements(siren)]);
  const failure = !company.ok ? company : !bodacc.ok ? bodacc : null;
  if (failure || !company.ok || !bodacc.ok) {
    const f = failure!;
    await db.debtorSolvency.updateMany({
      where: { debtorId: debtor.id, creditorId: input.creditorId },
      data: { failedAt: input.now, failure: `${f.reason}: ${f.message}`.slice(0, 300) },
    });
    logger.warn({ creditorId: input.creditorId, debtorId: debtor.id, reason: f.reason }, "solvency check failed");
    return { ok: false, reason: f.reason, message: f.message };
  }

  const actor: Actor = input.actor ?? { type: "SYSTEM" };
  const outcome = await inTransaction(db, async (tx) => {
    const ceasedFlagged = await recordCompany(tx, input.creditorId, debtor.id, company.company, input.now, actor);
    const opened: { proceedingId: string; taskId: string; pausedInvoices: number }[] = [];
    let closed = 0;
    let converted = 0;
    for (const a of bodacc.announcements) {
      if (!a.judgment) continue;
      const { step, kind } = classifyJudgment(a.judgment);
      const openProceeding = () =>
        tx.insolvencyProceeding.findFirst({
          where: { creditorId: input.creditorId, debtorId: debtor.id, closedOn: null },
          orderBy: { openedOn: "desc" },
        });
      if (kind && (step === "OPENING" || (step === "CONVERSION" && !(await openProceeding())))) {
        const made = await openProceedingOnce(tx, { creditorId: input.creditorId, debtor, announcement: a, kind, now: input.now, actor });
        if (made) opened.push(made);
      } else if (kind && step === "CONVERSION") {
        const current = (await openProceeding())!;
        if (current.kind === kind) continue;
        await tx.insolvencyProceeding.updateMany({ where: { id: current.id, creditorId: input.creditorId }, data: { kind } });
        converted++;
        await recordCommunication(tx, {
          creditorId: input.creditorId,
          debtorId: debtor.id,
          direction: "IN",
          channel: "SYSTEM",
          kind: "solvency.proceeding_converted",
          subject: a.judgment.nature,
          actorType: actor.type,
          actorId: actor.id ?? null,
          data: { proceedingId: current.id, from: current.kind, to: kind, announcementId: a.id, publishedOn: a.publishedOn },
          occurredAt: input.now,
        });
      } else if (step === "CLOSURE") {
        const current = await tx.insolvencyProceeding.findFirst({
          where: { creditorId: input.creditorId, debtorId: debtor.id, closedOn: null, publishedOn: { lte: utcDay(a.publishedOn) } },
          orderBy: { openedOn: "desc" },
        });
        if (!current) continue;
        const closedOn = utcDay(a.judgment.date ?? a.publishedOn);
        await tx.insolvencyProceeding.updateMany({
          where: { id: current.id, creditorId: input.creditorId, closedOn: null },
          data: { closedOn, closurePublishedOn: utcDay(a.publishedOn), closureAnnouncementId: a.id, closureNature: a.judgment.nature },
        });
        closed++;
        await recordCommunication(tx, {
          creditorId: input.creditorId,
          debtorId: debtor.id,
          direction: "IN",
          channel: "SYSTEM",
          kind: "solvency.proceeding_closed",
          subject: a.judgment.nature,
          bodyText: `Clôture publiée au BODACC le ${frDate(utcDay(a.publishedOn))} (jugement du ${frDate(closedOn)}). Les relances restent arrêtées jusqu'à la décision de votre équipe.`,
          actorType: actor.type,
          actorId: actor.id ?? null,
          data: { proceedingId: current.id, kind: current.kind, announcementId: a.id, closedOn: isoDay(closedOn) },
          occurredAt: input.now,
        });
      }
    }
    return { ceasedFlagged, opened, closed, converted };
  });

  // The document is built after commit: a PDF that fails never undoes the stop (staff can still declare by hand).
  const opened = [];
  for (const o of outcome.opened) {
    let declarationId: string | null = null;
    try {
      declarationId =
        (await generateClaimDeclaration(db, { creditorId: input.creditorId, proceedingId: o.proceedingId, now: input.now }))?.attachment
          .id ?? null;
    } catch (error) {
      logger.error({ err: error, proceedingId: o.proceedingId }, "claim declaration failed");
    }
    opened.push({ ...o, declarationId });
  }
  return {
    ok: true,
    status: company.company.status,
    ceasedFlagged: outcome.ceasedFlagged,
    opened,
    closed: outcome.closed,
    converted: outcome.converted,
  };
}

/** Writes the registry's answer; returns true when this check is the first to see the company ceased (flagged and traced). */
async function recordCompany(tx: Db, creditorId: string, debtorId: string, c: CompanyRecord, now: Date, actor: Actor) {
  const before = await tx.debtorSolvency.findUnique({ where: { debtorId }, select: { creditorId: true, ceasedSeenAt: true } });
  if (before && before.creditorId !== creditorId) throw new Error("solvency row of another creditor");
  const newlyCeased = c.status === "CEASED" && !before?.ceasedSeenAt;
  const data = {
    siren: c.siren,
    status: c.status,
    registryName: c.name,
    legalFormCode: c.legalFormCode,
    createdOn: c.createdOn ? utcDay(c.createdOn) : null,
    ceasedOn: c.ceasedOn ? utcDay(c.ceasedOn) : null,
    ceasedSeenAt: c.status === "CEASED" ? (before?.ceasedSeenAt ?? now) : null,
    checkedAt: now,
    failedAt: null,
    failure: null,
    summary: { name: c.name, etat: c.status, nature_juridique: c.legalFormCode, date_creation: c.createdOn, date_fermeture: c.ceasedOn },
  };
  await tx.debtorSolvency.upsert({ where: { debtorId }, create: { creditorId, debtorId, ...data }, update: data });
  if (newlyCeased) {
    await recordCommunication(tx, {
      creditorId,
      debtorId,
      direction: "IN",
      channel: "SYSTEM",
      kind: "solvency.company_ceased",
      subject: c.name,
      bodyText: c.ceasedOn ? `Cessation au répertoire des entreprises le ${frDate(utcDay(c.ceasedOn))}.` : null,
      actorType: actor.type,
      actorId: actor.id ?? null,
      data: { siren: c.siren, ceasedOn: c.ceasedOn },
      occurredAt: now,
    });
  }
  return newlyCeased;
}

async function openProceedingOnce(
  tx: Db,
  input: {
    creditorId: string;
    debtor: { id: string; name: string };
    announcement: BodaccAnnouncement;
    kind: ProceedingKind;
    now: Date;
    actor: Actor;
  },
) {
  const { creditorId, debtor, announcement: a, kind, now, actor } = input;
  const seen = await tx.insolvencyProceeding.findUnique({
    where: { debtorId_announcementId: { debtorId: debtor.id, announcementId: a.id } },
    select: { id: true },
  });
  if (seen) return null;
  const publishedOn = utcDay(a.publishedOn);
  const openedOn = utcDay(a.judgment?.date ?? a.publishedOn);
  const deadline = claimDeadline(publishedOn);
  let proceeding;
  try {
    proceeding = await tx.insolvencyProceeding.create({
      data: {
        creditorId,
        debtorId: debtor.id,
        kind,
        announcementId: a.id,
        nature: a.judgment?.nature ?? KIND_FR[kind],
        openedOn,
        publishedOn,
        court: a.court,
        mandataire: mandataireFrom(a.judgment?.complement),
        claimDeadline: deadline,
      },
    });
  } catch (error) {
    // Two checks at once: the other one recorded it (and did the rest).
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return null;
    throw error;
  }

  // Individual collection stops at once for every open invoice (L622-21): locked together, then through the door one by one.
  const invoices = await tx.invoice.findMany({
    where: { creditorId, debtorId: debtor.id, status: { in: [...OPEN] }, dunningState: { isNot: null } },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  await lockDunningStates(
    tx,
    creditorId,
    invoices.map((i) => i.id),
  );
  const note = `${a.judgment?.nature ?? KIND_FR[kind]} du ${frDate(openedOn)}${a.court ? `, ${a.court}` : ""} (BODACC du ${frDate(publishedOn)})`;
  for (const invoice of invoices) {
    await applyInvoiceEvent(tx, { creditorId, invoiceId: invoice.id, event: { type: "INSOLVENCY_OPENED" }, actor, now, note });
  }

  const task = await tx.task.create({
    data: {
      creditorId,
      debtorId: debtor.id,
      kind: "DECLARE_CLAIM",
      dueAt: deadline,
      sourceKey: `insolvency:${proceeding.id}`,
      title: `Déclarer la créance avant le ${frDate(deadline)} — ${debtor.name} (${KIND_FR[kind]})`,
      details:
        `${note}. Déclaration de créance à adresser au ${kind === "LIQUIDATION" ? "liquidateur" : "mandataire judiciaire"}` +
        `${proceeding.mandataire ? ` (${proceeding.mandataire})` : ""} dans les deux mois de la publication au BODACC (C. com. L622-24, R622-24), ` +
        `soit au plus tard le ${frDate(deadline)}. La déclaration pré-remplie est jointe : vérifiez-la, signez-la et envoyez-la en recommandé.`,
    },
  });
  await tx.insolvencyProceeding.update({ where: { id: proceeding.id }, data: { taskId: task.id } });
  await recordCommunication(tx, {
    creditorId,
    debtorId: debtor.id,
    direction: "IN",
    channel: "SYSTEM",
    kind: "solvency.proceeding_opened",
    subject: note,
    bodyText: task.details,
    actorType: actor.type,
    actorId: actor.id ?? null,
    data: {
      proceedingId: proceeding.id,
      taskId: task.id,
      kind,
      announcementId: a.id,
      openedOn: isoDay(openedOn),
      publishedOn: isoDay(publishedOn),
      claimDeadline: isoDay(deadline),
      pausedInvoices: invoices.length,
    },
    occurredAt: now,
  });
  return { proceedingId: proceeding.id, taskId: task.id, pausedInvoices: invoices.length };
}

export class SolvencyResumeError extends Error {
  constructor(public readonly code: "still_open" | "not_found") {
    super(code);
    this.name = "SolvencyResumeError";
  }
}

/**
 * Staff's decision once every proceeding of the debtor is closed (a plan
 * carried out, a sauvegarde ended): INSOLVENCY_CLOSED through the door on each
 * invoice still paused for insolvency. Refused while one is open (L622-21).
 */
export async function resumeAfterClosure(db: Db, input: { creditorId: string; debtorId: string; now: Date; actor: Actor }) {
  return inTransaction(db, async (tx) => {
    const proceedings = await tx.insolvencyProceeding.findMany({
      where: { creditorId: input.creditorId, debtorId: input.debtorId },
      select: { closedOn: true },
    });
    if (proceedings.length === 0) throw new SolvencyResumeError("not_found");
    if (proceedings.some((p) => !p.closedOn)) throw new SolvencyResumeError("still_open");
    const paused = await tx.invoice.findMany({
      where: {
        creditorId: input.creditorId,
        debtorId: input.debtorId,
        status: { in: [...OPEN] },
        dunningState: { pauseReason: "INSOLVENCY" },
      },
      select: { id: true },
      orderBy: { id: "asc" },
    });
    await lockDunningStates(
      tx,
      input.creditorId,
      paused.map((i) => i.id),
    );
    for (const invoice of paused) {
      await applyInvoiceEvent(tx, {
        creditorId: input.creditorId,
        invoiceId: invoice.id,
        event: { type: "INSOLVENCY_CLOSED" },
        actor: input.actor,
        now: input.now,
        note: "Procédure collective clôturée : reprise décidée par l'équipe",
      });
    }
    return paused.length;
  });
}
