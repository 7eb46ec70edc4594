import { render } from "@react-email/components";
import DunningReminder, { subjectFor, type DunningEmailProps, type DunningTemplateKey, type EmailTone } from "./dunning-reminder";
import Notice, { noticeSubject, type NoticeProps } from "./notice";

export type { EmailLocale } from "./components/format";
export type { EmailInvoice } from "./components/invoice-table";
export type { EmailCreditor } from "./components/layout";
export type { DunningTemplateKey, EmailTone, NoticeProps };

export type TemplateKey = DunningTemplateKey | NoticeProps["templateKey"];

export const DUNNING_TEMPLATE_KEYS: readonly DunningTemplateKey[] = ["courtesy_reminder", "first_reminder", "second_reminder", "penalties_notice", "formal_notice"];
export const TEMPLATE_KEYS: readonly TemplateKey[] = [
  ...DUNNING_TEMPLATE_KEYS,
  "portal_link", "payment_receipt", "payment_failed", "plan_confirmation", "plan_rejected", "dispute_answer", "promise_confirmation",
];

export type EmailProps = { [K in DunningTemplateKey]: Omit<DunningEmailProps, "templateKey"> } & {
  [K in NoticeProps["templateKey"]]: Omit<Extract<NoticeProps, { templateKey: K }>, "templateKey">;
};

export type RenderedEmail = { subject: string; html: string; text: string };

const isDunning = (key: TemplateKey): key is DunningTemplateKey => (DUNNING_TEMPLATE_KEYS as readonly string[]).includes(key);

/** Renders a template to subject + HTML + plain-text alternative. */
export async function renderEmail<K extends TemplateKey>(key: K, props: EmailProps[K]): Promise<RenderedEmail> {
  if (isDunning(key)) {
    const full = { ...(props as Omit<DunningEmailProps, "templateKey">), templateKey: key };
    const element = <DunningReminder {...full} />;
    return { subject: subjectFor(full), html: await render(element), text: await render(element, { plainText: true }) };
  }
  const full = { ...(props as object), templateKey: key } as NoticeProps;
  const element = <Notice {...full} />;
  return { subject: noticeSubject(full), html: await render(element), text: await render(element, { plainText: true }) };
}
