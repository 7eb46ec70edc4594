import { DEFAULT_POLICY_LEVELS, type DunningLevelSpec } from "~/domain/dunning";
import type { Db } from "~/utils/db.server";

export type PolicyWithLevels = { id: string; levels: DunningLevelSpec[] };

const levelSelect = { position: true, offsetDays: true, channel: true, templateKey: true, tone: true } as const;

/** The creditor's default policy, created from the French calendar when missing. */
export async function ensureDefaultPolicy(db: Db, creditorId: string): Promise<PolicyWithLevels> {
  const existing = await db.dunningPolicy.findFirst({
    where: { creditorId, isDefault: true },
    select: { id: true, levels: { select: levelSelect, orderBy: { position: "asc" } } },
  });
  if (existing) return existing;
  const policy = await db.dunningPolicy.create({
    data: {
      creditorId,
      name: "Calendrier standard",
      isDefault: true,
      levels: {
        create: DEFAULT_POLICY_LEVELS.map((l) => ({ ...l, tone: l.tone ?? "STANDARD", creditorId })),
      },
    },
    select: { id: true, levels: { select: levelSelect, orderBy: { position: "asc" } } },
  });
  return policy;
}

/** The policy that applies to a debtor: its own when assigned, else the creditor's default. */
export async function policyForDebtor(db: Db, creditorId: string, debtorId: string): Promise<PolicyWithLevels> {
  const debtor = await db.debtor.findFirstOrThrow({ where: { id: debtorId, creditorId }, select: { policyId: true } });
  if (debtor.policyId) {
    const policy = await db.dunningPolicy.findFirst({
      where: { id: debtor.policyId, creditorId },
      select: { id: true, levels: { select: levelSelect, orderBy: { position: "asc" } } },
    });
    if (policy) return policy;
  }
  return ensureDefaultPolicy(db, creditorId);
}
