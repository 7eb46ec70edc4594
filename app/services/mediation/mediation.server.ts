import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { countAttempts } from "~/domain/mediation/attempts";
import { consumerMediatorOf, mediatorFor, type MediationKind, type MediationOutcome, type Mediator } from "~/domain/mediation/mediator";
import { translate, type Locale } from "~/i18n";
import { buildMediationDossier } from "~/pdf/mediation-dossier";
import { inTransaction, type Db } from "~/utils/db.server";
import { logger } from "~/utils/logger.server";
import { documentsRoot, loadParties, reference, storeDocument } from "../documents/documents.server";
import { applyInvoiceEvent, lockDunningStates, type Actor } from "../dunning/invoice-events.server";
import { claimOnCreditorClock, loadClaimInvoices } from "../legal/claim.server";
import { formalNoticeSentAt } from "../legal/formal-notice.server";
import { recordCommunication } from "../messaging/communications.server";

/**
 * Mediation (decision 027): a disputed or stuck case handed to the Médiateur
 * des entreprises (business debtor) or to the creditor's consumer mediator
 * (consumer). Starting it pauses dunning on the invoices handed over (the
 * MEDIATION_STARTED event through the invoice door), opens a follow-up task
 * and stores the referral dossier; ending it (agreement, none, withdrawn)
 * resumes dunning with the outcome in the trace. One open mediation per
 * debtor: the debtor row is locked while the door checks, and the unique
 * `openDebtorId` holds it in the database too. Every query is scoped to the
 * creditor.
 */
export type MediationErrorCode = "not_found" | "already_open" | "no_invoices" | "no_mediator" | "insolvency" | "not_open" | "note_required";

export class MediationError extends Error {
  constructor(public readonly code: MediationErrorCode) {
    super(`mediation: ${code}`);
    this.name = "MediationError";
  }
}

const LIVE = ["OPEN", "PARTIALLY_PAID"] as const;
const isUniqueViolation = (error: unknown) => (error as { code?: string } | null)?.code === "P2002";

export type StartMediationInput = {
  creditorId: string;
  debtorId: string;
  /** The invoices handed over; null = every open invoice of the debtor. */
  invoiceIds?: string[] | null;
  /** What the dispute is about, printed in the dossier. */
  note?: string | null;
  actor: Actor;
  now: Date;
  /** The policy level's outbox group: a retried send finds the mediation it already started. */
  sourceKey?: string | null;
};

export type StartedMediation = { mediationId: string; dossierId: string | null; taskId: string; created: boolean };

export async function startMediation(db: Db, input: StartMediationInput): Promise<StartedMediation> {
  const written: string[] = [];
  try {
    return await inTransaction(db, (tx) => start(tx, input, written));
  } catch (error) {
    // Rolled back: the dossier file written on the way has no row any more.
    await Promise.all(written.map((file) => fs.rm(file, { force: true })));
    throw error;
  }
}

