import { DEFAULT_POLICY_LEVELS, type DunningLevelSpec } from "~/domain/dunning";
import type { Db } from "~/utils/db.server";
import type { Actor } from "./invoice-events.server";
import { rescheduleInvoices } from "./reschedule.server";

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

/** The creditor's policies for the editor: which is the default and how many debtors follow each (the default also counts debtors with none assigned). */
export async function listPolicies(db: Db, creditorId: string) {
  await ensureDefaultPolicy(db, creditorId);
  const [policies, unassigned] = await Promise.all([
    db.dunningPolicy.findMany({
      where: { creditorId },
      select: { id: true, name: true, isDefault: true, _count: { select: { debtors: true, levels: true } } },
      orderBy: [{ isDefault: "desc" }, { name: "asc" }],
    }),
    db.debtor.count({ where: { creditorId, policyId: null } }),
  ]);
  return policies.map((p) => ({
    id: p.id,
    name: p.name,
    isDefault: p.isDefault,
    levels: p._count.levels,
    debtors: p._count.debtors + (p.isDefault ? unassigned : 0),
  }));
}

export class PolicyNotFound extends Error {
  constructor() {
    super("Policy not found");
    this.name = "PolicyNotFound";
  }
}

export type PolicyRefusal = "in_use" | "is_default" | "name_taken";
export class PolicyRefused extends Error {
  constructor(public readonly code: PolicyRefusal) {
    super(`Policy change refused: ${code}`);
    this.name = "PolicyRefused";
  }
}

/** One policy of this creditor with its levels; PolicyNotFound for another creditor's id. */
export async function getPolicy(db: Db, creditorId: string, policyId: string) {
  const policy = await db.dunningPolicy.findFirst({
    where: { id: policyId, creditorId },
    select: { id: true, name: true, isDefault: true, levels: { select: levelSelect, orderBy: { position: "asc" } } },
  });
  if (!policy) throw new PolicyNotFound();
  return policy;
}

async function nameFree(db: Db, creditorId: string, name: string, exceptId?: string) {
  const clash = await db.dunningPolicy.findFirst({
    where: { creditorId, name, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { id: true },
  });
  if (clash) throw new PolicyRefused("name_taken");
}

/** A new policy: a copy of `fromPolicyId` (duplicate) or of the French calendar. */
export async function createPolicy(db: Db, creditorId: string, name: string, fromPolicyId?: string) {
  await nameFree(db, creditorId, name);
  const levels = fromPolicyId ? (await getPolicy(db, creditorId, fromPolicyId)).levels : DEFAULT_POLICY_LEVELS;
  return db.dunningPolicy.create({
    data: { creditorId, name, levels: { create: levels.map((l) => ({ ...l, tone: l.tone ?? "STANDARD", creditorId })) } },
    select: { id: true },
  });
}

/** A copy of a policy, named "<name> (2)", "(3)"… (names are unique per creditor and carry no language). */
export async function duplicatePolicy(db: Db, creditorId: string, policyId: string) {
  const source = await getPolicy(db, creditorId, policyId);
  const taken = new Set(
    (await db.dunningPolicy.findMany({ where: { creditorId, name: { startsWith: source.name } }, select: { name: true } })).map(
      (p) => p.name,
    ),
  );
  let n = 2;
  while (taken.has(`${source.name} (${n})`)) n++;
  return createPolicy(db, creditorId, `${source.name} (${n})`, source.id);
}

/** Deletes a policy nobody uses: not the default, no debtor assigned, no invoice following it. */
export async function deletePolicy(db: Db, creditorId: string, policyId: string) {
  const policy = await getPolicy(db, creditorId, policyId);
  if (policy.isDefault) throw new PolicyRefused("is_default");
  const [debtors, states] = await Promise.all([
    db.debtor.count({ where: { creditorId, policyId } }),
    db.dunningState.count({ where: { creditorId, policyId } }),
  ]);
  if (debtors + states > 0) throw new PolicyRefused("in_use");
  await db.dunningPolicy.deleteMany({ where: { id: policyId, creditorId } });
}

/** Makes a policy the default: debtors with no policy of their own follow it for their new invoices. */
export async function setDefaultPolicy(db: Db, creditorId: string, policyId: string) {
  await getPolicy(db, creditorId, policyId);
  await db.dunningPolicy.updateMany({ where: { creditorId, isDefault: true, id: { not: policyId } }, data: { isDefault: false } });
  await db.dunningPolicy.updateMany({ where: { creditorId, id: policyId }, data: { isDefault: true } });
}

/** The open invoices that follow this policy (their dunning state points at it). */
export async function openInvoicesOnPolicy(db: Db, creditorId: string, policyId: string) {
  const rows = await db.dunningState.findMany({
    where: { creditorId, policyId, invoice: { status: { in: ["OPEN", "PARTIALLY_PAID"] } } },
    select: { invoiceId: true },
  });
  return rows.map((r) => r.invoiceId);
}

/**
 * Replaces a policy's levels (already checked with validatePolicy) and moves
 * the open invoices following it onto the new calendar through
 * rescheduleInvoices, which writes their trace rows. Run it in a transaction.
 */
export async function replacePolicyLevels(
  db: Db,
  input: { creditorId: string; policyId: string; name?: string; levels: readonly DunningLevelSpec[]; now: Date; actor: Actor },
) {
  const { creditorId, policyId } = input;
  const before = await getPolicy(db, creditorId, policyId);
  if (input.name !== undefined && input.name !== before.name) {
    await nameFree(db, creditorId, input.name, policyId);
    await db.dunningPolicy.updateMany({ where: { id: policyId, creditorId }, data: { name: input.name } });
  }
  await db.dunningLevel.deleteMany({ where: { policyId, creditorId } });
  await db.dunningLevel.createMany({
    data: input.levels.map((l, position) => ({ ...l, position, tone: l.tone ?? "STANDARD", creditorId, policyId })),
  });
  return rescheduleInvoices(db, {
    creditorId,
    invoiceIds: await openInvoicesOnPolicy(db, creditorId, policyId),
    now: input.now,
    actor: input.actor,
    reason: "policy",
    previousLevels: before.levels,
  });
}
