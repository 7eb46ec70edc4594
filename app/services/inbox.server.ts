import type { Db } from "~/utils/db.server";

/** What needs a credit manager's attention, for one creditor. */
export async function inboxCounts(db: Db, creditorId: string) {
  const [proposals, disputes, tasks, failedWebhooks] = await Promise.all([
    db.installmentPlan.count({ where: { creditorId, status: "PROPOSED" } }),
    db.dispute.count({ where: { creditorId, status: "OPEN" } }),
    db.task.count({ where: { creditorId, status: "OPEN" } }),
    db.webhookEvent.count({ where: { creditorId, status: "FAILED" } }),
  ]);
  return { proposals, disputes, tasks, failedWebhooks, total: proposals + disputes + tasks + failedWebhooks };
}

export async function inboxItems(db: Db, creditorId: string, now: Date) {
  const [proposals, disputes, tasks] = await Promise.all([
    db.installmentPlan.findMany({
      where: { creditorId, status: "PROPOSED" },
      orderBy: { createdAt: "asc" },
      take: 50,
      select: { id: true, totalAmount: true, currency: true, createdAt: true, debtor: { select: { id: true, name: true } }, _count: { select: { installments: true } } },
    }),
    db.dispute.findMany({
      where: { creditorId, status: "OPEN" },
      orderBy: { createdAt: "asc" },
      take: 50,
      select: { id: true, reason: true, message: true, createdAt: true, debtor: { select: { id: true, name: true } }, invoice: { select: { number: true } } },
    }),
    db.task.findMany({
      where: { creditorId, status: "OPEN", dueAt: { lte: new Date(now.getTime() + 86_400_000) } },
      orderBy: [{ dueAt: "asc" }],
      take: 100,
      select: { id: true, kind: true, title: true, details: true, dueAt: true, debtor: { select: { id: true, name: true, phone: true } } },
    }),
  ]);
  return { proposals, disputes, tasks };
}
