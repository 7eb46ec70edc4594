import type { EmailDictionary } from "./fr";

/** English copy. Typed against the French dictionary: every key must be here. */

const n = (many: boolean, one: string, other: string) => (many ? other : one);

export const en: EmailDictionary = {
  intlLocale: "en-GB",
  // "31 Oct 2026": unambiguous for readers used to either day/month order.
  dateFormat: { day: "numeric", month: "short", year: "numeric" },

  layout: {
    greeting: (name) => `Hello ${name},`,
    linkIntro: "If the button does not work, copy this link into your browser:",
    linkPersonal: "This link is personal to you: please do not forward it.",
    signature: (creditor) => `Accounts department — ${creditor}`,
    footerAbout: (creditor) => `You receive this email about invoices owed to ${creditor}.`,
    siren: (siren) => `SIREN ${siren}`,
    contact: "Contact:",
  },
  cta: { pay: "View and pay", open: "Open my account" },

  invoiceTable: {
    heading: (many) => n(many, "Invoice concerned", "Invoices concerned"),
    number: "Invoice",
    issuedOn: (date) => `issued ${date}`,
    dueDate: "Due date",
    amountDue: "Balance due",
    late: (days) => (days === 1 ? "1 day late" : `${days} days late`),
    notDue: "not yet due",
    total: "Total due",
  },
  scheduleTable: { heading: "Payment schedule", number: "No.", date: "Date", amount: "Amount", total: "Total" },
  details: { amount: "Amount", date: "Date", reference: "Reference", invoices: "Invoices concerned", reason: "Reason" },

  reminders: {
    subject: {
      courtesy_reminder: { one: (number, due) => `Invoice ${number}: due on ${due}`, many: (count) => `${count} invoices coming due` },
      first_reminder: {
        one: (number) => `Invoice ${number}: payment reminder`,
        many: (count) => `Reminder: ${count} invoices awaiting payment`,
      },
      second_reminder: {
        one: (number) => `Invoice ${number}: second reminder`,
        many: (count) => `Second reminder: ${count} unpaid invoices`,
      },
      penalties_notice: { one: (number) => `Invoice ${number}: overdue payment`, many: (count) => `Overdue payment: ${count} invoices` },
    },
    title: {
      courtesy_reminder: "Payment due soon",
      first_reminder: "Payment reminder",
      second_reminder: "Second reminder",
      penalties_notice: "Overdue payment",
    },
    preview: (total, count) => `Amount due: ${total} (${count === 1 ? "1 invoice" : `${count} invoices`}).`,
    intro: {
      courtesy_reminder: {
        CORDIAL: ({ many }) =>
          `A friendly reminder: ${n(many, "the invoice below is", "the invoices below are")} due soon. If payment is already scheduled, you are all set — thank you for your trust!`,
        STANDARD: ({ many }) =>
          `This is a reminder that ${n(many, "the invoice below is", "the invoices below are")} due shortly. Please arrange payment by the agreed date.`,
        FIRM: ({ many }) =>
          `${n(many, "The invoice below is", "The invoices below are")} due shortly. Please make sure that payment reaches us no later than the due date.`,
      },
      first_reminder: {
        CORDIAL: ({ many }) =>
          `Unless we are mistaken, we have not yet received payment for ${n(many, "the invoice below, which is", "the invoices below, which are")} now due. It is probably just an oversight!`,
        STANDARD: ({ many }) =>
          `Unless we are mistaken, ${n(many, "the invoice below is", "the invoices below are")} still unpaid. We would be grateful if you could settle ${n(many, "it", "them")}.`,
        FIRM: ({ many }) =>
          `${n(many, "The invoice below is", "The invoices below are")} overdue and unpaid. Please pay ${n(many, "it", "them")} without delay.`,
      },
      second_reminder: {
        CORDIAL: ({ many }) =>
          `Despite our previous reminder, ${n(many, "the invoice below is", "the invoices below are")} still unpaid. If you are having difficulties, you can ask for an installment plan online: we will consider it carefully.`,
        STANDARD: ({ many }) =>
          `Despite our previous reminder, ${n(many, "the invoice below is", "the invoices below are")} still unpaid. Please pay ${n(many, "it", "them")} as soon as possible, or propose an installment plan.`,
        FIRM: ({ many }) =>
          `Despite our reminders, ${n(many, "the invoice below is", "the invoices below are")} still unpaid. We ask you to pay ${n(many, "it", "them")} immediately.`,
      },
      penalties_notice: {
        CORDIAL: ({ many }) =>
          `${n(many, "The invoice below is", "The invoices below are")} now significantly overdue. To settle the matter, you can pay online or propose an installment plan.`,
        STANDARD: ({ many }) =>
          `Despite our reminders, ${n(many, "the invoice below is", "the invoices below are")} significantly overdue. We ask you to settle the matter without waiting.`,
        FIRM: ({ many }) =>
          `Despite our reminders, ${n(many, "the invoice below is", "the invoices below are")} significantly overdue. Without prompt payment from you, we will start recovery proceedings.`,
      },
    },
    portalOptions: "From your secure space you can pay online, ask for an installment plan or report a problem with an invoice.",
    businessPenalties:
      "Please note that under article L441-10 of the French Commercial Code (Code de commerce), any late payment automatically incurs late-payment penalties from the day after the due date, plus a fixed indemnity of €40 per invoice for recovery costs (article D441-5 of the same code).",
    consumerWarning: "Without payment from you, we will have to send you a formal notice to pay and then start recovery proceedings.",
    closing: {
      CORDIAL: "Thank you in advance, and do not hesitate to contact us with any question.",
      STANDARD: "Thank you in advance for your payment.",
      FIRM: "We count on your prompt payment.",
    },
    alreadyPaid: "If you have paid in the meantime, please disregard this message.",
  },

  lateCharges: {
    heading: "Penalties and indemnity to date",
    interest: "Late-payment penalties",
    indemnity: "Fixed indemnity for recovery costs (€40 per invoice)",
    note: "These sums come on top of the invoice amounts.",
  },

  formalNotice: {
    subject: { one: (number) => `Formal notice to pay — invoice ${number}`, many: (count) => `Formal notice to pay — ${count} invoices` },
    title: "Formal notice to pay",
    preview: (total, deadline) => `Formal notice to pay ${total} by ${deadline} at the latest.`,
    recipient: (name) => `For the attention of: ${name}`,
    object: (numbers) => `Subject: formal notice to pay — ${numbers.length === 1 ? "invoice" : "invoices"} no. ${numbers.join(", ")}`,
    salutation: "Dear Sir or Madam,",
    intro: {
      CORDIAL: ({ many }) =>
        `Despite our friendly reminders, ${n(many, "the invoice below is", "the invoices below are")} still unpaid. We regret having to send you this formal notice.`,
      STANDARD: ({ many }) => `Despite our previous reminders, ${n(many, "the invoice below is", "the invoices below are")} still unpaid.`,
      FIRM: ({ many }) => `Our reminders have had no effect: ${n(many, "the invoice below is", "the invoices below are")} still unpaid.`,
    },
    demand: (total, deadline) => `We hereby give you formal notice to pay us the sum of ${total} by ${deadline} at the latest.`,
    businessPenalties:
      "Under article L441-10 of the French Commercial Code (Code de commerce), these sums automatically bear late-payment penalties from the day after their due date, plus a fixed indemnity of €40 per invoice for recovery costs (article D441-5 of the same code).",
    consumerInterest:
      "Under articles 1231-6 and 1344-1 of the French Civil Code, this formal notice starts interest running at the statutory rate on the sums due.",
    attached: "The formal notice letter is attached to this message (PDF); it is also sent to you by registered post.",
    consequence:
      "Failing payment within this period, we will apply to the competent court for an order for payment (injonction de payer) without further notice. The costs of the proceedings may be charged to you.",
    lastChance: {
      CORDIAL:
        "If you are having difficulties, you can still propose an installment plan from your space before that date: we will consider it.",
      STANDARD: "You can still pay online or propose an installment plan from your space before that date.",
      FIRM: "This letter is our final notice before proceedings are started.",
    },
    closing: "Yours faithfully,",
    signature: (legalName) => `For ${legalName}, accounts department`,
  },

  portalLink: {
    subject: (creditor) => `Your access link to your payment space — ${creditor}`,
    title: "Your access link",
    preview: "Your new secure access link.",
    body: "Here is the new access link to your payment space that you asked for. Use it to see your invoices, pay, ask for an installment plan or report a problem.",
    notYou: "If you did not ask for this, you can ignore this email.",
  },

  paymentReceipt: {
    subject: {
      none: () => "Payment receipt",
      one: (number) => `Payment receipt — invoice ${number}`,
      many: (count) => `Payment receipt — ${count} invoices`,
    },
    title: "Payment receipt",
    preview: (amount) => `We have received your payment of ${amount}. Thank you!`,
    body: (amount, date) => `We have received your payment of ${amount} on ${date}. Thank you!`,
    keep: "Keep this email: it is your payment receipt.",
    method: "Payment method",
    methods: {
      card: "Card",
      sepa_debit: "SEPA Direct Debit",
      direct_debit: "Bank debit",
      transfer: "Bank transfer",
      other: "Payment recorded by our team",
    },
    attached: "The payment receipt (PDF) is attached to this email; it also stays available in your space.",
  },

  paymentFailed: {
    subject: "Your payment did not go through",
    title: "Payment failed",
    preview: (amount) => `Your payment of ${amount} did not go through.`,
    body: (amount) => `Your payment of ${amount} did not go through.`,
    next: "The invoices concerned are still due. You can try again, with the same payment method or another one, from your space.",
  },

  planConfirmation: {
    subject: "Your installment plan is confirmed",
    title: "Installment plan confirmed",
    preview: (amount, count) => `Your installment plan of ${amount} in ${count} payments is confirmed.`,
    body: (amount, count) =>
      `Your installment plan of ${amount} in ${count === 1 ? "1 payment" : `${count} payments`} is confirmed. Here is the payment schedule:`,
    terms:
      "Reminders are suspended as long as the installments are paid on time; we will send you a reminder a few days before each one. A missed installment may cancel the plan and resume reminders.",
  },

  planRejected: {
    subject: { counter: "A counter-proposal for your installment plan", rejected: "Your installment plan proposal was not accepted" },
    title: "Your installment plan proposal",
    preview: "Our answer to your installment plan proposal.",
    body: "We cannot accept your installment plan proposal.",
    counter: "Instead, we propose the schedule below, which you can accept from your space:",
    noCounter: "Reminders resume. You can pay in full or make a new proposal from your space.",
  },

  disputeAnswer: {
    subject: (number) => `Invoice ${number}: answer to your dispute`,
    title: "Answer to your dispute",
    preview: (number) => `Our answer to your dispute about invoice ${number}.`,
    credit: (number) =>
      `Having reviewed your dispute about invoice ${number}, we agree with you: the invoice has been corrected by a credit note.`,
    rejected: (number) => `Having reviewed your dispute about invoice ${number}, we maintain our invoice.`,
    answerHeading: (creditor) => `Answer from ${creditor}:`,
    creditNext: "The balance still due, if any, is up to date in your space.",
    rejectedNext: "The invoice is still due and reminders resume. You can pay it or ask for an installment plan from your space.",
  },

  promiseConfirmation: {
    subject: "Promise to pay recorded",
    title: "Promise to pay recorded",
    preview: (amount, date) => `Commitment to pay ${amount} by ${date}.`,
    body: (amount, date) => `We have noted your commitment to pay ${amount} by ${date} at the latest.`,
    terms: "Reminders are suspended until that date. If payment does not reach us, they will resume.",
  },

  disputeReceived: {
    subject: (number) => `Invoice ${number}: your dispute is recorded`,
    title: "Dispute recorded",
    preview: (number) => `We have received your dispute about invoice ${number}.`,
    body: (number, date) => `We received your dispute about invoice ${number} on ${date}.`,
    next: (number) =>
      `What happens next? Reminders about invoice ${number} are paused from today until we answer. Our accounts team is reviewing your request and will answer by email; your other invoices are not affected.`,
    follow: "You can follow your dispute from your space.",
  },

  planProposed: {
    subject: "We have received your installment plan proposal",
    title: "Installment plan proposal received",
    preview: (amount, count) => `Your proposal: ${amount} in ${count === 1 ? "1 payment" : `${count} payments`}.`,
    body: (amount, count) =>
      `We have received your installment plan proposal of ${amount} in ${count === 1 ? "1 payment" : `${count} payments`}:`,
    next: "What happens next? Our accounts team is reviewing it and will answer by email. Reminders about the invoices concerned are paused during the review.",
    ifAccepted: (amount, date) => `If it is accepted, the first installment of ${amount} will be due on ${date}.`,
  },
};
