import { injunctionForm } from "~/domain/legal";
import type { Locale, MessageKey } from "~/i18n";
import type { Claim } from "./claim";
import { block, contentWidth, createDocument, dateTime, finish, heading, longDate, PAGE, paragraph, table, title, translator } from "./layout";
import { claimSummary, creditorLines, debtorLines, interestBreakdown, invoiceTable } from "./sections";
import type { CreditorIdentity, DebtorIdentity } from "./types";

type Channel = "EMAIL" | "CALL" | "LETTER" | "PORTAL" | "PAYMENT" | "SYSTEM";
type Delivery = "QUEUED" | "SENT" | "DELIVERED" | "BOUNCED" | "COMPLAINED" | "FAILED" | "NOT_APPLICABLE";

export type InjunctionDossierData = {
  reference: string;
  date: Date;
  creditor: CreditorIdentity;
  debtor: DebtorIdentity;
  claim: Claim;
  /** The latest formal notice generated for this debtor, and how it went out. */
  formalNotice: {
    fileName: string;
    createdAt: Date;
    delivery: { channel: Channel; occurredAt: Date; recipient: string | null; status: Delivery } | null;
  } | null;
  /** Every communication with the debtor, oldest first. */
  trace: { occurredAt: Date; channel: Channel; direction: "IN" | "OUT"; kind: string; subject: string | null; deliveryStatus: Delivery }[];
};

/**
 * The hand-off bundle for a requête en injonction de payer: the data the
 * court form asks for (Cerfa 12946 / 12948, chosen by `injunctionForm`), not
 * a copy of the form — parties, claim breakdown, invoices, the prior formal
 * notice and its delivery, and the full written trace in order.
 */
export async function buildInjunctionDossier(data: InjunctionDossierData, locale: Locale): Promise<Buffer> {
  const t = translator(locale);
  const { creditor, debtor, claim } = data;
  const form = injunctionForm(debtor.kind);
  const doc = createDocument({ title: `${t("documents.dossier.title")} — ${debtor.name}`, author: creditor.legalName, date: data.date, locale });
  const width = contentWidth(doc);
  const date = longDate(data.date, locale);

  title(doc, t("documents.dossier.title"), t("documents.dossier.reference", { reference: data.reference, date }));
  paragraph(doc, t("documents.dossier.form", { form: form.label[locale] }), { bold: true });
  paragraph(doc, t("documents.dossier.court", { court: form.courtLabel[locale], place: debtor.city ?? t("documents.dossier.unknownPlace") }));
  paragraph(doc, t("documents.dossier.notForm"), { muted: true, size: 8.5 });

  heading(doc, t("documents.dossier.parties"));
  const top = doc.y;
  const left = block(doc, creditorLines(creditor, t), PAGE.margin, top, width * 0.48, { label: t("documents.dossier.claimant") });
  const right = block(doc, [...debtorLines(debtor, t, { withContact: true }), t(`documents.kind.${debtor.kind}`)], PAGE.margin + width * 0.52, top, width * 0.48, {
    label: t("documents.dossier.defendant"),
  });
  doc.x = PAGE.margin;
  doc.y = Math.max(left, right) + 8;

  heading(doc, t("documents.dossier.claim", { date }));
  claimSummary(doc, claim, t, locale);
  if (claim.debtorKind === "BUSINESS" || claim.interest > 0) interestBreakdown(doc, claim, t, locale);

  heading(doc, t("documents.dossier.invoices"));
  invoiceTable(doc, claim, t, locale);

  heading(doc, t("documents.dossier.notice"));
  if (!data.formalNotice) {
    paragraph(doc, t("documents.dossier.noticeNone"), { bold: true });
  } else {
    paragraph(doc, t("documents.dossier.noticeRef", { file: data.formalNotice.fileName, date: longDate(data.formalNotice.createdAt, locale) }));
    const d = data.formalNotice.delivery;
    paragraph(
      doc,
      d
        ? t("documents.dossier.noticeDelivery", {
            channel: t(`documents.channel.${d.channel}` as MessageKey), date: dateTime(d.occurredAt, locale),
            recipient: d.recipient ?? "—", status: t(`documents.delivery.${d.status}` as MessageKey),
          })
        : t("documents.dossier.noticeNoDelivery"),
    );
  }

  heading(doc, t("documents.dossier.trace"));
  if (data.trace.length === 0) {
    paragraph(doc, t("documents.dossier.traceEmpty"), { muted: true });
  } else {
    table(
      doc,
      [
        { header: t("documents.dossier.col.date"), width: 0.17 },
        { header: t("documents.dossier.col.channel"), width: 0.12 },
        { header: t("documents.dossier.col.direction"), width: 0.09 },
        { header: t("documents.dossier.col.event"), width: 0.5 },
        { header: t("documents.dossier.col.status"), width: 0.12 },
      ],
      data.trace.map((c) => ({
        cells: [
          dateTime(c.occurredAt, locale),
          t(`documents.channel.${c.channel}` as MessageKey),
          t(`documents.dossier.direction.${c.direction}` as MessageKey),
          c.subject ? `${c.subject} (${c.kind})` : c.kind,
          t(`documents.delivery.${c.deliveryStatus}` as MessageKey),
        ],
      })),
    );
  }

  heading(doc, t("documents.dossier.procedure"));
  paragraph(doc, t("documents.dossier.exhibits"));
  paragraph(doc, t("documents.dossier.deadlines", { serve: form.serviceDeadlineMonths }));

  return finish(doc, (page, pages) => t("documents.footer", { creditor: creditor.legalName, reference: data.reference, page, pages }));
}
