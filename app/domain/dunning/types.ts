/** String unions mirroring the Prisma enums, so the domain imports nothing from the database layer. */
export type DunningChannel = "EMAIL" | "CALL_TASK" | "LETTER" | "HANDOFF" | "SMS" | "MEDIATION";
export type Tone = "CORDIAL" | "STANDARD" | "FIRM";
export type PauseReason =
  "PAYMENT_PROCESSING" | "PLAN_REVIEW" | "PLAN_ACTIVE" | "DISPUTE" | "PROMISE" | "MANUAL" | "AWAITING_ANSWER" | "INSOLVENCY" | "MEDIATION";
export type InvoiceStatus = "OPEN" | "PARTIALLY_PAID" | "PAID" | "CANCELLED" | "WRITTEN_OFF";
export type DebtorKind = "BUSINESS" | "CONSUMER";
export type RiskSegment = "GOOD" | "STANDARD" | "LATE_PAYER";

/** One step of a dunning policy (a `DunningLevel` row without its ids). */
export type DunningLevelSpec = {
  /** 0..n-1 in offset order (validatePolicy renumbers). */
  position: number;
  /** Calendar days from the due date; negative = before it (J-8 is -8). */
  offsetDays: number;
  channel: DunningChannel;
  templateKey: string;
  /** The policy's base tone; the debtor's segment shifts it (see toneFor). */
  tone?: Tone | null;
};
