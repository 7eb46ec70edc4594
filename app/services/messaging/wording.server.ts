import {
  defaultWording,
  DUNNING_TEMPLATE_KEYS,
  renderEmail,
  type DunningTemplateKey,
  type EmailWording,
  type RenderedEmail,
} from "../../../emails/index";
import { addDays, daysBetween, startOfDayUTC } from "~/domain/clock";
import { DEFAULT_POLICY_LEVELS, type Tone } from "~/domain/dunning";
import type { Wording, WordingLocale } from "~/domain/dunning/wording";
import { computeClaim } from "~/domain/statement/claim";
import { translate } from "~/i18n";
import { levelLabel } from "~/i18n/labels";
import type { Db } from "~/utils/db.server";
import { recordAudit } from "../accounts/audit.server";
import { loadRateBook } from "../legal/rates.server";
import { emailCreditor } from "./email-creditor.server";

/**
 * A creditor's own words for its dunning emails, one row per template, tone
 * and language (EmailWording). The sender and the previews read them here;
 * staff save and reset them here, with an audit row each time.
 */

export type WordedTemplateKey = DunningTemplateKey;
export const WORDED_TEMPLATE_KEYS: readonly WordedTemplateKey[] = DUNNING_TEMPLATE_KEYS;
export const isWordedTemplate = (key: string): key is WordedTemplateKey => (WORDED_TEMPLATE_KEYS as readonly string[]).includes(key);

export type WordingKey = { creditorId: string; templateKey: WordedTemplateKey; tone: Tone };

/** The starting text staff see when there is no wording of their own: the default, placeholders where it puts values. */
export const starterWording = (templateKey: WordedTemplateKey, tone: Tone, locale: WordingLocale): Wording =>
  defaultWording(templateKey, tone, locale);

/** The saved wordings of one template and tone, per language (absent = the default). */
export async function wordingsOf(db: Db, key: WordingKey) {
  const rows = await db.emailWording.findMany({
    where: { creditorId: key.creditorId, templateKey: key.templateKey, tone: key.tone },
    select: { locale: true, subject: true, paragraphs: true, updatedAt: true },
  });
  return Object.fromEntries(rows.map((r) => [r.locale, r])) as Partial<Record<WordingLocale, (typeof rows)[number]>>;
}

/**
 * The wording a send uses: the one written for the tone the email goes out in
 * (the level's tone shifted by the debtor's segment), else the one written
 * for the level's own tone, else none (the default text).
 */
export async function wordingForSend(
  db: Db,
  input: { creditorId: string; templateKey: string; tone: Tone; levelTone: Tone; locale: WordingLocale },
): Promise<EmailWording | null> {
  if (!isWordedTemplate(input.templateKey)) return null;
  const rows = await db.emailWording.findMany({
    where: {
      creditorId: input.creditorId,
      templateKey: input.templateKey,
      locale: input.locale,
      tone: { in: [...new Set([input.tone, input.levelTone])] },
    },
    select: { tone: true, subject: true, paragraphs: true },
  });
  const row = rows.find((r) => r.tone === input.tone) ?? rows.find((r) => r.tone === input.levelTone);
  return row ? { subject: row.subject, paragraphs: row.paragraphs } : null;
}

/** Audit lines read "Première relance · Ferme · FR" (the trace speaks French, as the tasks do). */
const auditName = (key: WordingKey, locale: WordingLocale) =>
  `${levelLabel("fr", key.templateKey)} · ${translate("fr", `policies.tone.${key.tone}`)} · ${locale.toUpperCase()}`;

