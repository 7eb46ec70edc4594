import { toPlainText } from "@react-email/components";
import { createElement, type ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import DisputeAnswer, { disputeAnswerSubject, type DisputeAnswerProps } from "./dispute-answer";
import DisputeReceived, { disputeReceivedSubject, type DisputeReceivedProps } from "./dispute-received";
import DunningReminder, { reminderSubject, type ReminderKey } from "./dunning-reminder";
import FormalNotice, { formalNoticeSubject } from "./formal-notice";
import PaymentFailed, { paymentFailedSubject, type PaymentFailedProps } from "./payment-failed";
import PaymentReceipt, { paymentReceiptSubject, type PaymentReceiptProps } from "./payment-receipt";
import PlanConfirmation, { planConfirmationSubject, type PlanConfirmationProps } from "./plan-confirmation";
import PlanProposed, { planProposedSubject, type PlanProposedProps } from "./plan-proposed";
import PlanRejected, { planRejectedSubject, type PlanRejectedProps } from "./plan-rejected";
import PortalLink, { portalLinkSubject, type PortalLinkProps } from "./portal-link";
import PromiseConfirmation, { promiseConfirmationSubject, type PromiseConfirmationProps } from "./promise-confirmation";
import StaffInvitation, { staffInvitationSubject, type StaffInvitationProps } from "./staff-invitation";
import SignupVerification, { signupVerificationSubject, type SignupVerificationProps } from "./signup-verification";
import StaffResetCode, { staffResetCodeSubject, type StaffResetCodeProps } from "./staff-reset-code";
import WebhookDisabled, { webhookDisabledSubject, type WebhookDisabledProps } from "./webhook-disabled";
import type { DunningEmailProps, EmailLocale } from "./types";

export type {
  BaseEmailProps,
  DunningEmailProps,
  EmailCreditor,
  EmailDebtor,
  EmailInstallment,
  EmailInvoice,
  EmailLateCharges,
  EmailLocale,
  EmailTone,
  EmailWording,
} from "./types";
export { defaultWording } from "./_components/wording";
export type {
  DisputeAnswerProps,
  DisputeReceivedProps,
  PaymentFailedProps,
  PaymentReceiptProps,
  PlanConfirmationProps,
  PlanProposedProps,
  PlanRejectedProps,
  PortalLinkProps,
  PromiseConfirmationProps,
};
export { FORMAL_NOTICE_DEFAULT_DAYS } from "./formal-notice";

export type DunningTemplateKey = ReminderKey | "formal_notice";
export type TemplateKey =
  | DunningTemplateKey
  | "portal_link"
  | "payment_receipt"
  | "payment_failed"
  | "plan_confirmation"
  | "plan_rejected"
  | "dispute_answer"
  | "promise_confirmation"
  | "dispute_received"
  | "plan_proposed";

export const DUNNING_TEMPLATE_KEYS: readonly DunningTemplateKey[] = [
  "courtesy_reminder",
  "first_reminder",
  "second_reminder",
  "penalties_notice",
  "formal_notice",
];
export const TEMPLATE_KEYS: readonly TemplateKey[] = [
  ...DUNNING_TEMPLATE_KEYS,
  "portal_link",
  "payment_receipt",
  "payment_failed",
  "plan_confirmation",
  "plan_rejected",
  "dispute_answer",
  "promise_confirmation",
  "dispute_received",
  "plan_proposed",
];

type TransactionalProps = {
  portal_link: PortalLinkProps;
  payment_receipt: PaymentReceiptProps;
  payment_failed: PaymentFailedProps;
  plan_confirmation: PlanConfirmationProps;
  plan_rejected: PlanRejectedProps;
  dispute_answer: DisputeAnswerProps;
  promise_confirmation: PromiseConfirmationProps;
  dispute_received: DisputeReceivedProps;
  plan_proposed: PlanProposedProps;
};

/** The props of each template: every one has `{ locale, creditor, debtor, portalUrl }`. */
export type EmailProps = {
  [K in TemplateKey]: K extends DunningTemplateKey ? DunningEmailProps : K extends keyof TransactionalProps ? TransactionalProps[K] : never;
};

/** The transactional props tagged with their key (what `sendNotice` takes). */
export type NoticeKey = Exclude<TemplateKey, DunningTemplateKey>;
export type NoticeProps = { [K in NoticeKey]: EmailProps[K] & { templateKey: K } }[NoticeKey];

export type RenderedEmail = { subject: string; html: string; text: string };

type Template<P> = { element: (props: P) => ReactElement; subject: (props: P) => string };

function reminder(templateKey: ReminderKey): Template<DunningEmailProps> {
  return {
    element: (props) => createElement(DunningReminder, { ...props, templateKey }),
    subject: (props) => reminderSubject({ ...props, templateKey }),
  };
}

function template<P extends object>(component: (props: P) => ReactElement, subject: (props: P) => string): Template<P> {
  return { element: (props) => createElement(component, props), subject };
}

const TEMPLATES: { [K in TemplateKey]: Template<EmailProps[K]> } = {
  courtesy_reminder: reminder("courtesy_reminder"),
  first_reminder: reminder("first_reminder"),
  second_reminder: reminder("second_reminder"),
  penalties_notice: reminder("penalties_notice"),
  formal_notice: template(FormalNotice, formalNoticeSubject),
  portal_link: template(PortalLink, portalLinkSubject),
  payment_receipt: template(PaymentReceipt, paymentReceiptSubject),
  payment_failed: template(PaymentFailed, paymentFailedSubject),
  plan_confirmation: template(PlanConfirmation, planConfirmationSubject),
  plan_rejected: template(PlanRejected, planRejectedSubject),
  dispute_answer: template(DisputeAnswer, disputeAnswerSubject),
  promise_confirmation: template(PromiseConfirmation, promiseConfirmationSubject),
  dispute_received: template(DisputeReceived, disputeReceivedSubject),
  plan_proposed: template(PlanProposed, planProposedSubject),
};

/**
 * The plain-text part: data tables as aligned columns, the button as
 * "Voir et payer : <url>" (the HTML's "copy this link" line is skipped there).
 * html-to-text ships no types here, hence the minimal ones below.
 */
type TextNode = { attribs?: Record<string, string>; children: unknown[] };
type TextBuilder = { addInline: (text: string, options?: { noWordTransform?: boolean }) => void };

function toText(html: string, locale: EmailLocale): string {
  return toPlainText(html, {
    formatters: {
      callToAction: (elem: TextNode, walk: (nodes: unknown[], builder: TextBuilder) => void, builder: TextBuilder) => {
        walk(elem.children, builder);
        builder.addInline(`${locale === "fr" ? "\u00a0: " : ": "}${elem.attribs?.href ?? ""}`, { noWordTransform: true });
      },
    },
    selectors: [
      { selector: "h1", options: { leadingLineBreaks: 2 } },
      { selector: "table.data-table", format: "dataTable", options: { uppercaseHeaderCells: false, colSpacing: 3, maxColumnWidth: 40 } },
      { selector: "a.cta", format: "callToAction" },
    ],
  });
}

/**
 * HTML is rendered in one synchronous pass, not with react-email's `render`:
 * that streams through React 18.3's renderToPipeableStream, whose
 * writeStringChunk flushes its whole 2 KB buffer when a 3-byte character
 * (€, —, U+200C…) does not fit at its end, so NUL bytes land in the HTML.
 */
const DOCTYPE = '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">';

const isDunning = (key: TemplateKey): key is DunningTemplateKey => (DUNNING_TEMPLATE_KEYS as readonly string[]).includes(key);

/**
 * Renders one email to subject, HTML and plain text, in the debtor's
 * language. Throws on props no email should go out with (no invoices, a
 * portal link that is not http(s)).
 */
export async function renderEmail<K extends TemplateKey>(key: K, props: EmailProps[K]): Promise<RenderedEmail> {
  const entry = TEMPLATES[key];
  if (!entry) throw new Error(`Unknown email template "${String(key)}"`);
  if (!/^https?:\/\//i.test(props.portalUrl)) throw new Error(`Email "${key}": portalUrl must be an http(s) URL`);
  if (isDunning(key) && (props as DunningEmailProps).invoices.length === 0) throw new Error(`Email "${key}": no invoices to remind`);
  // The consumer mediator is a consumer's right (C. conso. L612-1): a business's email never names it.
  const shown = props.debtor.kind === "CONSUMER" ? props : { ...props, creditor: { ...props.creditor, consumerMediator: null } };
  const html = DOCTYPE + renderToStaticMarkup(entry.element(shown));
  return { subject: entry.subject(shown), html, text: toText(html, props.locale) };
}

/** Emails to creditor staff (not debtors): their own frame, rendered like the others. */
export type { SignupVerificationProps, StaffInvitationProps, StaffResetCodeProps, WebhookDisabledProps };
export type StaffEmailProps = {
  staff_invitation: StaffInvitationProps;
  staff_reset_code: StaffResetCodeProps;
  signup_verification: SignupVerificationProps;
  webhook_disabled: WebhookDisabledProps;
};
export type StaffTemplateKey = keyof StaffEmailProps;

const STAFF_TEMPLATES: { [K in StaffTemplateKey]: Template<StaffEmailProps[K]> } = {
  staff_invitation: template(StaffInvitation, staffInvitationSubject),
  staff_reset_code: template(StaffResetCode, staffResetCodeSubject),
  signup_verification: template(SignupVerification, signupVerificationSubject),
  webhook_disabled: template(WebhookDisabled, webhookDisabledSubject),
};

export async function renderStaffEmail<K extends StaffTemplateKey>(key: K, props: StaffEmailProps[K]): Promise<RenderedEmail> {
  const entry = STAFF_TEMPLATES[key];
  if (!entry) throw new Error(`Unknown staff email template "${String(key)}"`);
  if (!/^https?:\/\//i.test(props.actionUrl)) throw new Error(`Email "${key}": actionUrl must be an http(s) URL`);
  const html = DOCTYPE + renderToStaticMarkup(entry.element(props));
  return { subject: entry.subject(props), html, text: toText(html, props.locale) };
}
