import { invoiceStage } from "~/domain/invoice-stage";
import type { Prisma } from "~/generated/prisma/client";

/**
 * What the back-office lists (invoice list, debtor file) read of an invoice to
 * say where it stands: its amounts, its dunning state and a counter-offer
 * waiting for the debtor. One select and one stage function for both pages.
 */
export function stagedInvoiceSelect(creditorId: string) {
  return {
    id: true,
    number: true,
    dueDate: true,
    amount: true,
    amountPaid: true,
    amountCredited: true,
    currency: true,
    status: true,
    dunningState: {
      select: {
        level: true,
        pauseReason: true,
        pausedUntil: true,
        nextActionAt: true,
        policy: { select: { levels: { select: { position: true, templateKey: true, channel: true } } } },
      },
    },
    // A counter-offer waiting for the debtor's answer (the creditor's proposal on this invoice).
    planInvoices: {
      where: { creditorId, plan: { creditorId, status: "PROPOSED", proposedBy: "CREDITOR" } },
      select: { planId: true },
      take: 1,
    },
  } satisfies Prisma.InvoiceSelect;
}

type StagedRow = Prisma.InvoiceGetPayload<{ select: ReturnType<typeof stagedInvoiceSelect> }>;

/** The template of the level last run (null before the first), and the stage shown in words. */
export function stageOf(row: Pick<StagedRow, "status" | "dunningState" | "planInvoices">) {
  const ds = row.dunningState;
  const levelTemplate = ds?.policy.levels.find((l) => l.position === ds.level)?.templateKey ?? null;
  return {
    levelTemplate,
    stage: invoiceStage({
      status: row.status,
      level: ds?.level ?? -1,
      templateKey: levelTemplate,
      pauseReason: ds?.pauseReason ?? null,
      pausedUntil: ds?.pausedUntil ?? null,
      counterOfferPending: row.planInvoices.length > 0,
    }),
  };
}
