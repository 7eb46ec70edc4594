import type { DunningEventType } from "~/domain/dunning/events";

/**
 * Statuses of the French e-invoice life cycle ("cycle de vie", AFNOR
 * XP Z12-012 and the DGFiP external specifications), as a plateforme agréée
 * reports them. Four must reach the administration: 200 Déposée, 210
 * Refusée, 212 Encaissée, 213 Rejetée. 212 is the seller's to emit — for
 * relance's creditors it is an output of the payment door, never an input.
 * Sources in docs/decisions/011-e-invoicing.md.
 */
export const LIFECYCLE_STATUSES = {
  200: { key: "DEPOSITED", mandatory: true, emitter: "platform" },
  201: { key: "ISSUED", mandatory: false, emitter: "platform" },
  202: { key: "RECEIVED", mandatory: false, emitter: "platform" },
  203: { key: "MADE_AVAILABLE", mandatory: false, emitter: "platform" },
  204: { key: "TAKEN_OVER", mandatory: false, emitter: "buyer" },
  205: { key: "APPROVED", mandatory: false, emitter: "buyer" },
  206: { key: "PARTIALLY_APPROVED", mandatory: false, emitter: "buyer" },
  207: { key: "DISPUTED", mandatory: false, emitter: "buyer" },
  208: { key: "SUSPENDED", mandatory: false, emitter: "buyer" },
  209: { key: "COMPLETED", mandatory: false, emitter: "seller" },
  210: { key: "REFUSED", mandatory: true, emitter: "buyer" },
  211: { key: "PAYMENT_SENT", mandatory: false, emitter: "buyer" },
  212: { key: "CASHED", mandatory: true, emitter: "seller" },
  213: { key: "REJECTED", mandatory: true, emitter: "platform" },
} as const satisfies Record<number, { key: string; mandatory: boolean; emitter: "platform" | "buyer" | "seller" }>;

export type LifecycleCode = keyof typeof LIFECYCLE_STATUSES;
export type LifecycleStatusKey = (typeof LIFECYCLE_STATUSES)[LifecycleCode]["key"];

/** Labels in the platforms' words (FR is the reference, EN for the back office in English). */
export const LIFECYCLE_LABELS: Readonly<Record<LifecycleStatusKey, { fr: string; en: string }>> = {
  DEPOSITED: { fr: "Déposée", en: "Submitted" },
  ISSUED: { fr: "Émise par la plateforme", en: "Issued by the platform" },
  RECEIVED: { fr: "Reçue par la plateforme", en: "Received by the platform" },
  MADE_AVAILABLE: { fr: "Mise à disposition", en: "Made available" },
  TAKEN_OVER: { fr: "Prise en charge", en: "Taken over" },
  APPROVED: { fr: "Approuvée", en: "Approved" },
  PARTIALLY_APPROVED: { fr: "Approuvée partiellement", en: "Partially approved" },
  DISPUTED: { fr: "En litige", en: "In dispute" },
  SUSPENDED: { fr: "Suspendue", en: "Suspended" },
  COMPLETED: { fr: "Complétée", en: "Completed" },
  REFUSED: { fr: "Refusée", en: "Refused" },
  PAYMENT_SENT: { fr: "Paiement transmis", en: "Payment sent" },
  CASHED: { fr: "Encaissée", en: "Payment received" },
  REJECTED: { fr: "Rejetée", en: "Rejected" },
};

export function isLifecycleCode(code: number | string): boolean {
  return Object.prototype.hasOwnProperty.call(LIFECYCLE_STATUSES, Number(code));
}

export function lifecycleLabel(code: LifecycleCode, locale: "fr" | "en"): string {
  return LIFECYCLE_LABELS[LIFECYCLE_STATUSES[code].key][locale];
}

/**
 * What a reported status does to the invoice's dunning. The effect names
 * the dunning event the service passes to `applyDunningEvent`, so the
 * lifecycle never moves dunning by another door.
 * - open_dispute: the buyer contests (207 en litige, 210 refusée): a dispute
 *   is opened and dunning pauses until it is resolved.
 * - pause: the buyer suspends (208, waiting for a document): a manual-style
 *   pause, lifted by a later status or a person.
 * - payment_pending: the buyer says it paid (211): like a payment in
 *   flight, dunning holds until the bank confirms or the safety end passes.
 * - stop_and_task: the platform rejected the invoice (213): it does not
 *   legally exist as issued, so reminders stop and someone must reissue it.
 * - record: everything else only goes on the timeline.
 */
export type LifecycleEffect =
  | { kind: "open_dispute"; event: Extract<DunningEventType, "DISPUTE_OPENED"> }
  | { kind: "pause"; event: Extract<DunningEventType, "MANUAL_PAUSE"> }
  | { kind: "payment_pending"; event: Extract<DunningEventType, "PAYMENT_PROCESSING"> }
  | { kind: "stop_and_task"; task: "reissue_invoice" }
  | { kind: "record" };

export function lifecycleEffect(code: LifecycleCode): LifecycleEffect {
  switch (code) {
    case 207:
    case 210:
      return { kind: "open_dispute", event: "DISPUTE_OPENED" };
    case 208:
      return { kind: "pause", event: "MANUAL_PAUSE" };
    case 211:
      return { kind: "payment_pending", event: "PAYMENT_PROCESSING" };
    case 213:
      return { kind: "stop_and_task", task: "reissue_invoice" };
    default:
      return { kind: "record" };
  }
}