/** Saves staff's wording (already checked with parseWording) for one language. */
export async function saveWording(db: Db, input: WordingKey & { locale: WordingLocale; wording: Wording; actorUserId: string; now: Date }) {
  const where = {
    creditorId_templateKey_tone_locale: {
      creditorId: input.creditorId,
      templateKey: input.templateKey,
      tone: input.tone,
      locale: input.locale,
    },
  };
  const data = {
    subject: input.wording.subject,
    paragraphs: input.wording.paragraphs,
    updatedById: input.actorUserId,
    updatedAt: input.now,
  };
  const row = await db.emailWording.upsert({
    where,
    create: { creditorId: input.creditorId, templateKey: input.templateKey, tone: input.tone, locale: input.locale, ...data },
    update: data,
    select: { id: true },
  });
  await recordAudit(db, {
    creditorId: input.creditorId,
    actorUserId: input.actorUserId,
    action: "email_wording.saved",
    targetType: "EmailWording",
    targetId: row.id,
    meta: { name: auditName(input, input.locale), templateKey: input.templateKey, tone: input.tone, locale: input.locale },
    at: input.now,
  });
  return row;
}

/** Back to the default text for one language: the row goes, the audit says who did it. */
export async function resetWording(db: Db, input: WordingKey & { locale: WordingLocale; actorUserId: string; now: Date }) {
  const { count } = await db.emailWording.deleteMany({
    where: { creditorId: input.creditorId, templateKey: input.templateKey, tone: input.tone, locale: input.locale },
  });
  if (count > 0) {
    await recordAudit(db, {
      creditorId: input.creditorId,
      actorUserId: input.actorUserId,
      action: "email_wording.reset",
      targetType: "EmailWording",
      targetId: null,
      meta: { name: auditName(input, input.locale), templateKey: input.templateKey, tone: input.tone, locale: input.locale },
      at: input.now,
    });
  }
  return count > 0;
}

/** The day of the default calendar a template is sent on (J-8, J+1…): the preview's invoice is that late. */
function typicalOffset(templateKey: WordedTemplateKey): number {
  return DEFAULT_POLICY_LEVELS.find((l) => l.templateKey === templateKey)?.offsetDays ?? 1;
}

/**
 * The email exactly as a debtor receives it, rendered by the sender's
 * renderer with this creditor's identity and legal settings, for a sample
 * business customer with one invoice as late as the default calendar sends
 * this template. `wording`: undefined = the saved one (or the default), null
 * = the default, else the unsaved text being previewed.
 */
export async function previewDunningEmail(
  db: Db,
  input: WordingKey & { locale: WordingLocale; now: Date; wording?: EmailWording | null },
): Promise<RenderedEmail> {
  const creditor = await db.creditor.findUniqueOrThrow({ where: { id: input.creditorId } });
  const wording = input.wording !== undefined ? input.wording : await wordingForSend(db, { ...input, levelTone: input.tone });
  const today = startOfDayUTC(input.now);
  const dueDate = addDays(today, -typicalOffset(input.templateKey));
  const invoice = {
    id: "preview",
    number: translate(input.locale, "wording.sample.invoice"),
    issueDate: addDays(dueDate, -30),
    dueDate,
    amount: 1234_56,
    amountPaid: 0,
    amountCredited: 0,
    currency: creditor.defaultCurrency,
    payments: [],
  };
  const claim = computeClaim([invoice], input.now, {
    debtorKind: "BUSINESS",
    jurisdiction: creditor.jurisdiction,
    contractualRateBps: creditor.lateInterestRateBps,
    rates: await loadRateBook(db, input.creditorId),
  });
  const charged = claim.interest + claim.indemnity > 0;
  return renderEmail(input.templateKey, {
    locale: input.locale,
    tone: input.tone,
    creditor: emailCreditor(creditor),
    debtor: { name: translate(input.locale, "wording.sample.debtor"), kind: "BUSINESS" },
    portalUrl: "https://relance.example/p/preview",
    invoices: claim.lines.map((l) => ({
      number: l.number,
      issueDate: l.issueDate,
      dueDate: l.dueDate,
      amountDue: l.balance,
      currency: l.currency,
      daysLate: Math.max(0, daysBetween(l.dueDate, today)),
    })),
    totalDue: claim.principal,
    currency: claim.currency,
    lateCharges: charged ? { interest: claim.interest, indemnity: claim.indemnity, estimated: claim.estimated, total: claim.total } : null,
    deadline: input.templateKey === "formal_notice" ? addDays(today, 8) : undefined,
    wording,
  });
}