async function start(tx: Db, input: StartMediationInput, written: string[]): Promise<StartedMediation> {
  const { creditorId, debtorId, now } = input;
  // Two staff clicks (or a click and the policy level) queue here, so the second sees the first's mediation.
  const [debtor] = await tx.$queryRawUnsafe<{ id: string; kind: "BUSINESS" | "CONSUMER"; name: string }[]>(
    `SELECT id, kind::text AS kind, name FROM "Debtor" WHERE id = $1 AND "creditorId" = $2 FOR UPDATE`,
    debtorId,
    creditorId,
  );
  if (!debtor) throw new MediationError("not_found");
  if (input.sourceKey) {
    const done = await tx.mediation.findFirst({ where: { creditorId, sourceKey: input.sourceKey } });
    if (done) return { mediationId: done.id, dossierId: done.dossierAttachmentId, taskId: done.taskId ?? "", created: false };
  }
  if (await tx.mediation.findFirst({ where: { creditorId, debtorId, status: "OPEN" }, select: { id: true } }))
    throw new MediationError("already_open");

  const creditor = await tx.creditor.findUniqueOrThrow({
    where: { id: creditorId },
    select: { consumerMediatorName: true, consumerMediatorUrl: true, consumerMediatorAddr: true, defaultLocale: true },
  });
  const target = mediatorFor(debtor.kind, consumerMediatorOf(creditor));
  if (!target) throw new MediationError("no_mediator");

  const invoices = await tx.invoice.findMany({
    where: { creditorId, debtorId, status: { in: [...LIVE] }, ...(input.invoiceIds ? { id: { in: input.invoiceIds } } : {}) },
    orderBy: [{ dueDate: "asc" }, { number: "asc" }],
    select: { id: true, number: true, dunningState: { select: { pauseReason: true } } },
  });
  if (invoices.length === 0) throw new MediationError("no_invoices");
  // Collective proceedings: the claim is declared to the mandataire; a conventional mediation is not open to it.
  if (invoices.some((i) => i.dunningState?.pauseReason === "INSOLVENCY")) throw new MediationError("insolvency");

  const { kind, mediator } = target;
  const invoiceIds = invoices.map((i) => i.id);
  const note = input.note?.trim() || null;
  const mediation = await tx.mediation
    .create({
      data: {
        creditorId,
        debtorId,
        kind,
        openDebtorId: debtorId,
        invoiceIds,
        mediatorName: mediator.name,
        mediatorUrl: mediator.url,
        mediatorAddress: mediator.address,
        note,
        openedAt: now,
        openedByType: input.actor.type,
        openedById: input.actor.id ?? null,
        sourceKey: input.sourceKey ?? null,
      },
    })
    .catch((error: unknown) => {
      if (isUniqueViolation(error)) throw new MediationError("already_open");
      throw error;
    });

  await lockDunningStates(tx, creditorId, invoiceIds);
  for (const invoice of invoices)
    await applyInvoiceEvent(tx, { creditorId, invoiceId: invoice.id, event: { type: "MEDIATION_STARTED" }, actor: input.actor, now, note });

  const numbers = invoices.map((i) => i.number).join(", ");
  const task = await tx.task.create({
    data: {
      creditorId,
      debtorId,
      invoiceId: invoices[0]!.id,
      kind: "MEDIATION",
      title: `Suivre la médiation — ${debtor.name} (${mediator.name})`,
      details: `Factures : ${numbers}. Transmettez le dossier de saisine au médiateur, puis enregistrez l'issue sur la fiche du client : les relances reprendront.`,
      dueAt: now,
      sourceKey: `mediation:${mediation.id}`,
      assigneeId: input.actor.type === "STAFF" ? (input.actor.id ?? null) : null,
    },
  });
  const actor = { actorType: input.actor.type, actorId: input.actor.id ?? null };
  await recordCommunication(tx, {
    creditorId,
    debtorId,
    invoiceId: invoices.length === 1 ? invoices[0]!.id : null,
    direction: "OUT",
    channel: "SYSTEM",
    kind: "task.mediation",
    subject: task.title,
    bodyText: task.details,
    ...actor,
    occurredAt: now,
  });
  await recordCommunication(tx, {
    creditorId,
    debtorId,
    invoiceId: invoices.length === 1 ? invoices[0]!.id : null,
    direction: "OUT",
    channel: "SYSTEM",
    kind: "mediation.started",
    subject: mediator.name,
    bodyText: note,
    ...actor,
    data: { mediationId: mediation.id, kind, invoiceIds, mediator },
    occurredAt: now,
  });

  const dossier = await storeDossier(tx, {
    creditorId,
    debtorId,
    mediationId: mediation.id,
    kind,
    mediator,
    note,
    invoiceIds,
    taskId: task.id,
    now,
    locale: creditor.defaultLocale,
  });
  written.push(path.join(documentsRoot(), dossier.storagePath));
  await tx.mediation.updateMany({ where: { id: mediation.id, creditorId }, data: { dossierAttachmentId: dossier.id, taskId: task.id } });
  return { mediationId: mediation.id, dossierId: dossier.id, taskId: task.id, created: true };
}

/** The referral dossier, written for the mediator in the creditor's language; read inside the start's transaction, so the hand-off is in its trace. */
async function storeDossier(
  tx: Db,
  input: {
    creditorId: string;
    debtorId: string;
    mediationId: string;
    kind: MediationKind;
    mediator: Mediator;
    note: string | null;
    invoiceIds: string[];
    taskId: string;
    now: Date;
    locale: Locale;
  },
) {
  const { creditorId, debtorId, now, locale } = input;
  const { creditor, debtor, settings, timeZone } = await loadParties(tx, creditorId, debtorId);
  const invoices = await loadClaimInvoices(tx, creditorId, debtorId, now, input.invoiceIds);
  const claim = claimOnCreditorClock(
    invoices,
    now,
    { ...settings, formalNoticeAt: await formalNoticeSentAt(tx, creditorId, debtorId) },
    timeZone,
  );
  const trace = await tx.communication.findMany({
    where: { creditorId, debtorId },
    orderBy: [{ occurredAt: "asc" }, { id: "asc" }],
    select: { occurredAt: true, channel: true, direction: true, kind: true, subject: true, deliveryStatus: true },
  });
  const disputes = await tx.dispute.findMany({
    where: { creditorId, debtorId },
    orderBy: { createdAt: "asc" },
    select: { createdAt: true, reason: true, status: true, message: true, invoice: { select: { number: true } } },
  });
  const id = crypto.randomUUID();
  const ref = reference("MEDIA", now, id);
  const bytes = await buildMediationDossier(
    {
      reference: ref,
      date: now,
      kind: input.kind,
      mediator: input.mediator,
      creditor,
      debtor,
      subject: input.note,
      claim,
      attempts: countAttempts(trace),
      disputes: disputes.map((d) => ({ ...d, number: d.invoice.number })),
      trace,
    },
    locale,
  );
  return storeDocument(tx, {
    id,
    creditorId,
    debtorId,
    kind: "MEDIATION_DOSSIER",
    bytes,
    now,
    fileName: translate(locale, "mediation.dossier.fileName", { reference: ref }),
    taskId: input.taskId,
  });
}

