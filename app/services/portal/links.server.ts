import crypto from "node:crypto";
import type { Clock } from "~/domain/clock";
import { addDays } from "~/domain/clock";
import type { Db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { signPortalToken } from "~/utils/portal-token.server";

/**
 * Issues a signed magic link for one debtor. The one function every reminder,
 * CLI and back-office action uses to build a portal URL.
 */
export async function issuePortalLink(
  db: Db,
  debtor: { id: string; creditorId: string },
  /** `select`: invoices the portal opens already selected for payment (those a reminder lists). */
  opts: { clock: Clock; expiresInDays?: number; select?: string[] },
): Promise<{ url: string; token: string; expiresAt: Date }> {
  const env = getEnv();
  const creditor = await db.creditor.findUniqueOrThrow({
    where: { id: debtor.creditorId },
    select: { portalLinkDays: true },
  });
  const now = opts.clock.now();
  const expiresAt = addDays(now, opts.expiresInDays ?? creditor.portalLinkDays);
  const jti = crypto.randomUUID();
  await db.accessLink.create({ data: { jti, creditorId: debtor.creditorId, debtorId: debtor.id, expiresAt } });
  const token = await signPortalToken(env.PORTAL_TOKEN_SECRET, { debtorId: debtor.id, creditorId: debtor.creditorId, jti, expiresAt });
  const select = (opts.select ?? []).slice(0, MAX_SELECTED);
  const query = select.length > 0 ? `?select=${select.map(encodeURIComponent).join(",")}` : "";
  return { url: `${env.APP_URL}/p/${token}${query}`, token, expiresAt };
}

export const MAX_SELECTED = 20;

/** The invoice ids a link's `?select=` names (ids only: the pay page shows only the debtor's own open invoices). */
export function selectedInvoices(url: URL): string[] {
  const raw = url.searchParams.get("select") ?? "";
  return [...new Set(raw.split(",").filter((id) => /^[A-Za-z0-9_-]{1,64}$/.test(id)))].slice(0, MAX_SELECTED);
}
