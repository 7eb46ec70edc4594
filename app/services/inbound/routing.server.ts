import type { Db } from "~/utils/db.server";

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
 * (KnownSenderAddress), the email is linked to the debtor and written into its timeline, and the next
 * email from that address routes itself.
 */
export async function learnSenderAddress(
  db: Db,
  input: { creditorId: string; inboundEmailId: string; debtorId: string; actorId: string | null },
): Promise<{ communicationId: string; address: string | null }> {
  void db;
  void input;
  throw new Error("not implemented yet");
}
