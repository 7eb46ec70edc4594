import { isMediationOutcome } from "~/domain/mediation/mediator";
import type { MessageKey } from "~/i18n";
import type { Db } from "~/utils/db.server";
import type { Actor } from "../dunning/invoice-events.server";
import { endMediation, MediationError, startMediation } from "./mediation.server";

/** What the debtor page's mediation forms re-render with after a refusal: the words, the field, the typed values. */
export type MediationRefusal = {
  form: "start" | "end";
  error: MessageKey;
  field: "invoices" | "confirm" | "note" | "outcome" | null;
  values: { invoiceIds: string[]; note: string; outcome: string };
};

export class MediationNotFound extends Error {}

/**
 * The debtor page's two forms: "hand to mediation" (invoices, note, the
 * confirmation ticked) and "record the outcome" (outcome, note). Scoped to
 * the creditor and to the debtor of the page; another's mediation is a 404.
 */
export async function mediationFormAction(
  db: Db,
  input: { creditorId: string; debtorId: string; intent: "mediation-start" | "mediation-end"; form: FormData; actor: Actor; now: Date },
): Promise<{ ok: true; done: "mediation" | "mediation-ended" } | { ok: false; refusal: MediationRefusal }> {
  const { form, creditorId, debtorId } = input;
  const values = {
    invoiceIds: form.getAll("invoiceId").map(String),
    note: String(form.get("note") ?? ""),
    outcome: String(form.get("outcome") ?? ""),
  };
  const refuse = (f: MediationRefusal["form"], error: MessageKey, field: MediationRefusal["field"]) => ({
    ok: false as const,
    refusal: { form: f, error, field, values },
  });
  if (input.intent === "mediation-start") {
    if (values.invoiceIds.length === 0) return refuse("start", "mediation.error.no_invoices", "invoices");
    if (form.get("confirm") !== "on") return refuse("start", "mediation.error.confirm", "confirm");
    try {
      await startMediation(db, {
        creditorId,
        debtorId,
        invoiceIds: values.invoiceIds,
        note: values.note,
        actor: input.actor,
        now: input.now,
      });
      return { ok: true, done: "mediation" };
    } catch (error) {
      if (error instanceof MediationError && error.code === "not_found") throw new MediationNotFound();
      if (error instanceof MediationError)
        return refuse("start", `mediation.error.${error.code}` as MessageKey, error.code === "no_invoices" ? "invoices" : null);
      throw error;
    }
  }
  const mediationId = String(form.get("mediationId") ?? "");
  const own = await db.mediation.findFirst({ where: { id: mediationId, creditorId, debtorId }, select: { id: true } });
  if (!own) throw new MediationNotFound();
  if (!isMediationOutcome(values.outcome)) return refuse("end", "mediation.error.outcome", "outcome");
  if (!values.note.trim()) return refuse("end", "mediation.error.note", "note");
  try {
    await endMediation(db, { creditorId, mediationId, outcome: values.outcome, note: values.note, actor: input.actor, now: input.now });
    return { ok: true, done: "mediation-ended" };
  } catch (error) {
    if (error instanceof MediationError) return refuse("end", `mediation.error.${error.code}` as MessageKey, null);
    throw error;
  }
}
