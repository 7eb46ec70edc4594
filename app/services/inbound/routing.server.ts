import { systemClock, type Clock } from "~/domain/clock";
import type { Db } from "~/utils/db.server";
import { processInboundEmail } from "./process.server";

export class LearnSenderError extends Error {
  constructor(
    public readonly code: "not_found" | "debtor_not_found" | "already_routed",
    message: string,
  ) {
    super(message);
    this.name = "LearnSenderError";
  }
}

/**
 * Staff assign an unrouted email (unknown sender) to a debtor once: the sender's address is learned
 * (KnownSenderAddress, so the next email from it routes itself by ADDRESS), and the email is read as
 * if it had been routed (routedBy STAFF): its timeline entry is written, the chase waits for its answer
 * and its suggestion appears. Scoped to the creditor; an email already routed is refused.
 */
export async function learnSenderAddress(
  db: Db,
  input: { creditorId: string; inboundEmailId: string; debtorId: string; actorId: string | null; clock?: Clock },
): Promise<{ communicationId: string | null; address: string | null }> {
  const clock = input.clock ?? systemClock;
  const email = await db.inboundEmail.findFirst({
    where: { id: input.inboundEmailId, creditorId: input.creditorId },
    select: { id: true, status: true, fromAddress: true },
  });
  if (!email) throw new LearnSenderError("not_found", "No such email for this creditor.");
  if (email.status !== "UNROUTED") throw new LearnSenderError("already_routed", "This email is already linked to a customer.");
  const debtor = await db.debtor.findFirst({ where: { id: input.debtorId, creditorId: input.creditorId }, select: { id: true } });
  if (!debtor) throw new LearnSenderError("debtor_not_found", "No such customer for this creditor.");

  const address = email.fromAddress?.trim().toLowerCase() || null;
  if (address) {
    await db.knownSenderAddress.upsert({
      where: { creditorId_address: { creditorId: input.creditorId, address } },
      create: { creditorId: input.creditorId, address, debtorId: debtor.id, learnedById: input.actorId },
      update: { debtorId: debtor.id, learnedById: input.actorId },
    });
  }
  // Back to the queue's state, guarded: of two staff assigning at once, one wins.
  const reopened = await db.inboundEmail.updateMany({
    where: { id: email.id, creditorId: input.creditorId, status: "UNROUTED" },
    data: { status: "RECEIVED", handledById: input.actorId },
  });
  if (reopened.count !== 1) throw new LearnSenderError("already_routed", "This email is already linked to a customer.");
  const outcome = await processInboundEmail(db, email.id, clock, {
    route: {
      found: true,
      by: "STAFF",
      detail: address ?? "",
      creditorId: input.creditorId,
      debtorId: debtor.id,
      communicationId: null,
      invoiceId: null,
    },
  });
  return { communicationId: outcome.communicationId, address };
}
