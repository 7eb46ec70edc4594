import type { Locale, MessageKey } from "~/i18n";
import type { Claim } from "~/domain/statement/claim";
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
import { creditorLines, debtorLines, interestBreakdown } from "./sections";
import type { CreditorIdentity, DebtorIdentity } from "./types";

export type ClaimDeclarationData = {
  reference: string;
  /** Day the declaration is prepared. */
  date: Date;
  creditor: CreditorIdentity;
  debtor: DebtorIdentity;
  proceeding: {
    kind: "SAUVEGARDE" | "REDRESSEMENT" | "LIQUIDATION";
    openedOn: Date;
    publishedOn: Date;
    claimDeadline: Date;
    court: string | null;
    announcementId: string;
    /** Null: the line is left blank for staff to fill in. */
    mandataire: string | null;
  };
  /** The claim computed as of the opening date: interest stopped there (L622-28). */
  claim: Claim;
};

/**
 * Déclaration de créance to the mandataire judiciaire (or the liquidateur):
 * the parties, the opening judgment (court, dates, BODACC notice), each
 * invoice with the principal owed, the L441-10 interest and the €40 indemnity
 * as of the opening date, the total, declared as an unsecured (chirographaire)
 * claim, within the deadline. Pre-filled, to be checked, signed and sent by staff.
 */
export async function buildClaimDeclaration(data: ClaimDeclarationData, locale: Locale): Promise<Buffer> {
  const t = translator(locale);
  const { creditor, debtor, claim, proceeding } = data;
  const kind = t(`proceedingKind.${proceeding.kind}` as MessageKey);
  const doc = createDocument({
    title: `${t("documents.claimDeclaration.title")} — ${debtor.name}`,
    author: creditor.legalName,
    logo: creditor.logo,
    date: data.date,
    locale,
  });
  const width = contentWidth(doc);
  const m = (v: number) => money(v, claim.currency, locale);
  const opened = longDate(proceeding.openedOn, locale);

  const top = doc.y;
  const leftBottom = block(doc, creditorLines(creditor, t, locale), PAGE.margin, top, width * 0.5);
  const addressee = proceeding.mandataire ? [proceeding.mandataire] : [t("documents.claimDeclaration.mandataireBlank")];
  const rightBottom = block(doc, addressee, PAGE.margin + width * 0.55, top + 40, width * 0.45, {
    label: t(proceeding.kind === "LIQUIDATION" ? "documents.claimDeclaration.toLiquidator" : "documents.claimDeclaration.to"),
  });
  doc.y = Math.max(leftBottom, rightBottom) + 16;
  const date = longDate(data.date, locale);
  paragraph(doc, creditor.city ? t("documents.placeDate", { place: creditor.city, date }) : t("documents.date", { date }));
  paragraph(doc, t("documents.notice.reference", { reference: data.reference }), { muted: true });

  title(doc, t("documents.claimDeclaration.title"));
  paragraph(doc, t("documents.claimDeclaration.object", { kind, debtor: debtor.name }), { bold: true });
  block(doc, debtorLines(debtor, t), PAGE.margin, doc.y, width);
  doc.moveDown(0.4);
  paragraph(
    doc,
    t("documents.claimDeclaration.judgment", {
      opened,
      court: proceeding.court ? `, ${proceeding.court}` : "",
      published: longDate(proceeding.publishedOn, locale),
      announcement: proceeding.announcementId,
    }),
  );
  paragraph(doc, t("documents.claimDeclaration.intro", { creditor: creditor.legalName, debtor: debtor.name }));

  heading(doc, t("documents.claimDeclaration.invoices", { date: opened }));
  const interestOf = (l: Claim["lines"][number]) => (l.charges && !l.charges.interest.waived ? l.charges.interest.total : 0);
  const indemnityOf = (l: Claim["lines"][number]) => (l.charges?.indemnity && !l.charges.indemnity.waived ? l.charges.indemnity.amount : 0);
  table(
    doc,
    [
      { header: t("documents.col.number"), width: 0.17 },
      { header: t("documents.col.issueDate"), width: 0.12 },
      { header: t("documents.col.dueDate"), width: 0.14 },
      { header: t("documents.claimDeclaration.col.principal"), width: 0.15, align: "right" },
      { header: t("documents.claimDeclaration.col.interest"), width: 0.13, align: "right" },
      { header: t("documents.claimDeclaration.col.indemnity"), width: 0.13, align: "right" },
      { header: t("documents.claimDeclaration.col.total"), width: 0.16, align: "right" },
    ],
    [
      ...claim.lines.map((l) => ({
        cells: [
          l.number,
          shortDate(l.issueDate, locale),
          l.daysLate > 0 ? shortDate(l.dueDate, locale) : `${shortDate(l.dueDate, locale)} (${t("documents.claimDeclaration.notDue")})`,
          m(l.balance),
          m(interestOf(l)),
          money(indemnityOf(l), "EUR", locale),
          m(l.balance + interestOf(l) + indemnityOf(l)),
        ],
      })),
      {
        cells: [t("documents.total"), "", "", m(claim.principal), m(claim.interest), money(claim.indemnity, "EUR", locale), m(claim.total)],
        strong: true,
      },
    ],
  );

  heading(doc, t("documents.claimDeclaration.summary"));
  table(
    doc,
    [
      { header: t("documents.col.item"), width: 0.72 },
      { header: t("documents.col.amount"), width: 0.28, align: "right" },
    ],
    [
      { cells: [t("documents.claimDeclaration.principal"), m(claim.principal)] },
      { cells: [t("documents.claimDeclaration.interest", { date: opened }), m(claim.interest)] },
      ...(claim.indemnityCount > 0
        ? [{ cells: [`${t("documents.claimDeclaration.indemnity")} × ${claim.indemnityCount}`, money(claim.indemnity, "EUR", locale)] }]
        : []),
      { cells: [t("documents.claimDeclaration.total"), m(claim.total)], strong: true },
    ],
  );
  paragraph(doc, t("documents.claimDeclaration.nature"));
  paragraph(doc, t("documents.claimDeclaration.interestStop", { date: opened }));

  heading(doc, t("documents.interest.heading"));
  interestBreakdown(doc, claim, t, locale);

  paragraph(doc, t("documents.claimDeclaration.deadline", { date: longDate(proceeding.claimDeadline, locale) }), { bold: true });
  paragraph(doc, t("documents.claimDeclaration.enclosures"));
  paragraph(doc, t("documents.claimDeclaration.certify"));
  doc.moveDown(0.6);
  paragraph(doc, t("documents.claimDeclaration.signature", { legalName: creditor.legalName }), { bold: true });
  paragraph(
    doc,
    creditor.signatoryName
      ? creditor.signatoryRole
        ? t("documents.notice.signatory", { name: creditor.signatoryName, role: creditor.signatoryRole })
        : creditor.signatoryName
      : t("documents.claimDeclaration.signatureBlank"),
  );

  return finish(doc, (page, pages) => t("documents.footer", { creditor: creditor.legalName, reference: data.reference, page, pages }));
}
