/** String unions mirroring the Prisma enums, so the domain imports nothing from the database layer. */
export type DunningChannel = "EMAIL" | "CALL_TASK" | "LETTER" | "HANDOFF";
export type Tone = "CORDIAL" | "STANDARD" | "FIRM";
export type PauseReason = "PAYMENT_PROCESSING" | "PLAN_REVIEW" | "PLAN_ACTIVE" | "DISPUTE" | "PROMISE" | "MANUAL";
export type InvoiceStatus = "OPEN" | "PARTIALLY_PAID" | "PAID" | "CANCELLED" | "WRITTEN_OFF";
export type DebtorKind = "BUSINESS" | "CONSUMER";
export type RiskSegment = "GOOD" | "STANDARD" | "LATE_PAYER";

export type DunningLevelSpec = {
  position: number;
  /** Days from the due date; negative = before it. */
  offsetDays: number;
  channel: DunningChannel;
  templateKey: string;
  tone?: Tone | null;
};
