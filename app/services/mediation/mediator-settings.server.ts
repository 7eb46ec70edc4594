import { parseMediatorForm, type MediatorFormField } from "~/domain/mediation/mediator";
import type { Db } from "~/utils/db.server";

/** The settings page's consumer mediator (C. conso. L612-1, L616-1): read and saved for the staff member's creditor only. */
export async function readConsumerMediator(db: Db, creditorId: string) {
  const c = await db.creditor.findUniqueOrThrow({
    where: { id: creditorId },
    select: { consumerMediatorName: true, consumerMediatorUrl: true, consumerMediatorAddr: true },
  });
  return { name: c.consumerMediatorName ?? "", url: c.consumerMediatorUrl ?? "", address: c.consumerMediatorAddr ?? "" };
}

export type MediatorSaveResult = {
  saved: boolean;
  fieldErrors: Partial<Record<MediatorFormField, string>>;
  values: { name: string; url: string; address: string };
};

export async function saveConsumerMediator(db: Db, creditorId: string, form: FormData): Promise<MediatorSaveResult> {
  const values = { name: String(form.get("name") ?? ""), url: String(form.get("url") ?? ""), address: String(form.get("address") ?? "") };
  const parsed = parseMediatorForm(values);
  if (!parsed.ok) return { saved: false, fieldErrors: parsed.fieldErrors, values };
  await db.creditor.update({ where: { id: creditorId }, data: parsed.value });
  return { saved: true, fieldErrors: {}, values };
}
