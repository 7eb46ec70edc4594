import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/utils/db.server";

/** The staff audit trail (who, what, when), one row per account or team change. */

export const AUDIT_ACTIONS = [
  "auth.login",
  "auth.logout",
  "auth.reset_requested",
  "auth.reset_code_locked",
  "auth.password_reset",
  "account.password_changed",
  "account.sessions_revoked",
  "team.invitation_sent",
  "team.invitation_revoked",
  "team.invitation_accepted",
  "team.role_changed",
  "team.member_deactivated",
  "team.member_reactivated",
  "webhook.retried",
  "legal.rates_recorded",
  "email_wording.saved",
  "email_wording.reset",
  "dunning.enabled",
  "dunning.disabled",
  "debtor.credit_policy_changed",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export async function recordAudit(
  db: Db,
  e: {
    creditorId: string;
    actorUserId: string | null;
    action: AuditAction;
    targetType: "User" | "StaffInvitation" | "WebhookEvent" | "LegalRateRecord" | "EmailWording" | "Creditor" | "Debtor";
    targetId: string | null;
    meta?: Prisma.InputJsonValue;
    at: Date;
  },
) {
  return db.auditEvent.create({
    data: {
      creditorId: e.creditorId,
      actorUserId: e.actorUserId,
      action: e.action,
      targetType: e.targetType,
      targetId: e.targetId,
      meta: e.meta,
      createdAt: e.at,
    },
  });
}

export async function recentAuditEvents(db: Db, creditorId: string, take = 30) {
  return db.auditEvent.findMany({
    where: { creditorId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    include: { actor: { select: { name: true } } },
  });
}
