import { letterProfileGaps, type LetterProfileField } from "~/domain/letter-profile";
import type { RateTableName, SemesterKey } from "~/domain/legal/rates";
import { senderDomain, verifySenderDomain, type SenderDomainCheck } from "~/providers/email.server";
import { verifyGoCardlessCreditor, type GoCardlessCreditorCheck } from "~/providers/gocardless.server";
import { verifySmsAccount, type SmsAccountCheck } from "~/providers/sms.server";
import { verifyStripeAccount, type StripeAccountCheck } from "~/providers/stripe.server";
import type { Db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { singleton } from "~/utils/singleton.server";
import { recordAudit } from "../accounts/audit.server";
import { missingRates } from "../legal/rates.server";
import { consumerMediatorOf } from "~/domain/mediation/mediator";

/**
 * The go-live checklist (/app/setup): what a creditor must have in place
 * before its owner switches dunning on. Each item is either done, in demo
 * mode (the provider is answered by the local sandbox: nothing real leaves),
 * or to do with what is missing; the page says it in words and links to
 * where it is done. Provider keys are verified by a real call to the
 * provider, cached briefly so the page stays fast.
 */
export type ItemState = "done" | "todo" | "demo";
export type Provider = "stripe" | "gocardless" | "resend";

export type ChecklistItem =
  | { key: "profile"; state: ItemState; missing: LetterProfileField[] }
  | { key: "stripe"; state: ItemState; check: StripeAccountCheck | null }
  | { key: "gocardless"; state: ItemState; check: GoCardlessCreditorCheck | null }
  | { key: "resend"; state: ItemState; check: SenderDomainCheck | null; domain: string }
  /** Only while a policy in use has an SMS level: Twilio's record of the account the keys open. */
  | { key: "sms"; state: ItemState; check: SmsAccountCheck | null }
  | { key: "webhook"; provider: Provider; state: ItemState; lastEventAt: Date | null; endpoint: string }
  | {
      key: "policy";
      state: ItemState;
      policies: { id: string; name: string; isDefault: boolean; simulatedAt: Date | null; simulatedBy: string | null }[];
    }
  | { key: "rates"; state: ItemState; semester: SemesterKey; missing: RateTableName[] }
  /** Blocking while the creditor has consumer debtors and names no consumer mediator (C. conso. L612-1): dunning cannot be switched on. */
  | { key: "mediator"; state: ItemState; consumers: number; name: string | null };

export type GoLiveChecklist = {
  items: ChecklistItem[];
  /** Items still to do (demo mode is not counted: it is a choice, shown as such). */
  todo: number;
  dunning: { enabled: boolean; changedAt: Date | null; changedBy: string | null };
};

const PROVIDER_ENUM = { stripe: "STRIPE", gocardless: "GOCARDLESS", resend: "RESEND" } as const;

export async function goLiveChecklist(db: Db, creditorId: string, now: Date): Promise<GoLiveChecklist> {
  const env = getEnv();
  const [creditor, policies, rates, webhooks, providers, dunning, sms] = await Promise.all([
    db.creditor.findUniqueOrThrow({
      where: { id: creditorId },
      select: { legalName: true, siren: true, addressLine1: true, postalCode: true, city: true, dunningEnabled: true },
    }),
    policiesInUse(db, creditorId),
    missingRates(db, creditorId, now),
    Promise.all((Object.keys(PROVIDER_ENUM) as Provider[]).map((provider) => lastVerifiedEvent(db, creditorId, provider))),
    checkProviders(env.mocks),
    dunningSwitch(db, creditorId),
    smsItem(db, creditorId, env.mocks.sms),
  ]);

  const missing = letterProfileGaps(creditor);
  const items: ChecklistItem[] = [
    { key: "profile", state: missing.length === 0 ? "done" : "todo", missing },
    providers.stripe,
    providers.gocardless,
    providers.resend,
    ...(sms ? [sms] : []),
    ...(Object.keys(PROVIDER_ENUM) as Provider[]).map((provider, i): ChecklistItem => ({
      key: "webhook",
      provider,
      // A mocked provider's events come from the local sandbox, signed with the local secret: nothing to set up.
      state: env.mocks[provider] ? "demo" : webhooks[i] ? "done" : "todo",
      lastEventAt: webhooks[i] ?? null,
      endpoint: `${env.APP_URL}/webhooks/${provider}`,
    })),
    { key: "policy", state: policies.every((p) => p.simulatedAt) ? "done" : "todo", policies },
    { key: "rates", state: rates.tables.length === 0 ? "done" : "todo", semester: rates.semester, missing: rates.tables },
    await consumerMediatorItem(db, creditorId),
  ];
  return { items, todo: items.filter((i) => i.state === "todo").length, dunning: { enabled: creditor.dunningEnabled, ...dunning } };
}

/** The default policy and every policy a debtor follows: each must have been simulated at least once. */
async function policiesInUse(db: Db, creditorId: string) {
  const rows = await db.dunningPolicy.findMany({
    where: { creditorId, OR: [{ isDefault: true }, { debtors: { some: {} } }] },
    orderBy: [{ isDefault: "desc" }, { name: "asc" }],
    select: { id: true, name: true, isDefault: true, simulatedAt: true, simulatedById: true },
  });
  const ids = rows.map((r) => r.simulatedById).filter((id): id is string => !!id);
  const users = ids.length ? await db.user.findMany({ where: { creditorId, id: { in: ids } }, select: { id: true, name: true } }) : [];
  return rows.map(({ simulatedById, ...p }) => ({ ...p, simulatedBy: users.find((u) => u.id === simulatedById)?.name ?? null }));
}

/**
 * The endpoint of a provider is one per installation: an event stored proves it was received and its
 * signature verified (a bad signature is refused and never stored). Counted: this creditor's events and
 * those naming no creditor (a test event sent from the provider's dashboard); never another creditor's.
 */
async function lastVerifiedEvent(db: Db, creditorId: string, provider: Provider): Promise<Date | null> {
  const event = await db.webhookEvent.findFirst({
    where: { provider: PROVIDER_ENUM[provider], OR: [{ creditorId }, { creditorId: null }] },
    orderBy: { receivedAt: "desc" },
    select: { receivedAt: true },
  });
  return event?.receivedAt ?? null;
}

async function dunningSwitch(db: Db, creditorId: string) {
  const last = await db.auditEvent.findFirst({
    where: { creditorId, action: { in: ["dunning.enabled", "dunning.disabled"] } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    include: { actor: { select: { name: true } } },
  });
  return { changedAt: last?.createdAt ?? null, changedBy: last?.actor?.name ?? null };
}

/** A verified key is trusted for 5 minutes, a refusal for 30 seconds (so a fixed key shows up quickly). */
const CACHE_OK_MS = 5 * 60_000;
const CACHE_FAILED_MS = 30_000;
type Cached = { until: number; value: ChecklistItem };
const cache = () => singleton("golive-provider-checks", () => new Map<Provider | "sms", Cached>());

/** "Check again" on the page: the next load calls the providers afresh. */
export function forgetProviderChecks() {
  cache().clear();
}

async function cached(provider: Provider | "sms", run: () => Promise<{ item: ChecklistItem; ok: boolean }>): Promise<ChecklistItem> {
  const hit = cache().get(provider);
  if (hit && hit.until > Date.now()) return hit.value;
  const { item, ok } = await run();
  cache().set(provider, { until: Date.now() + (ok ? CACHE_OK_MS : CACHE_FAILED_MS), value: item });
  return item;
}

async function checkProviders(mocks: Record<Provider, boolean>) {
  const domain = senderDomain();
  const [stripe, gocardless, resend] = await Promise.all([
    mocks.stripe
      ? ({ key: "stripe", state: "demo", check: null } as const)
      : cached("stripe", async () => {
          const check = await verifyStripeAccount();
          const state = check.ok && !check.testKey && check.chargesEnabled ? "done" : "todo";
          return { item: { key: "stripe", state, check }, ok: check.ok };
        }),
    mocks.gocardless
      ? ({ key: "gocardless", state: "demo", check: null } as const)
      : cached("gocardless", async () => {
          const check = await verifyGoCardlessCreditor();
          const state = check.ok && !check.sandbox && check.verificationStatus === "successful" ? "done" : "todo";
          return { item: { key: "gocardless", state, check }, ok: check.ok };
        }),
    mocks.resend
      ? ({ key: "resend", state: "demo", check: null, domain } as const)
      : cached("resend", async () => {
          const check = await verifySenderDomain();
          const state = check.ok && check.found && check.status === "verified" ? "done" : "todo";
          return { item: { key: "resend", state, check, domain: check.domain }, ok: check.ok };
        }),
  ]);
  return { stripe, gocardless, resend };
}

/** SMS levels send through Twilio: checked only once a policy in use has one (null: no item). */
async function smsItem(db: Db, creditorId: string, mocked: boolean): Promise<ChecklistItem | null> {
  const levels = await db.dunningLevel.count({
    where: { creditorId, channel: "SMS", policy: { OR: [{ isDefault: true }, { debtors: { some: {} } }] } },
  });
  if (levels === 0) return null;
  if (mocked) return { key: "sms", state: "demo", check: null };
  return cached("sms", async () => {
    const check = await verifySmsAccount();
    const state = check.ok && check.status === "active" && !check.trial ? "done" : "todo";
    return { item: { key: "sms", state, check }, ok: check.ok };
  });
}

/** Consumers are owed the name of a consumer mediator before anyone chases them (C. conso. L612-1, L616-1). */
async function consumerMediatorItem(db: Db, creditorId: string): Promise<ChecklistItem> {
  const [consumers, creditor] = await Promise.all([
    db.debtor.count({ where: { creditorId, kind: "CONSUMER" } }),
    db.creditor.findUniqueOrThrow({
      where: { id: creditorId },
      select: { consumerMediatorName: true, consumerMediatorUrl: true, consumerMediatorAddr: true },
    }),
  ]);
  const mediator = consumerMediatorOf(creditor);
  return { key: "mediator", state: mediator || consumers === 0 ? "done" : "todo", consumers, name: mediator?.name ?? null };
}

/**
 * The owner's switch: audited; the engine (tick and sender) reads Creditor.dunningEnabled.
 * Refused (blocked: "mediator") while consumer debtors have no consumer mediator to turn to.
 */
export async function setDunningEnabled(
  db: Db,
  input: { creditorId: string; userId: string; enabled: boolean; at: Date },
): Promise<{ blocked: "mediator" } | null> {
  if (input.enabled && (await consumerMediatorItem(db, input.creditorId)).state === "todo") return { blocked: "mediator" };
  await db.$transaction(async (tx) => {
    const { count } = await tx.creditor.updateMany({
      where: { id: input.creditorId, dunningEnabled: !input.enabled },
      data: input.enabled ? { dunningEnabled: true, dunningEnabledAt: input.at } : { dunningEnabled: false },
    });
    // Pressing the button twice (two tabs, a resubmitted form) changes nothing and records nothing.
    if (count === 0) return;
    await recordAudit(tx, {
      creditorId: input.creditorId,
      actorUserId: input.userId,
      action: input.enabled ? "dunning.enabled" : "dunning.disabled",
      targetType: "Creditor",
      targetId: input.creditorId,
      at: input.at,
    });
  });
  return null;
}

/** The go-live checklist's "policy reviewed and simulated": the last simulation of a policy, and who ran it. */
export async function recordPolicySimulation(db: Db, input: { creditorId: string; policyId: string; userId: string; at: Date }) {
  await db.dunningPolicy.updateMany({
    where: { id: input.policyId, creditorId: input.creditorId },
    data: { simulatedAt: input.at, simulatedById: input.userId },
  });
}
