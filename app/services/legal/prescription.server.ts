import { addDays, isoDay, startOfDayUTC, wallClockIn } from "~/domain/clock";
import { addMonthsClamped } from "~/domain/legal/calendar";
import {
  PRESCRIPTION_THRESHOLDS,
  PRESCRIPTION_YEARS,
  prescriptionStart,
  prescriptionTaskFor,
  prescriptionWatch,
  type PrescriptionWatch,
} from "~/domain/legal/prescription";
import { Prisma, type Db, type PrismaClient } from "~/utils/db.server";
import { logger } from "~/utils/logger.server";
import { attachDunningDocument } from "../documents/documents.server";
import { recordCommunication } from "../messaging/communications.server";

/**
 * The daily prescription watch: for every open invoice whose claim becomes
 * time-barred within 90 days, a REVIEW task at 90 and at 30 days left, and the
 * HANDOFF task (with its injonction dossier) at 15 days — each created once
 * (the task's source key names the invoice, the expiry and the stage, so a
 * later acknowledgment that moves the expiry starts a fresh series), each
 * written into the trace. The period starts at the delivery date when the
 * invoice has one, else at the due date; a succeeded payment on the invoice
 * is an acknowledgment (C. civ. 2240) and starts a new period.
 */
export type PrescriptionRunReport = { checked: number; created: number; warnings: number; handoffs: number };

const OPEN = ["OPEN", "PARTIALLY_PAID"] as const;
const fr = (date: Date) => new Intl.DateTimeFormat("fr-FR", { dateStyle: "short", timeZone: "UTC" }).format(date);

export async function runPrescriptionWatch(db: PrismaClient, opts: { now: Date; creditorId?: string }): Promise<PrescriptionRunReport> {
  // No zone's date is later than the UTC date + 1; each invoice is then judged on its creditor's calendar.
  const latestToday = addDays(startOfDayUTC(opts.now), 1);
  // The shortest period (2 years) minus the first threshold: an invoice starting later cannot be within 90 days of its term.
  const cutoff = addDays(
    addMonthsClamped(latestToday, -12 * Math.min(...Object.values(PRESCRIPTION_YEARS))),
    PRESCRIPTION_THRESHOLDS.WARN_90 + 1,
  );
  const invoices = await db.invoice.findMany({
    where: {
      ...(opts.creditorId ? { creditorId: opts.creditorId } : {}),
      status: { in: [...OPEN] },
      OR: [{ deliveredAt: { lte: cutoff } }, { deliveredAt: null, dueDate: { lte: cutoff } }],
    },
    select: {
      id: true,
      creditorId: true,
      debtorId: true,
      number: true,
      dueDate: true,
      deliveredAt: true,
      creditor: { select: { timeZone: true } },
      debtor: { select: { name: true, kind: true } },
      allocations: { where: { payment: { status: "SUCCEEDED" } }, select: { payment: { select: { succeededAt: true } } } },
    },
    orderBy: { id: "asc" },
  });
  const report: PrescriptionRunReport = { checked: invoices.length, created: 0, warnings: 0, handoffs: 0 };
  for (const invoice of invoices) {
    const start = prescriptionStart(invoice);
    const acknowledged = invoice.allocations
      .map((a) => a.payment.succeededAt)
      .filter((d): d is Date => !!d)
      .sort((a, b) => b.getTime() - a.getTime())[0];
    // Days on the creditor's calendar (decision 012): now and the acknowledgment read on its clock.
    const local = (d: Date) => wallClockIn(invoice.creditor.timeZone, d);
    const watch = prescriptionWatch(start.date, invoice.debtor.kind, local(opts.now), {
      interruptedAt: acknowledged ? local(acknowledged) : null,
    });
    const action = prescriptionTaskFor(watch.stage);
    if (!action) continue;
    const made = await createPrescriptionTask(db, invoice, watch, action, { ...start, acknowledged: acknowledged ?? null }, opts.now);
    if (!made) continue;
    report.created++;
    if (action.kind === "HANDOFF") {
      report.handoffs++;
      await attachDunningDocument(db, {
        channel: "HANDOFF",
        creditorId: invoice.creditorId,
        debtorId: invoice.debtorId,
        invoiceIds: [invoice.id],
        taskId: made,
        now: opts.now,
      });
    } else {
      report.warnings++;
    }
  }
  if (report.created > 0) logger.info(report, "prescription watch");
  return report;
}