export type EndMediationInput = {
  creditorId: string;
  mediationId: string;
  outcome: MediationOutcome;
  note: string;
  actor: Actor;
  now: Date;
};

/** Ends an open mediation: dunning resumes on its live invoices (a still-open dispute keeps its own pause), the task closes, the outcome goes into the trace. */
export async function endMediation(db: Db, input: EndMediationInput) {
  const note = input.note.trim();
  if (!note) throw new MediationError("note_required");
  return inTransaction(db, async (tx) => {
    const { creditorId, now } = input;
    const mediation = await tx.mediation.findFirst({ where: { id: input.mediationId, creditorId } });
    if (!mediation) throw new MediationError("not_found");
    // The claim: of two "record outcome" clicks, one ends it and the other is told it is closed.
    const claimed = await tx.mediation.updateMany({
      where: { id: mediation.id, creditorId, status: "OPEN" },
      data: { status: input.outcome, closedAt: now, openDebtorId: null, outcomeNote: note, closedById: input.actor.id ?? null },
    });
    if (claimed.count !== 1) throw new MediationError("not_open");

    const live = await tx.invoice.findMany({
      where: { creditorId, debtorId: mediation.debtorId, id: { in: mediation.invoiceIds }, status: { in: [...LIVE] } },
      select: { id: true },
    });
    const liveIds = live.map((i) => i.id);
    await lockDunningStates(tx, creditorId, liveIds);
    const creditor = await tx.creditor.findUniqueOrThrow({ where: { id: creditorId }, select: { defaultLocale: true } });
    const outcome = translate(creditor.defaultLocale, `mediation.status.${input.outcome}`);
    for (const invoiceId of liveIds)
      await applyInvoiceEvent(tx, {
        creditorId,
        invoiceId,
        event: { type: "MEDIATION_ENDED" },
        actor: input.actor,
        now,
        note: `${outcome} : ${note}`,
      });
    // A dispute the mediation did not settle still holds its invoice.
    const disputed = await tx.dispute.findMany({
      where: { creditorId, invoiceId: { in: liveIds }, status: "OPEN" },
      distinct: ["invoiceId"],
      select: { invoiceId: true },
    });
    for (const d of disputed)
      await applyInvoiceEvent(tx, {
        creditorId,
        invoiceId: d.invoiceId,
        event: { type: "DISPUTE_OPENED" },
        actor: { type: "SYSTEM" },
        now,
        note: "Contestation toujours ouverte après la médiation : relances suspendues jusqu'à sa résolution.",
      });

    const actor = { actorType: input.actor.type, actorId: input.actor.id ?? null };
    if (mediation.taskId) {
      const closed = await tx.task.updateMany({
        where: { id: mediation.taskId, creditorId, status: "OPEN" },
        data: { status: "DONE", outcome: input.outcome, completedAt: now },
      });
      if (closed.count === 1)
        await recordCommunication(tx, {
          creditorId,
          debtorId: mediation.debtorId,
          direction: "OUT",
          channel: "SYSTEM",
          kind: "task.mediation_done",
          subject: `${outcome} — ${mediation.mediatorName}`,
          bodyText: note,
          ...actor,
          data: { taskId: mediation.taskId },
          occurredAt: now,
        });
    }
    await recordCommunication(tx, {
      creditorId,
      debtorId: mediation.debtorId,
      invoiceId: mediation.invoiceIds.length === 1 ? mediation.invoiceIds[0]! : null,
      direction: "OUT",
      channel: "SYSTEM",
      kind: "mediation.ended",
      subject: `${outcome} — ${mediation.mediatorName}`,
      bodyText: note,
      ...actor,
      data: { mediationId: mediation.id, outcome: input.outcome, invoiceIds: liveIds },
      occurredAt: now,
    });
    return { mediationId: mediation.id, resumed: liveIds.length };
  });
}

