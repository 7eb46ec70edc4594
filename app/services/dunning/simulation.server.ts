import { addDays, startOfDayUTC } from "~/domain/clock";
import type { PrismaClient } from "~/utils/db.server";
import { runDunningTick } from "./tick.server";
import { invoiceBalance } from "~/domain/money";

export type SimulatedAction = {
  day: number;
  date: Date;
  debtor: string;
  channel: string;
  templateKey: string;
  invoices: { number: string; dueDate: Date; balance: number; currency: string }[];
};

class Rollback extends Error {}

/**
 * "What would be sent": runs the real tick day by day on a creditor's real
 * invoices inside a transaction that is always rolled back, so nothing is
 * kept and nothing is sent. Grouping matches the sender's (one email per
 * debtor, template and day).
 */
export async function simulateDunning(
  prisma: PrismaClient,
  opts: { creditorId: string; from: Date; days: number },
): Promise<SimulatedAction[]> {
  const actions: SimulatedAction[] = [];
  const start = startOfDayUTC(opts.from);
  await prisma
    .$transaction(
      async (tx) => {
        for (let day = 0; day <= opts.days; day++) {
          const now = addDays(start, day);
          const result = await runDunningTick(tx, { now, creditorId: opts.creditorId });
          if (result.queued === 0) continue;
          const rows = await tx.outboxMessage.findMany({
            where: { creditorId: opts.creditorId, status: "PENDING", createdAt: now },
            orderBy: [{ debtorId: "asc" }, { templateKey: "asc" }],
          });
          const invoices = await tx.invoice.findMany({
            where: { creditorId: opts.creditorId, id: { in: rows.map((r) => r.invoiceId!).filter(Boolean) } },
            include: { debtor: { select: { name: true } } },
          });
          const groups = new Map<string, SimulatedAction>();
          for (const row of rows) {
            const invoice = invoices.find((i) => i.id === row.invoiceId);
            if (!invoice) continue;
            const group = groups.get(row.groupKey) ?? {
              day, date: now, debtor: invoice.debtor.name, channel: row.channel, templateKey: row.templateKey, invoices: [],
            };
            group.invoices.push({
              number: invoice.number,
              dueDate: invoice.dueDate,
              balance: invoiceBalance(invoice),
              currency: invoice.currency,
            });
            groups.set(row.groupKey, group);
          }
          actions.push(...groups.values());
          // The simulated sender: mark as sent so the next days behave as in production.
          await tx.outboxMessage.updateMany({ where: { id: { in: rows.map((r) => r.id) } }, data: { status: "SENT", sentAt: now } });
        }
        throw new Rollback();
      },
      { timeout: 120_000, maxWait: 10_000 },
    )
    .catch((error) => {
      if (!(error instanceof Rollback)) throw error;
    });
  return actions;
}
