import type { Db } from "~/utils/db.server";
import type { PortalIdentity } from "~/utils/portal-session.server";

/**
 * The debtor's promise to pay this invoice that still holds (not yet kept,
 * broken or replaced), or null. While one holds, the portal repeats its date
 * and amount instead of offering to promise again.
 */
export async function holdingPromise(db: Db, identity: PortalIdentity, invoiceId: string) {
  return db.promiseToPay.findFirst({
    where: { creditorId: identity.creditorId, debtorId: identity.debtorId, invoiceId, status: "PENDING" },
    orderBy: { createdAt: "desc" },
    select: { id: true, promisedAt: true, amount: true, currency: true },
  });
}
