import { addDays, middayIn, todayIn } from "~/domain/clock";
import type { PrismaClient } from "~/utils/db.server";
import { runDunningTick } from "./tick.server";
import { invoiceBalance } from "~/domain/money";
import type { DunningLevelSpec } from "~/domain/dunning";
import { creditorTimeZone } from "../creditor-clock.server";
import { replacePolicyLevels } from "./policies.server";

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
 * debtor, template and day). This is the real tick SQL (runDunningTick), not
 * the domain's advanceDunning: `policy` (unsaved edits) is first written and
 * the open invoices rescheduled onto it exactly as a save would, inside the
 * same rolled-back transaction.
 */
export async function simulateDunning(
  prisma: PrismaClient,
  opts: { creditorId: string; from: Date; days: number; policy?: { id: string; levels: readonly DunningLevelSpec[] } },
): Promise<SimulatedAction[]> {
  const actions: SimulatedAction[] = [];
  // Day n is the creditor's local date; its tick runs at local noon, well inside that day.
  const timeZone = await creditorTimeZone(prisma, opts.creditorId);
  const start = todayIn(timeZone, opts.from);
  await prisma
    .$transaction(
      async (tx) => {
        if (opts.policy) {
          await replacePolicyLevels(tx, {
            creditorId: opts.creditorId,
            policyId: opts.policy.id,
            levels: opts.policy.levels,
            now: middayIn(timeZone, start),
            actor: { type: "SYSTEM" },
          });
        }
        for (let day = 0; day <= opts.days; day++) {
          const date = addDays(start, day);
          const now = middayIn(timeZone, date);
          const result = await runDunningTick(tx, { now, creditorId: opts.creditorId, includeSwitchedOff: true });
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
              day,
              date,
              debtor: invoice.debtor.name,
              channel: row.channel,
              templateKey: row.templateKey,
              invoices: [],
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

export type SimulatedDay = {
  day: number;
  date: Date;
  emails: number;
  calls: number;
  letters: number;
  handoffs: number;
  /** Balance of the invoices concerned that day, per currency (minor units). */
  amounts: { currency: string; amount: number }[];
  debtors: string[];
};

/** Per day: how many emails, calls, formal notices and hand-offs, the amounts concerned and who. */
export function summariseSimulation(actions: readonly SimulatedAction[]): SimulatedDay[] {
  type Acc = SimulatedDay & { seen: Set<string>; byCurrency: Map<string, number> };
  const days = new Map<number, Acc>();
  const field = { EMAIL: "emails", CALL_TASK: "calls", LETTER: "letters", HANDOFF: "handoffs" } as const;
  for (const a of actions) {
    const d: Acc = days.get(a.day) ?? {
      day: a.day,
      date: a.date,
      emails: 0,
      calls: 0,
      letters: 0,
      handoffs: 0,
      amounts: [],
      debtors: [],
      seen: new Set(),
      byCurrency: new Map(),
    };
    const key = field[a.channel as keyof typeof field];
    if (key) d[key]++;
    for (const i of a.invoices) {
      // An invoice takes at most one step a day: no balance is counted twice.
      d.byCurrency.set(i.currency, (d.byCurrency.get(i.currency) ?? 0) + i.balance);
    }
    if (!d.seen.has(a.debtor)) {
      d.seen.add(a.debtor);
      d.debtors = [...d.debtors, a.debtor];
    }
    days.set(a.day, d);
  }
  return [...days.values()]
    .sort((x, y) => x.day - y.day)
    .map(({ seen: _seen, byCurrency, ...d }) => ({ ...d, amounts: [...byCurrency].map(([currency, amount]) => ({ currency, amount })) }));
}
