import { formatDiscountRate } from "~/domain/payments/discount";
import type { PaymentMethodKind } from "~/domain/payments/receipt";
import type { Locale } from "~/i18n";
import {
  block,
  contentWidth,
  createDocument,
  finish,
  heading,
  longDate,
  money,
  PAGE,
  paragraph,
  shortDate,
  table,
  title,
  translator,
} from "./layout";
import { creditorLines, debtorLines } from "./sections";
import { mediatorMention } from "./mediator-mention";
import type { CreditorIdentity, DebtorIdentity } from "./types";

export type ReceiptDocumentData = {
  /** Our payment reference (PAY-XXXX-XXXX). */
  reference: string;
  /** When the money arrived. */
  paidAt: Date;
  creditor: CreditorIdentity;
  debtor: DebtorIdentity;
  amount: number;
  currency: string;
  method: PaymentMethodKind;
  /** The invoices the payment settled, with the part of the payment on each and what is left on it. */
  invoices: { number: string; amount: number; balanceAfter: number }[];
  /** Early-payment discounts this payment earned, booked as a credit on each invoice (decision 028). */
  discounts?: { number: string; amount: number; rateBps: number }[];
};

/** Reçu de paiement: who paid whom, how much, when, by what means, under our reference, and on which invoices. */
export async function buildReceiptDocument(data: ReceiptDocumentData, locale: Locale): Promise<Buffer> {
  const t = translator(locale);
  const { creditor, debtor } = data;
  const m = (v: number) => money(v, data.currency, locale);
  const doc = createDocument({
    title: t("receipt.pdf.title", { reference: data.reference }),
    author: creditor.legalName,
    logo: creditor.logo,
    date: data.paidAt,
    locale,
  });
  const width = contentWidth(doc);
  const top = doc.y;
  const left = block(doc, creditorLines(creditor, t, locale), PAGE.margin, top, width * 0.5);
  const right = block(doc, debtorLines(debtor, t), PAGE.margin + width * 0.55, top + 40, width * 0.45);
  doc.x = PAGE.margin;
  doc.y = Math.max(left, right) + 20;

  title(doc, t("receipt.pdf.title", { reference: data.reference }), t("receipt.pdf.subtitle", { date: longDate(data.paidAt, locale) }));
  paragraph(
    doc,
    t("receipt.pdf.body", {
      creditor: creditor.legalName,
      amount: m(data.amount),
      debtor: debtor.name,
      date: longDate(data.paidAt, locale),
    }),
  );
  table(
    doc,
    [
      { header: t("documents.col.item"), width: 0.45 },
      { header: "", width: 0.55, align: "right" },
    ],
    [
      { cells: [t("receipt.reference"), data.reference] },
      { cells: [t("receipt.date"), shortDate(data.paidAt, locale)] },
      { cells: [t("receipt.method"), t(`receipt.method.${data.method}`)] },
      { cells: [t("receipt.amount"), m(data.amount)], strong: true },
    ],
  );
  if (data.invoices.length > 0) {
    heading(doc, t("receipt.pdf.invoices"));
    table(
      doc,
      [
        { header: t("documents.col.number"), width: 0.4 },
        { header: t("receipt.pdf.allocated"), width: 0.3, align: "right" },
        { header: t("documents.col.balance"), width: 0.3, align: "right" },
      ],
      data.invoices.map((i) => ({ cells: [i.number, m(i.amount), m(i.balanceAfter)] })),
    );
  }
  if (data.discounts?.length) {
    heading(doc, t("discount.receipt.heading"));
    table(
      doc,
      [
        { header: t("documents.col.item"), width: 0.6 },
        { header: t("documents.col.amount"), width: 0.4, align: "right" },
      ],
      data.discounts.map((d) => ({
        cells: [t("discount.receipt.row", { number: d.number, rate: formatDiscountRate(d.rateBps, locale) }), m(d.amount)],
      })),
    );
  }
  paragraph(doc, t("receipt.pdf.keep"), { muted: true, size: 8.5 });
  mediatorMention(doc, creditor, t);
  return finish(doc, (page, pages) => t("documents.footer", { creditor: creditor.legalName, reference: data.reference, page, pages }));
}
