import { fillPlaceholders, placeholderToken, type WordingPlaceholder } from "../../app/domain/dunning/wording";
import type { DunningEmailProps, EmailLocale, EmailTone, EmailWording } from "../types";
import { creditorName, dict, formatAmount, formatDate, withCreditor } from "./format";
import { MultiLine, P } from "./layout";

/**
 * The placeholder values, computed from the props the email itself shows:
 * `claimed` is the amount the email states as the total (the caller knows
 * which line that is), dates and money in the debtor's language.
 */
export function wordingValues(props: DunningEmailProps, claimed: number): Record<WordingPlaceholder, string> {
  const oldest = props.invoices.reduce<Date | null>((min, i) => (!min || i.dueDate < min ? i.dueDate : min), null);
  return {
    debtorName: props.debtor.name,
    totalDue: formatAmount(claimed, props.currency, props.locale),
    oldestDueDate: oldest ? formatDate(oldest, props.locale) : "",
    daysLate: String(Math.max(0, ...props.invoices.map((i) => i.daysLate))),
    creditorName: creditorName(props.creditor),
    invoiceNumbers: props.invoices.map((i) => i.number).join(", "),
  };
}

/** The creditor's paragraphs, filled; a single line break inside one stays a line break. Text only: React escapes it. */
export function WordingParagraphs({ wording, values }: { wording: EmailWording; values: Record<WordingPlaceholder, string> }) {
  return (
    <>
      {wording.paragraphs.map((paragraph, i) => (
        <P key={i}>
          <MultiLine value={fillPlaceholders(paragraph, values)} />
        </P>
      ))}
    </>
  );
}

/** The creditor's subject, filled; like every subject it names who is writing ("— Creditor" is added when it does not). */
export function wordingSubject(wording: EmailWording, props: DunningEmailProps, values: Record<WordingPlaceholder, string>): string {
  const subject = fillPlaceholders(wording.subject, values);
  return subject.includes(values.creditorName) ? subject : withCreditor(subject, props.creditor);
}

export type WordedTemplateKey = "courtesy_reminder" | "first_reminder" | "second_reminder" | "penalties_notice" | "formal_notice";

/**
 * The default subject and intro as a starting text for staff, with the
 * placeholders where the default puts values (the one-invoice form: the
 * default itself agrees with the number of invoices, a creditor's text is sent as written).
 */
export function defaultWording(templateKey: WordedTemplateKey, tone: EmailTone, locale: EmailLocale): EmailWording {
  const t = dict(locale);
  const token = (key: WordingPlaceholder) => placeholderToken(locale, key);
  if (templateKey === "formal_notice") {
    return { subject: t.formalNotice.subject.one(token("invoiceNumbers")), paragraphs: [t.formalNotice.intro[tone]({ many: false })] };
  }
  return {
    subject: t.reminders.subject[templateKey].one(token("invoiceNumbers"), token("oldestDueDate")),
    paragraphs: [t.reminders.intro[templateKey][tone]({ many: false })],
  };
}
