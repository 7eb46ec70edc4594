import { formatMoney } from "~/domain/money";
import { fitSms, nextSmsOpening, normalizePhone, smsReachable, type SmsWindow } from "~/domain/sms";
import type { Clock } from "~/domain/clock";
import { makeT, type Locale } from "~/i18n";
import { levelLabel } from "~/i18n/labels";
import { sendSms, smsCallbackUrl } from "~/providers/sms.server";
import type { Db } from "~/utils/db.server";
import { communicationIdFor } from "../inbound/reply-address.server";
import { debtorClaim } from "../legal/claim.server";
import { recordCommunication } from "./communications.server";
import { issueShortPortalLink } from "./short-links.server";

/**
 * The SMS sender (decision 026), called by the outbox for a group of SMS rows (one debtor, one level,
 * one day). In order: a debtor who said STOP is skipped (traced once); a number that cannot take an
 * SMS gives staff a FIND_CONTACT task; outside the creditor's sending hours the group is held until
 * the next opening (nothing sent); inside, one SMS with a short portal link.
 *
 * Never twice: the trace row is written (QUEUED) before the provider is called, and a group that has
 * one not FAILED is not sent again — a worker killed mid-call leaves it QUEUED, and Twilio's status
 * callback, which names that row (`?c=`), settles it. A refused attempt is marked FAILED and retried.
 */
export type SmsGroupRow = { creditorId: string; debtorId: string; groupKey: string; templateKey: string; attempts: number };
export type SmsOutcome = { emails: 0; tasks: number; holdUntil?: Date; retry?: { retryable: boolean; message: string } };

type DebtorForSms = {
  id: string;
  creditorId: string;
  name: string;
  phone: string | null;
  country: string;
  locale: Locale;
  smsOptOutAt: Date | null;
};
type InvoiceForSms = { id: string; number: string };

