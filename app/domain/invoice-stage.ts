/**
 * Where an invoice stands, as the back-office says it: a settled invoice is
 * "Payée" (or cancelled, written off) whatever step its dunning had reached;
 * an open one waiting on the creditor's counter-offer says so; otherwise the
 * dunning step reached and any pause.
 */
export type InvoiceStage =
  | { kind: "settled"; status: "PAID" | "CANCELLED" | "WRITTEN_OFF" }
  | { kind: "counterOffer" }
  | { kind: "dunning"; level: number; templateKey: string | null; pauseReason: string | null; pausedUntil: Date | string | null };

export function invoiceStage(input: {
  status: string;
  level: number;
  templateKey: string | null;
  pauseReason: string | null;
  pausedUntil?: Date | string | null;
  counterOfferPending: boolean;
}): InvoiceStage {
  if (input.status === "PAID" || input.status === "CANCELLED" || input.status === "WRITTEN_OFF")
    return { kind: "settled", status: input.status };
  if (input.counterOfferPending) return { kind: "counterOffer" };
  return {
    kind: "dunning",
    level: input.level,
    templateKey: input.templateKey,
    pauseReason: input.pauseReason,
    pausedUntil: input.pausedUntil ?? null,
  };
}
