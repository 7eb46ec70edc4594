import { chooseCourt } from "~/domain/legal";
import { legalRateFor, type RateBook } from "~/domain/legal/rates";
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
  percent,
  qrCode,
  title,
  translator,
} from "./layout";
import { epcPayload } from "./epc";
import { claimSummary, creditorLines, debtorLines, interestBreakdown, invoiceTable } from "./sections";
import { mediatorMention } from "./mediator-mention";
import type { CreditorIdentity, DebtorIdentity } from "./types";

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

/** Days given to pay when the caller sets no deadline (same as the formal-notice email). */
export const FORMAL_NOTICE_DAYS = 8;

export type FormalNoticeData = {
  reference: string;
  /** Letter date; the claim is computed as of this day. */
  date: Date;
  deadline: Date;
  creditor: CreditorIdentity;
  debtor: DebtorIdentity;
  claim: Claim;
  /** Where the debtor pays online; printed and drawn as a QR code. */
  portalUrl: string;
  /** How this letter goes out: "lettre recommandée" is printed only when it is posted that way. */
  sentBy: { registeredLetter: boolean; email: boolean };
  /** Stored semester rates (back-office, ECB job) over the code tables; the code tables alone when absent. */
  rates?: RateBook;
};

/**
 * Mise en demeure de payer: identities, invoices, the claim (principal,
 * interest per period with rate and basis, €40 per late invoice for business
 * debtors only), a deadline, how to pay, and what happens next (injonction de
 * payer before the court `chooseCourt` names, or the European procedure /
 * a lawyer for a debtor abroad). Consumers read the legal-rate interest that
 * this notice starts (from its sending); no commercial rate, no €40. The
 * creditor's R123-237 mentions head the letter; a named signatory signs it.
 */
