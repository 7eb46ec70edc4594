import { toPlainText } from "@react-email/render";
import type { ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
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

const DOCTYPE =
  '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">';

/**
 * Static rendering in one pass: react-email's streaming `render` can split a
 * multi-byte character across chunks (we saw "dû" come out as "d\u0000û").
 */
function toHtmlAndText(element: ReactElement) {
  const html = DOCTYPE + renderToStaticMarkup(element);
  return { html, text: toPlainText(html) };
}

const isDunning = (key: TemplateKey): key is DunningTemplateKey => (DUNNING_TEMPLATE_KEYS as readonly string[]).includes(key);

/** Renders a template to subject + HTML + plain-text alternative. */
export async function renderEmail<K extends TemplateKey>(key: K, props: EmailProps[K]): Promise<RenderedEmail> {
  if (isDunning(key)) {
    const full = { ...(props as Omit<DunningEmailProps, "templateKey">), templateKey: key };
    const element = <DunningReminder {...full} />;
    return { subject: subjectFor(full), ...toHtmlAndText(element) };
  }
  const full = { ...(props as object), templateKey: key } as NoticeProps;
  const element = <Notice {...full} />;
  return { subject: noticeSubject(full), ...toHtmlAndText(element) };
}