const STAGE_TITLE = { WARN_90: "J-90", WARN_30: "J-30", ESCALATE: "J-15 : transmettre" } as const;

/** What the task says: the term, its basis, and which starting point was used. */
export function prescriptionTaskText(
  invoice: { number: string; debtor: { name: string } },
  watch: PrescriptionWatch,
  stage: keyof typeof STAGE_TITLE,
  start: { date: Date; startedFrom: "DELIVERY" | "DUE_DATE"; acknowledged: Date | null },
) {
  const from =
    start.startedFrom === "DELIVERY"
      ? `date de livraison / d'achèvement de la prestation du ${fr(start.date)}`
      : `date d'échéance du ${fr(start.date)} (aucune date de livraison enregistrée sur la facture)`;
  const restart =
    start.acknowledged && startOfDayUTC(start.acknowledged) > start.date
      ? ` ; nouveau délai depuis le paiement partiel du ${fr(start.acknowledged)} (C. civ. 2240)`
      : "";
  const next =
    stage === "ESCALATE"
      ? "Transmettre au commissaire de justice / à l'avocat et déposer la requête en injonction de payer avant cette date (le dossier est joint)."
      : "Obtenir un paiement ou une reconnaissance de dette écrite, ou préparer la requête en injonction de payer.";
  return {
    title: `Prescription le ${fr(watch.expiresAt)} (${STAGE_TITLE[stage]}) — ${invoice.debtor.name} (${invoice.number})`,
    details: `Créance prescrite après le ${fr(watch.expiresAt)} (${watch.basis}), ${watch.daysLeft} jour(s) restant(s). Point de départ retenu : ${from}${restart}. ${next}`,
  };
}

async function createPrescriptionTask(
  db: PrismaClient,
  invoice: { id: string; creditorId: string; debtorId: string; number: string; debtor: { name: string } },
  watch: PrescriptionWatch,
  action: NonNullable<ReturnType<typeof prescriptionTaskFor>>,
  start: { date: Date; startedFrom: "DELIVERY" | "DUE_DATE"; acknowledged: Date | null },
  now: Date,
): Promise<string | null> {
  const sourceKey = `prescription:${invoice.id}:${isoDay(watch.expiresAt)}:${action.stage}`;
  const text = prescriptionTaskText(invoice, watch, action.stage, start);
  try {
    return await db.$transaction(async (tx: Db) => {
      const existing = await tx.task.findUnique({ where: { sourceKey }, select: { id: true } });
      if (existing) return null;
      const task = await tx.task.create({
        data: {
          creditorId: invoice.creditorId,
          debtorId: invoice.debtorId,
          invoiceId: invoice.id,
          kind: action.kind,
          dueAt: now,
          sourceKey,
          ...text,
        },
      });
      await recordCommunication(tx, {
        creditorId: invoice.creditorId,
        debtorId: invoice.debtorId,
        invoiceId: invoice.id,
        direction: "OUT",
        channel: "SYSTEM",
        kind: `prescription.${action.stage.toLowerCase()}`,
        subject: text.title,
        bodyText: text.details,
        actorType: "SYSTEM",
        data: {
          taskId: task.id,
          stage: action.stage,
          expiresAt: isoDay(watch.expiresAt),
          daysLeft: watch.daysLeft,
          basis: watch.basis,
          startedFrom: start.startedFrom,
          startDate: isoDay(start.date),
        },
        occurredAt: now,
      });
      return task.id;
    });
  } catch (error) {
    // Two runs at once: the other one created it.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return null;
    throw error;
  }
}