export async function sendSmsReminder(
  db: Db,
  rows: SmsGroupRow[],
  debtor: DebtorForSms,
  invoices: InvoiceForSms[],
  clock: Clock,
): Promise<SmsOutcome> {
  const first = rows[0]!;
  const { creditorId } = first;
  const now = clock.now();

  if (debtor.smsOptOutAt) {
    await recordCommunication(db, {
      id: communicationIdFor(`${first.groupKey}:sms-opted-out`),
      creditorId,
      debtorId: debtor.id,
      invoiceId: invoices.length === 1 ? invoices[0]!.id : null,
      direction: "OUT",
      channel: "SYSTEM",
      kind: "sms.skipped_opt_out",
      subject: `SMS non envoyé : ${debtor.name} a demandé à ne plus recevoir de SMS (STOP)`,
      actorType: "SYSTEM",
      data: { groupKey: first.groupKey, invoiceIds: invoices.map((i) => i.id) },
      occurredAt: now,
    });
    return { emails: 0, tasks: 0 };
  }

  const phone = normalizePhone(debtor.phone, debtor.country);
  if (!phone || !smsReachable(phone)) {
    const made = await createContactTask(db, {
      creditorId,
      debtorId: debtor.id,
      invoiceId: invoices[0]!.id,
      sourceKey: `${first.groupKey}:find-phone`,
      title: `Numéro de mobile manquant ou invalide — ${debtor.name}`,
      details: `Le SMS « ${levelLabel("fr", first.templateKey)} » n'a pas pu partir : ${debtor.phone ? `le numéro « ${debtor.phone} » n'est pas un mobile valide` : "aucun numéro enregistré"}. Factures : ${invoices.map((i) => i.number).join(", ")}.`,
      now,
    });
    return { emails: 0, tasks: made ? 1 : 0 };
  }

  const creditor = await db.creditor.findUniqueOrThrow({ where: { id: creditorId } });
  const window: SmsWindow = { start: creditor.smsWindowStart, end: creditor.smsWindowEnd, days: creditor.smsDays };
  const opening = nextSmsOpening(creditor.timeZone, now, window);
  if (opening.getTime() > now.getTime()) return { emails: 0, tasks: 0, holdUntil: opening };

  // Sent already, or in doubt after a crash mid-call: its status callback will tell.
  const earlier = await db.communication.findFirst({
    where: {
      creditorId,
      debtorId: debtor.id,
      kind: "dunning.sms",
      deliveryStatus: { not: "FAILED" },
      data: { path: ["groupKey"], equals: first.groupKey },
    },
    select: { id: true },
  });
  if (earlier) return { emails: 0, tasks: 0 };

  const { claim } = await debtorClaim(db, { creditorId, debtorId: debtor.id, now, invoiceIds: invoices.map((i) => i.id) });
  const link = await issueShortPortalLink(db, debtor, { clock, select: invoices.map((i) => i.id) });
  const { body, segments } = smsBody(debtor.locale, {
    creditor: creditor.brandName ?? creditor.legalName,
    amount: formatMoney(claim.principal, claim.currency, debtor.locale),
    invoices: invoices.map((i) => i.number),
    link: link.url,
  });
  const attempt = Math.max(...rows.map((r) => r.attempts));
  const trace = await recordCommunication(db, {
    id: communicationIdFor(`${first.groupKey}:sms:${attempt}`),
    creditorId,
    debtorId: debtor.id,
    invoiceId: invoices.length === 1 ? invoices[0]!.id : null,
    direction: "OUT",
    channel: "SMS",
    kind: "dunning.sms",
    templateKey: first.templateKey,
    bodyText: body,
    recipient: phone,
    deliveryStatus: "QUEUED",
    actorType: "SYSTEM",
    data: { groupKey: first.groupKey, invoiceIds: invoices.map((i) => i.id), segments },
    occurredAt: now,
  });
  const result = await sendSms({ to: phone, body, statusCallback: smsCallbackUrl({ c: trace.id }) });
  if (result.ok) {
    await db.communication.update({
      where: { id: trace.id },
      data: { providerMessageId: result.providerMessageId, deliveryStatus: "SENT" },
    });
    return { emails: 0, tasks: 0 };
  }
  await db.communication.update({ where: { id: trace.id }, data: { deliveryStatus: "FAILED" } });
  if (result.reason === "opted_out") {
    await db.debtor.updateMany({ where: { id: debtor.id, creditorId, smsOptOutAt: null }, data: { smsOptOutAt: now } });
    return { emails: 0, tasks: 0 };
  }
  if (result.reason === "bad_number") {
    const made = await createContactTask(db, {
      creditorId,
      debtorId: debtor.id,
      invoiceId: invoices[0]!.id,
      sourceKey: `${first.groupKey}:find-phone`,
      title: `Numéro de mobile refusé par l'opérateur — ${debtor.name}`,
      details: `Le SMS vers ${phone} a été refusé : ${result.message}.`,
      now,
    });
    return { emails: 0, tasks: made ? 1 : 0 };
  }
  return { emails: 0, tasks: 0, retry: { retryable: result.retryable, message: result.message } };
}

/**
 * The reminder's words in the debtor's language, the longest wording that fits one GSM-7 segment (160):
 * the creditor's name, what is owed, the short link, how to stop.
 */
export function smsBody(locale: Locale, v: { creditor: string; amount: string; invoices: string[]; link: string }) {
  const t = makeT(locale);
  const creditor = v.creditor.length > 30 ? `${v.creditor.slice(0, 29).trimEnd()}.` : v.creditor;
  const invoices =
    v.invoices.length === 1 ? t("sms.invoices.one", { number: v.invoices[0]! }) : t("sms.invoices.many", { count: v.invoices.length });
  const vars = { creditor, amount: v.amount, invoices, link: v.link };
  return fitSms([t("sms.body.long", vars), t("sms.body.medium", vars), t("sms.body.short", vars)]);
}

/** A FIND_CONTACT task once per source key, written into the trace; false when it existed. */
async function createContactTask(
  db: Db,
  task: { creditorId: string; debtorId: string; invoiceId: string; sourceKey: string; title: string; details: string; now: Date },
): Promise<boolean> {
  const existing = await db.task.findUnique({ where: { sourceKey: task.sourceKey }, select: { id: true } });
  if (existing) return false;
  const { now, ...data } = task;
  await db.task.create({ data: { ...data, kind: "FIND_CONTACT", dueAt: now } });
  await recordCommunication(db, {
    creditorId: task.creditorId,
    debtorId: task.debtorId,
    invoiceId: task.invoiceId,
    direction: "OUT",
    channel: "SYSTEM",
    kind: "task.find_contact",
    subject: task.title,
    bodyText: task.details,
    actorType: "SYSTEM",
    occurredAt: now,
  });
  return true;
}
