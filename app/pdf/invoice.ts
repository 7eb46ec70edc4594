import { invoiceTotals } from "~/domain/invoice-lines";
import { formatDiscountRate } from "~/domain/payments/discount";
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

export type InvoiceDocumentData = {
  date: Date;
  creditor: CreditorIdentity;
  debtor: DebtorIdentity;
  invoice: {
    number: string;
    issueDate: Date;
    dueDate: Date;
    description: string | null;
    currency: string;
    amount: number;
    amountPaid: number;
    amountCredited: number;
    balance: number;
    /** The invoice's lines when the creditor sent them; an empty list when it did not. */
    lines?: { description: string; quantity: string; unitPrice: string | null; net: number; vatRate: string | null }[];
    /** Early-payment discount terms frozen at issue, and the discount once booked (decision 028). */
    discountRateBps?: number | null;
    discountUntil?: Date | null;
    discountAmount?: number | null;
  };
  payments: { date: Date; amount: number }[];
};

/**
 * A duplicate of one invoice from the data we hold: amounts, dates, payments,
 * balance; with its lines and HT / TVA / TTC when the creditor sent lines that
 * add up to the invoice's amount (lines that do not are left out rather than
 * printed beside a total they contradict).
 */
export async function buildInvoiceDocument(data: InvoiceDocumentData, locale: Locale): Promise<Buffer> {
  const t = translator(locale);
  const { creditor, debtor, invoice } = data;
  const m = (v: number) => money(v, invoice.currency, locale);
  const doc = createDocument({
    title: t("documents.invoice.title", { number: invoice.number }),
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

  title(
    doc,
    t("documents.invoice.title", { number: invoice.number }),
    t("documents.invoice.copy", { date: longDate(data.date, locale), creditor: creditor.legalName }),
  );
  const rows = [
    { cells: [t("documents.col.issueDate"), shortDate(invoice.issueDate, locale)] },
    { cells: [t("documents.col.dueDate"), shortDate(invoice.dueDate, locale)] },
    ...(invoice.description ? [{ cells: [t("documents.invoice.description"), invoice.description] }] : []),
    { cells: [t("documents.col.amount"), m(invoice.amount)] },
    ...(invoice.amountCredited > 0 ? [{ cells: [t("documents.invoice.credited"), m(invoice.amountCredited)] }] : []),
    ...(invoice.discountAmount ? [{ cells: [t("discount.invoice.applied"), m(invoice.discountAmount)] }] : []),
    { cells: [t("documents.col.paid"), m(invoice.amountPaid)] },
    { cells: [t("documents.col.balance"), m(invoice.balance)], strong: true },
  ];
  const lines = invoice.lines ?? [];
  const totals = lines.length > 0 ? invoiceTotals(lines) : null;
  if (totals && totals.gross === invoice.amount) {
    const rate = (r: string) => (locale === "fr" ? `${r.replace(".", ",")}\u00a0%` : `${r}%`);
    heading(doc, t("documents.invoice.lines"));
    table(
      doc,
      [
        { header: t("documents.invoice.col.description"), width: 0.4 },
        { header: t("documents.invoice.col.quantity"), width: 0.1, align: "right" },
        { header: t("documents.invoice.col.unitPrice"), width: 0.18, align: "right" },
        { header: t("documents.invoice.col.vatRate"), width: 0.12, align: "right" },
        { header: t("documents.invoice.col.net"), width: 0.2, align: "right" },
      ],
      lines.map((l) => ({
        cells: [l.description, l.quantity, l.unitPrice ?? "", l.vatRate === null ? "—" : rate(l.vatRate), m(l.net)],
      })),
    );
    table(
      doc,
      [
        { header: "", width: 0.7 },
        { header: "", width: 0.3, align: "right" },
      ],
      [
        { cells: [t("documents.invoice.totalNet"), m(totals.net)] },
        ...totals.groups.map((g) => ({
          cells: [g.rate === null ? t("documents.invoice.noVat") : t("documents.invoice.vatAt", { rate: rate(g.rate) }), m(g.vat)],
        })),
        { cells: [t("documents.invoice.totalGross"), m(totals.gross)], strong: true },
      ],
    );
  }
  table(
    doc,
    [
      { header: t("documents.col.item"), width: 0.4 },
      { header: "", width: 0.6, align: "right" },
    ],
    rows,
  );

  if (data.payments.length > 0) {
    heading(doc, t("documents.invoice.payments"));
    table(
      doc,
      [
        { header: t("documents.dossier.col.date"), width: 0.5 },
        { header: t("documents.col.amount"), width: 0.5, align: "right" },
      ],
      data.payments.map((p) => ({ cells: [shortDate(p.date, locale), m(p.amount)] })),
    );
  }
  if (invoice.balance > 0) {
    if (creditor.iban) paragraph(doc, t("documents.notice.transfer", { iban: creditor.iban, bic: creditor.bic ?? "—" }));
    paragraph(doc, t("documents.notice.transferReference", { reference: debtor.transferReference }), { bold: true });
  }
  if (debtor.kind === "BUSINESS") {
    paragraph(doc, t("documents.invoice.businessMention"), { muted: true, size: 8.5 });
    // C. com. L441-9: the invoice states the early-payment discount terms, or that there are none.
    const mention =
      invoice.discountRateBps && invoice.discountUntil
        ? t("discount.mention.offered", {
            rate: formatDiscountRate(invoice.discountRateBps, locale),
            date: shortDate(invoice.discountUntil, locale),
          })
        : t("discount.mention.none");
    paragraph(doc, mention, { muted: true, size: 8.5 });
  }
  mediatorMention(doc, creditor, t);
  return finish(doc, (page, pages) => t("documents.footer", { creditor: creditor.legalName, reference: invoice.number, page, pages }));
}