export async function buildFormalNotice(data: FormalNoticeData, locale: Locale): Promise<Buffer> {
  const t = translator(locale);
  const { creditor, debtor, claim } = data;
  const business = debtor.kind === "BUSINESS";
  const court = chooseCourt(debtor, data.date);
  const doc = createDocument({
    title: `${t("documents.notice.title")} — ${debtor.name}`,
    author: creditor.legalName,
    logo: creditor.logo,
    date: data.date,
    locale,
  });
  const width = contentWidth(doc);

  const top = doc.y;
  const leftBottom = block(doc, creditorLines(creditor, t, locale), PAGE.margin, top, width * 0.5);
  const rightBottom = block(doc, debtorLines(debtor, t), PAGE.margin + width * 0.55, top + 40, width * 0.45);
  doc.y = Math.max(leftBottom, rightBottom) + 16;
  const date = longDate(data.date, locale);
  paragraph(doc, creditor.city ? t("documents.placeDate", { place: creditor.city, date }) : t("documents.date", { date }));
  if (data.sentBy.registeredLetter) {
    paragraph(doc, t(data.sentBy.email ? "documents.notice.registeredAndEmail" : "documents.notice.registered"), { muted: true });
  } else if (data.sentBy.email) {
    paragraph(doc, t("documents.notice.emailOnly"), { muted: true });
  }
  paragraph(doc, t("documents.notice.reference", { reference: data.reference }), { muted: true });
  doc.moveDown(0.4);

  title(doc, t("documents.notice.title"));
  paragraph(doc, t("documents.notice.object", { numbers: claim.lines.map((l) => l.number).join(", ") }), { bold: true });
  paragraph(doc, t("documents.notice.salutation"));
  paragraph(doc, t("documents.notice.intro"));

  heading(doc, t("documents.notice.invoices"));
  invoiceTable(doc, claim, t, locale);

  heading(doc, t("documents.notice.claim", { date }));
  claimSummary(doc, claim, t, locale);
  if (business || claim.interest > 0) {
    heading(doc, t("documents.interest.heading"));
    interestBreakdown(doc, claim, t, locale);
  }
  if (business) {
    paragraph(doc, t("documents.notice.businessBasis"));
  } else {
    const legal = legalRateFor(data.date, data.rates);
    const rate = legal.estimated
      ? `${percent(legal.bps, locale)} (${t("documents.interest.estimatedInline")})`
      : percent(legal.bps, locale);
    paragraph(doc, t("documents.interest.consumerFromNotice", { rate, date }));
  }
  paragraph(doc, t("documents.notice.untilPaid"));

  doc.moveDown(0.3);
  paragraph(
    doc,
    t("documents.notice.demand", { total: money(claim.total, claim.currency, locale), deadline: longDate(data.deadline, locale) }),
    { bold: true },
  );

  const qrSize = 100;
  heading(doc, t("documents.notice.howToPay"), qrSize + 40);
  const payTop = doc.y;
  const textWidth = width - qrSize - 16;
  qrCode(doc, data.portalUrl, PAGE.margin + width - qrSize, payTop, qrSize);
  doc.font("Helvetica").fontSize(10).fillColor("black");
  doc.text(t("documents.notice.portal"), PAGE.margin, payTop, { width: textWidth });
  doc.fontSize(8).fillColor("#1a4fa0").text(data.portalUrl, { width: textWidth, link: data.portalUrl, underline: true });
  doc.fontSize(10).fillColor("black").text(t("documents.notice.qr"), { width: textWidth });
  doc.moveDown(0.4);
  doc.text(
    creditor.iban
      ? t("documents.notice.transfer", { iban: creditor.iban, bic: creditor.bic ?? "—" })
      : t("documents.notice.transferNoIban"),
    { width: textWidth },
  );
  doc.font("Helvetica-Bold").text(t("documents.notice.transferReference", { reference: debtor.transferReference }), { width: textWidth });
  doc.font("Helvetica");
  doc.y = Math.max(doc.y, payTop + qrSize) + 6;
  const epc = creditor.iban
    ? epcPayload({
        name: creditor.legalName,
        iban: creditor.iban,
        bic: creditor.bic,
        amount: claim.total,
        currency: claim.currency,
        reference: debtor.transferReference,
      })
    : null;
  if (epc) {
    // The EPC QR code of the amount demanded: a banking app fills in the whole transfer (IBAN, amount, RF reference).
    ensureSpace(doc, qrSize + 10);
    const epcTop = doc.y;
    qrCode(doc, epc, PAGE.margin, epcTop, qrSize - 10);
    doc.font("Helvetica").fontSize(10).fillColor("black");
    doc.text(t("payments.transfer.qrTitle"), PAGE.margin + qrSize + 6, epcTop + 10, { width: textWidth - qrSize });
    doc
      .fontSize(9)
      .fillColor("#555555")
      .text(t("documents.notice.epcHint", { amount: money(claim.total, claim.currency, locale) }), {
        width: textWidth - qrSize,
      });
    doc.fillColor("black").fontSize(10);
    doc.x = PAGE.margin;
    doc.y = epcTop + qrSize + 2;
  }

  heading(doc, t("documents.notice.consequencesHeading"));
  if (court.procedure === "FR_INJUNCTION") {
    paragraph(doc, t("documents.notice.consequences", { court: lowerFirst(court.courtName[locale]), cerfa: court.form.cerfa }));
  } else {
    paragraph(
      doc,
      t(court.procedure === "EU_ORDER_FOR_PAYMENT" ? "documents.notice.consequencesEu" : "documents.notice.consequencesAbroad"),
    );
  }

  doc.moveDown(0.6);
  paragraph(doc, t("documents.notice.closing"));
  doc.moveDown(1);
  paragraph(doc, t("documents.notice.signature", { legalName: creditor.legalName }), { bold: true });
  if (creditor.signatoryName) {
    paragraph(
      doc,
      creditor.signatoryRole
        ? t("documents.notice.signatory", { name: creditor.signatoryName, role: creditor.signatoryRole })
        : creditor.signatoryName,
    );
  } else {
    paragraph(doc, t("documents.notice.signatureRole"), { muted: true });
  }

  mediatorMention(doc, creditor, t);
  return finish(doc, (page, pages) => t("documents.footer", { creditor: creditor.legalName, reference: data.reference, page, pages }));
}
