import { translate, type Locale, type MessageKey } from "./index";
import { fr } from "./fr";
import type { InvoiceStage } from "~/domain/invoice-stage";

/**
 * One labelling function per family of internal codes (trace event kinds,
 * reasons, dunning steps, tasks, documents): the back-office never prints a
 * code, and a code nobody labelled yet reads as a generic phrase, not as
 * `portal.something_new`. `hasLabel` tells the tests which codes are covered.
 */
const known = (key: string): key is MessageKey => Object.prototype.hasOwnProperty.call(fr, key);

function label(locale: Locale, key: string, fallback: MessageKey): string {
  return translate(locale, known(key) ? key : fallback);
}

/** What a trace row (Communication.kind) records. */
export const eventLabel = (locale: Locale, kind: string) => label(locale, `event.${kind}`, "event.unknown");

export const disputeReasonLabel = (locale: Locale, reason: string) => label(locale, `dispute.reason.${reason}`, "reason.unknown");
export const pauseReasonLabel = (locale: Locale, reason: string) => label(locale, `bo.pause.${reason}`, "reason.unknown");
export const callOutcomeLabel = (locale: Locale, outcome: string) => label(locale, `bo.outcome.${outcome}`, "reason.unknown");

/** A dunning step by its template key (`first_reminder` → "Première relance"); a custom step reads "Étape personnalisée". */
export const levelLabel = (locale: Locale, templateKey: string | null | undefined) =>
  label(locale, `bo.template.${templateKey ?? "other"}`, "bo.template.other");

/** Where an invoice stands (see invoiceStage): "Payée" for a paid invoice, never its last dunning step. */
export function stageLabel(locale: Locale, stage: InvoiceStage): string {
  if (stage.kind === "settled") return translate(locale, `bo.invoiceStatus.${stage.status}`);
  if (stage.kind === "counterOffer") return translate(locale, "stage.counterOffer");
  return stage.level < 0
    ? translate(locale, "bo.level.none")
    : translate(locale, "bo.level.n", { n: stage.level + 1, name: levelLabel(locale, stage.templateKey) });
}

export const taskKindLabel = (locale: Locale, kind: string) => label(locale, `taskKind.${kind}`, "taskKind.unknown");
export const taskStatusLabel = (locale: Locale, status: string) => label(locale, `taskStatus.${status}`, "taskStatus.unknown");
export const documentKindLabel = (locale: Locale, kind: string) => label(locale, `documentKind.${kind}`, "documentKind.unknown");
export const payerIdentityLabel = (locale: Locale, kind: string) => label(locale, `payerIdentity.${kind}`, "payerIdentity.unknown");

export const debtorKindLabel = (locale: Locale, kind: string) => label(locale, `bo.kind.${kind}`, "bo.debtor");

export type LabelFamily =
  | "event"
  | "debtorKind"
  | "disputeReason"
  | "pauseReason"
  | "callOutcome"
  | "level"
  | "taskKind"
  | "taskStatus"
  | "documentKind"
  | "payerIdentity";

const PREFIX: Record<LabelFamily, string> = {
  event: "event.",
  debtorKind: "bo.kind.",
  disputeReason: "dispute.reason.",
  pauseReason: "bo.pause.",
  callOutcome: "bo.outcome.",
  level: "bo.template.",
  taskKind: "taskKind.",
  taskStatus: "taskStatus.",
  documentKind: "documentKind.",
  payerIdentity: "payerIdentity.",
};

/** True when the code has its own label in this family (not the generic fallback). */
export const hasLabel = (family: LabelFamily, code: string) => known(`${PREFIX[family]}${code}`);
