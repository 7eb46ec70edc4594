import type { Clock } from "~/domain/clock";
import type { Db } from "~/utils/db.server";

export type ProcessOutcome = { status: "PROCESSED" | "UNROUTED" | "FAILED" | "SKIPPED"; communicationId: string | null };

/**
 * Reads one received email in the worker: parse, route, classify, clean, understand, write the trace
 * and, for a human reply, pause the chase and suggest what to do.
 */
export async function processInboundEmail(db: Db, inboundEmailId: string, clock: Clock): Promise<ProcessOutcome> {
  void db;
  void inboundEmailId;
  void clock;
  throw new Error("not implemented yet");
}
