import { mediatorLine } from "~/domain/mediation/mediator";
import { ensureSpace, paragraph, type Doc, type T } from "./layout";
import type { CreditorIdentity } from "./types";

/**
 * The consumer mediator's mention (C. conso. L616-1, R616-1: name and website
 * or address) at the end of a document to a consumer. The services set
 * `consumerMediator` only for consumer debtors, so a business's letter has none.
 */
export function mediatorMention(doc: Doc, creditor: CreditorIdentity, t: T) {
  if (!creditor.consumerMediator) return;
  // Kept whole on one page: a mention cut by a page break reads as two fragments.
  ensureSpace(doc, 40);
  doc.moveDown(0.6);
  paragraph(doc, t("mediation.mention", { mediator: mediatorLine(creditor.consumerMediator) }), { muted: true, size: 8.5 });
}
