import type { Locale } from "~/i18n";
import type { Claim } from "~/domain/statement/claim";
import {
  block,
  contentWidth,
  createDocument,
  ensureSpace,
  finish,
  heading,
  longDate,
  money,
  PAGE,
  paragraph,
  qrCode,
  shortDate,
  table,
  title,
  translator,
} from "./layout";
import { epcPayload } from "./epc";
import { creditorLines, debtorLines } from "./sections";
import { mediatorMention } from "./mediator-mention";
import type { CreditorIdentity, DebtorIdentity } from "./types";

export type StatementData = {
  reference: string;
  date: Date;
  creditor: CreditorIdentity;
  debtor: DebtorIdentity;
  /** Every open invoice, whatever its currency. */
  invoices: {
    number: string;
    issueDate: Date;
    dueDate: Date;
    amount: number;
    paid: number;
    balance: number;
    currency: string;
    daysLate: number;
  }[];
  /** Totals and late charges in the main currency (the portal's figures). */
  claim: Claim;
  overdue: number;
};

/**
 * Relevé de compte: the debtor's open items and totals; for a business
 * debtor, L441-10 interest and the €40 indemnity as separate claimed items
 * (never added to the balance), as on the portal home.
 */
export async function buildStatement(data: StatementData, locale: Locale): Promise<Buffer> {
  const t = translator(locale);
  const { creditor, debtor, claim } = data;
  const doc = createDocument({
    title: `${t("documents.statement.title")} — ${debtor.name}`,
    author: creditor.legalName,
    logo: creditor.logo,
    date: data.date,
    locale,
  });
  const width = contentWidth(doc);
  const top = doc.y;
  const left = block(doc, creditorLines(creditor, t, locale), PAGE.margin, top, width * 0.5);
  const right = block(doc, debtorLines(debtor, t), PAGE.margin + width * 0.55, top + 40, width * 0.45);
  doc.x = PAGE.margin;
  doc.y = Math.max(left, right) + 20;

  title(doc, t("documents.statement.title"), t("documents.statement.asOf", { date: longDate(data.date, locale) }));
  heading(doc, t("documents.statement.openItems"));
  if (data.invoices.length === 0) {
    paragraph(doc, t("documents.statement.none"));
  } else {
    table(
      doc,
      [
        { header: t("documents.col.number"), width: 0.2 },
        { header: t("documents.col.issueDate"), width: 0.13 },
        { header: t("documents.col.dueDate"), width: 0.13 },
        { header: t("documents.col.amount"), width: 0.15, align: "right" },
        { header: t("documents.col.paid"), width: 0.13, align: "right" },
        { header: t("documents.col.balance"), width: 0.15, align: "right" },
        { header: t("documents.col.daysLate"), width: 0.11, align: "right" },
      ],
      data.invoices.map((i) => ({
        cells: [
          i.number,
          shortDate(i.issueDate, locale),
          shortDate(i.dueDate, locale),
          money(i.amount, i.currency, locale),
          money(i.paid, i.currency, locale),
          money(i.balance, i.currency, locale),
          String(i.daysLate),
        ],
      })),
    );
    const m = (v: number) => money(v, claim.currency, locale);
    table(
      doc,
      [
        { header: "", width: 0.72 },
        { header: "", width: 0.28, align: "right" },
      ],
      [
        { cells: [t("documents.statement.overdue"), m(data.overdue)] },
        { cells: [t("documents.statement.totalDue"), m(claim.principal)], strong: true },
      ],
    );
  }

  if (claim.interest + claim.indemnity > 0) {
    const business = debtor.kind === "BUSINESS";
    heading(doc, t("documents.statement.lateCharges"));
    const rows = [
      {
        cells: [
          t(business ? "documents.claim.interestBusiness" : "documents.claim.interestConsumer"),
          money(claim.interest, claim.currency, locale),
        ],
      },
    ];
    // Never the €40 for a consumer (no line at all).
    if (business)
      rows.push({ cells: [t("documents.statement.indemnity", { count: claim.indemnityCount }), money(claim.indemnity, "EUR", locale)] });
    table(
      doc,
      [
        { header: t("documents.col.item"), width: 0.72 },
        { header: t("documents.col.amount"), width: 0.28, align: "right" },
      ],
      rows,
    );
    if (business) paragraph(doc, t("documents.statement.lateChargesNote"), { muted: true, size: 8.5 });
    if (claim.estimated) paragraph(doc, t("documents.interest.estimated"), { muted: true, size: 8.5 });
  }

  if (data.invoices.length > 0) {
    heading(doc, t("documents.notice.howToPay"));
    if (creditor.iban) paragraph(doc, t("documents.notice.transfer", { iban: creditor.iban, bic: creditor.bic ?? "—" }));
    paragraph(doc, t("documents.notice.transferReference", { reference: debtor.transferReference }), { bold: true });
    const epc = creditor.iban
      ? epcPayload({
          name: creditor.legalName,
          iban: creditor.iban,
          bic: creditor.bic,
          amount: claim.principal,
          currency: claim.currency,
          reference: debtor.transferReference,
        })
      : null;
    if (epc) {
      // The EPC QR code: a banking app scans the whole transfer (beneficiary, IBAN, amount, RF reference).
      ensureSpace(doc, 110);
      const top = doc.y;
      qrCode(doc, epc, PAGE.margin, top, 90);
      doc.y = top + 96;
      doc.x = PAGE.margin;
      paragraph(doc, t("payments.transfer.qrTitle"), { muted: true, size: 8.5 });
    }
  }
  mediatorMention(doc, creditor, t);
  return finish(doc, (page, pages) => t("documents.footer", { creditor: creditor.legalName, reference: data.reference, page, pages }));
}