/**
 * The policy's MEDIATION level, from the sender (actor SYSTEM). A consumer's
 * creditor that names no consumer mediator cannot refer the case: a REVIEW
 * task says so instead. A case already in mediation (or under collective
 * proceedings) is left as it is. Returns the tasks created.
 */
export async function startMediationForLevel(
  db: Db,
  input: { creditorId: string; debtorId: string; invoiceIds: string[]; groupKey: string; now: Date },
): Promise<{ tasks: number }> {
  const { creditorId, debtorId } = input;
  const debtor = await db.debtor.findFirstOrThrow({
    where: { id: debtorId, creditorId },
    select: {
      name: true,
      kind: true,
      creditor: { select: { consumerMediatorName: true, consumerMediatorUrl: true, consumerMediatorAddr: true } },
    },
  });
  if (!mediatorFor(debtor.kind, consumerMediatorOf(debtor.creditor))) return { tasks: await reviewMissingMediator(db, input, debtor.name) };
  try {
    const started = await startMediation(db, { ...input, actor: { type: "SYSTEM" }, sourceKey: input.groupKey });
    return { tasks: started.created ? 1 : 0 };
  } catch (error) {
    if (error instanceof MediationError && ["already_open", "insolvency", "no_invoices"].includes(error.code)) {
      logger.info({ creditorId, debtorId, reason: error.code }, "mediation level skipped");
      return { tasks: 0 };
    }
    throw error;
  }
}

async function reviewMissingMediator(
  db: Db,
  input: { creditorId: string; debtorId: string; invoiceIds: string[]; groupKey: string; now: Date },
  debtorName: string,
) {
  const sourceKey = `${input.groupKey}:no-mediator`;
  return inTransaction(db, async (tx) => {
    if (await tx.task.findUnique({ where: { sourceKey }, select: { id: true } })) return 0;
    const numbers = (
      await tx.invoice.findMany({ where: { creditorId: input.creditorId, id: { in: input.invoiceIds } }, select: { number: true } })
    ).map((i) => i.number);
    const task = await tx.task.create({
      data: {
        creditorId: input.creditorId,
        debtorId: input.debtorId,
        invoiceId: input.invoiceIds[0] ?? null,
        kind: "REVIEW",
        title: `Médiateur de la consommation manquant — ${debtorName}`,
        details: `Le calendrier de relance prévoyait de confier le dossier à la médiation (factures : ${numbers.join(", ")}), mais votre profil ne nomme aucun médiateur de la consommation (C. conso. art. L612-1). Renseignez-le dans les paramètres, puis confiez le dossier depuis la fiche du client.`,
        dueAt: input.now,
        sourceKey,
      },
    });
    await recordCommunication(tx, {
      creditorId: input.creditorId,
      debtorId: input.debtorId,
      invoiceId: input.invoiceIds.length === 1 ? input.invoiceIds[0]! : null,
      direction: "OUT",
      channel: "SYSTEM",
      kind: "task.review",
      subject: task.title,
      bodyText: task.details,
      actorType: "SYSTEM",
      occurredAt: input.now,
    });
    return 1;
  });
}

/** The debtor page: the open mediation (with its dossier), the past ones, and who a new one would go to. */
export async function debtorMediations(db: Db, creditorId: string, debtorId: string) {
  const [debtor, rows] = await Promise.all([
    db.debtor.findFirst({
      where: { id: debtorId, creditorId },
      select: { kind: true, creditor: { select: { consumerMediatorName: true, consumerMediatorUrl: true, consumerMediatorAddr: true } } },
    }),
    db.mediation.findMany({ where: { creditorId, debtorId }, orderBy: [{ openedAt: "desc" }, { id: "desc" }] }),
  ]);
  if (!debtor) return null;
  const ids = [...new Set(rows.flatMap((r) => r.invoiceIds))];
  const numbers = new Map(
    (await db.invoice.findMany({ where: { creditorId, id: { in: ids } }, select: { id: true, number: true } })).map((i) => [
      i.id,
      i.number,
    ]),
  );
  const view = rows.map((m) => ({
    id: m.id,
    kind: m.kind,
    status: m.status,
    mediatorName: m.mediatorName,
    openedAt: m.openedAt,
    closedAt: m.closedAt,
    note: m.note,
    outcomeNote: m.outcomeNote,
    dossierId: m.dossierAttachmentId,
    invoices: m.invoiceIds.map((id) => numbers.get(id)).filter((n): n is string => !!n),
  }));
  const target = mediatorFor(debtor.kind, consumerMediatorOf(debtor.creditor));
  return {
    open: view.find((m) => m.status === "OPEN") ?? null,
    past: view.filter((m) => m.status !== "OPEN"),
    mediator: target ? { kind: target.kind, name: target.mediator.name } : null,
  };
}
